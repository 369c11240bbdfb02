"""Journeys on the annual plan (POA): the coordinator builds the groups and submits the plan only once it meets
the LEPS minimum; two people editing the same plan at once lose nothing; outsiders find nothing.

The demo's POA of the current year of Poggiardo-Maglie-Casarano is a draft with two shortfalls: group 4 has no
supervisor and the équipe of Maglie has 4 of the 6 hours of A3. The first journey fixes them and submits the plan,
then returns it to draft, so that the demo's draft stays a draft for the other journeys whatever their order.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from supervisione.lib import clock
from supervisione.testing.browser import Journey

if TYPE_CHECKING:
    from playwright.sync_api import Locator

pytestmark = pytest.mark.e2e

YEAR = clock.today().year  # the demo's present is the day it was loaded: the same day as the journeys
POA_OF_THE_YEAR = f"POA {YEAR}"
MAGLIE_EQUIPE = "Équipe multidisciplinare (Ambito di Maglie)"
STALE = "Il piano è stato modificato da un altro utente dopo che hai aperto questa pagina: nulla è stato salvato."
NOT_FOUND = "Pagina non trovata"


def _href(journey: Journey, name: str) -> str:
    """The address of the first link with this accessible name, as a path."""
    href = journey.page.get_by_role("link", name=name, exact=True).first.get_attribute("href")
    assert href, f"no link {name!r} on {journey.page.url}"
    return href.removeprefix(journey.base_url)


def _here(journey: Journey) -> str:
    return journey.page.url.removeprefix(journey.base_url)


def _tick(journey: Journey, checkbox: Locator) -> None:
    """Tick or untick a checkbox as a person does: on its label, which Bootstrap Italia draws as the box."""
    journey.page.locator(f"label[for='{checkbox.get_attribute('id')}']").click()


def _sizes(table: Locator) -> list[str]:
    """How many people each group of a plan table has, top to bottom."""
    return [cell.split()[0] for cell in table.locator("tbody tr td:nth-child(2)").all_inner_texts()]


def _row(journey: Journey, group: str) -> str:
    """The text of a group's row in the plan's tables."""
    row = journey.page.get_by_role("row").filter(has=journey.page.get_by_role("link", name=group, exact=True))
    return " ".join(row.first.inner_text().split())


def _status(journey: Journey) -> str:
    """The plan's state as the callout at the top names it (shown in capitals by the style sheet)."""
    title = journey.page.locator(".callout-title").first.text_content() or ""
    return " ".join(title.split())


def _open_draft(journey: Journey) -> None:
    journey.navigate("Piani annuali")
    journey.click_link(POA_OF_THE_YEAR, step="POA dell'anno in bozza")


