"""Sign-in sheet, final register (content and fingerprint verification), signed scans, certificate, timesheet."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from supervisione.census.models import ReferentDesignation, ReferentRequest
from supervisione.sessions.actions.registers import Mark, confirm_register, save_register
from supervisione.sessions.models import AttendanceStatus, IssuedCertificate, RegisterDocument, Session, SignedScan
from supervisione.sessions.tests.conftest import Cal
from supervisione.sessions.tests.test_register import held, take
from supervisione.testing.commits import committed
from supervisione.testing.frozen import frozen

D = datetime.date


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_it_prints_a_sign_in_sheet_with_the_names_before_the_session(cal: Cal, client_for: Any) -> None:
    session = cal.one(D(2026, 12, 1))
    response = client_for("supervisor").get(reverse("sessions:signin_sheet", args=[session.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.getvalue())
    for expected in ("Foglio firme", "De Santis Marco", "Rizzo Anna", "Ferrara Luca", "Firma", "01/12/2026"):
        assert expected in text


def test_a_sheet_names_the_pnrr_cup_only_on_a_session_the_project_pays(cal: Cal, client_for: Any) -> None:
    """After the end of the PNRR activities the contract's sessions are paid by another source: their sheet must not
    print the project's CUP, as if they were charged to it (an auditor reads the sheet as evidence)."""
    client = client_for("supervisor")
    after = cal.one(D(2026, 12, 1))
    assert after.funding is not None
    assert not after.funding.is_pnrr
    text = pdf_text(client.get(reverse("sessions:signin_sheet", args=[after.pk])).getvalue())
    assert "CIG B123456789" in text
    assert "J81H22000130006" not in text
    assert "Finanziamento Altro finanziamento" in " ".join(text.split())
    before = cal.one(D(2026, 3, 10))
    text = pdf_text(client.get(reverse("sessions:signin_sheet", args=[before.pk])).getvalue())
    assert "CUP J81H22000130006" in text


def test_it_issues_the_final_register_with_participants_times_and_codes(cal: Cal, client_for: Any) -> None:
    session = held(cal)
    response = client_for("coordinator").get(reverse("sessions:register_download", args=[session.pk, 1]))
    text = pdf_text(body(response))
    for expected in (
        "Registro presenze",
        "03/03/2026",
        "dalle 09:00 alle 11:00 (120 minuti)",
        "De Santis Marco",
        "Presente in parte",
        "Assente",
        "Chiara Longo",
        "A1 - gruppo monoprofessionale",
        "CIG B123456789",
        "CUP J81H22000130006",
        "PNRR M5C2 1.1.4",
        f"R{session.pk}-1",
    ):
        assert expected in text, expected


def test_it_verifies_a_register_against_the_fingerprint_on_record(cal: Cal, client_for: Any) -> None:
    session = held(cal)
    stored = body(client_for("supervisor").get(reverse("sessions:register_download", args=[session.pk, 1])))
    client = client_for("observer")  # an auditor: may verify, sees no details
    url = reverse("sessions:verify")
    page = client.post(url, {"file": SimpleUploadedFile("registro.pdf", stored)}).content.decode()
    assert "Il file corrisponde al registro presenze" in page
    assert "È la versione in vigore" in page
    assert "De Santis" not in page
    altered = stored.replace(b"%%EOF", b"%%EOF\n% ritoccato", 1)
    page = client.post(url, {"file": SimpleUploadedFile("registro.pdf", altered)}).content.decode()
    assert "non corrisponde a nessun documento emesso" in page
    # A later change supersedes the first version: a copy of it is genuine but out of date.
    session.refresh_from_db()
    with committed():
        save_register(
            session,
            {session.attendances.get(person=cal.luca).pk: Mark(AttendanceStatus.ABSENT_JUSTIFIED)},
            version=session.version,
            by=cal.world.supervisor,
            reason="Giustificazione arrivata",
        )
    page = client.post(url, {"file": SimpleUploadedFile("registro.pdf", stored)}).content.decode()
    assert "è stata sostituita" in page
    current = RegisterDocument.objects.get(session=session, superseded_at__isnull=True)
    page = client_for("coordinator").post(url, {"fingerprint": current.sha256.upper()}).content.decode()
    assert "È la versione in vigore" in page
    assert "Incontro:" in page
    page = client.post(url, {"fingerprint": "123"}).content.decode()
    assert "64 caratteri esadecimali" in page


