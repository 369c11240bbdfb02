"""Journeys of the attendance register: the supervisor takes it on a phone and confirms it, the final register
is downloaded and verified; the same with the keyboard alone; two tabs saving the same register; the
supervisee checks in with the code shown by the supervisor and downloads the participation certificate.

The demo gives each journey its own session, so that they do not depend on each other's order: the week's
open registers (group 3's recovery meeting on the last Tuesday, two individual hours on the last Wednesday), and
the session of Marco De Santis's group that the demo places around the time it is loaded
(``supervisione/demo/sessions.py``). The demo was loaded today, as the journeys run: their dates follow.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator
from pypdf import PdfReader

from supervisione.demo.sessions import a1_days, recent_a2_day, recovery_day
from supervisione.lib import clock
from supervisione.testing.browser import Journey

pytestmark = pytest.mark.e2e

TODAY = clock.today()
WEEKDAYS = ("Lun", "Mar", "Mer", "Gio", "Ven", "Sab", "Dom")
RECOVERY = recovery_day(TODAY)
INDIVIDUAL = recent_a2_day(TODAY)


def when(day: datetime.date, start: str, end: str) -> str:
    """A session as the register links name it, e.g. "Mar 17/11 14:30-16:30"."""
    return f"{WEEKDAYS[day.weekday()]} {day:%d/%m} {start}-{end}"


def next_meeting(number: int) -> datetime.date:
    """The next regular meeting of an A1 group after today (the calendar is booked ten weeks ahead)."""
    return min(
        day
        for year in (TODAY.year, TODAY.year + 1)
        for day, cancelled, _moved in a1_days(number, year, range(1, 13))
        if day > TODAY and not cancelled
    )


def row(journey: Journey, person: str) -> Locator:
    """A participant's line of the register: a group of choices named after the person."""
    return journey.page.get_by_role("group", name=re.compile(rf"^{re.escape(person)}"))


def mark(journey: Journey, person: str, choice: str, minutes: str = "") -> None:
    """Tap a choice of the person's line (its label: the radio button itself is drawn by its label)."""
    line = row(journey, person)
    line.locator("label", has_text=re.compile(rf"^{re.escape(choice)}$")).click()
    assert line.get_by_label(choice, exact=True).is_checked(), f"{person}: {choice} is not chosen"
    if minutes:
        line.get_by_label("Minuti, se in parte").fill(minutes)


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-"), content[:40]
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def download(journey: Journey, link: str) -> tuple[bytes, str]:
    """Follow a link that answers with a file: its content and its file name."""
    with journey.page.expect_download() as info:
        journey.page.get_by_role("link", name=link).click()
    file = info.value
    return Path(file.path()).read_bytes(), file.suggested_filename


