from __future__ import annotations

import datetime

from supervisione.audit.actions import delete_audited, save_audited
from supervisione.audit.models import AuditEntry
from supervisione.territory.models import Organisation, OrganisationKind
from supervisione.testing.world import World


def test_it_records_creation_with_the_values_set(world: World) -> None:
    organisation = Organisation(name="Cooperativa Aurora", kind=OrganisationKind.COOPERATIVE)
    entry = save_audited(organisation, by=world.coordinator)
    assert entry is not None
    assert entry.action == "create"
    assert entry.username == "coordinator"
    assert entry.changes["kind"] == {
        "label": "tipo",
        "old": "",
        "new": "Cooperativa / ente del terzo settore",
    }
    assert "email" not in entry.changes


def test_it_records_only_the_fields_that_changed(world: World) -> None:
    world.maglie.phone = "0836 123456"
    world.maglie.valid_from = datetime.date(2021, 1, 1)
    entry = save_audited(world.maglie, by=world.referent)
    assert entry is not None
    assert set(entry.changes) == {"phone", "valid_from"}
    assert entry.changes["valid_from"]["new"] == "01/01/2021"
    assert entry.ambito_id == world.maglie.pk


def test_it_records_nothing_when_nothing_changed(world: World) -> None:
    assert save_audited(world.maglie, by=world.referent) is None
    assert not AuditEntry.objects.exists()


def test_it_records_deletions_with_the_old_values(world: World) -> None:
    organisation = Organisation.objects.create(name="Da togliere", kind=OrganisationKind.OTHER)
    pk = organisation.pk
    entry = delete_audited(organisation, by=world.admin)
    assert entry.changes["name"]["old"] == "Da togliere"
    assert not Organisation.objects.filter(pk=pk).exists()


def test_it_names_the_system_when_there_is_no_user(world: World) -> None:
    entry = save_audited(Organisation(name="Batch", kind=OrganisationKind.OTHER), by=None)
    assert entry is not None
    assert entry.username == "sistema"
    assert entry.user is None
