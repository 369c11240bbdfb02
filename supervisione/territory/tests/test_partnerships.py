from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from supervisione.audit.models import AuditEntry
from supervisione.territory.models import Ambito, Partnership, PartnershipMember
from supervisione.testing.frozen import frozen
from supervisione.testing.world import World


def _data(partnership: Partnership, **changes: Any) -> dict[str, Any]:
    data = {
        "code": partnership.code,
        "name": partnership.name,
        "capofila": partnership.capofila_id,
        "measure": partnership.measure,
        "cup": partnership.cup,
        "start_date": "2022-09-01",
        "end_date": "2026-12-31",
        "budget": "210000",
        "notes": "",
        "lock_version": partnership.lock_version,  # the version the edit page rendered
    }
    data.update(changes)
    return data


def test_it_shows_members_with_their_population(world: World, client_for: Any) -> None:
    page = (
        client_for("supervisee").get(reverse("territory:partnership_detail", args=["POGGIARDO-114"])).content.decode()
    )
    assert "Ambito di Maglie" in page
    assert "Capofila" in page
    # 6119 + 4962 + 14819 + 19552 + 11108
    assert "56.560 residenti" in page


def test_it_lets_the_coordinator_edit_and_audits_it(world: World, client_for: Any) -> None:
    url = reverse("territory:partnership_edit", args=["POGGIARDO-114"])
    response = client_for("coordinator").post(url, _data(world.partnership, budget="200000,50", cup="j81h22000130007"))
    assert response.status_code == 302, response.content.decode()
    world.partnership.refresh_from_db()
    assert str(world.partnership.budget) == "200000.50"
    assert world.partnership.cup == "J81H22000130007"
    entry = AuditEntry.objects.get(object_id=str(world.partnership.pk), action="update")
    assert entry.changes["budget"]["new"] == "200000,50"


def test_it_rejects_a_bad_cup_and_a_reversed_period(world: World, client_for: Any) -> None:
    url = reverse("territory:partnership_edit", args=["POGGIARDO-114"])
    page = (
        client_for("coordinator")
        .post(
            url,
            _data(world.partnership, cup="ABC", start_date="2026-01-01", end_date="2025-01-01", budget="-5"),
        )
        .content.decode()
    )
    assert "Il CUP è formato da 15 caratteri" in page
    assert "La fine del progetto non può precedere l&#x27;inizio" in page
    assert "maggiore o uguale a 0" in page
    world.partnership.refresh_from_db()
    assert world.partnership.cup == "J81H22000130006"


def test_it_lets_an_administrator_add_a_partner_and_the_coordinator_remove_it_but_never_the_capofila(
    world: World, client_for: Any
) -> None:
    new = Ambito.objects.create(code="PUG_NUOVO", name="Ambito nuovo", region=world.puglia)
    add_url = reverse("territory:member_add", args=["POGGIARDO-114"])
    admin_page = client_for("admin").get(add_url).content.decode()
    assert "ATS VEN_09 Treviso" in admin_page  # administrators add from any region
    assert client_for("admin").post(add_url, {"ambito": new.pk, "joined_on": "01/01/2025"}).status_code == 302
    member = PartnershipMember.objects.get(partnership=world.partnership, ambito=new)
    assert member.joined_on == datetime.date(2025, 1, 1)
    assert AuditEntry.objects.filter(object_id=str(member.pk), action="create").exists()
    client = client_for("coordinator")
    remove = client.post(reverse("territory:member_remove", args=["POGGIARDO-114", member.pk]))
    assert remove.status_code == 302
    assert not PartnershipMember.objects.filter(pk=member.pk).exists()
    assert AuditEntry.objects.filter(object_id=str(member.pk), action="delete").exists()
    capofila = PartnershipMember.objects.get(partnership=world.partnership, ambito=world.poggiardo)
    response = client.post(reverse("territory:member_remove", args=["POGGIARDO-114", capofila.pk]), follow=True)
    assert "L&#x27;ATS capofila non può essere tolto" in response.content.decode()
    assert PartnershipMember.objects.filter(pk=capofila.pk).exists()


def test_it_refuses_removal_by_get(world: World, client_for: Any) -> None:
    member = PartnershipMember.objects.get(partnership=world.partnership, ambito=world.maglie)
    url = reverse("territory:member_remove", args=["POGGIARDO-114", member.pk])
    assert client_for("coordinator").get(url).status_code == 405


def test_it_creates_a_partnership_with_its_capofila_as_member(world: World, client_for: Any) -> None:
    new = Ambito.objects.create(code="PUG_NUOVO", name="Ambito nuovo", region=world.puglia)
    response = client_for("admin").post(
        reverse("territory:partnership_create"),
        {
            "code": "nuovo-114",
            "name": "Nuovo",
            "capofila": new.pk,
            "measure": "fnps",
            "cup": "",
            "budget": "",
        },
    )
    assert response.status_code == 302
    partnership = Partnership.objects.get(code="NUOVO-114")
    assert list(partnership.memberships.values_list("ambito__code", flat=True)) == ["PUG_NUOVO"]


@frozen(2026, 7, 1)
def test_a_new_partnership_is_offered_the_fnps_once_the_pnrr_activities_have_ended(
    world: World, client_for: Any
) -> None:
    page = client_for("admin").get(reverse("territory:partnership_create")).content.decode()
    assert '<option value="fnps" selected>' in page


@frozen(2026, 6, 30)
def test_a_new_partnership_is_offered_the_pnrr_while_its_activities_run(world: World, client_for: Any) -> None:
    page = client_for("admin").get(reverse("territory:partnership_create")).content.decode()
    assert '<option value="pnrr_114" selected>' in page


def test_a_pnrr_project_cannot_start_after_the_pnrr_activities_ended(world: World, client_for: Any) -> None:
    url = reverse("territory:partnership_edit", args=["POGGIARDO-114"])
    client = client_for("coordinator")
    page = client.post(url, _data(world.partnership, start_date="2026-07-01")).content.decode()
    assert "Le attività dei progetti PNRR M5C2 1.1.4 si sono concluse il 30/06/2026" in page
    world.partnership.refresh_from_db()
    assert world.partnership.start_date != datetime.date(2026, 7, 1)
    response = client.post(url, _data(world.partnership, start_date="2026-07-01", measure="fnps", cup=""))
    assert response.status_code == 302, response.content.decode()


def test_it_lists_partnerships_with_a_constant_number_of_queries(
    world: World, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for("admin")
    url = reverse("territory:partnership_list")
    with django_assert_max_num_queries(10) as few:
        client.get(url)
    for index in range(5):
        partnership = Partnership.objects.create(code=f"EXTRA-{index}", name=f"Extra {index}", capofila=world.maglie)
        PartnershipMember.objects.create(partnership=partnership, ambito=world.maglie)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "Extra 4" in client.get(url).content.decode()
