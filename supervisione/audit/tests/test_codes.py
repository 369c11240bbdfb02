"""Action codes of audit entries: the default of save_audited and delete_audited, an action's own code, and the
data migration that gave the entries written before the codes theirs."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from supervisione.audit.actions import delete_audited, record, save_audited
from supervisione.audit.models import AuditAction, AuditEntry
from supervisione.planning.models import Plan
from supervisione.sessions.models import Session
from supervisione.territory.models import JoinRequest, Organisation, OrganisationKind, Partnership
from supervisione.testing.world import World

existing = importlib.import_module("supervisione.audit.migrations.0003_code_of_existing_entries")


def test_it_codes_a_plain_write_by_app_model_and_kind(world: World) -> None:
    organisation = Organisation(name="Cooperativa Aurora", kind=OrganisationKind.COOPERATIVE)
    created = save_audited(organisation, by=world.coordinator)
    organisation.phone = "0836 123456"
    updated = save_audited(organisation, by=world.coordinator)
    deleted = delete_audited(organisation, by=world.coordinator)
    assert created is not None
    assert updated is not None
    assert [created.code, updated.code, deleted.code] == [
        "territory.organisation.created",
        "territory.organisation.updated",
        "territory.organisation.deleted",
    ]
    world.partnership.name = "Partenariato del Salento"
    entry = save_audited(world.partnership, by=world.coordinator)
    assert entry is not None
    assert entry.code == "territory.partnership.updated"


def test_an_action_names_its_step(world: World) -> None:
    entry = record(world.maglie, by=world.referent, action=AuditAction.ACTION, message="x", code="territory.x.done")
    assert entry.code == "territory.x.done"
    assert record(world.maglie, by=world.referent, action=AuditAction.ACTION).code == "territory.ambito.action"


def _entry(world: World, model: type, action: str, message: str) -> AuditEntry:
    return AuditEntry.objects.create(
        username="vecchio",
        action=action,
        content_type=ContentType.objects.get_for_model(model),
        object_id="1",
        object_repr="oggetto",
        message=message,
    )


def test_the_data_migration_gives_old_entries_their_code(world: World) -> None:
    old = {
        "sessions.register.confirmed": _entry(world, Session, "action", "Registro presenze confermato"),
        "sessions.session.booked": _entry(world, Session, "create", "Prenotato (ogni settimana)"),
        "sessions.register.corrected": _entry(world, Session, "update", "Registro modificato dopo la conferma: x"),
        "sessions.register.updated": _entry(world, Session, "update", "Registro presenze"),
        "planning.plan.approved": _entry(world, Plan, "action", "POA approvato: delibera 12"),
        "planning.plan.superseded": _entry(world, Plan, "action", "Sostituito dalla versione 2"),
        "planning.plan.created": _entry(world, Plan, "create", "POA 2026 creato"),
        "planning.plan.version_created": _entry(world, Plan, "create", "Nuova versione del POA 2026 dalla versione 1"),
        "territory.joinrequest.withdrawn": _entry(world, JoinRequest, "update", "Richiesta a PUG_MAGLIE ritirata"),
        "territory.partnership.updated": _entry(world, Partnership, "update", ""),
        "territory.partnership.deleted": _entry(world, Partnership, "delete", ""),
    }
    AuditEntry.objects.filter(pk__in=[entry.pk for entry in old.values()]).update(code="")
    existing.forwards(apps, None)
    assert {code: AuditEntry.objects.get(pk=entry.pk).code for code, entry in old.items()} == {
        code: code for code in old
    }
    existing.backwards(apps, None)
    assert not AuditEntry.objects.exclude(code="").exists()


def test_the_migration_and_the_code_agree_on_every_entry_the_application_writes(world: World) -> None:
    """The rules of the data migration give every entry written today the code its action gave it (entries of
    the workflow tests of each app are checked the same way there)."""
    for entry in AuditEntry.objects.select_related("content_type"):
        kind = entry.content_type
        assert existing.code_for(kind.app_label, kind.model, entry.action, entry.message) == entry.code
