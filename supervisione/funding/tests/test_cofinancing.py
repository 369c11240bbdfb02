"""An ATS's decision on co-financing with its FNPS quota, recorded in a meeting's minutes, updates its FNPS
allocation of the decision's year, through the hook funding registers in meetings (audited); an amount beyond the
allocation is refused and nothing changes; without an allocation the decision stays in the minutes only."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.urls import reverse

from supervisione.audit.models import AuditEntry
from supervisione.funding.models import Cofinancing, FnpsAllocation
from supervisione.meetings import requests
from supervisione.meetings.actions import save_decision
from supervisione.meetings.models import AmbitoDecision, Decision, DecisionTopic, Outcome, Task, TaskStatus
from supervisione.meetings.tests import factories
from supervisione.testing.frozen import frozen
from supervisione.testing.world import World


def _decision(world: World) -> Decision:
    meeting = factories.meeting(world.partnership, invite=world.maglie)
    minutes = factories.minutes(meeting)
    decision = Decision(
        minutes=minutes,
        text="Ogni ATS decide se co-finanzia con la quota FNPS 2023",
        per_ambito=True,
        topic=DecisionTopic.FNPS_COFINANCING,
        fnps_year=2023,
    )
    return save_decision(decision, by=world.coordinator)


def _allocation(world: World) -> FnpsAllocation:
    return FnpsAllocation.objects.create(ambito=world.maglie, first_year=2023, last_year=2024, amount=Decimal(10000))


def _record(client: Any, row: AmbitoDecision, **data: str) -> Any:
    url = reverse("meetings:ambito_decision_edit", args=[row.decision.minutes.meeting_id, row.pk])
    return client.post(url, data, follow=True)


@frozen(2023, 4, 19)
def test_a_yes_with_amount_and_act_updates_the_allocation_of_that_year_audited(world: World, client_for: Any) -> None:
    allocation = _allocation(world)
    decision = _decision(world)
    row = decision.ambito_decisions.get(ambito=world.maglie)
    requests.ask_each_ambito(
        decision, datetime.date(2023, 5, 15), "L'ATS comunica la sua decisione.", by=world.coordinator
    )
    page = _record(
        client_for("coordinator"), row, outcome=Outcome.YES, amount="6.000,00", act="Delibera n. 12 del 02/05/2023"
    ).content.decode()
    assert "Stanziamento FNPS 2023-2024 di Ambito di Maglie aggiornato: sì, 6.000,00 €, Delibera n. 12" in page
    allocation.refresh_from_db()
    assert (allocation.cofinancing, allocation.cofinancing_amount, allocation.cofinancing_act) == (
        Cofinancing.YES,
        Decimal(6000),
        "Delibera n. 12 del 02/05/2023",
    )
    assert allocation.cofinancing_source == "Verbale della riunione «Coordinamento del partenariato» del 19/04/2023"
    entry = AuditEntry.objects.get(code="funding.fnpsallocation.cofinancing_recorded")
    assert (entry.user, entry.ambito_id, entry.object_id) == (world.coordinator, world.maglie.pk, str(allocation.pk))
    # The request to Maglie is done; the other ATS's are still open.
    task = Task.objects.get(decision=decision, owner_ambito=world.maglie)
    assert (task.status, task.done_on) == (TaskStatus.DONE, datetime.date(2023, 4, 19))
    assert AuditEntry.objects.filter(code="meetings.task.done", object_id=str(task.pk)).exists()
    assert Task.objects.filter(decision=decision, status=TaskStatus.OPEN).exclude(owner_ambito=world.maglie).exists()
    # The funds page of the ATS says it.
    funds = client_for("referent").get(reverse("funding:ambito_funds", args=[world.maglie.code])).content.decode()
    assert "Co-finanzia il servizio di supervisione: sì, 6.000,00 €, Delibera n. 12 del 02/05/2023" in funds
    # A no clears the amount.
    _record(client_for("coordinator"), row, outcome=Outcome.NO, amount="", act="Nota del 03/05/2023")
    allocation.refresh_from_db()
    assert (allocation.cofinancing, allocation.cofinancing_amount) == (Cofinancing.NO, None)


def test_an_amount_beyond_the_allocation_is_refused_and_nothing_changes(world: World, client_for: Any) -> None:
    allocation = _allocation(world)
    row = _decision(world).ambito_decisions.get(ambito=world.maglie)
    page = _record(client_for("coordinator"), row, outcome=Outcome.YES, amount="12.000,00", act="Delibera n. 1")
    assert "supera lo stanziamento FNPS 2023-2024 di Ambito di Maglie per la supervisione (10.000,00 €)" in (
        page.content.decode()
    )
    row.refresh_from_db()
    allocation.refresh_from_db()
    assert (row.outcome, allocation.cofinancing) == (Outcome.PENDING, Cofinancing.UNDECIDED)
    assert not AuditEntry.objects.filter(code="meetings.ambitodecision.recorded").exists()


def test_without_an_allocation_the_decision_stays_in_the_minutes(world: World, client_for: Any) -> None:
    row = _decision(world).ambito_decisions.get(ambito=world.maglie)
    page = _record(client_for("coordinator"), row, outcome=Outcome.YES, amount="500", act="Delibera n. 1").content
    assert "Ambito di Maglie non ha uno stanziamento FNPS 2023 registrato" in page.decode()
    row.refresh_from_db()
    assert row.outcome == Outcome.YES


def test_a_decision_on_fnps_co_financing_needs_its_year_and_each_ats(world: World, client_for: Any) -> None:
    meeting = factories.meeting(world.partnership)
    factories.minutes(meeting)
    response = client_for("coordinator").post(
        reverse("meetings:decision_add", args=[meeting.pk]), {"text": "Co-finanziamento", "topic": "fnps_cofinancing"}
    )
    page = response.content.decode()
    assert "Sul co-finanziamento con la quota FNPS ogni ATS decide per sé." in page
    assert "Indica l&#x27;annualità FNPS di cui si decide." in page
    assert not Decision.objects.exists()