def test_it_accepts_signed_scans_of_the_allowed_types_and_sizes_only(cal: Cal, client_for: Any) -> None:
    session = cal.one(D(2026, 3, 3))
    url = reverse("sessions:scan_upload", args=[session.pk])
    client = client_for("supervisor")
    response = client.post(url, {"file": SimpleUploadedFile("firme.exe", b"MZ\x90\x00binary")}, follow=True)
    assert "non è di un tipo accettato (JPEG, PDF, PNG)" in response.content.decode()
    big = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 1)
    response = client.post(url, {"file": SimpleUploadedFile("firme.pdf", big)}, follow=True)
    assert "il massimo è 10 MB" in response.content.decode()
    assert not SignedScan.objects.exists()
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    client.post(url, {"file": SimpleUploadedFile("foglio firmato.png", png)})
    scan = SignedScan.objects.get()
    assert (scan.original_name, scan.content_type, scan.size) == ("foglio firmato.png", "image/png", len(png))
    download = client_for("coordinator").get(reverse("sessions:scan_download", args=[session.pk, scan.pk]))
    assert body(download) == png


def test_it_certifies_hours_attended_against_planned_and_the_80_percent_threshold(cal: Cal, client_for: Any) -> None:
    held(cal, D(2026, 3, 3))  # Marco present 120/120, Anna 60/120, Luca absent
    second = cal.one(D(2026, 3, 10))
    take(cal, second, De_Santis=Mark(AttendanceStatus.PARTIAL, 60), Rizzo=Mark("present"), Ferrara=Mark("present"))
    second.refresh_from_db()
    confirm_register(second, version=second.version, by=cal.world.supervisor)
    cal.one(D(2026, 12, 1))  # not held yet: does not count
    url = reverse("sessions:certificate", args=[cal.marco.pk]) + "?start=2026-01-01&end=2026-12-31"
    page = client_for("supervisee").get(url).content.decode()
    assert "75 %" in page
    assert "Soglia dell'80 % non raggiunta" in page
    text = pdf_text(client_for("supervisee").get(url + "&formato=pdf").getvalue())
    for expected in (
        "Marco De Santis",
        "A1 - gruppo monoprofessionale",
        "4",
        "3",
        "75 %",
        "non raggiunge",
        "CNOAS-2026-0042",
    ):
        assert expected in text, expected
    anna = client_for("coordinator").get(
        reverse("sessions:certificate", args=[cal.anna.pk]) + "?start=2026-01-01&end=2026-12-31"
    )
    assert "75 %" in anna.content.decode()
    bad = client_for("supervisee").get(
        reverse("sessions:certificate", args=[cal.marco.pk]) + "?start=2026-12-31&end=2026-01-01"
    )
    assert "La fine del periodo precede l&#x27;inizio." in bad.content.decode()


def test_it_makes_the_monthly_timesheet_as_pdf_and_xlsx(cal: Cal, client_for: Any) -> None:
    held(cal, D(2026, 3, 3))
    equipe = cal.one(D(2026, 3, 12), "14:00", "15:30", kind="A3")
    take(cal, equipe, Rizzo=Mark("present"), Greco=Mark("present"))
    equipe.refresh_from_db()
    confirm_register(equipe, version=equipe.version, by=cal.world.supervisor)
    cal.one(D(2026, 3, 24))  # register not confirmed: not in the timesheet
    url = reverse("sessions:timesheet", args=[cal.supervisor.pk]) + "?mese=2026-03"
    page = client_for("supervisor").get(url).content.decode()
    assert "3,5 ore" in page or "3,5" in page
    workbook = load_workbook(io.BytesIO(client_for("supervisor").get(url + "&formato=xlsx").getvalue()))
    summary = list(workbook["Riepilogo"].iter_rows(values_only=True))
    assert summary[1][3:] == ("A1 - gruppo monoprofessionale", 1, 2.0)
    assert summary[2][3:] == ("A3 - organizzativa dell'équipe", 1, 1.5)
    assert summary[-1][-1] == 3.5
    text = pdf_text(client_for("coordinator").get(url + "&formato=pdf").getvalue())
    assert "Foglio ore di Chiara Longo" in text
    assert "Marzo 2026" in text
    assert Session.objects.count() == 3


def test_the_timesheet_opens_on_last_month_until_a_session_is_held_in_this_one(cal: Cal, client_for: Any) -> None:
    """In the first days of a month the sheet to hand in is last month's: it opens there, not on an empty month."""
    url = reverse("sessions:timesheet", args=[cal.supervisor.pk])
    first = cal.one(D(2026, 12, 3))
    with frozen(2026, 12, 2):
        assert '<option value="2026-11" selected>' in client_for("supervisor").get(url).content.decode()
    with frozen(2026, 12, 3, 15):
        assert '<option value="2026-12" selected>' in client_for("supervisor").get(url).content.decode()
    first.status, first.cancel_reason = "cancelled", "Malattia della supervisora"
    first.save(update_fields=["status", "cancel_reason"])
    with frozen(2026, 12, 4):
        assert '<option value="2026-11" selected>' in client_for("supervisor").get(url).content.decode()
    with frozen(2026, 12, 4):  # a month asked for is the month shown
        page = client_for("supervisor").get(url + "?mese=2026-12").content.decode()
        assert '<option value="2026-12" selected>' in page


