"""Draft -> submitted -> approved; approved plans locked; new versions keeping the old; optimistic locking."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from supervisione.audit.models import AuditEntry
from supervisione.planning import actions
from supervisione.planning.models import GroupKind, Plan, PlanGroup, PlanStatus
from supervisione.planning.queries import current_plan, plan_in_force
from supervisione.planning.tests import factories
from supervisione.testing.world import World


def _group(plan: Plan, kind: str = GroupKind.A1) -> PlanGroup:
    return plan.groups.filter(kind=kind).order_by("name").first()  # type: ignore[return-value]  # these plans have one of each kind


def _edit_data(group: PlanGroup, lock_version: int, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "lock_version": lock_version,
        "name": group.name,
        "planned_hours": str(group.planned_hours).replace(".", ","),
        "a2_pool_hours": str(group.a2_pool_hours).replace(".", ","),
        "supervisor": group.supervisor_id or "",
        "declaration": group.declaration_id or "",
        "contract": group.contract_id or "",
        "funding": group.funding_id or "",
        "note": group.note,
    }
    data.update(changes)
    return data


def test_it_refuses_to_submit_a_plan_below_the_minimum_and_says_which_group_lacks_what(
    world: World, client_for: Any
) -> None:
    plan = factories.ready_plan(world)
    group = _group(plan)
    group.planned_hours = Decimal(10)
    group.save(update_fields=["planned_hours"])
    client = client_for("coordinator")
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Gruppo A1 n. 1: 10 ore pianificate, il minimo LEPS è 16 (mancano 6 ore)." in page
    response = client.post(
        reverse("planning:plan_submit", args=[plan.pk]), {"lock_version": plan.lock_version}, follow=True
    )
    alerts = [str(message) for message in response.context["messages"]]
    assert alerts == [
        (
            "Il piano non si può trasmettere: 1 problema da risolvere. "
            "Gruppo A1 n. 1: 10 ore pianificate, il minimo LEPS è 16 (mancano 6 ore)."
        )
    ]
    plan.refresh_from_db()
    assert (plan.status, plan.submitted_at) == (PlanStatus.DRAFT, None)


def test_it_names_the_first_problems_and_points_to_the_whole_list_when_there_are_many(
    world: World, client_for: Any
) -> None:
    plan = factories.ready_plan(world, social_workers={"PUG_MAGLIE": 40})
    PlanGroup.objects.filter(plan=plan).update(planned_hours=Decimal(2))
    client = client_for("coordinator")
    response = client.post(
        reverse("planning:plan_submit", args=[plan.pk]), {"lock_version": plan.lock_version}, follow=True
    )
    (alert,) = [str(message) for message in response.context["messages"]]
    assert alert.startswith("Il piano non si può trasmettere: 4 problemi da risolvere. Gruppo A1 n. 1: 2 ore")
    assert alert.endswith(" E altri 1: l'elenco completo è in «Cosa manca».")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_it_submits_approves_and_then_locks_the_plan(world: World, client_for: Any) -> None:
    plan = factories.ready_plan(world)
    client = client_for("coordinator")
    client.post(reverse("planning:plan_submit", args=[plan.pk]), {"lock_version": plan.lock_version})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    assert plan.submitted_by == world.coordinator
    response = client.post(
        reverse("planning:plan_approve", args=[plan.pk]),
        {"lock_version": plan.lock_version, "act": "Delibera n. 2 del 27/03/2025"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.approval_act, plan.approved_by) == (
        PlanStatus.APPROVED,
        "Delibera n. 2 del 27/03/2025",
        world.coordinator,
    )
    assert plan_in_force(world.partnership, 2025) == plan
    assert AuditEntry.objects.filter(object_id=str(plan.pk), message__startswith="POA approvato").exists()

    # Locked: the edit form posted with the current lock_version changes nothing and says why.
    group = _group(plan)
    response = client.post(
        reverse("planning:group_edit", args=[plan.pk, group.pk]),
        _edit_data(group, plan.lock_version, planned_hours="40"),
    )
    assert "Il piano approvato non si modifica: crea una nuova versione" in response.content.decode()
    group.refresh_from_db()
    assert group.planned_hours == Decimal(16)
    # The pages that edit it send the user back to the plan, and the actions refuse as well.
    response = client.get(reverse("planning:group_edit", args=[plan.pk, group.pk]), follow=True)
    assert "Il piano approvato non si modifica" in response.content.decode()
    with pytest.raises(actions.LockedPlanError):
        actions.delete_group(group, expected=plan.lock_version, by=world.coordinator)
    with pytest.raises(actions.LockedPlanError):
        actions.set_members(group, [], {}, expected=plan.lock_version, by=world.coordinator)
    assert group.memberships.count() == 5


def test_it_makes_a_new_version_that_keeps_the_approved_one_until_it_is_approved(world: World, client_for: Any) -> None:
    plan = factories.ready_plan(world)
    actions.submit_plan(plan, expected=plan.lock_version, by=world.coordinator)
    actions.approve_plan(plan, expected=plan.lock_version, by=world.coordinator)
    response = client_for("coordinator").post(reverse("planning:plan_new_version", args=[plan.pk]))
    copy = Plan.objects.get(partnership=world.partnership, year=2025, version=2)
    assert response["Location"] == copy.get_absolute_url()
    assert copy.status == PlanStatus.DRAFT
    old_groups = {g.name: g for g in plan.groups.all()}
    for group in copy.groups.all():
        original = old_groups[group.name]
        assert group.copied_from == original
        assert (group.planned_hours, group.supervisor_id, group.declaration_id) == (
            original.planned_hours,
            original.supervisor_id,
            original.declaration_id,
        )
        assert set(group.memberships.values_list("person_id", flat=True)) == set(
            original.memberships.values_list("person_id", flat=True)
        )
    # The approved version stays in force while the new one is worked on.
    assert plan_in_force(world.partnership, 2025) == plan
    assert current_plan(world.partnership, 2025) == copy
    with pytest.raises(actions.PlanError, match="già in lavorazione"):
        actions.new_version(plan, by=world.coordinator)
    changed = _group(copy)
    changed.planned_hours = Decimal(20)
    actions.save_group(changed, expected=copy.lock_version, by=world.coordinator)
    actions.submit_plan(copy, expected=copy.lock_version, by=world.coordinator)
    actions.approve_plan(copy, expected=copy.lock_version, by=world.coordinator)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUPERSEDED
    assert plan_in_force(world.partnership, 2025) == copy
    # The old version keeps its hours: nothing of it changed.
    assert _group(plan).planned_hours == Decimal(16)
    assert "Versione sostituita" in client_for("coordinator").get(plan.get_absolute_url()).content.decode()


def test_it_returns_a_submitted_plan_to_draft(world: World) -> None:
    plan = factories.ready_plan(world)
    actions.submit_plan(plan, expected=plan.lock_version, by=world.coordinator)
    with pytest.raises(actions.LockedPlanError, match="per cambiarlo va prima restituito in bozza"):
        actions.update_plan(plan, expected=plan.lock_version, by=world.coordinator)
    actions.return_plan(plan, expected=plan.lock_version, by=world.coordinator, reason="Ore A3 da rivedere")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert AuditEntry.objects.filter(message="Restituito in bozza: Ore A3 da rivedere").exists()


def test_it_refuses_a_stale_edit_from_a_second_user_without_overwriting_the_first(
    world: World, client_for: Any
) -> None:
    plan = factories.ready_plan(world)
    group = _group(plan)
    first, second = client_for("coordinator"), client_for("admin")
    url = reverse("planning:group_edit", args=[plan.pk, group.pk])
    # Both open the form: it carries the same lock_version.
    shown = f'name="lock_version" value="{plan.lock_version}"'
    assert shown in first.get(url).content.decode()
    assert shown in second.get(url).content.decode()
    response = first.post(url, _edit_data(group, plan.lock_version, planned_hours="20"))
    assert response.status_code == 302
    response = second.post(url, _edit_data(group, plan.lock_version, planned_hours="30", note="Dal secondo utente"))
    assert response.status_code == 200
    assert (
        "Il piano è stato modificato da un altro utente dopo che hai aperto questa pagina" in response.content.decode()
    )
    # The message links to the current version (reloading would send the old form again), which carries the
    # lock_version of the first user's save.
    assert f'<a href="{url}">Apri la versione attuale</a>' in response.content.decode()
    current = type(plan).objects.get(pk=plan.pk).lock_version
    assert f'name="lock_version" value="{current}"' in second.get(url).content.decode()
    group.refresh_from_db()
    assert (group.planned_hours, group.note) == (Decimal(20), "")
    # The same for the plan's own form and for the workflow buttons.
    response = second.post(
        reverse("planning:plan_edit", args=[plan.pk]),
        {"lock_version": plan.lock_version, "first_month": 3, "last_month": 12, "deadline": "2025-03-31"},
    )
    assert "modificato da un altro utente" in response.content.decode()
    plan.refresh_from_db()
    assert plan.first_month == 1
    response = second.post(
        reverse("planning:plan_submit", args=[plan.pk]), {"lock_version": plan.lock_version - 1}, follow=True
    )
    assert "modificato da un altro utente" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_it_offers_only_eligible_supervisors_and_requires_their_declaration(world: World, client_for: Any) -> None:
    plan = factories.ready_plan(world)
    psychologist = factories.supervisor(world, "Russo", profession="psicologo")
    undeclared = factories.supervisor(world, "Greco", declared=False)
    group = _group(plan)
    client = client_for("coordinator")
    url = reverse("planning:group_edit", args=[plan.pk, group.pk])
    form = client.get(url).content.decode()
    assert "Greco Chiara" in form
    assert "Russo Chiara" not in form  # a psychologist may not lead A1
    response = client.post(url, _edit_data(group, plan.lock_version, supervisor=psychologist.pk, declaration=""))
    assert "Scegli un&#x27;opzione valida" in response.content.decode()
    response = client.post(url, _edit_data(group, plan.lock_version, supervisor=undeclared.pk, declaration=""))
    assert "Manca la dichiarazione di assenza di rapporti gerarchici" in response.content.decode()
    group.refresh_from_db()
    assert group.supervisor != undeclared
    # A3 is open to the psychologist.
    equipe = _group(plan, GroupKind.A3)
    assert "Russo Chiara" in client.get(reverse("planning:group_edit", args=[plan.pk, equipe.pk])).content.decode()


def test_it_rejects_bad_hours_and_a_funding_of_another_contract(world: World, client_for: Any) -> None:
    plan = factories.ready_plan(world)
    other = factories.contract(world, start=plan.starts_on)
    group = _group(plan)
    url = reverse("planning:group_edit", args=[plan.pk, group.pk])
    client = client_for("coordinator")
    response = client.post(url, _edit_data(group, plan.lock_version, planned_hours="-3"))
    assert "Assicurati che questo valore sia maggiore o uguale a 0" in response.content.decode()
    response = client.post(url, _edit_data(group, plan.lock_version, planned_hours="dieci"))
    assert response.status_code == 200
    response = client.post(url, _edit_data(group, plan.lock_version, funding=other.pnrr.pk))
    assert "Scegli una fonte di finanziamento del contratto indicato." in response.content.decode()
    response = client.post(url, {"name": group.name, "planned_hours": "20"})
    assert "La pagina è incompleta: ricaricala e ripeti la modifica." in response.content.decode()
    group.refresh_from_db()
    assert (group.planned_hours, group.funding_id) == (Decimal(16), plan.groups.first().funding_id)  # type: ignore[union-attr]  # the plan has groups


def test_it_moves_people_between_a1_groups_and_caps_a_group_at_15(world: World, client_for: Any) -> None:
    factories.census_of(world, {"PUG_MAGLIE": 20})
    plan = actions.create_plan(world.partnership, 2025, by=world.coordinator)
    first, second = plan.groups.filter(kind=GroupKind.A1).order_by("name")
    moved = list(second.memberships.values_list("person_id", flat=True)[:2])
    keep = list(first.memberships.values_list("person_id", flat=True))
    url = reverse("planning:group_members", args=[plan.pk, first.pk])
    client = client_for("coordinator")
    response = client.post(url, {"lock_version": plan.lock_version, "people": [*keep, *moved]})
    assert response.status_code == 302
    assert first.memberships.count() == 12
    assert second.memberships.count() == 8
    plan.refresh_from_db()
    everyone = list(plan.groups.get(pk=second.pk).memberships.values_list("person_id", flat=True))
    response = client.post(url, {"lock_version": plan.lock_version, "people": [*keep, *moved, *everyone]})
    assert "Un gruppo A1 ha al massimo 15 partecipanti: ne hai scelti 20." in response.content.decode()
    assert first.memberships.count() == 12


def test_it_adds_an_extra_leps_group_that_never_counts_toward_the_minimum(world: World, client_for: Any) -> None:
    plan = factories.ready_plan(world)
    client = client_for("coordinator")
    response = client.post(
        reverse("planning:group_create", args=[plan.pk, "extra"]),
        {
            "lock_version": plan.lock_version,
            "profession": "educatore_professionale",
            "name": "Educatori",
            "planned_hours": "10",
        },
    )
    assert response.status_code == 302
    extra = plan.groups.get(kind=GroupKind.EXTRA)
    assert extra.memberships.count() == 2  # the educators of the census
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Educatori" in page
    # No eligible educator supervisor: the group lacks one, and that blocks submission; its hours count nowhere.
    assert "Educatori: nessun supervisore assegnato." in page
    response = client.post(
        reverse("planning:group_create", args=[plan.pk, "extra"]),
        {
            "lock_version": plan.lock_version + 1,
            "profession": "assistente_sociale",
            "name": "AS",
            "planned_hours": "10",
        },
    )
    assert "Scegli un&#x27;opzione valida" in response.content.decode()
