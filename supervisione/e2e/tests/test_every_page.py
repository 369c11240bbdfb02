"""Every page of the foundation, as the administrator who may open them all, on a computer and on a phone:
the net under the persona journeys, so that no page escapes the accessibility checks."""

from __future__ import annotations

import pytest

from supervisione.lib import clock
from supervisione.testing.browser import Journey

pytestmark = pytest.mark.e2e

PAGES = [
    "/",
    "/profilo/",
    "/profilo/password/",
    "/profilo/verifica-in-due-passaggi/",
    "/utenti/",
    "/utenti/nuovo/",
    "/regioni/",
    "/regioni/nuova/",
    "/regioni/16/",
    "/regioni/16/modifica/",
    "/comuni/",
    "/comuni/?q=Casarano",
    "/comuni/nuovo/",
    "/comuni/075016/",
    "/comuni/075016/modifica/",
    "/comuni/075016/popolazione/",
    "/ambiti/",
    "/ambiti/nuovo/",
    "/ambiti/PUG_CASARANO/",
    "/ambiti/PUG_CASARANO/?al=2022-01-01",
    "/ambiti/PUG_CASARANO/modifica/",
    "/ambiti/PUG_CASARANO/comuni/aggiungi/",
    "/ambiti/PUG_CASARANO/popolazione/",
    "/inviti/ats/PUG_CASARANO/referente/",
    "/inviti/partenariati/POGGIARDO-114/coordinatore/",
    "/partenariati/",
    "/partenariati/nuovo/",
    "/partenariati/POGGIARDO-114/",
    "/partenariati/POGGIARDO-114/modifica/",
    "/partenariati/POGGIARDO-114/ats/aggiungi/",
    "/partenariati/POGGIARDO-114/accordi/",
    "/partenariati/POGGIARDO-114/accordi/nuovo/",
    "/organizzazioni/",
    "/organizzazioni/nuova/",
    "/regole-leps/",
    "/regole-leps/nuove/",
    "/supervisori/",
    "/supervisori/nuovo/",
    "/contratti/",
    "/contratti/nuovo/",
    "/censimento/",
    "/censimento/partenariati/POGGIARDO-114/rapporto/",
    "/censimento/ambiti/PUG_CASARANO/rapporto/",
    "/censimento/partenariati/POGGIARDO-114/campagna/",
    "/censimento/partenariati/POGGIARDO-114/referenti/",
    "/poa/",
    "/poa/nuovo/",
    "/poa/fnps/POGGIARDO-114/",
    "/poa/fnps/SANSEVERO-114/",
    "/ambiti/PUG_CASARANO/fondi/",
    "/ambiti/PUG_CASARANO/fondi/stanziamenti/nuovo/",
    "/ambiti/PUG_CASARANO/fondi/importa/",
    "/poa/multifondo/partenariato/POGGIARDO-114/",
    "/poa/multifondo/PUG_CASARANO/2024/",
    "/poa/multifondo/PUG_CASARANO/2024/modifica/",
    "/monitoraggio/",
    "/monitoraggio/osservatorio/",
    "/monitoraggio/avvisi/",
    "/monitoraggio/partenariati/POGGIARDO-114/?anno=2025",
    "/monitoraggio/partenariati/POGGIARDO-114/relazione/?periodo=s2",
    "/monitoraggio/partenariati/POGGIARDO-114/pacchetto-pnrr/",
    "/partenariati/POGGIARDO-114/pnrr/J81H22000130006/relazione-finale/",
    "/monitoraggio/ats/PUG_CASARANO/?tipo=A3",
]


