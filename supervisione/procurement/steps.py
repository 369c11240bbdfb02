"""What coordinators have to do next about contracts and procedures (home page)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from supervisione.accounts.models import User
from supervisione.accounts.scopes import Scope
from supervisione.lib import clock
from supervisione.lib.steps import Step
from supervisione.procurement.models import Contract, ContractFunding, ContractLine, ContractStatus, TenderDeadline
from supervisione.supervisors.steps import managed_q

EXPIRY_WARNING_DAYS = 60
DEADLINE_WARNING_DAYS = 30


def _days(count: int) -> str:
    return "domani" if count == 1 else "oggi" if count == 0 else f"tra {count} giorni"


def procurement_steps(user: User, scope: Scope) -> list[Step]:
    """Steps for coordinators about the procedures and contracts of their partnerships and member ATS."""
    managed = managed_q(scope)
    if managed is None:
        return []
    return _deadline_steps(managed, clock.now()) + _contract_steps(managed, clock.today())


def _deadline_steps(managed: Q, now: datetime.datetime) -> list[Step]:
    steps: list[Step] = []
    procedures = Contract.objects.filter(managed, status=ContractStatus.PROCEDURE)
    # Every term up to the end of the warning window in one query: the expired ones, the latest first, then those
    # to come.
    deadlines = list(
        TenderDeadline.objects.filter(
            contract__in=procedures, due_at__lte=now + datetime.timedelta(days=DEADLINE_WARNING_DAYS)
        )
        .select_related("contract")
        .order_by("due_at", "pk")
    )
    expired = [deadline for deadline in deadlines if deadline.due_at < now]
    # The latest expired deadline and every upcoming one within the warning window, per procedure.
    expired_seen: set[int] = set()
    for deadline in sorted(expired, key=lambda deadline: deadline.due_at, reverse=True):
        if deadline.contract_id in expired_seen:
            continue
        expired_seen.add(deadline.contract_id)
        local = timezone.localtime(deadline.due_at)
        steps.append(
            Step(
                f"{deadline.contract.title}: registra l'esito della procedura",
                f"Il termine «{deadline}» è scaduto il {local:%d/%m/%Y} alle {local:%H:%M}"
                + (" (dopo una proroga)" if deadline.was_postponed else "")
                + ": indica il fornitore e lo stato del contratto, o una nuova proroga.",
                deadline.contract.get_absolute_url(),
                "warning",
            )
        )
    for deadline in deadlines[len(expired) :]:
        local = timezone.localtime(deadline.due_at)
        days = (local.date() - clock.today()).days
        steps.append(
            Step(
                f"Scadenza {_days(days)}: {deadline} ({deadline.contract.title})",
                f"Termine: {local:%d/%m/%Y} alle {local:%H:%M}.",
                deadline.contract.get_absolute_url(),
                "warning" if days <= 7 else "info",
            )
        )
    return steps


def _contract_steps(managed: Q, today: datetime.date) -> list[Step]:
    steps: list[Step] = []
    contracts = Contract.objects.filter(managed, status=ContractStatus.ACTIVE).annotate(
        has_lines=Exists(ContractLine.objects.filter(contract=OuterRef("pk"))),
        has_funding=Exists(ContractFunding.objects.filter(contract=OuterRef("pk"))),
        payers_to_confirm=Count("fundings", filter=Q(fundings__payer_to_confirm=True)),
    )
    for contract in contracts.order_by("end_date", "pk"):
        url = contract.get_absolute_url()
        if contract.end_date is not None and contract.end_date < today:
            steps.append(
                Step(
                    f"{contract.title}: contratto scaduto",
                    f"Il contratto è terminato il {contract.end_date:%d/%m/%Y} ma risulta ancora in esecuzione: "
                    "aggiorna lo stato o registra la proroga del contratto.",
                    url,
                    "warning",
                )
            )
        elif contract.end_date is not None and (contract.end_date - today).days <= EXPIRY_WARNING_DAYS:
            days = (contract.end_date - today).days
            steps.append(
                Step(
                    f"Il contratto «{contract.title}» scade {_days(days)}",
                    f"Termina il {contract.end_date:%d/%m/%Y}: prepara il rinnovo o la nuova procedura perché la "
                    "supervisione non si interrompa.",
                    url,
                    "warning",
                )
            )
        if not contract.has_lines:
            steps.append(
                Step(
                    f"Indica tariffe e ore di «{contract.title}»",
                    "Senza tariffa oraria e ore acquistate per tipo il piano annuale non può calcolare i costi.",
                    url,
                )
            )
        if contract.payers_to_confirm:
            rows = "una quota FNPS" if contract.payers_to_confirm == 1 else f"{contract.payers_to_confirm} quote FNPS"
            steps.append(
                Step(
                    f"Conferma quale ATS paga le quote FNPS di «{contract.title}»",
                    f"All'aggiornamento del programma {rows} del contratto è stata attribuita d'ufficio all'ATS "
                    "capofila, perché i dati non dicevano quale ATS paga: confermala o correggila.",
                    url,
                    "warning",
                )
            )
        if not contract.has_funding:
            steps.append(
                Step(
                    f"Indica la fonte di finanziamento di «{contract.title}»",
                    "Ogni incontro e ogni costo devono essere imputati a una fonte (PNRR per CUP, FNPS per anno...).",
                    url,
                    "warning",
                )
            )
    return steps
