"""The FNPS page of a partnership (moved from planning with the quotas): the allocations of its ATS and the
co-financing what-if, for everyone who sees the partnership; an allocation of several years simulated a year at
a time."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse

from supervisione.census.tests import factories as census_factories
from supervisione.funding.models import FnpsAllocation
from supervisione.planning.tests import factories
from supervisione.testing.world import PERSONAS, World

D = Decimal
URL = reverse("funding:fnps", args=["POGGIARDO-114"])


def test_it_answers_everyone_who_sees_the_partnership(world: World, client_for: Any) -> None:
    FnpsAllocation.objects.create(
        ambito=world.maglie, first_year=2023, last_year=2023, amount=D(1000), decree_number="A.D. n. 9/2023"
    )
    answers = {name: client_for(name).get(URL) for name, _role, _where in PERSONAS}
    assert {name: response.status_code for name, response in answers.items()} == {
        "admin": 200,
        "coordinator": 200,
        "referent": 200,
        "supervisor": 200,
        "supervisee": 200,
        "observer": 200,
        "national_observer": 200,
        "outsider": 404,
        "nobody": 404,
    }
    # The act, to those who keep or follow the ATS's ledger.
    for name in ("admin", "coordinator", "referent"):
        assert "A.D. n. 9/2023" in answers[name].content.decode(), name
    for name in ("supervisor", "supervisee", "observer"):
        html = answers[name].content.decode()
        assert "A.D. n. 9/2023" not in html, name
        assert "1.000,00 €" in html, name
    assert reverse("funding:ambito_funds", args=["PUG_MAGLIE"]) in answers["referent"].content.decode()


def test_it_simulates_the_san_severo_cofinancing_at_the_regions_rates(world: World, client_for: Any) -> None:
    factories.contract(world)  # Puglia's only contract: 65 and 60 EUR/h
    campaign = census_factories.campaign(world.sansevero_partnership)
    census = campaign.censuses.get()
    for number in range(1, 24):
        census_factories.position(census, census_factories.person(500 + number))
    FnpsAllocation.objects.create(
        ambito=world.sansevero, first_year=2023, last_year=2023, amount=D("19740.00"), fnps_total=D("658000.00")
    )
    url = reverse("funding:fnps", args=["SANSEVERO-114"])
    client = client_for("outsider")
    assert client.get(url).status_code == 404
    client.force_login(world.admin)
    html = client.get(url).content.decode()
    assert "media delle tariffe dei contratti in corso nella regione (1 contratto)" in html
    assert "(quota 3 %)" in html
    assert "Servono 2 nuovi gruppi per 23 assistenti sociali oggi senza gruppo (62 ore A1 e A2)." in html
    assert "Restano 244 ore A1 in più per i gruppi." in html
    # Other rates, typed the Italian way; bad ones get a message and no figures.
    html = client.get(url, {"a1_rate": "70,00", "a2_rate": "60"}).content.decode()
    assert "Con 19.740,00 € a 70,00 €/h per A1" in html
    html = client.get(url, {"a1_rate": "zero", "a2_rate": "60"}).content.decode()
    assert "Cosa aggiunge" not in html
    assert "is-invalid" in html


def test_it_simulates_one_year_of_a_two_year_allocation_and_says_so(world: World, client_for: Any) -> None:
    factories.contract(world)
    FnpsAllocation.objects.create(ambito=world.casarano, first_year=2023, last_year=2024, amount=D("29297.33"))
    two_years = FnpsAllocation.objects.get()
    client = client_for("coordinator")
    html = client.get(URL).content.decode()
    assert "Ambito di Casarano, FNPS 2023-2024: 29.297,33 € (14.648,66 € l&#x27;anno)" in html
    assert "Lo stanziamento FNPS 2023-2024 copre 2 anni: si simula un anno, 29.297,33 € / 2 = 14.648,66 €." in html
    assert "Con 14.648,66 € a 65,00 €/h per A1" in html
    # With another allocation, all of them together are their whole amounts.
    FnpsAllocation.objects.create(ambito=world.casarano, first_year=2022, last_year=2022, amount=D("14648.66"))
    html = client.get(URL).content.decode()
    assert "Con 43.945,99 € a 65,00 €/h per A1" in html
    html = client.get(URL, {"quota": str(two_years.pk), "a1_rate": "65", "a2_rate": "60"}).content.decode()
    assert "Con 14.648,66 € a 65,00 €/h per A1" in html