def test_it_lets_the_supervisor_take_confirm_and_verify_a_register_on_a_phone(
    phone_journey: Journey, tmp_path: Path
) -> None:
    journey = phone_journey
    journey.login("supervisore.demo")
    journey.click_link("registri presenze da confermare", exact=False, step="cosa fare adesso")
    recovery = when(RECOVERY, "14:30", "16:30")
    journey.click_link(f"{recovery} · Gruppo A1 n. 3", step="registro dell'incontro di recupero")
    journey.expect_text("Registro presenze", f"Gruppo A1 n. 3 · {recovery}")

    mark(journey, "Accoto Valentina", "Presente")
    mark(journey, "Bleve Silvia", "Assente giustificato")
    mark(journey, "Bruno Marta", "In parte")  # the minutes are forgotten
    journey.submit("Salva e conferma", step="minuti dimenticati")
    minutes = row(journey, "Bruno Marta").get_by_label("Minuti, se in parte")
    assert minutes.get_attribute("aria-invalid") == "true"
    error = journey.page.locator(f"#{minutes.get_attribute('aria-describedby')}").inner_text()
    assert "Per la presenza parziale di Bruno Marta indica i minuti (da 1 a 119)" in error
    summary = journey.page.get_by_role("alert")
    assert "Non è stato salvato nulla" in summary.inner_text()
    assert summary.get_by_role("link").get_attribute("href") == f"#{minutes.get_attribute('id')}"
    assert row(journey, "Bleve Silvia").get_by_label("Assente giustificato").is_checked(), "the marks stay"

    minutes.fill("75")
    journey.submit("Salva e conferma", step="riepilogo prima della conferma")
    journey.expect_text("Presenze salvate", "Conferma il registro", "Bruno Marta", "Presente in parte (75 min)")
    journey.submit("Conferma il registro", step="registro confermato")
    journey.expect_text("Registro confermato: le ore dell'incontro contano come erogate.", "Confermato il")

    content, name = download(journey, "Registro presenze, versione 1")
    assert name.endswith("-v1.pdf"), name
    text = pdf_text(content)
    day = f"{RECOVERY:%d/%m/%Y}"
    for expected in ("Registro presenze", day, "Bleve Silvia", "Assente giustificato", "Bruno Marta", "75"):
        assert expected in text, f"{expected!r} is not in the final register"
    register = tmp_path / name
    register.write_bytes(content)

    # The register is locked: a change now needs a reason, and without one nothing is saved.
    journey.click_link("Correggi il registro", step="registro confermato, da correggere")
    journey.expect_text("Ogni modifica richiede un motivo, resta nello storico")
    mark(journey, "Accoto Valentina", "Assente")
    journey.submit("Salva le presenze", step="correzione senza motivo")
    journey.expect_field_error(
        "Motivo della modifica", "Il registro è già confermato: indica il motivo della modifica."
    )

    # Whoever receives the PDF checks it against the register on record.
    journey.visit("/incontri/verifica/", step="verifica di un registro")
    journey.field("Registro o attestato in PDF da verificare").set_input_files(register)
    journey.submit("Verifica", step="registro verificato")
    journey.expect_text("Il file corrisponde al registro presenze emesso il", "(versione 1)", "È la versione in vigore")
    altered = tmp_path / "registro-ritoccato.pdf"
    altered.write_bytes(content.replace(b"%%EOF", b"%%EOF\n% ritoccato", 1))
    journey.field("Registro o attestato in PDF da verificare").set_input_files(altered)
    journey.submit("Verifica", step="registro ritoccato")
    journey.expect_text("Il file non corrisponde a nessun documento emesso.")


def is_choice(value: str) -> Callable[[dict[str, Any]], bool]:
    """The radio button of a mark (``focused()`` gives an input's value as its text)."""
    return lambda element: (
        element["tag"] == "input" and element["id"].startswith("id_status_") and (element["text"] == value)
    )


def test_it_lets_the_supervisor_complete_a_register_with_the_keyboard_alone(journey: Journey) -> None:
    journey.visit("/accedi/", step="accesso da tastiera")
    journey.page.keyboard.type("supervisore.demo")
    journey.tab_to(lambda element: element["id"] == "id_password")
    journey.page.keyboard.type("demo-supervisione")
    journey.press("Enter", step="entrata con Invio")
    journey.tab_to(lambda element: element["text"].endswith("registri presenze da confermare"))
    journey.press("Enter", step="oggi")
    link = f"{when(INDIVIDUAL, '14:30', '15:30')} · A2 · Orlando Davide"
    journey.tab_to(lambda element: element["text"].startswith(link))
    journey.press("Enter", step="registro individuale")
    journey.expect_text("Registro presenze", "Individuale · Orlando Davide")

    # Tab enters the line on its chosen mark; the arrows move the choice, as in any group of radio buttons.
    journey.tab_to(is_choice("present"))
    journey.press("ArrowRight", step="in parte", navigates=False)
    chosen = journey.focused()
    assert chosen["text"] == "partial", chosen
    assert chosen["visible"], f"the focus on the choice cannot be seen: {chosen}"
    assert chosen["on_label"], "the radio button is drawn by its label, which must show the focus"
    journey.page.keyboard.press("Tab")
    assert journey.focused()["id"].startswith("id_minutes_"), journey.focused()
    journey.page.keyboard.type("40")
    journey.page.keyboard.press("Shift+Tab")  # back to the choice, to check it, then forward again
    assert journey.focused()["text"] == "partial"
    journey.tab_to(lambda element: element["tag"] == "button" and element["text"] == "Salva e conferma")
    journey.press("Enter", step="riepilogo")
    journey.expect_text("Orlando Davide", "Presente in parte (40 min)")
    journey.tab_to(lambda element: element["tag"] == "button" and element["text"] == "Conferma il registro")
    journey.press("Space", step="registro confermato")
    journey.expect_text("Registro confermato: le ore dell'incontro contano come erogate.")


