from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from supervisione.accounts.models import User
from supervisione.accounts.scopes import scope_for
from supervisione.procurement.models import Contract, ContractFunding, ContractStatus, Postponement, TenderDeadline
from supervisione.procurement.steps import procurement_steps
from supervisione.procurement.tests.conftest import Records
from supervisione.testing.world import World


def titles(user: User) -> list[str]:
    return [step.title for step in procurement_steps(user, scope_for(user))]


def test_it_warns_the_coordinator_of_a_contract_about_to_expire(records: Records, world: World) -> None:
    records.contract.end_date = timezone.localdate() + datetime.timedelta(days=40)
    records.contract.save(update_fields=["end_date"])
    assert "Il contratto «Supervisione con Aurora» scade tra 40 giorni" in titles(world.coordinator)
    records.contract.end_date = timezone.localdate() + datetime.timedelta(days=61)
    records.contract.save(update_fields=["end_date"])
    assert not any("scade" in title for title in titles(world.coordinator))
    records.contract.end_date = timezone.localdate() - datetime.timedelta(days=1)
    records.contract.save(update_fields=["end_date"])
    assert "Supervisione con Aurora: contratto scaduto" in titles(world.coordinator)


def test_it_reminds_tender_deadlines_and_outcomes(records: Records, world: World) -> None:
    tender = Contract.objects.create(
        partnership=world.partnership, title="Gara MePA", procedure="mepa", status=ContractStatus.PROCEDURE
    )
    soon = timezone.now() + datetime.timedelta(days=5)
    TenderDeadline.objects.create(contract=tender, kind="questions", original_due_at=soon, due_at=soon)
    assert "Scadenza tra 5 giorni: Richieste di chiarimenti (Gara MePA)" in titles(world.coordinator)
    past = timezone.now() - datetime.timedelta(days=3)
    deadline = TenderDeadline.objects.create(
        contract=tender, kind="offers", original_due_at=past - datetime.timedelta(days=7), due_at=past
    )
    Postponement.objects.create(
        deadline=deadline, previous_due_at=deadline.original_due_at, new_due_at=past, reason="Guasto MePA"
    )
    steps = procurement_steps(world.coordinator, scope_for(world.coordinator))
    outcome = next(step for step in steps if step.title == "Gara MePA: registra l'esito della procedura")
    assert "(dopo una proroga)" in outcome.detail
    tender.status = ContractStatus.ACTIVE
    tender.provider = records.provider
    tender.start_date = tender.end_date = timezone.localdate() + datetime.timedelta(days=365)
    tender.save()
    assert not any("Gara MePA:" in title or "Scadenza" in title for title in titles(world.coordinator))


def test_it_asks_for_rates_and_funding_of_running_contracts(records: Records, world: World) -> None:
    records.line.delete()
    records.funding.delete()
    found = titles(world.coordinator)
    assert "Indica tariffe e ore di «Supervisione con Aurora»" in found
    assert "Indica la fonte di finanziamento di «Supervisione con Aurora»" in found


def test_it_gives_these_steps_to_coordinators_only(records: Records, world: World) -> None:
    for persona in ("referent", "supervisor", "supervisee", "observer", "outsider", "admin"):
        assert titles(world.user(persona)) == [], persona


def test_it_asks_to_confirm_the_ats_paying_an_fnps_row_the_migration_gave_the_capofila(
    records: Records, world: World
) -> None:
    row = ContractFunding.objects.create(
        contract=records.contract, measure="fnps", amount=Decimal(1000), year=2027, ambito=world.poggiardo
    )
    assert not any("Conferma quale ATS paga" in title for title in titles(world.coordinator))
    ContractFunding.objects.filter(pk=row.pk).update(payer_to_confirm=True)
    assert "Conferma quale ATS paga le quote FNPS di «Supervisione con Aurora»" in titles(world.coordinator)
    assert not any("Conferma quale ATS paga" in title for title in titles(world.referent))