def test_it_lets_the_coordinator_build_the_groups_and_submit_the_poa_only_at_the_leps_minimum(
    journey: Journey,
) -> None:
    journey.login("coordinatore.poggiardo")
    _open_draft(journey)
    assert _status(journey) == "Bozza: 2 problemi prima di trasmetterla"
    journey.expect_text(
        "Gruppo A1 n. 4: nessun supervisore assegnato.",
        f"{MAGLIE_EQUIPE}: 4 ore pianificate, il minimo LEPS è 6 (mancano 2 ore).",
    )
    # The split the census suggested: four A1 groups of 14 AS, each ATS kept together where it fits.
    a1_table = journey.page.get_by_role("table", name=re.compile("^Gruppi A1"))
    assert _sizes(a1_table) == ["14", "14", "14", "14"]

    # Membership: an AS of group 4 moves to group 1, which may not go past 15.
    journey.click_link("Partecipanti di Gruppo A1 n. 1", step="partecipanti del gruppo 1")
    journey.expect_text("Al massimo 15 assistenti sociali", "Ora i partecipanti sono 14.")
    from_group_4 = journey.page.get_by_label(re.compile(r"\(ora nel Gruppo A1 n\. 4\)$"))
    moved, also = from_group_4.nth(0), from_group_4.nth(1)
    _tick(journey, moved)
    _tick(journey, also)
    journey.submit("Salva", step="sedici partecipanti")
    journey.expect_text("Un gruppo A1 ha al massimo 15 partecipanti: ne hai scelti 16.")
    summary = journey.page.get_by_role("alert").filter(has_text="ne hai scelti 16")
    assert summary.count() == 1, "the error is not announced (role=alert)"
    # The choices made are kept: take one back and save.
    assert moved.is_checked()
    assert also.is_checked()
    _tick(journey, also)
    journey.submit("Salva", step="quindici partecipanti")
    journey.expect_text("Partecipanti di «Gruppo A1 n. 1» salvati: 15.")
    assert _sizes(a1_table) == ["15", "14", "14", "13"]

    # Group 4: the supervisor (only eligible ones are offered) with her declaration, and the hours.
    journey.click_link("Modifica Gruppo A1 n. 4", step="modifica del gruppo 4")
    journey.choose("Supervisore", "Longo Chiara (Raggio di Sole Onlus)")
    declaration = journey.field("Dichiarazione di assenza di conflitti")
    options = [text for text in declaration.locator("option").all_inner_texts() if text.startswith("Longo Chiara")]
    assert options, "the supervisor's signed declaration is offered"
    declaration.select_option(label=options[0])
    journey.fill("Ore pianificate", "20,5")
    journey.submit("Salva", step="supervisore del gruppo 4")
    journey.expect_text("Gruppo «Gruppo A1 n. 4» salvato.")
    assert _status(journey) == "Bozza: 1 problema prima di trasmetterla"
    journey.expect_no_text("Gruppo A1 n. 4: nessun supervisore assegnato.")
    assert "20,5 (16)" in _row(journey, "Gruppo A1 n. 4")

    # Submitting below the minimum is refused, naming the group and what it lacks; nothing changes.
    journey.submit("Trasmetti il piano", step="trasmissione rifiutata")
    alert = journey.page.get_by_role("alert").filter(has_text="Il piano non si può trasmettere")
    assert alert.inner_text().strip() == (
        "Il piano non si può trasmettere: 1 problema da risolvere. "
        f"{MAGLIE_EQUIPE}: 4 ore pianificate, il minimo LEPS è 6 (mancano 2 ore)."
    )
    assert _status(journey) == "Bozza: 1 problema prima di trasmetterla"

    # The équipe of Maglie back to the minimum, and the plan goes.
    journey.click_link(f"Modifica {MAGLIE_EQUIPE}", step="modifica dell'équipe di Maglie")
    journey.expect_text(f"Minimo LEPS per intero anno {YEAR}: 6 ore.")
    journey.fill("Ore pianificate", "6")
    journey.submit("Salva", step="équipe di Maglie al minimo")
    journey.expect_text(f"Gruppo «{MAGLIE_EQUIPE}» salvato.", "Conforme")
    assert _status(journey) == "Bozza: pronta da trasmettere"
    journey.submit("Trasmetti il piano", step="piano trasmesso")
    journey.expect_text(f"POA {YEAR} trasmesso: ora attende l'approvazione.")
    assert _status(journey) == "Trasmesso, in attesa di approvazione"
    assert journey.page.get_by_role("link", name="Modifica Gruppo A1 n. 4").count() == 0, "a submitted plan is locked"

    # The Ufficio di Piano takes it back to add an extra-LEPS group: a draft again, with every change kept.
    journey.submit("Restituisci in bozza", step="piano restituito in bozza")
    journey.expect_text("Piano restituito in bozza: ora si può modificare.")
    assert _status(journey) == "Bozza: pronta da trasmettere"
    assert "Longo Chiara" in _row(journey, "Gruppo A1 n. 4")
    assert "6 (6)" in _row(journey, MAGLIE_EQUIPE)
    assert _sizes(a1_table) == ["15", "14", "14", "13"]


def test_it_keeps_the_first_save_and_tells_the_second_person_when_two_edit_the_plan_at_once(
    journey: Journey, another_journey: Callable[..., Journey]
) -> None:
    coordinator, administrator = journey, another_journey("amministratore")
    coordinator.login("coordinatore.poggiardo")
    administrator.login("admin")
    for person in (coordinator, administrator):
        _open_draft(person)
        person.click_link("Modifica Gruppo A1 n. 2", step="modifica del gruppo 2")
    assert administrator.field("Ore pianificate").input_value() == "24,0"

    coordinator.fill("Ore pianificate", "26")
    coordinator.fill("Nota", "Due ore in più per l'avvio del nuovo sportello PUA.")
    coordinator.submit("Salva", step="prima modifica salvata")
    coordinator.expect_text("Gruppo «Gruppo A1 n. 2» salvato.")

    # The administrator's form was built on the plan as it was: the save is refused, and says why.
    administrator.fill("Ore pianificate", "30")
    administrator.submit("Salva", step="seconda modifica rifiutata")
    administrator.expect_text(STALE, "Ricarica la pagina per vedere la versione attuale e ripeti la modifica.")
    assert administrator.page.get_by_role("alert").filter(has_text=STALE).count() == 1, "the refusal is not announced"
    assert administrator.field("Ore pianificate").input_value() == "30", "what the second person typed is still there"

    # Nothing of the first save is lost.
    _open_draft(administrator)
    assert "26 (16)" in _row(administrator, "Gruppo A1 n. 2")
    administrator.click_link("Modifica Gruppo A1 n. 2", step="modifica ripresa dalla versione attuale")
    assert administrator.field("Ore pianificate").input_value() == "26,0"
    assert administrator.field("Nota").input_value() == "Due ore in più per l'avvio del nuovo sportello PUA."

    # Repeated on the current version, the second change goes through on top of the first.
    administrator.fill("Ore pianificate", "30")
    administrator.submit("Salva", step="seconda modifica salvata")
    administrator.expect_text("Gruppo «Gruppo A1 n. 2» salvato.")
    administrator.click_link("Gruppo A1 n. 2", step="gruppo 2 dopo le due modifiche")
    administrator.expect_text("30 (minimo LEPS 16)", "Due ore in più per l'avvio del nuovo sportello PUA.")
    history = administrator.page.get_by_role("table").filter(has_text="Chi").last.inner_text()
    assert "admin" in history, history
    assert "coordinatore.poggiardo" in history, history