def test_it_keeps_both_saves_apart_when_two_tabs_edit_the_same_register(
    journey: Journey, another_journey: Callable[..., Journey]
) -> None:
    first = journey
    second = another_journey("seconda-scheda")
    for tab in (first, second):
        tab.login("supervisore.demo")
        tab.visit("/incontri/oggi/", step="oggi")
        tab.click_link(f"{when(INDIVIDUAL, '15:30', '16:30')} · A2 · Quarta Serena", step="registro aperto")

    mark(first, "Quarta Serena", "Assente giustificato")
    first.submit("Salva le presenze", step="salvato per primo")
    first.expect_text("Presenze salvate (1 modificata).")

    mark(second, "Quarta Serena", "In parte", minutes="30")
    second.submit("Salva le presenze", step="salvato per secondo")
    second.expect_text(
        "Nel frattempo qualcun altro ha salvato questo registro: le tue modifiche non sono state salvate",
        "Avevi indicato:",
        "Quarta Serena: in parte, 30 minuti",
    )
    assert second.page.get_by_role("alert").count() == 1
    # What the first tab saved is there, and nothing was overwritten.
    assert row(second, "Quarta Serena").get_by_label("Assente giustificato").is_checked()
    # The second tab enters its mark again, now on the current register.
    mark(second, "Quarta Serena", "In parte", minutes="30")
    second.submit("Salva le presenze", step="salvato di nuovo")
    second.expect_text("Presenze salvate (1 modificata).")

    # The first tab, still on its old page, is told in turn; reloaded, it shows the second save.
    mark(first, "Quarta Serena", "Presente")
    first.submit("Salva le presenze", step="il primo salva di nuovo")
    first.expect_text("Nel frattempo qualcun altro ha salvato questo registro", "Quarta Serena: presente")
    assert row(first, "Quarta Serena").get_by_label("In parte", exact=True).is_checked()
    assert row(first, "Quarta Serena").get_by_label("Minuti, se in parte").input_value() == "30"


def test_it_lets_the_supervisee_check_in_with_the_code_and_download_the_certificate(
    journey: Journey, another_journey: Callable[..., Journey]
) -> None:
    supervisor = journey
    supervisor.login("supervisore.demo")
    supervisor.click_link("Oggi hai", exact=False, step="oggi")
    session = supervisor.page.locator(".today-card").filter(has_text="In corso").filter(has_text="Gruppo A1 n. 3")
    assert session.count() == 1, "the demo has a session of group 3 going on (supervisione/demo/sessions.py)"
    with supervisor.page.expect_navigation():
        session.get_by_role("link", name="Codice").click()
    supervisor.checkpoint("codice da mostrare")
    supervisor.expect_text("Registra la tua presenza", "Valido fino alla fine dell'incontro")
    assert supervisor.page.get_by_role("img", name=re.compile("^Codice QR")).count() == 1
    code = supervisor.page.locator(".checkin-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{6}", code), code

    marco = another_journey("supervisionato", phone=True)
    marco.login("operatore.demo")
    marco.click_link("Incontro in corso", exact=False, step="incontro in corso")
    marco.click_link("Registra la tua presenza", step="registrazione della presenza")
    marco.fill("Codice dell'incontro", "ZZZZZZ")
    marco.submit("Registra la presenza", step="codice sbagliato")
    marco.expect_field_error("Codice dell'incontro", "Il codice non corrisponde a nessun tuo incontro di oggi")
    marco.fill("Codice dell'incontro", f"{code[:3].lower()} {code[3:].lower()}")  # as read aloud and typed
    marco.submit("Registra la presenza", step="presenza registrata")
    marco.expect_text("Presenza registrata alle", "Hai registrato la tua presenza con il codice alle")
    marco.expect_no_text("Registra la tua presenza")

    # The supervisor sees the check-in in the register, records the others and confirms.
    supervisor.click_link("Torna al registro", step="registro con la presenza")
    marco_row = row(supervisor, "De Santis Marco")
    assert "codice alle" in marco_row.inner_text()
    assert marco_row.get_by_label("Presente", exact=True).is_checked()
    names = [
        name
        for name in supervisor.page.locator(".register-name").all_inner_texts()
        if not name.startswith("De Santis Marco")
    ]
    for name in names:
        mark(supervisor, name, "Presente")
    supervisor.submit("Salva e conferma", step="riepilogo")
    early = supervisor.page.get_by_label("L'incontro è già finito: confermo le presenze così come sono")
    if early.count():  # today's session may not be over yet: the supervisor is warned and says so explicitly
        supervisor.expect_text("Se confermi ora, chi è segnato presente riceve le ore dell'intero incontro")
        supervisor.page.locator("label[for=id_early]").click()  # Bootstrap Italia draws the box on its label
        assert early.is_checked()
    supervisor.submit("Conferma il registro", step="registro confermato")
    supervisor.expect_text("Registro confermato: le ore dell'incontro contano come erogate.")

    marco.visit("/", step="home dopo l'incontro")
    marco.click_link("Attestato di partecipazione disponibile", step="attestato")
    marco.expect_text("Attestato di partecipazione: Marco De Santis", "Ore frequentate")
    content, name = download(marco, "Scarica l'attestato (PDF)")
    assert name.startswith("attestato-de-santis-"), name
    text = " ".join(pdf_text(content).split())
    assert "Attestato di partecipazione alla supervisione professionale" in text, text[:500]
    assert "Si attesta che Marco De Santis" in text, text[:500]
    # Served as a PDF to be saved, to its owner only.
    link = marco.page.get_by_role("link", name="Scarica l'attestato (PDF)").get_attribute("href")
    answer = marco.page.request.get(marco.page.url.split("?")[0] + (link or ""))
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"].startswith("attachment")
    assert answer.body() == content
    supervisor_answer = supervisor.page.request.get(marco.page.url.split("?")[0] + (link or ""))
    assert supervisor_answer.status in (403, 404), "a supervisor does not download a supervisee's certificate"


