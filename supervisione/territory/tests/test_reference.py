from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.urls import reverse

from supervisione.territory.models import Municipality, MunicipalityPopulation, Region
from supervisione.testing.world import World


def test_it_loads_the_national_municipalities_once(world: World) -> None:
    call_command("load_municipalities", stdout=None)
    count = Municipality.objects.count()
    assert count > 7800
    assert Region.objects.count() == 20
    poggiardo = Municipality.objects.get(istat_code="075061")
    assert (poggiardo.name, poggiardo.province_code, poggiardo.region.name) == ("Poggiardo", "LE", "Puglia")
    call_command("load_municipalities", stdout=None)
    assert Municipality.objects.count() == count


def test_it_lets_the_admin_record_a_population(world: World, client_for: Any) -> None:
    url = reverse("territory:population_add", args=["075039"])
    response = client_for("admin").post(url, {"reference_date": "2024-01-01", "population": "13900", "source": "ISTAT"})
    assert response.status_code == 302
    duplicate = client_for("admin").post(url, {"reference_date": "2024-01-01", "population": "1", "source": ""})
    assert "Esiste già una popolazione per questo comune a questa data" in duplicate.content.decode()
    assert (
        MunicipalityPopulation.objects.get(municipality__istat_code="075039", reference_date="2024-01-01").population
        == 13900
    )


def test_it_searches_municipalities_by_name_or_code(world: World, client_for: Any) -> None:
    client = client_for("referent")
    assert "Maglie" in client.get(reverse("territory:municipality_list"), {"q": "magl"}).content.decode()
    assert "Maglie" in client.get(reverse("territory:municipality_list"), {"q": "075039"}).content.decode()
    assert "Nessun comune trovato" in client.get(reverse("territory:municipality_list"), {"q": "zzz"}).content.decode()


def test_it_edits_a_region_only_with_valid_data(world: World, client_for: Any) -> None:
    url = reverse("territory:region_edit", args=["16"])
    page = client_for("admin").post(url, {"istat_code": "16", "name": "", "ministry_prefix": "PUG"}).content.decode()
    assert "Questo campo è obbligatorio" in page
    assert Region.objects.get(istat_code="16").name == "Puglia"
