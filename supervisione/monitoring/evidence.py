"""The PNRR evidence pack of a CUP for a period: what an auditor (ReGiS controls) asks to see, in one ZIP.

- ``registri/``: the final register of every session held and confirmed in the period, charged to a PNRR
  funding row with that CUP, as stored when issued (its SHA-256 is the one the verification page checks);
  sessions whose final register was never issued are listed in ``incontri.csv`` ("registro non emesso");
- ``fogli-firmati/``: the signed sign-in sheets uploaded for those sessions;
- ``fogli-ore/``: the monthly timesheet of each supervisor for each month with such sessions (PDF);
- ``contratti.csv``: the contracts (procedure, provider, CIG, CUP, amounts, period, lines, funding rows);
- ``incontri.csv``: every session of the pack (date, type, group, supervisor, hours, people present, register);
- ``indicatori.csv``: social workers supervised, hours and sessions per type;
- ``manifest.csv``: every other file with its size and SHA-256.

Files are read in a fixed number of queries; the PDFs of the timesheets are rendered one per supervisor and
month.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.storage import default_storage
from django.db.models import Count, Q, QuerySet, Sum

from supervisione.census.models import SOCIAL_WORKER_PROFESSIONS
from supervisione.leps.rounding import ZERO
from supervisione.lib import clock
from supervisione.lib.exports import csv_bytes
from supervisione.lib.italian import number_text
from supervisione.procurement.models import Contract
from supervisione.sessions.documents import timesheet_pdf
from supervisione.sessions.models import (
    Attendance,
    AttendanceStatus,
    RegisterDocument,
    RegisterStatus,
    Session,
    SessionStatus,
    SignedScan,
)
from supervisione.sessions.queries import timesheet
from supervisione.sessions.usage import minutes_to_hours
from supervisione.territory.models import FundingMeasure

KIND_LABELS = {"A1": "A1 gruppo", "A2": "A2 individuale", "A3": "A3 équipe", "extra": "extra-LEPS"}


@dataclass
class Pack:
    content: bytes
    files: list[tuple[str, int, str]] = field(default_factory=list)  # name, size, sha256
    sessions: int = 0
    missing_registers: int = 0

    @property
    def filename(self) -> str:
        return "pacchetto-evidenze.zip"


def pnrr_sessions(cup: str, start: datetime.date, end: datetime.date, tenant: Q | None = None) -> QuerySet[Session]:
    """Sessions held and confirmed in the period, charged to a PNRR 1.1.4 funding row with this CUP (the row's
    own CUP, or the contract's when the row has none)."""
    charged = Q(funding__cup=cup) | (Q(funding__cup="") & Q(contract__cup=cup))
    sessions = Session.objects.filter(
        charged,
        funding__measure=FundingMeasure.PNRR_114,
        status=SessionStatus.SCHEDULED,
        register_status=RegisterStatus.CONFIRMED,
        date__gte=start,
        date__lte=end,
    )
    if tenant is not None:
        sessions = sessions.filter(tenant)
    return sessions


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-").lower()[:60] or "file"


def _csv(rows: list[list[str]]) -> bytes:
    return csv_bytes(rows)


def _money(value: Decimal | None) -> str:
    return "" if value is None else number_text(value, 2, grouped=False)


def _read(name: str) -> bytes | None:
    try:
        with default_storage.open(name, "rb") as handle:
            content: bytes = handle.read()
    except (FileNotFoundError, OSError):
        return None
    return content


SESSION_HEADERS = [
    "Data",
    "Orario",
    "Tipo",
    "Gruppo",
    "Supervisore",
    "Ore",
    "Presenti",
    "Contratto",
    "CIG",
    "CUP",
    "Registro",
    "SHA-256 del registro",
    "Fogli firmati",
]


def build_pack(cup: str, start: datetime.date, end: datetime.date, tenant: Q | None = None) -> Pack:
    sessions = list(
        pnrr_sessions(cup, start, end, tenant)
        .select_related("group", "supervisor", "contract", "funding")
        .annotate(
            present=Count(
                "attendances",
                filter=Q(attendances__status__in=[AttendanceStatus.PRESENT, AttendanceStatus.PARTIAL]),
            )
        )
        .order_by("date", "start_time", "pk")
    )
    ids = [session.pk for session in sessions]
    documents = {
        document.session_id: document
        for document in RegisterDocument.objects.filter(session_id__in=ids, superseded_at__isnull=True)
    }
    scans: dict[int, list[SignedScan]] = defaultdict(list)
    for scan in SignedScan.objects.filter(session_id__in=ids).order_by("uploaded_at", "pk"):
        scans[scan.session_id].append(scan)
    files: list[tuple[str, bytes]] = []
    rows = [SESSION_HEADERS]
    missing = 0
    for session in sessions:
        document = documents.get(session.pk)
        register, register_file = _register(session, document)
        files += register_file
        if not register_file:
            missing += 1
        scan_files = _scans(session, scans.get(session.pk, []))
        files += scan_files
        rows.append(_session_row(session, register, document, [name for name, _content in scan_files]))
    files.append(("incontri.csv", _csv(rows)))
    files += _timesheets(sessions)
    files.append(("contratti.csv", _contracts_csv({session.contract_id for session in sessions})))
    files.append(("indicatori.csv", _indicators_csv(cup, start, end, ids, sessions)))
    return _zip(files, len(sessions), missing)


def _register(session: Session, document: RegisterDocument | None) -> tuple[str, list[tuple[str, bytes]]]:
    """What the session's row says of its final register, and the register's file (none if it is missing)."""
    if document is None:
        return "registro non emesso", []
    content = _read(document.file.name or "")
    if content is None:
        return "file del registro non trovato", []
    name = f"registri/{session.date:%Y%m%d}-incontro-{session.pk}-v{document.version}.pdf"
    return name, [(name, content)]


def _scans(session: Session, scans: list[SignedScan]) -> list[tuple[str, bytes]]:
    """The signed sign-in sheets of the session that are still stored, named in the pack."""
    files = []
    for number, scan in enumerate(scans, start=1):
        content = _read(scan.file.name or "")
        if content is None:
            continue
        name = f"fogli-firmati/{session.date:%Y%m%d}-incontro-{session.pk}-{number}-{_safe(scan.original_name)}"
        files.append((name, content))
    return files


def _session_row(
    session: Session, register: str, document: RegisterDocument | None, scan_names: list[str]
) -> list[str]:
    return [
        f"{session.date:%d/%m/%Y}",
        session.time_text,
        KIND_LABELS.get(session.kind, session.kind),
        session.group.name,
        f"{session.supervisor.surname} {session.supervisor.name}",
        number_text(minutes_to_hours(session.minutes), grouped=False),
        str(getattr(session, "present", 0)),
        session.contract.title,
        session.contract.cig,
        session.funding.cup or session.contract.cup,
        register,
        document.sha256 if document is not None else "",
        " ".join(scan_names),
    ]


def _timesheets(sessions: Sequence[Session]) -> list[tuple[str, bytes]]:
    months = sorted(
        {(session.supervisor, session.date.year, session.date.month) for session in sessions},
        key=lambda k: (k[0].surname, k[0].pk, k[1], k[2]),
    )
    files = []
    for supervisor, year, month in months:
        sheet = timesheet(supervisor, year, month)
        name = f"fogli-ore/{_safe(supervisor.surname + '-' + supervisor.name)}-{year}-{month:02d}.pdf"
        files.append((name, timesheet_pdf(sheet)))
    return files


def _contracts_csv(contract_ids: set[int]) -> bytes:
    rows = [
        [
            "Contratto",
            "Procedura",
            "Stato",
            "Fornitore",
            "CIG",
            "CUP",
            "Importo (EUR)",
            "Inizio",
            "Fine",
            "Stipulato il",
            "Righe (tipo: ore acquistate a tariffa)",
            "Fonti di finanziamento",
        ]
    ]
    contracts = (
        Contract.objects.filter(pk__in=contract_ids)
        .select_related("provider")
        .prefetch_related("lines", "fundings__ambito")
        .order_by("title", "pk")
    )
    for contract in contracts:
        lines = "; ".join(
            f"{line.kind}: {number_text(line.hours, grouped=False)} h a {_money(line.hourly_rate)} EUR"
            for line in contract.lines.all()
        )
        fundings = "; ".join(f"{funding}: {_money(funding.amount)} EUR" for funding in contract.fundings.all())
        rows.append(
            [
                contract.title,
                contract.get_procedure_display(),
                contract.get_status_display(),
                contract.provider.name if contract.provider else "",
                contract.cig,
                contract.cup,
                _money(contract.amount),
                f"{contract.start_date:%d/%m/%Y}" if contract.start_date else "",
                f"{contract.end_date:%d/%m/%Y}" if contract.end_date else "",
                f"{contract.signed_on:%d/%m/%Y}" if contract.signed_on else "",
                lines,
                fundings,
            ]
        )
    return _csv(rows)


def _indicators_csv(
    cup: str, start: datetime.date, end: datetime.date, ids: list[int], sessions: Sequence[Session]
) -> bytes:
    attended = Attendance.objects.filter(session_id__in=ids, minutes__gt=0)
    supervised = (
        attended.filter(person__profession__in=SOCIAL_WORKER_PROFESSIONS).values("person_id").distinct().count()
    )
    people = attended.values("person_id").distinct().count()
    per_kind = {
        row["kind"]: row
        for row in Session.objects.filter(pk__in=ids)
        .values("kind")
        .annotate(minutes=Sum("minutes", default=0), count=Count("pk"))
        .order_by()
    }
    rows = [
        ["Indicatore", "Valore"],
        ["CUP", cup],
        ["Periodo dal", f"{start:%d/%m/%Y}"],
        ["Periodo al", f"{end:%d/%m/%Y}"],
        ["Assistenti sociali supervisionati", str(supervised)],
        ["Persone supervisionate (tutte le professioni)", str(people)],
    ]
    total_minutes = 0
    for kind, label in KIND_LABELS.items():
        row = per_kind.get(kind)
        minutes = row["minutes"] if row else 0
        total_minutes += minutes
        rows.append([f"Ore erogate {label}", number_text(minutes_to_hours(minutes), grouped=False)])
        rows.append([f"Incontri {label}", str(row["count"] if row else 0)])
    rows.append(
        [
            "Ore erogate in totale",
            number_text(minutes_to_hours(total_minutes) if total_minutes else ZERO, grouped=False),
        ]
    )
    rows.append(["Incontri in totale", str(len(sessions))])
    return _csv(rows)


def _zip(files: list[tuple[str, bytes]], sessions: int, missing: int) -> Pack:
    buffer = io.BytesIO()
    listed: list[tuple[str, int, str]] = []
    generated = clock.localnow()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(name, content)
            listed.append((name, len(content), hashlib.sha256(content).hexdigest()))
        manifest = [["File", "Byte", "SHA-256"], *[[name, str(size), digest] for name, size, digest in listed]]
        manifest.append([f"Generato il {generated:%d/%m/%Y alle %H:%M}", "", ""])
        archive.writestr("manifest.csv", _csv(manifest))
    return Pack(buffer.getvalue(), listed, sessions, missing)
