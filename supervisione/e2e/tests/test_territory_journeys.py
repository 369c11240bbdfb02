"""Journeys on the foundation: the coordinator keeps an ATS's data, the outsider and the observer see only
what their role allows, and everything works with the keyboard alone."""

from __future__ import annotations

import re
import time

import pytest

from supervisione.testing.browser import Journey

pytestmark = pytest.mark.e2e


def test_it_lets_the_coordinator_correct_a_partner_ats_pec(journey: Journey) -> None:
    journey.login("coordinatore.poggiardo")
    journey.expect_text("Poggiardo")
    journey.click_link("Partenariati")
    journey.click_link("Supervisione Poggiardo, Maglie e Casarano")
    journey.click_link("Ambito di Maglie")
    journey.click_link("Modifica i dati", step="modifica ATS")
    journey.fill("PEC", "protocollo-senza-chiocciola")
    journey.submit("Salva", step="PEC errata")
    journey.expect_field_error("PEC", "Inserisci un indirizzo email valido")
    pec = f"protocollo.{int(time.time())}@pec.ambitomaglie.example.it"
    journey.fill("PEC", pec)
    journey.submit("Salva", step="PEC corretta")
    journey.expect_text("Dati dell'ATS salvati.", "Storico delle modifiche", pec)
    assert journey.page.get_by_role("status").filter(has_text="Dati dell'ATS salvati.").count() == 1


def test_it_refuses_poggiardo_to_the_treviso_coordinator(phone_journey: Journey) -> None:
    journey = phone_journey
    journey.login("coordinatore.treviso")
    journey.navigate("Anagrafiche", "Ambiti Territoriali Sociali")
    journey.expect_text("VEN_09")
    journey.expect_no_text("Ambito di Maglie", "PUG_MAGLIE")
    for path in ("/ambiti/PUG_MAGLIE/", "/ambiti/PUG_MAGLIE/modifica/", "/partenariati/POGGIARDO-114/"):
        journey.visit(path, status=404, step=f"rifiuto {path}")
        journey.expect_text("Pagina non trovata")
        journey.expect_no_text("Ambito di Maglie", "POGGIARDO-114")


def test_it_shows_the_observer_aggregates_and_no_professional(journey: Journey) -> None:
    # A coordinator registers a freelance supervisor: an organisation that is a person.
    journey.login("coordinatore.poggiardo")
    journey.visit("/organizzazioni/nuova/", step="nuova organizzazione")
    journey.choose("Registrata per conto di", "Supervisione Poggiardo, Maglie e Casarano (POGGIARDO-114)")
    name = f"Studio di supervisione dott.ssa Anna Neri {int(time.time())}"
    journey.fill("Denominazione", name)
    journey.choose("Tipo", "Libero professionista")
    journey.submit("Salva", step="professionista registrato")
    professional_page = journey.page.url.removeprefix(journey.base_url)
    assert re.fullmatch(r"/organizzazioni/\d+/", professional_page), professional_page
    journey.logout()

    journey.login("osservatore.puglia")
    assert journey.page.get_by_role("link", name="Organizzazioni", exact=True).count() == 0
    journey.click_link("Partenariati")
    journey.click_link("Supervisione Poggiardo, Maglie e Casarano", step="partenariato visto dall osservatore")
    journey.expect_text("Ambito di Maglie", "Ambito di Casarano", "Popolazione")
    journey.visit("/organizzazioni/", step="organizzazioni viste dall'osservatore")
    journey.expect_text("Raggio di Sole Onlus")
    journey.expect_no_text(name)
    kinds = journey.page.locator("table tbody td:nth-child(2)").all_inner_texts()
    assert kinds, "the list shows the other organisations"
    assert "Libero professionista" not in kinds
    journey.visit(professional_page, status=404, step="professionista nascosto")


def test_it_can_be_used_with_the_keyboard_alone(journey: Journey) -> None:
    journey.visit("/accedi/", step="accesso da tastiera")
    assert journey.focused()["id"] == "id_username", "the login page starts in the user name field"
    journey.page.keyboard.type("referente.maglie")
    journey.tab_to(lambda element: element["id"] == "id_password")
    journey.page.keyboard.type("demo-supervisione")
    journey.press("Enter", step="entrato con Invio")
    assert journey.page.url == f"{journey.base_url}/", journey.page.url
    skip = journey.tab_to(lambda element: element["tag"] == "a")
    assert skip["text"] == "Vai al contenuto", "the first stop of the keyboard is the skip link"
    journey.tab_to(lambda element: element["tag"] == "button" and element["text"] == "Anagrafiche")
    journey.press("Enter", step="menu Anagrafiche aperto", navigates=False)
    journey.tab_to(lambda element: element["href"] == "/ambiti/")
    journey.press("Enter", step="elenco degli ambiti")
    journey.tab_to(lambda element: element["href"] == "/ambiti/PUG_MAGLIE/")
    journey.press("Enter", step="scheda dell'ambito")
    journey.expect_text("Ambito di Maglie")