def tour(journey: Journey) -> None:
    journey.login("admin")
    for path in PAGES:
        journey.visit(path)
    # Pages reached by their links, whose addresses hold database keys.
    journey.visit("/utenti/?q=referente.maglie", step="ricerca utente")
    journey.click_link("referente.maglie", step="scheda utente")
    journey.visit("/organizzazioni/?q=Raggio", step="ricerca organizzazione")
    journey.click_link("Raggio di Sole Onlus", step="scheda organizzazione")
    journey.click_link("Modifica", exact=False, step="modifica organizzazione")
    journey.visit("/supervisori/", step="registro dei supervisori")
    journey.click_link("Longo", exact=False, step="scheda supervisore")
    journey.visit("/contratti/", step="contratti")
    journey.click_link(
        "Supervisione professionale degli assistenti sociali di Poggiardo", exact=False, step="contratto"
    )
    journey.visit("/censimento/", step="censimento")
    journey.click_link("Ricognizione del personale 2024 (Allegato 2)", exact=False, step="campagna")
    journey.click_link("Ambito di Casarano", exact=False, step="censimento di Casarano")
    journey.visit("/censimento/", step="censimento")
    journey.click_link("Designazione dei referenti (Allegato 1)", exact=False, step="richiesta dei referenti")
    journey.visit("/poa/", step="piani annuali")
    journey.click_link(f"POA {clock.today().year}", step="POA dell'anno in bozza")
    journey.click_link("Gruppo A1 n. 4", step="gruppo del piano")
    journey.click_link("Modifica", step="modifica del gruppo")
    journey.visit("/poa/", step="piani annuali")
    journey.click_link(f"POA {clock.today().year}", step="POA dell'anno in bozza")
    journey.click_link("Partecipanti di Gruppo A1 n. 1", step="partecipanti del gruppo")
    journey.visit("/poa/", step="piani annuali")
    journey.click_link(f"POA {clock.today().year}", step="POA dell'anno in bozza")
    journey.click_link("Aggiungi gruppo extra-LEPS", step="nuovo gruppo extra-LEPS")
    journey.visit("/poa/", step="piani annuali")
    journey.click_link("POA 2025", step="POA 2025 approvato")
    journey.visit("/monitoraggio/partenariati/POGGIARDO-114/", step="monitoraggio del partenariato")
    journey.click_link("Gruppo A1 n. 4", exact=False, step="monitoraggio del gruppo in ritardo")
    journey.visit("/monitoraggio/partenariati/POGGIARDO-114/?anno=2025", step="monitoraggio 2025")
    journey.click_link("Sposta ore A2 non usate", step="monte ore A2")
    # A report prepared by the worker: the job's page once the file is ready (the waiting page reloads itself).
    journey.visit("/monitoraggio/partenariati/POGGIARDO-114/relazione/", step="relazione")
    with journey.page.expect_navigation():
        journey.page.get_by_role("button", name="Prepara il documento PDF").click()
    journey.page.locator("#avanzamento").wait_for(state="detached", timeout=60_000)
    journey.page.wait_for_load_state()
    journey.checkpoint("relazione pronta da scaricare")
    journey.visit("/ambiti/PUG_CASARANO/fondi/", step="fondi FNPS dell'ATS")
    journey.click_link("Registra un impegno sullo stanziamento 2023-2024", step="nuovo impegno")
    journey.visit("/ambiti/PUG_CASARANO/fondi/", step="fondi FNPS dell'ATS")
    journey.click_link("Liquida Impegno n. 112/", exact=False, step="nuova liquidazione")
    journey.visit("/ambiti/PUG_CASARANO/fondi/", step="fondi FNPS dell'ATS")
    journey.click_link("Modifica lo stanziamento 2023-2024", step="modifica dello stanziamento")
    journey.visit("/ambiti/PUG_CASARANO/", step="ambito")
    journey.click_link("Chiudi appartenenza di Casarano", step="chiusura appartenenza")
    journey.visit("/pagina-che-non-esiste/", status=404, step="pagina non trovata")


def test_it_keeps_every_page_accessible_on_a_computer(journey: Journey) -> None:
    tour(journey)


def test_it_keeps_every_page_accessible_on_a_phone(phone_journey: Journey) -> None:
    tour(phone_journey)
