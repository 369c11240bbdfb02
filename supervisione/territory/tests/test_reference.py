from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.urls import reverse

from supervisione.territory.loaders import MunicipalityRecord, load_municipalities
from supervisione.territory.models import Municipality, MunicipalityPopulation, Region
from supervisione.testing.pages import form_data
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


def test_it_outdates_the_edit_page_of_a_municipality_the_national_list_changes(world: World, client_for: Any) -> None:
    client = client_for("admin")
    url = reverse("territory:municipality_edit", args=["075039"])
    page = form_data(client.get(url).content.decode())
    load_municipalities([MunicipalityRecord("075039", "Maglie di Lecce", "Lecce", "LE", "Puglia")])
    # Saved as it was opened, the page would put the old name back.
    refused = client.post(url, {**page, "province": "Provincia di Lecce"})
    assert refused.status_code == 200
    assert "Il comune è stato modificato da un altro utente" in refused.content.decode()
    maglie = Municipality.objects.get(istat_code="075039")
    assert (maglie.name, maglie.province) == ("Maglie di Lecce", "Lecce")
