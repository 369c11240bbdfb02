"""Issue 19's "done when": the coordinator of Poggiardo opens a questionnaire wave and invites a social worker by
e-mail; the social worker answers from the e-mail's link on a phone, without logging in; the coordinator sees the
response rate, the results of a unit with enough answers and, for the équipe of Maglie (4 answers per wave in the
demo), "meno di 5 risposte: risultati non mostrati". Every page is checked by axe, for reflow and typography."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest

from supervisione.lib import clock
from supervisione.testing.browser import DemoServer, Journey

pytestmark = pytest.mark.e2e

ADDRESS = "marco.desantis@casarano.example.it"


def open_a_wave_and_invite(coordinator: Journey) -> None:
    today = clock.today()
    coordinator.login("coordinatore.poggiardo")
    coordinator.visit("/benessere/", step="rilevazioni")
    coordinator.page.get_by_text("Nuova rilevazione", exact=True).click()
    coordinator.page.get_by_role("link", name="Rilevazione di").first.wait_for()
    coordinator.visit("/benessere/partenariati/POGGIARDO-114/nuova/", step="nuova rilevazione")
    coordinator.field("Questionario").select_option("cbi-it")
    coordinator.fill("Rilevazione", "0")
    coordinator.fill("Aperta dal", today.isoformat())
    coordinator.fill("Aperta fino al", (today - datetime.timedelta(days=1)).isoformat())
    coordinator.submit("Salva", step="date rovesciate")
    coordinator.expect_text("La rilevazione deve chiudere lo stesso giorno dell'apertura o dopo.")
    coordinator.fill("Aperta fino al", (today + datetime.timedelta(days=14)).isoformat())
    coordinator.submit("Salva", step="rilevazione creata")
    coordinator.expect_text("0 risposte su 0 invitati")

    coordinator.fill("Indirizzi e-mail", "non-un-indirizzo")
    coordinator.submit("Invia gli inviti", step="indirizzo sbagliato")
    coordinator.expect_text("non-un-indirizzo")
    coordinator.fill("Indirizzi e-mail", ADDRESS)
    coordinator.submit("Invia gli inviti", step="inviti inviati")
    coordinator.expect_text("0 risposte su 1 invitato (0 %)")


def answer_on_a_phone(supervisee: Journey, server: DemoServer) -> None:
    link = server.link_to(ADDRESS, "/benessere/questionario/")
    supervisee.visit(urlsplit(link).path, step="questionario sul telefono")
    supervisee.expect_text("Sono conservate senza il tuo nome")
    groups = supervisee.page.locator("form.questionnaire fieldset")
    assert groups.count() >= 19  # the CBI's 19 items (and nothing else is required)
    for index in range(groups.count()):
        options = groups.nth(index).locator("input[type=radio]")
        if options.count():
            groups.nth(index).locator("label").nth(index % options.count()).click()
    supervisee.submit("Invia le risposte", step="risposte inviate")
    supervisee.expect_text("Grazie, le tue risposte sono state registrate")


def see_the_results(coordinator: Journey) -> None:
    coordinator.page.reload()
    coordinator.checkpoint("tasso di risposta")
    coordinator.expect_text("1 risposta su 1 invitato (100 %)")

    coordinator.visit("/benessere/", step="rilevazioni dopo la risposta")
    maglie = coordinator.page.locator("tr", has_text="Équipe multidisciplinare (Ambito di Maglie)")
    maglie.filter(has_text="(chiusa)").first.get_by_role("link").click()
    coordinator.checkpoint("rilevazione dell'équipe di Maglie")
    coordinator.click_link("Risultati dell'unità", step="risultati dell'équipe di Maglie")
    coordinator.expect_text("meno di 5 risposte: risultati non mostrati")
    coordinator.expect_no_text("IC 95 %")  # nothing of this unit is shown

    coordinator.visit("/benessere/", step="rilevazioni")
    group = coordinator.page.locator("tr", has_text="Gruppo A1 n. 1").filter(has_text="Copenhagen")
    group.filter(has_text="(chiusa)").first.get_by_role("link").click()
    coordinator.checkpoint("rilevazione del gruppo 1")
    coordinator.click_link("Risultati dell'unità", step="risultati del gruppo 1")
    coordinator.expect_text("IC 95 %", "Dati dimostrativi: risposte inventate")


def test_a_social_worker_answers_on_a_phone_and_small_units_stay_hidden(
    journey: Journey, another_journey: Callable[..., Journey], demo_server: DemoServer
) -> None:
    open_a_wave_and_invite(journey)
    answer_on_a_phone(another_journey("operatore", phone=True), demo_server)
    see_the_results(journey)
