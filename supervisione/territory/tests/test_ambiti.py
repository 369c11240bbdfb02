from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from supervisione.audit.models import AuditEntry
from supervisione.territory.models import Ambito, AmbitoMembership, Municipality
from supervisione.territory.queries import population_at
from supervisione.testing.world import World


def _form_data(ambito: Ambito, **changes: Any) -> dict[str, Any]:
    data = {
        "code": ambito.code,
        "istat_code": ambito.istat_code,
        "name": ambito.name,
        "region": ambito.region_id,
        "capofila_municipality": ambito.capofila_municipality_id or "",
        "managing_body": ambito.managing_body,
        "office_address": ambito.office_address,
        "email": ambito.email,
        "pec": ambito.pec,
        "phone": ambito.phone,
        "composition_verified": "on" if ambito.composition_verified else "",
        "valid_from": "",
        "valid_to": "",
        "notes": ambito.notes,
        "lock_version": ambito.lock_version,  # the version the edit page rendered
    }
    data.update(changes)
    return data


def test_it_computes_the_population_at_a_date_from_the_memberships(world: World) -> None:
    population = population_at(world.casarano, datetime.date(2025, 1, 1))
    assert population.total == 19552 + 11108
    assert population.missing == []
    assert population_at(world.casarano, datetime.date(2020, 12, 31)).total == 0


def test_it_counts_a_municipality_only_while_it_belongs_to_the_ambito(world: World) -> None:
    matino = AmbitoMembership.objects.get(municipality__name="Matino")
    matino.valid_to = datetime.date(2024, 12, 31)
    matino.save()
    assert population_at(world.casarano, datetime.date(2024, 12, 31)).total == 19552 + 11108
    assert population_at(world.casarano, datetime.date(2025, 1, 1)).total == 19552


def test_it_uses_the_latest_population_not_after_the_date(world: World) -> None:
    casarano = Municipality.objects.get(name="Casarano")
    casarano.populations.create(reference_date=datetime.date(2021, 12, 31), population=19000, source="PdZ")
    assert population_at(world.casarano, datetime.date(2021, 12, 30)).total == 19552 + 11108
    assert population_at(world.casarano, datetime.date(2022, 1, 1)).total == 19000 + 11108


def test_it_reports_municipalities_without_population(world: World) -> None:
    Municipality.objects.get(name="Matino").populations.all().delete()
    population = population_at(world.casarano, datetime.date(2025, 1, 1))
    assert [m.name for m in population.missing] == ["Matino"]
    assert population.total == 19552


def test_it_shows_the_population_and_the_municipalities(world: World, client_for: Any) -> None:
    response = client_for("referent").get(reverse("territory:ambito_detail", args=["PUG_CASARANO"]))
    assert response.status_code == 404  # the referent of Maglie does not see Casarano
    page = client_for("coordinator").get(reverse("territory:ambito_detail", args=["PUG_CASARANO"])).content.decode()
    assert "30.660 residenti" in page
    assert "Matino" in page


def test_it_recomputes_the_population_at_a_chosen_date_and_rejects_a_bad_one(world: World, client_for: Any) -> None:
    url = reverse("territory:ambito_detail", args=["PUG_CASARANO"])
    page = client_for("coordinator").get(url, {"al": "2020-06-30"}).content.decode()
    assert "Popolazione al 30/06/2020: 0 residenti" in page
    bad = client_for("coordinator").get(url, {"al": "31/31/2020"})
    assert bad.status_code == 200
    assert "Inserisci una data valida" in bad.content.decode()


def test_it_edits_an_ambito_and_records_the_change(world: World, client_for: Any) -> None:
    url = reverse("territory:ambito_edit", args=["PUG_MAGLIE"])
    response = client_for("referent").post(url, _form_data(world.maglie, pec="ambito.maglie@pec.it"))
    assert response.status_code == 302
    world.maglie.refresh_from_db()
    assert world.maglie.pec == "ambito.maglie@pec.it"
    entry = AuditEntry.objects.get(object_id=str(world.maglie.pk), action="update")
    assert entry.username == "referent"
    assert entry.changes["pec"] == {"label": "PEC", "old": "", "new": "ambito.maglie@pec.it"}
    history = client_for("coordinator").get(reverse("territory:ambito_detail", args=["PUG_MAGLIE"])).content.decode()
    assert "ambito.maglie@pec.it" in history
    assert "Storico delle modifiche" in history


def test_it_keeps_code_and_region_for_non_administrators(world: World, client_for: Any) -> None:
    url = reverse("territory:ambito_edit", args=["PUG_MAGLIE"])
    client_for("referent").post(url, _form_data(world.maglie, code="PUG_ALTRO", region=world.veneto.pk))
    world.maglie.refresh_from_db()
    assert world.maglie.code == "PUG_MAGLIE"
    assert world.maglie.region_id == world.puglia.pk


