"""The PNRR evidence pack of a CUP for a period: what an auditor (ReGiS controls) asks to see, in one ZIP.

- ``registri/``: the final register of every session held and confirmed in the period, charged to a PNRR
  funding row with that CUP, as stored when issued (its SHA-256 is the one the verification page checks). A
  confirmed session whose final register was never issued (registers confirmed before registers were stored,
  imported ones, the demo's) gets it now, rendered and stored by ``sessions.actions.registers`` exactly as the
  confirmation would have (audited ``monitoring.evidence.register_issued``): the session and its attendance are
  read, never written;
- ``fogli-firmati/``: the signed sign-in sheets uploaded for those sessions;
- ``fogli-ore/``: the monthly timesheet of each supervisor for each month with such sessions (PDF);
- ``contratti/``: the documents uploaded on the contracts of those sessions and of the CUP's PNRR rows;
- ``contratti.csv``: those contracts (procedure, provider, CIG, CUP, amounts, period, lines, funding rows);
- ``incontri.csv``: every session of the pack (date, type, group, supervisor, hours, people present, register);
- ``indicatori.csv``: social workers supervised, hours and sessions per type;
- ``Sommario.html``: what is in the pack per category with counts, and what is missing and why
  (``evidence_summary``);
- ``manifest.csv``: every other file with its size and SHA-256.

The files are written into the ZIP one by one (``out``, a file), never all held in memory; ``progress`` is told
how many sessions are done. Generating missing registers takes a query or two and a PDF each, the timesheets a
few queries and a PDF per supervisor and month: at national scale this runs in the background
(``evidence_jobs``, ``manage.py db_worker``), never inside a request.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, TYPE_CHECKING

from django.core.files.storage import default_storage
from django.db.models import Count, Q, QuerySet, Sum

from supervisione.audit.actions import record
from supervisione.audit.models import AuditAction
from supervisione.census.models import SOCIAL_WORKER_PROFESSIONS
from supervisione.leps.rounding import ZERO
from supervisione.lib import clock
from supervisione.lib.exports import csv_bytes
from supervisione.lib.italian import number_text
from supervisione.procurement.models import Contract, ContractDocument, ContractDocumentKind
from supervisione.sessions.actions.registers import RegisterChangedError, issue_register_document
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
from supervisione.territory.models import FundingMeasure, Partnership

from .evidence_summary import Gap, Summary, summary_html

if TYPE_CHECKING:
    from supervisione.accounts.models import User

KIND_LABELS = {"A1": "A1 gruppo", "A2": "A2 individuale", "A3": "A3 équipe", "extra": "extra-LEPS"}
ISSUED_REASON = "Emesso per il pacchetto delle evidenze PNRR: il registro era confermato ma non ancora emesso"
ISSUED_CODE = "monitoring.evidence.register_issued"
PROGRESS_EVERY = 25  # sessions between two calls of ``progress``

Progress = Callable[[int, int, int], None]  # sessions done, sessions in all, registers issued so far


@dataclass
class Pack:
    files: list[tuple[str, int, str]] = field(default_factory=list)  # name, size, sha256
    sessions: int = 0
    generated: int = 0  # final registers issued while building the pack
    summary: Summary | None = None

    @property
    def missing_registers(self) -> int:
        """Confirmed sessions of the pack without their final register in it."""
        return self.summary.missing_registers if self.summary else 0


def _charged(cup: str) -> Q:
    """Sessions charged to a PNRR 1.1.4 funding row with this CUP (the row's own, or the contract's when the row
    has none)."""
    return (Q(funding__cup=cup) | (Q(funding__cup="") & Q(contract__cup=cup))) & Q(
        funding__measure=FundingMeasure.PNRR_114
    )


def pnrr_sessions(
    cup: str, start: datetime.date, end: datetime.date, partnership: Partnership | None = None
) -> QuerySet[Session]:
    """Sessions held and confirmed in the period, charged to a PNRR 1.1.4 funding row with this CUP."""
    sessions = Session.objects.filter(
        _charged(cup),
        status=SessionStatus.SCHEDULED,
        register_status=RegisterStatus.CONFIRMED,
        date__gte=start,
        date__lte=end,
    )
    if partnership is not None:
        sessions = sessions.filter(partnership=partnership)
    return sessions


def unconfirmed_sessions(
    cup: str, start: datetime.date, end: datetime.date, partnership: Partnership | None = None
) -> QuerySet[Session]:
    """Sessions of the period held before today, charged to the CUP, whose register is still open."""
    sessions = Session.objects.filter(
        _charged(cup),
        status=SessionStatus.SCHEDULED,
        register_status=RegisterStatus.OPEN,
        date__gte=start,
        date__lte=min(end, clock.today() - datetime.timedelta(days=1)),
    )
    if partnership is not None:
        sessions = sessions.filter(partnership=partnership)
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


class _Writer:
    """The ZIP being written, with the size and SHA-256 of every file (for the manifest)."""

    def __init__(self, out: IO[bytes]) -> None:
        self.archive = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED)
        self.listed: list[tuple[str, int, str]] = []

    def add(self, name: str, content: bytes) -> str:
        self.archive.writestr(name, content)
        self.listed.append((name, len(content), hashlib.sha256(content).hexdigest()))
        return name

    def close(self, generated: datetime.datetime) -> None:
        rows = [["File", "Byte", "SHA-256"], *[[name, str(size), digest] for name, size, digest in self.listed]]
        rows.append([f"Generato il {generated:%d/%m/%Y alle %H:%M}", "", ""])
        self.archive.writestr("manifest.csv", _csv(rows))
        self.archive.close()


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


def build_pack(
    cup: str,
    start: datetime.date,
    end: datetime.date,
    partnership: Partnership | None = None,
    *,
    out: IO[bytes],
    by: User | None = None,
    generate: bool = True,
    progress: Progress | None = None,
) -> Pack:
    """Write the pack into ``out``; ``generate`` issues the final registers that are missing (else the summary
    lists them as missing)."""
    sessions = list(
        pnrr_sessions(cup, start, end, partnership)
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
    # Sessions whose participants' ATS require the signed sheet (Ambito.requires_signed_scans): without it, a gap.
    required = set(
        Attendance.objects.filter(session_id__in=ids, ambito__requires_signed_scans=True).values_list(
            "session_id", flat=True
        )
    )
    writer = _Writer(out)
    summary = Summary(cup=cup, start=start, end=end, partnership=partnership.name if partnership else "")
    pack = Pack(sessions=len(sessions), summary=summary)
    rows = [SESSION_HEADERS]
    for number, session in enumerate(sessions, start=1):
        document = documents.get(session.pk)
        if document is None and generate:
            document, issued = _issue(session, by)
            pack.generated += issued
        register = _register(writer, session, document, summary)
        scan_names = _scans(writer, session, scans.get(session.pk, []), summary, required=session.pk in required)
        rows.append(_session_row(session, register, document, scan_names))
        if progress is not None and (number % PROGRESS_EVERY == 0 or number == len(sessions)):
            progress(number, len(sessions), pack.generated)
    summary.generated = pack.generated
    writer.add("incontri.csv", _csv(rows))
    summary.count("Elenco degli incontri (incontri.csv)", len(sessions))
    _timesheets(writer, sessions, summary)
    contract_ids = {session.contract_id for session in sessions} | _cup_contracts(cup, partnership)
    _contract_documents(writer, contract_ids, summary)
    writer.add("contratti.csv", _contracts_csv(contract_ids))
    summary.count("Contratti (contratti.csv)", len(contract_ids))
    writer.add("indicatori.csv", _indicators_csv(cup, start, end, ids, sessions))
    summary.count("Indicatori (indicatori.csv)", 1)
    held = unconfirmed_sessions(cup, start, end, partnership).select_related("group").order_by("date", "pk")
    summary.gaps += [Gap(_about(open_), "registro non confermato: il supervisore deve confermarlo") for open_ in held]
    generated_at = clock.localnow()
    summary.generated_at = generated_at
    writer.add("Sommario.html", summary_html(summary))
    writer.close(generated_at)
    pack.files = writer.listed
    return pack


def _about(session: Session) -> str:
    return f"Incontro del {session.date:%d/%m/%Y}, {session.group.name}"


def _issue(session: Session, by: User | None) -> tuple[RegisterDocument | None, bool]:
    """The session's final register, issued now if it is still missing. ``issue_register_document`` renders it
    with no lock held, then creates it under the session's row lock only if nothing changed meanwhile: a register
    issued at the same time (another pack, the confirmation's task) or a session corrected since is read back
    instead. The session and its attendance are only read."""
    current = RegisterDocument.objects.filter(session=session, superseded_at__isnull=True).first()
    if current is not None:
        return current, False
    try:
        document = issue_register_document(session, by=by, reason=ISSUED_REASON)
    except RegisterChangedError:
        return RegisterDocument.objects.filter(session=session, superseded_at__isnull=True).first(), False
    record(
        session,
        by=by,
        action=AuditAction.ACTION,
        message="Registro finale emesso per il pacchetto delle evidenze PNRR",
        code=ISSUED_CODE,
    )
    return document, True


def _register(writer: _Writer, session: Session, document: RegisterDocument | None, summary: Summary) -> str:
    """The session's final register into the pack; what its row in incontri.csv says of it."""
    if document is None:
        summary.gaps.append(Gap(_about(session), "registro confermato ma registro finale non emesso"))
        summary.missing_registers += 1
        return "registro non emesso"
    content = _read(document.file.name or "")
    if content is None:
        summary.gaps.append(Gap(_about(session), "file del registro finale non trovato nell'archivio"))
        summary.missing_registers += 1
        return "file del registro non trovato"
    name = f"registri/{session.date:%Y%m%d}-incontro-{session.pk}-v{document.version}.pdf"
    summary.count("Registri finali (registri/)", 1)
    return writer.add(name, content)


def _scans(
    writer: _Writer, session: Session, scans: list[SignedScan], summary: Summary, *, required: bool
) -> list[str]:
    """The signed sign-in sheets of the session that are still stored, written into the pack; none for a confirmed
    session whose ATS requires one is a gap."""
    names = []
    for number, scan in enumerate(scans, start=1):
        content = _read(scan.file.name or "")
        if content is None:
            summary.gaps.append(
                Gap(_about(session), f"foglio firmato «{scan.original_name}» non trovato nell'archivio")
            )
            continue
        name = f"fogli-firmati/{session.date:%Y%m%d}-incontro-{session.pk}-{number}-{_safe(scan.original_name)}"
        names.append(writer.add(name, content))
    if names:
        summary.count("Fogli firme firmati (fogli-firmati/)", len(names))
    elif required and session.register_status == RegisterStatus.CONFIRMED:
        summary.gaps.append(Gap(_about(session), "foglio firme firmato mancante: l'ATS dei partecipanti lo richiede"))
    else:
        summary.without_scan += 1
    return names


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


def _timesheets(writer: _Writer, sessions: Sequence[Session], summary: Summary) -> None:
    months = sorted(
        {(session.supervisor, session.date.year, session.date.month) for session in sessions},
        key=lambda k: (k[0].surname, k[0].pk, k[1], k[2]),
    )
    for supervisor, year, month in months:
        sheet = timesheet(supervisor, year, month)
        name = f"fogli-ore/{_safe(supervisor.surname + '-' + supervisor.name)}-{year}-{month:02d}.pdf"
        writer.add(name, timesheet_pdf(sheet))
        summary.count("Fogli ore mensili dei supervisori (fogli-ore/)", 1)


def _cup_contracts(cup: str, partnership: Partnership | None) -> set[int]:
    """The contracts with a PNRR row reporting to the CUP (the row's own CUP, or the contract's)."""
    contracts = Contract.objects.filter(
        Q(fundings__cup=cup) | (Q(fundings__cup="") & Q(cup=cup)), fundings__measure=FundingMeasure.PNRR_114
    )
    if partnership is not None:
        contracts = contracts.filter(partnership=partnership)
    return set(contracts.values_list("pk", flat=True))


def _contract_documents(writer: _Writer, contract_ids: set[int], summary: Summary) -> None:
    """Every document uploaded on the contracts; a contract without its signed contract is a gap."""
    documents = (
        ContractDocument.objects.filter(contract_id__in=contract_ids)
        .select_related("contract")
        .order_by("contract__title", "contract_id", "kind", "uploaded_at", "pk")
    )
    documented: set[int] = set()
    for document in documents:
        content = _read(document.file.name or "")
        about = f"Contratto «{document.contract.title}»"
        if content is None:
            summary.gaps.append(Gap(about, f"documento «{document.title}» non trovato nell'archivio"))
            continue
        folder = f"contratti/{_safe(document.contract.title)[:40]}-{document.contract_id}"
        name = f"{folder}/{document.kind}-{document.pk}-{_safe(document.original_name)}"
        writer.add(name, content)
        summary.count("Documenti dei contratti (contratti/)", 1)
        if document.kind == ContractDocumentKind.CONTRACT:
            documented.add(document.contract_id)
    for contract in Contract.objects.filter(pk__in=contract_ids - documented).order_by("title", "pk"):
        summary.gaps.append(Gap(f"Contratto «{contract.title}»", "contratto o convenzione firmati non caricati"))


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
