"""Each step of a plan writes its action code, the one the audit data migration gives older entries."""

from __future__ import annotations

import importlib

from django.contrib.contenttypes.models import ContentType

from supervisione.audit.models import AuditEntry
from supervisione.planning import actions
from supervisione.planning.models import Plan
from supervisione.planning.tests import factories
from supervisione.testing.world import World

existing = importlib.import_module("supervisione.audit.migrations.0003_code_of_existing_entries")


def plan_codes(plan: Plan) -> list[str]:
    entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Plan), object_id=str(plan.pk))
    return list(entries.order_by("pk").values_list("code", flat=True))


def test_each_step_of_a_plan_writes_its_code(world: World) -> None:
    plan = factories.ready_plan(world)
    actions.submit_plan(plan, expected=plan.lock_version, by=world.coordinator)
    actions.return_plan(plan, expected=plan.lock_version, by=world.coordinator, reason="Manca la delibera")
    actions.submit_plan(plan, expected=plan.lock_version, by=world.coordinator)
    actions.approve_plan(plan, expected=plan.lock_version, by=world.coordinator, act="Delibera 12")
    copy = actions.new_version(plan, by=world.coordinator)
    actions.submit_plan(copy, expected=copy.lock_version, by=world.coordinator)
    actions.approve_plan(copy, expected=copy.lock_version, by=world.coordinator)
    assert plan_codes(plan) == [
        "planning.plan.created",
        "planning.plan.groups_proposed",
        "planning.plan.submitted",
        "planning.plan.returned",
        "planning.plan.submitted",
        "planning.plan.approved",
        "planning.plan.superseded",
    ]
    assert plan_codes(copy) == ["planning.plan.version_created", "planning.plan.submitted", "planning.plan.approved"]
    approvals = AuditEntry.objects.filter(code="planning.plan.approved").values_list("object_id", flat=True)
    assert sorted(approvals) == sorted([str(plan.pk), str(copy.pk)])
    for entry in AuditEntry.objects.select_related("content_type"):
        kind = entry.content_type
        assert existing.code_for(kind.app_label, kind.model, entry.action, entry.message) == entry.code, entry.message