def test_it_rejects_bad_input_with_italian_messages_and_changes_nothing(world: World, client_for: Any) -> None:
    url = reverse("territory:ambito_edit", args=["PUG_MAGLIE"])
    treviso = Municipality.objects.get(name="Treviso")
    response = client_for("admin").post(
        url,
        _form_data(
            world.maglie,
            code="maglie",
            email="non-una-mail",
            capofila_municipality=treviso.pk,
            valid_from="2025-01-01",
            valid_to="2024-01-01",
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Il codice ATS è formato da sigla regionale" in page
    assert "Inserisci un indirizzo email valido" in page
    assert "La fine della validità non può precedere l&#x27;inizio" in page
    assert 'aria-invalid="true"' in page
    world.maglie.refresh_from_db()
    assert world.maglie.code == "PUG_MAGLIE"
    assert not AuditEntry.objects.filter(object_id=str(world.maglie.pk)).exists()


def test_it_lets_the_admin_create_an_ambito(world: World, client_for: Any) -> None:
    response = client_for("admin").post(
        reverse("territory:ambito_create"),
        {
            "code": "pug_gallipoli",
            "name": "Ambito di Gallipoli",
            "region": world.puglia.pk,
            "composition_verified": "on",
        },
    )
    assert response.status_code == 302
    ambito = Ambito.objects.get(code="PUG_GALLIPOLI")
    assert AuditEntry.objects.filter(object_id=str(ambito.pk), action="create").exists()


def test_it_adds_a_municipality_and_refuses_one_already_in_another_ambito(world: World, client_for: Any) -> None:
    url = reverse("territory:membership_add", args=["PUG_MAGLIE"])
    casarano = Municipality.objects.get(name="Casarano")
    refused = client_for("coordinator").post(url, {"municipality": casarano.pk, "valid_from": "2024-01-01"})
    assert "appartiene già all&#x27;ATS PUG_CASARANO" in refused.content.decode()
    assert not AmbitoMembership.objects.filter(ambito=world.maglie, municipality=casarano).exists()
    # Once Casarano's membership ends, it can move.
    AmbitoMembership.objects.filter(municipality=casarano).update(valid_to=datetime.date(2023, 12, 31))
    moved = client_for("coordinator").post(url, {"municipality": casarano.pk, "valid_from": "2024-01-01"})
    assert moved.status_code == 302
    assert AmbitoMembership.objects.filter(ambito=world.maglie, municipality=casarano).exists()


def test_it_offers_only_municipalities_of_the_region(world: World, client_for: Any) -> None:
    page = client_for("coordinator").get(reverse("territory:membership_add", args=["PUG_MAGLIE"])).content.decode()
    assert "Casarano" in page
    assert "Treviso" not in page


def test_it_ends_a_membership_and_refuses_an_end_before_the_start(world: World, client_for: Any) -> None:
    membership = AmbitoMembership.objects.get(municipality__name="Maglie")
    url = reverse("territory:membership_end", args=["PUG_MAGLIE", membership.pk])
    refused = client_for("referent").post(url, {"valid_to": "2020-01-01"})
    assert "non può precedere l&#x27;inizio" in refused.content.decode()
    ended = client_for("referent").post(url, {"valid_to": "2025-06-30"})
    assert ended.status_code == 302
    membership.refresh_from_db()
    assert membership.valid_to == datetime.date(2025, 6, 30)


def test_it_does_not_end_a_membership_of_another_ambito_through_this_one(world: World, client_for: Any) -> None:
    membership = AmbitoMembership.objects.get(municipality__name="Casarano")
    url = reverse("territory:membership_end", args=["PUG_MAGLIE", membership.pk])
    assert client_for("referent").post(url, {"valid_to": "2025-06-30"}).status_code == 404


def test_it_lists_ambiti_with_a_constant_number_of_queries(
    world: World, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for("admin")
    url = reverse("territory:ambito_list")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for index in range(10):
        ambito = Ambito.objects.create(code=f"PUG_X{index}", name=f"Ambito X{index}", region=world.puglia)
        municipality = Municipality.objects.create(
            istat_code=f"0759{index:02d}",
            name=f"Comune {index}",
            province="Lecce",
            province_code="LE",
            region=world.puglia,
        )
        municipality.populations.create(reference_date=datetime.date(2020, 1, 1), population=1000)
        AmbitoMembership.objects.create(ambito=ambito, municipality=municipality, valid_from=datetime.date(2020, 1, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "Ambito X9" in page