def calendar_tour(journey: Journey) -> None:
    """Every page of the calendar that the journeys above do not reach, read (or sent back with errors) by
    the coordinator and the supervisor: nothing is written."""
    journey.login("coordinatore.poggiardo")
    journey.navigate("Calendario", step="calendario")
    for view in ("mese", "settimana", "elenco"):
        journey.visit(f"/calendario/partenariato/POGGIARDO-114/?vista={view}&giorno={RECOVERY}")
    journey.visit(f"/calendario/ats/PUG_CASARANO/?vista=settimana&giorno={RECOVERY}", step="calendario dell'ATS")
    journey.visit("/calendario/", step="calendario")
    journey.click_link("Prenota per Gruppo A1 n. 3", step="nuovo incontro")
    journey.submit("Prenota", step="nuovo incontro senza dati")
    journey.expect_field_error("Data", "obbligatorio")
    journey.visit(f"/calendario/partenariato/POGGIARDO-114/?vista=elenco&giorno={next_meeting(3)}", step="elenco")
    journey.click_link("A1 · Gruppo A1 n. 3", step="incontro in programma")
    journey.click_link("Gruppo A1 n. 3", step="calendario del gruppo")
    journey.page.go_back()
    journey.click_link("Sposta", step="spostamento")
    journey.submit("Sposta", step="spostamento senza motivo")
    journey.expect_field_error("Motivo dello spostamento", "obbligatorio")
    journey.page.go_back()
    journey.page.go_back()
    journey.click_link("Annulla", step="annullamento")
    journey.visit("/calendario/abbonamento/", step="abbonamento al calendario")
    journey.visit("/incontri/verifica/", step="verifica")
    journey.submit("Verifica", step="verifica senza file")
    journey.expect_text("Carica il PDF del documento, oppure incolla la sua impronta o il codice di verifica.")
    journey.logout()

    journey.login("supervisore.demo")
    journey.visit("/incontri/oggi/", step="oggi")
    journey.click_link("Calendario", step="calendario della supervisora")
    journey.visit("/incontri/oggi/", step="oggi")
    journey.click_link("Foglio ore del mese", step="foglio ore")
    journey.visit("/calendario/abbonamento/", step="abbonamento al calendario")


def test_it_keeps_every_calendar_page_accessible_on_a_computer(journey: Journey) -> None:
    calendar_tour(journey)


def test_it_keeps_every_calendar_page_accessible_on_a_phone(phone_journey: Journey) -> None:
    calendar_tour(phone_journey)
