"""Writes to supervisors and contracts, each in one transaction with its audit entry."""

from __future__ import annotations

import datetime
from typing import IO, Any

from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone

from supervisione.audit.actions import delete_audited, record, save_audited
from supervisione.audit.models import AuditAction
from supervisione.lib.uploads import CheckedUpload
from supervisione.supervisors.models import (
    CoDesignMeeting,
    Contract,
    Declaration,
    Document,
    DocumentKind,
    Postponement,
    Supervisor,
    TenderDeadline,
)
from supervisione.territory.tenancy import TenantOwned


def save_supervisor(supervisor: Supervisor, *, by: Any) -> Supervisor:
    save_audited(supervisor, by=by)
    return supervisor


def save_contract(contract: Contract, *, by: Any) -> Contract:
    save_audited(contract, by=by)
    return contract


def save_part(instance: models.Model, *, owner: TenantOwned, by: Any, message: str = "") -> models.Model:
    """Save a part of a supervisor or contract (training, availability, contract line...), audited under the
    owner's partnership or ATS."""
    save_audited(instance, by=by, message=message or f"{instance._meta.verbose_name} di {owner}", **owner.tenant_keys)
    return instance


def delete_part(instance: models.Model, *, owner: TenantOwned, by: Any, message: str = "") -> None:
    delete_audited(instance, by=by, message=message or f"{instance._meta.verbose_name} di {owner}", **owner.tenant_keys)


def store_document(
    file: IO[bytes],
    checked: CheckedUpload,
    *,
    kind: DocumentKind,
    title: str,
    by: Any,
    supervisor: Supervisor | None = None,
    declaration: Declaration | None = None,
    contract: Contract | None = None,
    meeting: CoDesignMeeting | None = None,
) -> Document:
    """Save the file under a generated name and its record; the file is removed if the record fails."""
    owner: TenantOwned | None = supervisor or contract
    if owner is None:
        raise ValueError("a document belongs to a supervisor or a contract")
    folder = f"supervisori/{supervisor.pk}" if supervisor is not None else f"contratti/{owner.pk}"
    name = default_storage.save(checked.storage_name(folder), file)
    try:
        with transaction.atomic():
            document = Document(
                supervisor=supervisor,
                declaration=declaration,
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
            save_audited(document, by=by, message=f"Documento caricato per {owner}", **owner.tenant_keys)
    except Exception:
        default_storage.delete(name)
        raise
    return document


def delete_document(document: Document, *, by: Any) -> None:
    owner: TenantOwned | None = document.supervisor or document.contract
    assert owner is not None  # noqa: S101  (the database constraint guarantees an owner)
    name = document.file.name
    with transaction.atomic():
        delete_audited(document, by=by, message=f"Documento eliminato da {owner}", **owner.tenant_keys)
        if name:
            transaction.on_commit(lambda: default_storage.delete(name))


def record_declaration(declaration: Declaration, file: IO[bytes], checked: CheckedUpload, *, by: Any) -> Declaration:
    """Record a signed declaration with its document, both or neither."""
    supervisor = declaration.supervisor
    with transaction.atomic():
        declaration.recorded_by = by if getattr(by, "is_authenticated", False) else None
        save_audited(
            declaration,
            by=by,
            message=f"Dichiarazione di {supervisor} registrata",
            code="supervisors.declaration.recorded",
            **supervisor.tenant_keys,
        )
        store_document(
            file,
            checked,
            kind=DocumentKind.DECLARATION,
            title=f"Dichiarazione firmata il {declaration.signed_on:%d/%m/%Y}: {declaration.subject}"[:200],
            by=by,
            supervisor=supervisor,
            declaration=declaration,
        )
    return declaration


def add_deadline(deadline: TenderDeadline, *, by: Any) -> TenderDeadline:
    """A new deadline starts with its original term in force."""
    deadline.original_due_at = deadline.due_at
    return save_part(deadline, owner=deadline.contract, by=by, message=f"Scadenza aggiunta a {deadline.contract}")  # type: ignore[return-value]


def postpone_deadline(
    deadline: TenderDeadline, new_due_at: datetime.datetime, *, reason: str, act: str = "", by: Any
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
            code="supervisors.tenderdeadline.postponed",
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
    by: Any,
    file: IO[bytes] | None = None,
    checked: CheckedUpload | None = None,
) -> CoDesignMeeting:
    """Save a meeting of the co-design table and, when given, its signed minutes."""
    contract = meeting.table.contract
    with transaction.atomic():
        save_part(meeting, owner=contract, by=by, message=f"Seduta del tavolo di {contract}")
        if file is not None and checked is not None:
            store_document(
                file,
                checked,
                kind=DocumentKind.MINUTES,
                title=f"Verbale: {meeting.title} del {meeting.held_on:%d/%m/%Y}"[:200],
                by=by,
                contract=contract,
                meeting=meeting,
            )
    return meeting
