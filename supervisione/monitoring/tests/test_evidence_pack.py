"""The PNRR evidence pack (issue 16.5): complete or saying exactly why not. Every confirmed session of the CUP
and period has its final register in the ZIP (issued when missing, from the confirmed data, which do not
change), the manifest's hashes verify, the «Sommario» counts what is there and lists what is missing; built by a
task (run at once in tests), served to coordinators only."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from supervisione.audit.models import AuditEntry
from supervisione.monitoring.evidence import ISSUED_CODE
from supervisione.monitoring.models import DocumentJob, DocumentKind, JobStatus
from supervisione.procurement.models import ContractDocument, ContractDocumentKind
from supervisione.sessions.actions.registers import issue_register_document
from supervisione.sessions.models import Attendance, RegisterDocument, Session, SignedScan
from supervisione.territory.models import Ambito
from supervisione.testing.frozen import frozen
from supervisione.testing.world import PERSONAS

from .conftest import Year

CUP = "J81H22000130006"
BASE = "/monitoraggio/partenariati/POGGIARDO-114/pacchetto-pnrr/"
PERSONA_NAMES = [name for name, _role, _where in PERSONAS]


@pytest.fixture
def documents(year: Year, settings: Any) -> Year:
    """The final register of 13/01 issued and a signed scan of 10/02 uploaded; the other registers confirmed but
    never issued (as registers confirmed before they were stored, or the demo's)."""
    january, february = year.sessions[0], year.sessions[1]
    issue_register_document(january, by=year.cal.world.supervisor)
    name = default_storage.save(f"fogli-firme/{february.pk}/scan.pdf", ContentFile(b"%PDF-1.4 firmato"))
    SignedScan.objects.create(
        session=february,
        file=name,
        original_name="foglio firme febbraio.pdf",
        content_type="application/pdf",
        size=16,
        sha256=hashlib.sha256(b"%PDF-1.4 firmato").hexdigest(),
    )
    return year


def _csv(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def _verified_manifest(archive: zipfile.ZipFile) -> dict[str, str]:
    """The manifest lists every other file, and each hash and size is the file's."""
    rows = _csv(archive.read("manifest.csv"))
    assert rows[0] == ["File", "Byte", "SHA-256"]
    listed = {row[0]: (int(row[1]), row[2]) for row in rows[1:] if row[1]}
    assert set(listed) == set(archive.namelist()) - {"manifest.csv"}
    for name, (size, digest) in listed.items():
        content = archive.read(name)
        assert (len(content), hashlib.sha256(content).hexdigest()) == (size, digest), name
    return {name: digest for name, (_size, digest) in listed.items()}


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _summary(archive: zipfile.ZipFile) -> str:
    return archive.read("Sommario.html").decode("utf-8")


def _snapshot() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    return (list(Session.objects.order_by("pk").values_list()), list(Attendance.objects.order_by("pk").values_list()))


def _pack(tmp_path: Path, *args: str, start: str = "2026-01-01", end: str = "2026-03-31") -> tuple[Path, str]:
    output = tmp_path / "pacchetto.zip"
    out = io.StringIO()
    call_command("evidence_pack", "--cup", CUP, "--from", start, "--to", end, "-o", str(output), *args, stdout=out)
    return output, out.getvalue()


def test_every_confirmed_session_has_its_register_issued_from_the_confirmed_data(
    documents: Year, tmp_path: Path
) -> None:
    january = documents.sessions[0]
    stored_january = RegisterDocument.objects.get(session=january)
    before = _snapshot()
    output, said = _pack(tmp_path)
    assert "5 incontri" in said
    assert "4 registri finali emessi ora" in said
    # The confirmed sessions and their attendance are exactly as they were.
    assert _snapshot() == before
    confirmed = [s for s in documents.sessions if s.date <= datetime.date(2026, 3, 31) and s.is_confirmed]
    assert len(confirmed) == 5
    with zipfile.ZipFile(output) as archive:
        digests = _verified_manifest(archive)
        registers = sorted(name for name in archive.namelist() if name.startswith("registri/"))
        assert len(registers) == 5
        for session in confirmed:
            document = RegisterDocument.objects.get(session=session, superseded_at__isnull=True)
            name = f"registri/{session.date:%Y%m%d}-incontro-{session.pk}-v{document.version}.pdf"
            # The register in the pack is the one on record: the verification page recognises it.
            assert digests[name] == document.sha256, name
            text = _text(archive.read(name))
            assert f"Incontro di supervisione del {session.date:%d/%m/%Y}" in text
            present = Attendance.objects.filter(session=session, minutes__gt=0).select_related("person")
            for attendance in present:
                assert attendance.person.surname in text, (name, attendance.person)
        # The register issued before is the stored one, not rendered again.
        assert RegisterDocument.objects.get(pk=stored_january.pk).superseded_at is None
        assert digests[f"registri/20260113-incontro-{january.pk}-v1.pdf"] == stored_january.sha256
        # January's register says Anna was absent: the confirmed attendance, as recorded.
        assert "Assente" in _text(archive.read(f"registri/20260113-incontro-{january.pk}-v1.pdf"))
        summary = _summary(archive)
        assert 'Registri finali (registri/)</td><td class="n">5' in summary
        assert "4 registri finali sono stati emessi durante la preparazione" in summary
    issued = AuditEntry.objects.filter(code=ISSUED_CODE)
    assert issued.count() == 4
    # A second pack issues nothing more: the registers are now on record.
    _output, again = _pack(tmp_path)
    assert "emessi ora" not in again
    assert RegisterDocument.objects.count() == 5


def test_the_pack_holds_scans_timesheets_contracts_and_indicators(documents: Year, tmp_path: Path) -> None:
    contract = documents.cal.contract
    name = default_storage.save("contratti/contratto.pdf", ContentFile(b"%PDF-1.4 contratto"))
    ContractDocument.objects.create(
        contract=contract,
        kind=ContractDocumentKind.CONTRACT,
        title="Contratto firmato",
        file=name,
        original_name="Contratto firmato.pdf",
        content_type="application/pdf",
        size=18,
    )
    output, _said = _pack(tmp_path)
    with zipfile.ZipFile(output) as archive:
        names = archive.namelist()
        assert [n for n in names if n.startswith("fogli-firmati/")] == [
            f"fogli-firmati/20260210-incontro-{documents.sessions[1].pk}-1-foglio-firme-febbraio.pdf"
        ]
        assert sorted(n for n in names if n.startswith("fogli-ore/")) == [
            "fogli-ore/longo-chiara-2026-01.pdf",
            "fogli-ore/longo-chiara-2026-02.pdf",
            "fogli-ore/longo-chiara-2026-03.pdf",
        ]
        [document] = [n for n in names if n.startswith("contratti/")]
        assert archive.read(document) == b"%PDF-1.4 contratto"
        indicators = dict(_csv(archive.read("indicatori.csv"))[1:])
        assert indicators["Assistenti sociali supervisionati"] == "3"
        assert (indicators["Ore erogate A1 gruppo"], indicators["Incontri in totale"]) == ("6", "5")
        assert _csv(archive.read("contratti.csv"))[1][4] == "B123456789"
        summary = _summary(archive)
        assert "Non manca nulla" in summary
        assert "4 incontri confermati non hanno un foglio firme firmato" in summary


@frozen(2026, 10, 1)
def test_the_summary_says_what_is_missing_and_why(documents: Year, tmp_path: Path) -> None:
    january = RegisterDocument.objects.get(session=documents.sessions[0])
    default_storage.delete(january.file.name or "")
    output, said = _pack(tmp_path, "--no-issue", start="2026-01-01", end="2026-09-30")
    assert RegisterDocument.objects.count() == 1  # --no-issue issues nothing
    assert "senza registro finale nel pacchetto" in said
    with zipfile.ZipFile(output) as archive:
        _verified_manifest(archive)
        assert not [name for name in archive.namelist() if name.startswith("registri/")]
        summary = _summary(archive)
        group = documents.cal.group.name
    assert (
        f"Incontro del 13/01/2026, {group}</td><td>file del registro finale non trovato nell&#x27;archivio" in summary
    )
    assert f"Incontro del 10/02/2026, {group}</td><td>registro confermato ma registro finale non emesso" in summary
    # Luca's individual hour of 24/09 was held and its register is still open.
    assert f"Incontro del 24/09/2026, {group}</td><td>registro non confermato" in summary
    # Sessions still to come are not missing.
    assert "13/10/2026" not in summary
    assert "Contratto «Supervisione Raggio di Sole»</td><td>contratto o convenzione firmati non caricati" in summary


@frozen(2026, 9, 15)
def test_a_confirmed_session_without_the_signed_sheet_its_ats_requires_is_missing(
    documents: Year, tmp_path: Path
) -> None:
    january = documents.sessions[0]
    Ambito.objects.filter(pk__in=january.attendances.values_list("ambito_id", flat=True)).update(
        requires_signed_scans=True
    )
    output, _said = _pack(tmp_path, start="2026-01-01", end="2026-01-31")
    with zipfile.ZipFile(output) as archive:
        _verified_manifest(archive)
        summary = _summary(archive)
    group = documents.cal.group.name
    assert (
        f"Incontro del 13/01/2026, {group}</td><td>foglio firme firmato mancante: l&#x27;ATS dei partecipanti lo "
        "richiede" in summary
    )


def test_the_command_refuses_a_wrong_cup_or_period_and_writes_nothing(year: Year, tmp_path: Path) -> None:
    output = tmp_path / "pacchetto.zip"
    with pytest.raises(CommandError, match="CUP non valido"):
        call_command("evidence_pack", "--cup", "XYZ", "--from", "2026-01-01", "--to", "2026-03-31", "-o", str(output))
    with pytest.raises(CommandError, match="viene prima"):
        call_command("evidence_pack", "--cup", CUP, "--from", "2026-03-01", "--to", "2026-01-31", "-o", str(output))
    with pytest.raises(CommandError, match="Data non valida"):
        call_command("evidence_pack", "--cup", CUP, "--from", "ieri", "--to", "2026-01-31", "-o", str(output))
    assert not output.exists()


def test_the_coordinator_asks_for_the_pack_and_downloads_it_when_ready(
    documents: Year, on_today: datetime.date, client_for: Any
) -> None:
    client = client_for("coordinator")
    form = client.get(BASE, {"cup": CUP, "start": "2026-02-01", "end": "28/02/2026"})
    assert form.status_code == 200
    # The period the address proposes, in the date fields (read either way); a value that does not read is left.
    assert 'value="2026-02-01"' in form.content.decode()
    assert 'value="2026-02-28"' in form.content.decode()
    assert 'value="2026-10-01"' in client.get(BASE, {"end": "domani"}).content.decode()
    wrong = client.post(BASE, {"cup": CUP, "start": "31/03/2026", "end": "01/01/2026"})
    assert wrong.status_code == 400
    assert "La data finale viene prima" in wrong.content.decode()
    assert not DocumentJob.objects.exists()
    asked = client.post(BASE, {"cup": CUP, "start": "01/01/2026", "end": "31/03/2026"})
    job = DocumentJob.objects.get()
    assert asked["Location"] == f"{BASE}{job.pk}/"
    assert (job.status, job.total, job.done, job.generated_registers) == (JobStatus.READY, 5, 5, 4)
    assert (job.kind, job.filename) == (DocumentKind.EVIDENCE_PACK, f"evidenze-pnrr-{CUP}-20260101-20260331.zip")
    page = client.get(asked["Location"]).content.decode()
    assert "Pacchetto pronto" in page
    assert "4 registri finali emessi durante la preparazione" in page
    assert "1 elemento manca" in page
    assert "contratto o convenzione firmati non caricati" in page
    download = client.get(f"{BASE}{job.pk}/scarica/")
    assert download["Content-Type"] == "application/zip"
    content = b"".join(download.streaming_content)  # read to its end, the test client closes it
    assert hashlib.sha256(content).hexdigest() == job.sha256
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        _verified_manifest(archive)
        assert len([name for name in archive.namelist() if name.startswith("registri/")]) == 5
    # Once built, the progress address sends the page back to the job.
    progress = client.get(f"{BASE}{job.pk}/avanzamento/", headers={"HX-Request": "true"})
    assert (progress.status_code, progress["HX-Redirect"]) == (204, f"{BASE}{job.pk}/")


def test_a_pack_being_built_shows_its_progress_and_a_stalled_one_says_so(
    documents: Year, on_today: datetime.date, client_for: Any
) -> None:
    client = client_for("coordinator")
    job = _pack_job(
        documents,
        status=JobStatus.BUILDING,
        total=120,
        done=50,
        counts={"generated_registers": 1},
        started_at=datetime.datetime.now(datetime.UTC),
        progress_at=datetime.datetime.now(datetime.UTC),
    )
    panel = client.get(f"{BASE}{job.pk}/avanzamento/").content.decode()
    assert "50 di 120 incontri, 1 registro finale emesso" in panel
    assert f"{BASE}{job.pk}/scarica/" not in client.get(f"{BASE}{job.pk}/").content.decode()
    assert client.get(f"{BASE}{job.pk}/scarica/")["Location"] == f"{BASE}{job.pk}/"
    DocumentJob.objects.filter(pk=job.pk).update(
        progress_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)
    )
    page = client.get(f"{BASE}{job.pk}/").content.decode()
    assert "si è interrotta prima della fine" in page
    assert DocumentJob.objects.get(pk=job.pk).status == JobStatus.FAILED


def _pack_job(year: Year, **fields: Any) -> DocumentJob:
    """A pack of the CUP for the first quarter, as ``evidence_jobs.start_job`` stores it."""
    return DocumentJob.objects.create(
        kind=DocumentKind.EVIDENCE_PACK,
        partnership=year.plan.partnership,
        params={"cup": CUP, "start": "2026-01-01", "end": "2026-03-31"},
        title=f"Pacchetto di evidenze PNRR · CUP {CUP}",
        filename=f"evidenze-pnrr-{CUP}-20260101-20260331.zip",
        content_type="application/zip",
        **fields,
    )


def _ready_job(year: Year) -> DocumentJob:
    return _pack_job(
        year,
        status=JobStatus.READY,
        file=default_storage.save("pacchetti-pnrr/prova.zip", ContentFile(b"PK")),
        summary={
            "categories": [["Registri finali (registri/)", 1]],
            "gaps": [["Incontro", "registro"]],
            "gap_count": 1,
        },
    )


@pytest.mark.parametrize("suffix", ["", "{pk}/", "{pk}/avanzamento/", "{pk}/scarica/"])
def test_only_the_coordinator_sees_the_packs_and_outsiders_do_not_find_them(
    year: Year, on_today: datetime.date, client_for: Any, suffix: str
) -> None:
    job = _ready_job(year)
    url = BASE + suffix.format(pk=job.pk)
    for persona in PERSONA_NAMES:
        response = client_for(persona).get(url)
        if response.streaming:  # a download's file, closed by the test client once read (closing it by hand
            b"".join(response.streaming_content)  # fires request_finished, which drops PostgreSQL's connection)
        expected = 200 if persona in {"admin", "coordinator"} else 404 if persona in {"outsider", "nobody"} else 403
        if expected == 200 and "avanzamento" in suffix:
            expected = 302  # a ready pack's progress goes back to its page
        assert response.status_code == expected, (persona, response.status_code)
        if persona == "referent":
            assert "lo prepara il coordinatore del partenariato" in response.content.decode()
    assert client_for(None).get(url).status_code == 302
    # A pack of another partnership is not found under this one's address.
    other = client_for("coordinator").get(f"/monitoraggio/partenariati/NOPE/pacchetto-pnrr/{job.pk}/")
    assert other.status_code == 404


def test_the_pages_read_a_constant_number_of_queries(year: Year, on_today: datetime.date, client_for: Any) -> None:
    client = client_for("coordinator")
    first = _ready_job(year)

    def counted(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    client.get(BASE)  # the session's first request of the test writes its own rows: not the page's
    few = (counted(BASE), counted(f"{BASE}{first.pk}/"))
    for _ in range(4):
        job = _ready_job(year)
    DocumentJob.objects.filter(pk=job.pk).update(
        summary={"categories": [["A", 1], ["B", 2]], "gaps": [["x", "y"]] * 30, "gap_count": 30}
    )
    assert (counted(BASE), counted(f"{BASE}{job.pk}/")) == few
