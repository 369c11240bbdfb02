"""Journeys on each ATS's own POA and its filing on Multifondo: the referent of Maglie reads the ATS's part of the
partnership's plan and records the year's filing; the coordinator of San Severo sends again the POA the Ministry
sent back; the calendar says the year's sessions are provisional; outsiders find nothing."""

from __future__ import annotations

import pytest

from supervisione.lib import clock
from supervisione.testing.browser import Journey

pytestmark = pytest.mark.e2e

TODAY = clock.today()  # the demo's present is the day it was loaded: the same day as the journeys
YEAR = TODAY.year
NOT_FOUND = "Pagina non trovata"


def test_it_shows_the_referent_the_ats_s_poa_and_lets_it_record_the_filing(journey: Journey) -> None:
    journey.login("referente.maglie")
    journey.navigate("Piani annuali")
    journey.click_link(f"POA {YEAR}", step="POA dell'anno del partenariato")
    journey.expect_text("POA di ogni ATS e invio su Multifondo", "POA di Ambito di Maglie")
    journey.expect_no_text("POA di Ambito di Casarano")  # a referent sees its own ATS only
    journey.click_link("POA di Ambito di Maglie", step="POA dell'ATS di Maglie")
    journey.expect_text(
        f"POA {YEAR} di Ambito di Maglie",
        "4 di 14 partecipanti: 28,6 %",
        "Gli incontri dell'anno sono provvisori finché il piano non è approvato: il piano è in bozza",
        "scadenza non ancora fissata dal Ministero",
        "Esporta Excel (Multifondo)",
    )
    ats_poa = journey.page.url.removeprefix(journey.base_url)
    journey.click_link(f"Apri l'invio {YEAR}", step="invio dell'anno su Multifondo")
    filing = journey.page.url.removeprefix(journey.base_url)
    journey.expect_text("Da compilare", "Registra il nuovo stato")
    journey.choose("Nuovo stato", "Compilato")
    journey.submit("Registra", step="modulo compilato")
    journey.expect_text(f"POA {YEAR} di Ambito di Maglie su Multifondo: compilato dal {TODAY:%d/%m/%Y}.")
    journey.choose("Nuovo stato", "Inviato")
    journey.submit("Registra", step="invio senza protocollo")
    journey.expect_field_error("Protocollo dell'invio", "Per registrare l'invio indica il numero di protocollo.")
    journey.fill("Protocollo dell'invio", "MF-PROVA-0001")
    journey.submit("Registra", step="POA inviato")
    journey.expect_text(f"inviato dal {TODAY:%d/%m/%Y}", "MF-PROVA-0001", "Storico delle modifiche")

    # Outsiders: the same addresses do not exist for them.
    journey.logout()
    journey.login("coordinatore.treviso")
    for path in (ats_poa, filing, "/poa/multifondo/partenariato/POGGIARDO-114/"):
        journey.visit(path, status=404, step=f"estraneo su {path}")
        journey.expect_text(NOT_FOUND)


def test_it_lets_the_coordinator_send_again_a_poa_the_ministry_sent_back(journey: Journey) -> None:
    journey.login("coordinatore.sansevero")
    last_year = YEAR - 1
    step = f"POA {last_year} di Ambito di Troia: da rettificare su Multifondo"
    journey.expect_text(step)
    journey.click_link(step, step="passo della home: da rettificare")
    journey.expect_text("Da rettificare", "il Ministero chiede di correggere le ore A3")
    journey.choose("Nuovo stato", "Inviato")
    journey.fill("Nota sul passaggio", "Ore A3 corrette come da rilievi.")
    journey.submit("Registra", step="POA inviato di nuovo")
    journey.expect_text(f"POA {last_year} di Ambito di Troia su Multifondo: inviato dal {TODAY:%d/%m/%Y}.")
    journey.visit("/poa/multifondo/partenariato/SANSEVERO-114/", step="invii del partenariato di San Severo")
    journey.expect_text("Ambito di Troia", "Ambito di Lucera", "Validato", "scadenza 30/11/2023")


def test_it_says_the_year_s_sessions_are_provisional_until_the_poa_is_approved(journey: Journey) -> None:
    journey.login("referente.casarano")
    journey.visit(f"/calendario/ats/PUG_CASARANO/?vista=elenco&giorno={YEAR}-01-01", step="calendario dell'anno")
    journey.expect_text(f"Gli incontri del POA {YEAR} di Supervisione Poggiardo, Maglie e Casarano sono provvisori")
    journey.page.get_by_role("link", name="A1 · Gruppo A1").first.wait_for()
