"""Journeys in the monitoring: the coordinator reads the partnership's dashboard, changes its filters and opens
the report; the regional observer reads the observatory's aggregates and no name, on a phone too."""

from __future__ import annotations

import pytest

from supervisione.testing.browser import Journey

pytestmark = pytest.mark.e2e

# People of the demo the observer must never read: an AS of Maglie's group, the AS below 80 %, the supervisors.
NAMES = ("Accoto", "Anglano", "Longo", "Russo")


def test_it_shows_the_coordinator_the_late_group_and_the_year_before(journey: Journey) -> None:
    journey.login("coordinatore.poggiardo")
    journey.navigate("Monitoraggio")
    journey.click_link("Supervisione Poggiardo, Maglie e Casarano", step="cruscotto del partenariato")
    journey.expect_text(
        "Gruppo A1 n. 4: 0 di 16 h erogate",
        "in ritardo",
        "Conformità LEPS per gruppo ed équipe",
        "Spesa: contabilità FNPS e maturato per fonte e contratto",
    )
    assert journey.page.locator("canvas[data-chart]").count() == 3, "three charts, each with its table"
    journey.fill("Anno", "2025")
    journey.submit("Mostra", step="anno 2025")
    assert "anno=2025" in journey.page.url, "the address keeps the filters, so the view can be shared"
    journey.expect_text("Nessun gruppo in ritardo o a rischio", "Dal POA 2025 versione 1 (approvato")
    journey.visit("/monitoraggio/partenariati/POGGIARDO-114/?anno=1999&periodo=mai", step="filtri sbagliati")
    journey.expect_text("Alcuni filtri non sono validi", "Gruppo A1 n. 4")
    journey.click_link("Relazione al Coordinamento Istituzionale", step="relazione")
    journey.expect_text("Prossimi passi", "Gruppo A1 n. 4: programmare almeno 16 ore in più")


def test_it_shows_the_observer_aggregates_of_the_region_and_no_name(phone_journey: Journey) -> None:
    journey = phone_journey
    journey.login("osservatore.puglia")
    journey.navigate("Monitoraggio", step="osservatorio")
    journey.expect_text("Osservatorio della supervisione · Puglia", "Conformità per partenariato e ATS", "Copertura")
    journey.expect_no_text(*NAMES)
    journey.visit("/monitoraggio/partenariati/POGGIARDO-114/", step="partenariato visto dall'osservatore")
    journey.expect_text("I nomi delle persone non sono mostrati")
    journey.expect_no_text(*NAMES)
    journey.visit("/monitoraggio/persone/1/", status=404, step="persona nascosta")