def test_it_issues_a_missing_final_register_once(cal: Cal, client_for: Any) -> None:
    session = held(cal)
    RegisterDocument.objects.filter(session=session).delete()
    url = reverse("sessions:register_issue", args=[session.pk])
    assert client_for("supervisee").post(url).status_code == 403
    with committed():  # both ask before the worker has issued it: the second task finds it issued
        client_for("coordinator").post(url)
        client_for("supervisor").post(url)
    assert RegisterDocument.objects.filter(session=session).count() == 1
    client_for("supervisor").post(url)
    assert RegisterDocument.objects.filter(session=session).count() == 1


def test_the_certificate_names_its_ats_and_signatory_and_is_verified_by_its_code_or_its_file(
    cal: Cal, client_for: Any
) -> None:
    held(cal, D(2026, 3, 3))
    request = ReferentRequest.objects.create(partnership=cal.world.partnership, deadline=D(2026, 1, 31))
    ReferentDesignation.objects.create(
        request=request,
        ambito=cal.world.casarano,
        full_name="Paola Greco",
        email="paola.greco@example.it",
        act_date=D(2026, 1, 10),
        answered_on=D(2026, 1, 12),
    )
    url = reverse("sessions:certificate", args=[cal.marco.pk]) + "?start=2026-01-01&end=2026-12-31&formato=pdf"
    first = body(client_for("supervisee").get(url))
    issued = IssuedCertificate.objects.get()
    assert issued.ambito == cal.world.casarano
    assert issued.signatory == "Paola Greco, referente per la supervisione professionale dell'Ambito di Casarano"
    assert re.fullmatch(r"A-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", issued.code)
    text = " ".join(pdf_text(first).split())
    for expected in ("Ambito di Casarano", "Paola Greco", f"codice di verifica {issued.code}", "/incontri/verifica/"):
        assert expected in text, expected
    # Asked again for the same period and figures: the same certificate, byte for byte.
    assert body(client_for("supervisee").get(url)) == first
    assert IssuedCertificate.objects.count() == 1

    verify = reverse("sessions:verify")
    auditor = client_for("observer")
    typed = issued.code.lower().replace("-", " ")
    page = auditor.post(verify, {"code": typed}).content.decode()
    assert f"Il codice {issued.code} corrisponde all'attestato di partecipazione" in page
    assert "dall'Ambito di Casarano per il periodo dal 01/01/2026 al 31/12/2026" in page
    assert "De Santis" not in page  # the observer does not see people
    page = client_for("coordinator").post(verify, {"file": SimpleUploadedFile("a.pdf", first)}).content.decode()
    assert "Il file corrisponde all'attestato di partecipazione" in page
    assert "Marco De Santis" in page
    page = auditor.post(verify, {"code": "A-2222-2222"}).content.decode()
    assert "Il codice «A-2222-2222» non corrisponde a nessun documento emesso." in page
    altered = first.replace(b"%%EOF", b"%%EOF\n% ritoccato", 1)
    page = auditor.post(verify, {"file": SimpleUploadedFile("a.pdf", altered)}).content.decode()
    assert "Il file non corrisponde a nessun documento emesso." in page


def test_a_register_is_found_by_the_code_printed_on_it(cal: Cal, client_for: Any) -> None:
    session = held(cal)
    page = client_for("observer").post(reverse("sessions:verify"), {"code": f"r{session.pk}-1"}).content.decode()
    assert f"Il codice R{session.pk}-1 corrisponde al registro presenze emesso il" in page


def test_new_figures_issue_a_new_certificate_and_the_old_one_stays_verifiable(cal: Cal, client_for: Any) -> None:
    held(cal, D(2026, 3, 3))
    url = reverse("sessions:certificate", args=[cal.marco.pk]) + "?start=2026-01-01&end=2026-12-31&formato=pdf"
    body(client_for("supervisee").get(url))
    second = cal.one(D(2026, 3, 10))
    take(cal, second, De_Santis=Mark("present"), Rizzo=Mark("present"), Ferrara=Mark("present"))
    second.refresh_from_db()
    confirm_register(second, version=second.version, by=cal.world.supervisor)
    body(client_for("supervisee").get(url))
    old, new = IssuedCertificate.objects.order_by("pk")
    assert (old.attended_minutes, new.attended_minutes) == (120, 240)
    assert old.code != new.code
    page = client_for("observer").post(reverse("sessions:verify"), {"code": old.code}).content.decode()
    assert "corrisponde all'attestato di partecipazione" in page


def test_there_is_no_certificate_for_a_period_without_sessions(cal: Cal, client_for: Any) -> None:
    url = reverse("sessions:certificate", args=[cal.marco.pk]) + "?start=2025-01-01&end=2025-12-31&formato=pdf"
    assert client_for("supervisee").get(url).status_code == 404
    assert not IssuedCertificate.objects.exists()
