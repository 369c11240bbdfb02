"""Who pays with a funding row: the rule of ``leps.fnps`` on the data of a contract.

An FNPS row names the ATS whose quota pays (``ContractFunding.ambito``); it may pay for the supervision of
another ATS's staff only under the partnership's agreement with quotas per ATS (``FundingAgreement``) in force
over the period charged, and the cost is then shared by those quotas. Rows of other sources (PNRR, other) are not
bound by the rule.

Planning (the funding row of a plan's group) and sessions (the row a booking picks) ask ``check_funding`` with the
people supervised per ATS, so that both refuse with the same words; the plan page asks ``Payers`` for all its
groups in a fixed number of queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q

from supervisione.leps.fnps import PayerCheck, PayerVerdict, check_payer, cost_by_ats, describe_payer
from supervisione.procurement.models import AgreementShare, ContractFunding, FundingAgreement
from supervisione.territory.models import Ambito, FundingMeasure


@dataclass(frozen=True)
class FundingCheck:
    """The rule's verdict on a funding row for some people, the agreement it read, and the ATS' names."""

    funding: ContractFunding
    check: PayerCheck[int] | None  # None: not an FNPS row, the rule does not apply
    agreement: FundingAgreement | None
    names: Mapping[int, str]

    @property
    def allowed(self) -> bool:
        return self.check is None or self.check.allowed

    @property
    def shared(self) -> bool:
        """Allowed, the cost shared by the agreement's quotas."""
        return self.check is not None and self.check.shared

    @property
    def message(self) -> str:
        """The verdict in words ("" for rows the rule does not bind), naming the agreement that shares the cost."""
        if self.check is None:
            return ""
        text = describe_payer(self.check, self.name)
        if self.agreement is not None and (self.check.shared or self.check.verdict is PayerVerdict.NOT_IN_AGREEMENT):
            text += f" Accordo: {self.agreement} ({self.agreement.period_text})."
        return text

    def message_about(self, subject: str) -> str:
        """The verdict after a subject and a colon, as lists of problems say it: "Gruppo 2: la quota FNPS..."."""
        return about(subject, self.message)

    def name(self, ambito_id: int) -> str:
        return self.names.get(ambito_id, f"ATS {ambito_id}")

    def cost_by_ats(self, total: Decimal) -> list[tuple[str, Decimal]]:
        """What each ATS pays of a cost charged to the row, by name (empty for rows the rule does not bind)."""
        if self.check is None:
            return []
        return [(self.name(ambito), part) for ambito, part in cost_by_ats(self.check, total).items()]


class Payers:
    """The agreements of some partnerships and the names of their ATS, read once, to check many rows."""

    def __init__(self, partnership_ids: Iterable[int], ambito_ids: Iterable[int] = ()) -> None:
        self.agreements = list(
            FundingAgreement.objects.filter(partnership_id__in=set(partnership_ids))
            .select_related("partnership")
            .prefetch_related(Prefetch("shares", queryset=AgreementShare.objects.order_by("ambito__name", "pk")))
            .order_by("-valid_from", "pk")
        )
        wanted = set(ambito_ids) | {share.ambito_id for a in self.agreements for share in a.shares.all()}
        self.names: dict[int, str] = dict(Ambito.objects.filter(pk__in=wanted).values_list("pk", "name"))

    def agreement_for(
        self, funding: ContractFunding, first: datetime.date, last: datetime.date
    ) -> FundingAgreement | None:
        """The agreement in force on every day from ``first`` to ``last`` for the row's contract: one naming the
        contract, else one for all the partnership's contracts."""
        partnership_id = funding.contract.partnership_id
        if partnership_id is None:
            return None
        fitting = [
            agreement
            for agreement in self.agreements
            if agreement.partnership_id == partnership_id
            and agreement.contract_id in (funding.contract_id, None)
            and agreement.covers(first, last)
        ]
        fitting.sort(key=lambda agreement: agreement.contract_id is None)  # stable: the latest first otherwise
        return fitting[0] if fitting else None

    def check(
        self, funding: ContractFunding, people: Mapping[int, int], first: datetime.date, last: datetime.date
    ) -> FundingCheck:
        """May ``funding`` pay for these people (how many per ATS id) from ``first`` to ``last``?"""
        if funding.measure != FundingMeasure.FNPS or funding.ambito_id is None:
            return FundingCheck(funding, None, None, self.names)
        missing = ({funding.ambito_id} | set(people)) - set(self.names)
        if missing:
            self.names.update(Ambito.objects.filter(pk__in=missing).values_list("pk", "name"))
        agreement = self.agreement_for(funding, first, last)
        shares = None if agreement is None else {s.ambito_id: s.percent for s in agreement.shares.all()}
        verdict = check_payer(funding.ambito_id, people, shares)
        return FundingCheck(funding, verdict, agreement if shares is not None else None, self.names)


def about(subject: str, message: str) -> str:
    """ "Gruppo 2" and "La quota..." -> "Gruppo 2: la quota..."."""
    return f"{subject}: {message[:1].lower()}{message[1:]}"


def check_funding(
    funding: ContractFunding, people: Mapping[int, int], first: datetime.date, last: datetime.date
) -> FundingCheck:
    """One row: may it pay for these people (how many per ATS id) from ``first`` to ``last``?"""
    if funding.measure != FundingMeasure.FNPS:
        return FundingCheck(funding, None, None, {})
    partnership_ids = [funding.contract.partnership_id] if funding.contract.partnership_id else []
    return Payers(partnership_ids).check(funding, people, first, last)


def overlapping_agreement(
    agreement: FundingAgreement, contract_id: int | None, start: datetime.date, end: datetime.date | None
) -> FundingAgreement | None:
    """Another agreement of the same partnership for the same contract (or for all its contracts) in force on a
    day of ``start``-``end``: two would leave the quotas in doubt."""
    same_contract = Q(contract__isnull=True) if contract_id is None else Q(contract_id=contract_id)
    others = FundingAgreement.objects.filter(same_contract, partnership_id=agreement.partnership_id).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=start)
    )
    if end is not None:
        others = others.filter(valid_from__lte=end)
    if agreement.pk is not None:
        others = others.exclude(pk=agreement.pk)
    return others.order_by("valid_from", "pk").first()
