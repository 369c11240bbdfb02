"""A new ATS in minutes (issue 17.2): its capofila joins on creation, municipalities are added many at once, and each
member comune is an employer of the census without being typed again."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from supervisione.audit.models import AuditEntry
from supervisione.census.models import Census
from supervisione.census.tests.factories import census_of
from supervisione.territory.models import Ambito, AmbitoMembership, Municipality, Organisation, OrganisationKind
from supervisione.testing.frozen import frozen
from supervisione.testing.world import World


@pytest.fixture
def salento(world: World) -> dict[str, Municipality]:
    made = {}
    for istat, name, province, code in (
        ("075029", "Gallipoli", "Lecce", "LE"),
        ("075052", "Nardò", "Lecce", "LE"),
        ("075082", "Taviano", "Lecce", "LE"),
        ("071028", "Lucera", "Foggia", "FG"),
    ):
        made[name] = Municipality.objects.create(
            istat_code=istat, name=name, province=province, province_code=code, region=world.puglia
        )
    return made


@frozen(2026, 3, 2)
def test_creating_an_ats_makes_its_capofila_a_member_and_an_employer(
    world: World, salento: dict[str, Municipality], client_for: Any
) -> None:
    response = client_for("admin").post(
        reverse("territory:ambito_create"),
        {
            "code": "pug_gallipoli",
            "name": "Ambito di Gallipoli",
            "region": world.puglia.pk,
            "capofila_municipality": salento["Gallipoli"].pk,
            "composition_verified": "on",
        },
        follow=True,
    )
    assert "ATS creato con il comune capofila Gallipoli" in response.content.decode()
    ambito = Ambito.objects.get(code="PUG_GALLIPOLI")
    [membership] = AmbitoMembership.objects.filter(ambito=ambito)
    assert (membership.municipality, str(membership.valid_from), membership.valid_to) == (
        salento["Gallipoli"],
        "2026-03-02",
        None,
    )
    organisation = Organisation.objects.get(municipality=salento["Gallipoli"])
    assert (organisation.name, organisation.kind, organisation.created_for_ambito) == (
        "Comune di Gallipoli",
        OrganisationKind.COMUNE,
        ambito,
    )
    assert AuditEntry.objects.filter(object_id=str(membership.pk), content_type__model="ambitomembership").exists()


@frozen(2026, 3, 2)
def test_municipalities_are_added_many_at_once_by_province_and_name(
    world: World, salento: dict[str, Municipality], client_for: Any
) -> None:
    client = client_for("referent")
    url = reverse("territory:membership_bulk_add", args=["PUG_MAGLIE"])
    page = client.get(url, {"provincia": "LE"}).content.decode()
    assert "Gallipoli" in page
    assert "Taviano" in page
    assert "Lucera" not in page  # another province
    assert 'value="' + str(world.maglie.memberships.get().municipality_id) + '"' not in page  # already a member
    searched = client.get(url, {"provincia": "LE", "q": "nard"}).content.decode()
    assert "Nardò" in searched
    assert "Gallipoli" not in searched
    response = client.post(
        url + "?provincia=LE",
        {"municipalities": [salento["Gallipoli"].pk, salento["Taviano"].pk], "valid_from": "01/03/2026"},
        follow=True,
    )
    assert "2 comuni aggiunti all&#x27;ATS." in response.content.decode()
    names = set(AmbitoMembership.objects.filter(ambito=world.maglie).values_list("municipality__name", flat=True))
    assert names == {"Maglie", "Gallipoli", "Taviano"}
    assert set(
        Organisation.objects.filter(kind=OrganisationKind.COMUNE, created_for_ambito=world.maglie).values_list(
            "name", flat=True
        )
    ) == {"Comune di Gallipoli", "Comune di Taviano"}


@frozen(2026, 3, 2)
def test_a_municipality_of_another_ats_stops_the_whole_batch(
    world: World, salento: dict[str, Municipality], client_for: Any
) -> None:
    casarano = Municipality.objects.get(name="Casarano")
    url = reverse("territory:membership_bulk_add", args=["PUG_MAGLIE"])
    # Casarano is in PUG_CASARANO: it is not even offered, and posting it is refused with the others kept out.
    response = client_for("coordinator").post(
        url, {"municipalities": [salento["Gallipoli"].pk, casarano.pk], "valid_from": "01/03/2026"}
    )
    assert response.status_code == 200
    assert not AmbitoMembership.objects.filter(ambito=world.maglie, municipality=salento["Gallipoli"]).exists()


@frozen(2026, 3, 2)
def test_the_bulk_page_is_for_those_who_edit_the_ats(world: World, client_for: Any) -> None:
    url = reverse("territory:membership_bulk_add", args=["PUG_MAGLIE"])
    assert client_for("observer").get(url).status_code == 403
    assert client_for("outsider").get(url).status_code == 404


@frozen(2026, 3, 2)
def test_an_existing_comune_organisation_is_linked_not_duplicated(
    world: World, salento: dict[str, Municipality], client_for: Any
) -> None:
    existing = Organisation.objects.create(name="Comune di Taviano", kind=OrganisationKind.COMUNE)
    client_for("coordinator").post(
        reverse("territory:membership_add", args=["PUG_MAGLIE"]),
        {"municipality": salento["Taviano"].pk, "valid_from": "2026-03-01"},
    )
    existing.refresh_from_db()
    assert existing.municipality == salento["Taviano"]
    assert Organisation.objects.filter(name__iexact="Comune di Taviano").count() == 1


@frozen(2026, 3, 2)
def test_the_position_form_suggests_the_comuni_of_the_ats_and_accepts_them(
    world: World, salento: dict[str, Municipality], client_for: Any
) -> None:
    client = client_for("referent")
    client.post(
        reverse("territory:membership_bulk_add", args=["PUG_MAGLIE"]),
        {"municipalities": [salento["Gallipoli"].pk], "valid_from": "01/03/2026"},
    )
    Organisation.objects.create(name="Cooperativa Lontana", kind=OrganisationKind.COOPERATIVE)
    census: Census = census_of(world)
    page = client.get(reverse("census:position_create", args=[census.campaign_id, census.ambito.code])).content.decode()
    assert 'list="employer-options"' in page
    assert '<datalist id="employer-options">' in page
    assert '<option value="Comune di Gallipoli">' in page
    assert "Cooperativa Lontana" not in page  # not an organisation of this ATS
