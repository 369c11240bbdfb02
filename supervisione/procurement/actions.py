"""Writes to contracts and their parts, each in one transaction with its audit entry."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import IO, TYPE_CHECKING, TypeVar

from django.db import models, transaction
from django.db.models import Sum
from django.utils import timezone

from supervisione.accounts.models import User
from supervisione.audit.actions import delete_audited, record, save_audited
from supervisione.audit.models import AuditAction
from supervisione.leps.fnps import shares_problems
from supervisione.leps.wording import percent_text
from supervisione.lib.uploads import CheckedUpload, delete_stored_on_commit, stored_upload
from supervisione.procurement.models import (
    AgreementShare,
    Contract,
    ContractDocument,
    ContractDocumentKind,
    FundingAgreement,
    Postponement,
    TenderDeadline,
)
from supervisione.procurement.payers import overlapping_agreement
from supervisione.territory.models import Ambito, PartnershipMember

if TYPE_CHECKING:
    from supervisione.accounts.models import User

# Any part saved with its owner's tenant keys comes back as what it was.
Part = TypeVar("Part", bound=models.Model)


def save_contract(contract: Contract, *, by: User) -> Contract:
    save_audited(contract, by=by)
    return contract


def save_part(instance: Part, *, owner: Contract, by: User, message: str = "") -> Part:
    """Save a part of a contract (line, funding source, co-design table...), audited under the contract's
    partnership or ATS."""
    save_audited(instance, by=by, message=message or f"{instance._meta.verbose_name} di {owner}", **owner.tenant_keys)
    return instance


def delete_part(instance: models.Model, *, owner: Contract, by: User, message: str = "") -> None:
    delete_audited(instance, by=by, message=message or f"{instance._meta.verbose_name} di {owner}", **owner.tenant_keys)


def store_contract_document(
    file: IO[bytes],
    checked: CheckedUpload,
    *,
    kind: ContractDocumentKind,
    title: str,
    by: User | None,
    contract: Contract,
) -> ContractDocument:
    """Save the file under a generated name and its record; the file is removed if the record fails."""
    with stored_upload(file, checked, f"contratti/{contract.pk}") as name, transaction.atomic():
        document = ContractDocument(
            contract=contract,
            kind=kind,
            title=title,
            file=name,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=by if getattr(by, "is_authenticated", False) else None,
        )
        save_audited(document, by=by, message=f"Documento caricato per {contract}", **contract.tenant_keys)
    return document


def delete_contract_document(document: ContractDocument, *, by: User) -> None:
    contract = document.contract
    with transaction.atomic():
        delete_audited(document, by=by, message=f"Documento eliminato da {contract}", **contract.tenant_keys)
        delete_stored_on_commit(document.file.name or "")


def add_deadline(deadline: TenderDeadline, *, by: User) -> TenderDeadline:
    """A new deadline starts with its original term in force."""
    deadline.original_due_at = deadline.due_at
    return save_part(deadline, owner=deadline.contract, by=by, message=f"Scadenza aggiunta a {deadline.contract}")


def postpone_deadline(
    deadline: TenderDeadline, new_due_at: datetime.datetime, *, reason: str, act: str = "", by: User
) -> Postponement:
    """Move a deadline later, keeping the earlier term and the reason."""
    contract = deadline.contract
    with transaction.atomic():
        postponement = Postponement(
            deadline=deadline,
            previous_due_at=deadline.due_at,
            new_due_at=new_due_at,
            reason=reason,
            act=act,
            recorded_by=by if getattr(by, "is_authenticated", False) else None,
        )
        postponement.save()
        deadline.due_at = new_due_at
        deadline.save(update_fields=["due_at"])
        record(
            deadline,
            by=by,
            action=AuditAction.ACTION,
            code="procurement.tenderdeadline.postponed",
            changes={
                "due_at": {
                    "label": "termine in vigore",
                    "old": f"{timezone.localtime(postponement.previous_due_at):%d/%m/%Y %H:%M}",
                    "new": f"{timezone.localtime(new_due_at):%d/%m/%Y %H:%M}",
                }
            },
            message=f"Proroga: {reason}"[:250],
            **contract.tenant_keys,
        )
    return postponement


# --- Agreements on the FNPS quotas -------------------------------------------------------------------------


class AgreementError(Exception):
    """An agreement the rules refuse; the messages are in Italian, for the user."""

    def __init__(self, *messages: str) -> None:
        self.messages = list(messages)
        super().__init__(" ".join(messages))


def _shares_text(shares: Mapping[str, Decimal]) -> str:
    return "; ".join(f"{name} {percent_text(percent)}" for name, percent in sorted(shares.items()))


def save_agreement(
    agreement: FundingAgreement, shares: Mapping[Ambito, Decimal], *, by: User | None
) -> FundingAgreement:
    """Save the agreement with exactly these quotas (one per ATS of the partnership, adding up to 100 %), its
    audit entry and, when they changed, one for the quotas (``procurement.fundingagreement.shares_set``)."""
    problems = shares_problems(shares, label=lambda ambito: ambito.name)
    partnership = agreement.partnership
    members = set(PartnershipMember.objects.filter(partnership=partnership).values_list("ambito_id", flat=True))
    members.add(partnership.capofila_id)
    problems += [f"{ambito.name} non fa parte del partenariato." for ambito in shares if ambito.pk not in members]
    if agreement.valid_to is not None and agreement.valid_to < agreement.valid_from:
        problems.append("La fine della validità non può precedere l'inizio.")
    if agreement.contract is not None and agreement.contract.partnership_id != partnership.pk:
        problems.append("Il contratto non è del partenariato.")
    overlapping = overlapping_agreement(agreement, agreement.contract_id, agreement.valid_from, agreement.valid_to)
    if overlapping is not None:
        problems.append(f"Per lo stesso contratto è già in vigore nello stesso periodo l'accordo «{overlapping}».")
    if problems:
        raise AgreementError(*problems)
    with transaction.atomic():
        existing = {} if agreement.pk is None else {s.ambito_id: s for s in agreement.shares.select_related("ambito")}
        before = _shares_text({s.ambito.name: s.percent for s in existing.values()})
        save_audited(agreement, by=by, message=f"Accordo di ripartizione FNPS di {partnership.code}")
        wanted = {ambito.pk: percent for ambito, percent in shares.items()}
        AgreementShare.objects.filter(agreement=agreement).exclude(ambito_id__in=wanted).delete()
        for ambito_id, percent in wanted.items():
            share = existing.get(ambito_id)
            if share is None:
                AgreementShare.objects.create(agreement=agreement, ambito_id=ambito_id, percent=percent)
            elif share.percent != percent:
                share.percent = percent
                share.save(update_fields=["percent"])
        # The database holds what the rule checked: quotas adding up to exactly 100 %, or nothing is saved.
        total = AgreementShare.objects.filter(agreement=agreement).aggregate(total=Sum("percent"))["total"]
        if total != 100:
            raise AgreementError("Le quote di riparto devono fare esattamente 100 %.")
        after = _shares_text({ambito.name: percent for ambito, percent in shares.items()})
        if after != before:
            record(
                agreement,
                by=by,
                action=AuditAction.UPDATE,
                changes={"shares": {"label": "quote di riparto", "old": before, "new": after}},
                message=f"Quote di riparto dell'accordo di {partnership.code}",
                code="procurement.fundingagreement.shares_set",
            )
    return agreement


def delete_agreement(agreement: FundingAgreement, *, by: User) -> None:
    """Remove the agreement with its quotas: the groups and sessions it let an ATS's FNPS row pay for other ATS'
    staff are then refused again, and the plan page lists them."""
    delete_audited(agreement, by=by, message=f"Accordo di ripartizione FNPS di {agreement.partnership.code} eliminato")
