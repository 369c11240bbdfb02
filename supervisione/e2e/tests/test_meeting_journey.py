"""The coordinator of San Severo convenes a coordination meeting on Teams, sends the convocation, writes the
minutes with who attended, a summary and a decision, asks an ATS for something by a deadline, and approves the
minutes, which then lock; every page is checked by axe."""

from __future__ import annotations

import datetime

import pytest

from supervisione.lib import clock
from supervisione.testing.browser import Journey

pytestmark = pytest.mark.e2e

PARTNERSHIP = "Supervisione Alto Tavoliere, Lucera, San Marco in Lamis e Troia"
TEAMS = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_percorso"


def test_it_takes_a_meeting_from_convocation_to_approved_minutes(journey: Journey) -> None:
    day = clock.today() + datetime.timedelta(days=10)
    deadline = day + datetime.timedelta(days=20)
    journey.page.on("dialog", lambda dialog: dialog.accept())  # the confirmations of send, approve
    journey.login("coordinatore.sansevero")
    journey.click_link("Riunioni")
    journey.page.get_by_text("Nuova riunione", exact=True).click()
    journey.click_link(f"Riunione di {PARTNERSHIP}", step="nuova riunione")

    journey.fill("Titolo", "Coordinamento sul servizio di supervisione")
    journey.fill("Data", day.isoformat())
    journey.fill("Ora di inizio", "09:00")
    journey.fill("Ora di fine", "11:00")
    journey.choose("Modalità", "da remoto")
    journey.fill("Organo che convoca", "Il Coordinamento Istituzionale dell'Ambito Alto Tavoliere")
    journey.fill("Ordine del giorno", "Designazione dei referenti\nCo-finanziamento con la quota FNPS")
    journey.fill("Firmatari", "Il Presidente del Coordinamento Istituzionale | Vittorio Sereno")
    journey.submit("Salva", step="riunione senza link")
    journey.expect_text("link")  # a remote meeting needs its link: refused, nothing saved
    journey.fill("Link della videochiamata", TEAMS)
    journey.submit("Salva", step="riunione salvata")
    journey.expect_text("Riunione salvata.", "Coordinamento sul servizio di supervisione", day.strftime("%d/%m/%Y"))

    journey.click_link("Aggiungi un invitato")
    journey.fill("Nome e cognome", "Rosa Gentile")
    journey.fill("Ruolo", "Responsabile dell'Ufficio di Piano")
    journey.choose("ATS", "Ambito di Troia (PUG_TROIA)")
    journey.fill("E-mail", "udp.troia@example.it")
    journey.submit("Aggiungi", step="invitato aggiunto")
    journey.expect_text("Rosa Gentile")

    journey.submit("Invia la convocazione", step="convocazione inviata")
    journey.expect_text("convocata", "udp.troia@example.it", "convocazione.pdf, invito.ics")

    journey.click_link("Scrivi il verbale", step="verbale")
    journey.page.locator("label", has_text="Rosa Gentile (Ambito di Troia)").click()
    journey.fill("Punto 1: Designazione dei referenti", "Troia designerà il referente entro tre settimane.")
    journey.submit("Salva", step="verbale salvato")
    journey.expect_text("Verbale salvato.", "Troia designerà il referente")

    journey.click_link("Aggiungi una decisione", step="decisione")
    journey.fill("Decisione", "Troia trasmette l'Allegato 1 entro la scadenza indicata.")
    journey.submit("Salva", step="decisione registrata")
    journey.expect_text("Decisione registrata.")

    journey.click_link("Nuova richiesta", step="nuova richiesta")
    journey.fill("Richiesta", "Designare il referente (Allegato 1)")
    journey.fill("Quando è fatta", "Arriva l'Allegato 1 firmato con l'atto di designazione.")
    journey.choose("ATS a cui è chiesta", "Ambito di Troia (PUG_TROIA)")
    journey.fill("Scadenza", deadline.isoformat())
    journey.submit("Salva", step="richiesta salvata")
    journey.expect_text("Richiesta salvata.", "Ambito di Troia", deadline.strftime("%d/%m/%Y"))
    journey.click_link("Coordinamento sul servizio di supervisione", exact=False, step="ritorno alla riunione")

    journey.submit("Approva il verbale", step="verbale approvato")
    journey.expect_text("Verbale approvato: da ora non si può più modificare.", "Verbale (approvato il")
    journey.expect_no_text("Modifica il verbale", "Aggiungi una decisione")
    journey.visit("/riunioni/richieste/", step="elenco delle richieste")
    journey.expect_text("Designare il referente (Allegato 1)", "Ambito di Troia")
