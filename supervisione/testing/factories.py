"""Small factories for objects the world does not hold, shared by tests and the URL samples.

Each returns a saved object with plausible values; keyword arguments override them. Add one here when a
capability's URL sample (``supervisione/testing/url_samples.py``) needs an object of its own.
"""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile

from supervisione.accounts.models import User
from supervisione.funding.models import FnpsAllocation, LedgerEntry, Stage
from supervisione.leps.choices import ProfessionChoices
from supervisione.lib import clock
from supervisione.lib.uploads import CheckedUpload, check_upload
from supervisione.planning.models import RuleSet
from supervisione.procurement import actions as procurement_actions
from supervisione.procurement.models import (
    CoDesignMember,
    CoDesignTable,
    Contract,
    ContractDocument,
    ContractDocumentKind,
    ContractFunding,
    ContractLine,
    DeadlineKind,
    FundingAgreement,
    Procedure,
    TenderDeadline,
)
from supervisione.supervisors import actions as supervisor_actions
from supervisione.supervisors.models import Absence, Document, DocumentKind, Supervisor, Training, WeeklyAvailability
from supervisione.territory.models import Ambito, Organisation, OrganisationKind, Partnership

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _create(model: Any, defaults: dict[str, Any], fields: dict[str, Any]) -> Any:
    return model.objects.create(**{**defaults, **fields})


def organisation(**fields: Any) -> Organisation:
    defaults = {"name": "Cooperativa Sociale Esempio", "kind": OrganisationKind.COOPERATIVE}
    created: Organisation = _create(Organisation, defaults, fields)
    return created


def future_rule_set(**fields: Any) -> RuleSet:
    """LEPS parameters in force from next year: the only kind administrators may still edit."""
    created: RuleSet = _create(RuleSet, {"valid_from": datetime.date(clock.today().year + 1, 1, 1)}, fields)
    return created


# --- supervisors ------------------------------------------------------------------------------------------


def supervisor(partnership: Partnership, **fields: Any) -> Supervisor:
    defaults = {
        "partnership": partnership,
        "surname": "Longo",
        "name": "Chiara",
        "profession": ProfessionChoices.ASSISTENTE_SOCIALE,
        "years_social_work": 12,
        "years_supervising_as": 4,
    }
    created: Supervisor = _create(Supervisor, defaults, fields)
    return created


def training(of: Supervisor) -> Training:
    created: Training = Training.objects.create(
        supervisor=of, title="Master in supervisione", institution="X", year=2018
    )
    return created


def weekly_slot(of: Supervisor) -> WeeklyAvailability:
    created: WeeklyAvailability = WeeklyAvailability.objects.create(
        supervisor=of, weekday=0, start_time=datetime.time(9), end_time=datetime.time(13)
    )
    return created


def absence(of: Supervisor) -> Absence:
    created: Absence = Absence.objects.create(
        supervisor=of, start_date=datetime.date(2026, 8, 1), end_date=datetime.date(2026, 8, 31)
    )
    return created


def _checked_pdf() -> CheckedUpload:
    return check_upload(ContentFile(PDF), name="documento.pdf", size=len(PDF), allowed={"pdf"}, max_bytes=10_000)


def document(of: Supervisor, *, by: User | None = None) -> Document:
    """A small PDF (a CV) stored through the app's own action."""
    return supervisor_actions.store_document(
        ContentFile(PDF), _checked_pdf(), kind=DocumentKind.CV, title="Documento", by=by, supervisor=of
    )


def contract(partnership: Partnership | None, **fields: Any) -> Contract:
    defaults = {"partnership": partnership, "title": "Servizio di supervisione", "procedure": Procedure.CO_DESIGN}
    created: Contract = _create(Contract, defaults, fields)
    return created


def contract_document(of: Contract, *, by: User | None = None) -> ContractDocument:
    """A small PDF (the contract) stored through the app's own action."""
    return procurement_actions.store_contract_document(
        ContentFile(PDF), _checked_pdf(), kind=ContractDocumentKind.CONTRACT, title="Documento", by=by, contract=of
    )


def contract_line(of: Contract) -> ContractLine:
    created: ContractLine = ContractLine.objects.create(
        contract=of, kind="A1", hourly_rate=Decimal(65), hours=Decimal(64)
    )
    return created


def contract_funding(of: Contract) -> ContractFunding:
    created: ContractFunding = ContractFunding.objects.create(
        contract=of, measure="pnrr_114", amount=Decimal(15000), cup="J81H22000130006"
    )
    return created


def agreement(partnership: Partnership, shares: dict[Any, Decimal] | None = None, **fields: Any) -> FundingAgreement:
    """An agreement on the FNPS quotas of the partnership, for all its contracts, in force since 2025, with equal
    quotas for the capofila and the first partner by name (Casarano, in the world of the tests), or ``shares`` by
    ATS, saved through its action."""
    defaults: dict[str, Any] = {
        "partnership": partnership,
        "act": "Convenzione tra gli ATS",
        "act_date": datetime.date(2024, 12, 10),
        "valid_from": datetime.date(2025, 1, 1),
    }
    made = FundingAgreement(**{**defaults, **fields})
    if shares is None:
        partner = partnership.members.exclude(pk=partnership.capofila_id).order_by("name").first()
        shares = (
            {partnership.capofila: Decimal(50), partner: Decimal(50)}
            if partner
            else {partnership.capofila: Decimal(100)}
        )
    return procurement_actions.save_agreement(made, shares, by=None)


def tender_deadline(of: Contract) -> TenderDeadline:
    now = clock.now()
    created: TenderDeadline = TenderDeadline.objects.create(
        contract=of, kind=DeadlineKind.OFFERS, original_due_at=now, due_at=now
    )
    return created


def codesign_table(of: Contract) -> CoDesignTable:
    created: CoDesignTable = CoDesignTable.objects.create(contract=of, opened_on=datetime.date(2024, 10, 23))
    return created


def codesign_member(of: CoDesignTable, **fields: Any) -> CoDesignMember:
    """A member of the table: an organisation unless ``ambito=`` says an ATS."""
    defaults: dict[str, Any] = {"table": of, "role": "Referente"}
    if "ambito" not in fields and "organisation" not in fields:
        defaults["organisation"] = organisation(name="Cooperativa al tavolo")
    created: CoDesignMember = _create(CoDesignMember, defaults, fields)
    return created


# --- funding ---------------------------------------------------------------------------------------------


_act_numbers = itertools.count(1)


def fnps_allocation(ambito: Ambito, first_year: int = 2023, **fields: Any) -> FnpsAllocation:
    """The ATS's FNPS allocation that begins in ``first_year`` (the one there is, or a new one of 10,000 EUR)."""
    defaults = {"last_year": first_year, "amount": Decimal(10000), "decree_number": "A.D. n. 1/2023", **fields}
    allocation, _created = FnpsAllocation.objects.get_or_create(ambito=ambito, first_year=first_year, defaults=defaults)
    return allocation


def commitment(ambito: Ambito, partnership: Partnership, amount: Decimal = Decimal(1000)) -> LedgerEntry:
    """A commitment of 1,000 EUR on the ATS's 2023 allocation, to a new contract of the partnership."""
    created: LedgerEntry = LedgerEntry.objects.create(
        ambito=ambito,
        allocation=fnps_allocation(ambito),
        stage=Stage.COMMITTED,
        amount=amount,
        date=datetime.date(2024, 3, 1),
        act_number=f"{next(_act_numbers)}/2024",
        contract=contract(partnership),
    )
    return created
