"""Writes to contracts and their parts, each in one transaction with its audit entry."""

from __future__ import annotations

import datetime
from typing import IO, TYPE_CHECKING, TypeVar

from django.db import models, transaction
from django.utils import timezone

from supervisione.audit.actions import delete_audited, record, save_audited
from supervisione.audit.models import AuditAction
from supervisione.lib.uploads import CheckedUpload, delete_stored_on_commit, stored_upload
from supervisione.procurement.models import (
    CoDesignMeeting,
    Contract,
    ContractDocument,
    ContractDocumentKind,
    Postponement,
    TenderDeadline,
)

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
    meeting: CoDesignMeeting | None = None,
) -> ContractDocument:
    """Save the file under a generated name and its record; the file is removed if the record fails."""
    with stored_upload(file, checked, f"contratti/{contract.pk}") as name, transaction.atomic():
        document = ContractDocument(
            contract=contract,
            meeting=meeting,
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


def save_meeting(
    meeting: CoDesignMeeting,
    *,
    by: User,
    file: IO[bytes] | None = None,
    checked: CheckedUpload | None = None,
) -> CoDesignMeeting:
    """Save a meeting of the co-design table and, when given, its signed minutes."""
    contract = meeting.table.contract
    with transaction.atomic():
        save_part(meeting, owner=contract, by=by, message=f"Seduta del tavolo di {contract}")
        if file is not None and checked is not None:
            store_contract_document(
                file,
                checked,
                kind=ContractDocumentKind.MINUTES,
                title=f"Verbale: {meeting.title} del {meeting.held_on:%d/%m/%Y}"[:200],
                by=by,
                contract=contract,
                meeting=meeting,
            )
    return meeting