def test_it_answers_not_found_to_outsiders_on_plans_calendars_and_registers(journey: Journey) -> None:
    # The addresses, as the people entitled to them reach them.
    journey.login("coordinatore.poggiardo")
    _open_draft(journey)
    poggiardo_plan = _here(journey)
    poggiardo_pages = [
        poggiardo_plan,
        _href(journey, "Gruppo A1 n. 1"),
        _href(journey, "Modifica Gruppo A1 n. 1"),
        _href(journey, "Partecipanti di Gruppo A1 n. 1"),
        "/poa/fnps/POGGIARDO-114/",
        "/calendario/partenariato/POGGIARDO-114/",
        "/calendario/ats/PUG_MAGLIE/",
    ]
    journey.navigate("Calendario")
    journey.click_link("Gruppo A1 n. 1", step="calendario del gruppo 1")
    group_calendar = _here(journey)
    journey.click_link("Elenco", step="incontri del gruppo 1")
    journey.page.get_by_role("link", name=re.compile(r"^A1 · Gruppo A1 n\. 1")).first.click()
    journey.checkpoint("un incontro del gruppo 1")
    session = _here(journey)
    assert re.fullmatch(r"/incontri/\d+/", session), session
    session_pages = [session, f"{session}registro/", f"{session}codice/", group_calendar]
    journey.logout()

    # The coordinator of San Severo, another Puglia partnership, starts the year's POA from its census.
    journey.login("coordinatore.sansevero")
    journey.navigate("Piani annuali")
    journey.click_link("Nuovo piano dal censimento", step="nuovo POA di San Severo")
    journey.choose(
        "Partenariato o ATS", "Supervisione Alto Tavoliere, Lucera, San Marco in Lamis e Troia (SANSEVERO-114)"
    )
    journey.fill("Anno", str(YEAR))
    journey.submit("Salva", step="POA di San Severo creato")
    journey.expect_text(f"POA {YEAR} creato dal censimento", "Gruppo A1 n. 1")
    sansevero_pages = [
        _here(journey),
        _href(journey, "Gruppo A1 n. 1"),
        _href(journey, "Modifica Gruppo A1 n. 1"),
        "/calendario/partenariato/SANSEVERO-114/",
        "/calendario/ats/PUG_SANSEVERO/",
    ]
    journey.navigate("Calendario")
    sansevero_pages.append(_href(journey, "Gruppo A1 n. 1"))
    journey.logout()

    # A supervisee of Casarano (Poggiardo's partnership) sees their own calendar, and nothing of San Severo
    # nor the registers of a group they are not in.
    journey.login("operatore.demo")
    journey.navigate("Calendario")
    own_pages = [_href(journey, "Il tuo calendario"), _href(journey, "Attestato di partecipazione")]
    for path in (*sansevero_pages, *session_pages[:3]):
        journey.visit(path, status=404, step=f"operatore rifiutato {path}")
        journey.expect_text(NOT_FOUND)
        journey.expect_no_text("Alto Tavoliere", "Gruppo A1 n. 1", "Registro presenze")
    journey.logout()

    # The coordinator of Treviso finds nothing of Puglia: plans, groups, calendars, sessions, registers, people.
    journey.login("coordinatore.treviso")
    for path in (*poggiardo_pages, *session_pages, *own_pages, *sansevero_pages):
        journey.visit(path, status=404, step=f"Treviso rifiutato {path}")
        journey.expect_text(NOT_FOUND)
        journey.expect_no_text("Poggiardo", "Alto Tavoliere", "Gruppo A1", "De Santis")
    journey.navigate("Piani annuali")
    journey.expect_no_text(POA_OF_THE_YEAR)
