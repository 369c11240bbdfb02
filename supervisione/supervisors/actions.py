"""Writes to supervisors, each in one transaction with its audit entry."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, TypeVar

from django.db import models, transaction

from supervisione.audit.actions import delete_audited, save_audited
from supervisione.lib.uploads import CheckedUpload, delete_stored_on_commit, stored_upload
from supervisione.supervisors.models import Declaration, Document, DocumentKind, Supervisor

if TYPE_CHECKING:
    from supervisione.accounts.models import User

# Any part saved with its owner's tenant keys comes back as what it was.
Part = TypeVar("Part", bound=models.Model)


def save_supervisor(supervisor: Supervisor, *, by: User) -> Supervisor:
    save_audited(supervisor, by=by)
    return supervisor


def save_part(instance: Part, *, owner: Supervisor, by: User, message: str = "") -> Part:
    """Save a part of a supervisor record (training, availability, absence...), audited under the owner's
    partnership or ATS."""
    save_audited(instance, by=by, message=message or f"{instance._meta.verbose_name} di {owner}", **owner.tenant_keys)
    return instance


def delete_part(instance: models.Model, *, owner: Supervisor, by: User, message: str = "") -> None:
    delete_audited(instance, by=by, message=message or f"{instance._meta.verbose_name} di {owner}", **owner.tenant_keys)


def store_document(
    file: IO[bytes],
    checked: CheckedUpload,
    *,
    kind: DocumentKind,
    title: str,
    by: User | None,
    supervisor: Supervisor,
    declaration: Declaration | None = None,
) -> Document:
    """Save the file under a generated name and its record; the file is removed if the record fails."""
    with stored_upload(file, checked, f"supervisori/{supervisor.pk}") as name, transaction.atomic():
        document = Document(
            supervisor=supervisor,
            declaration=declaration,
            kind=kind,
            title=title,
            file=name,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=by if getattr(by, "is_authenticated", False) else None,
        )
        save_audited(document, by=by, message=f"Documento caricato per {supervisor}", **supervisor.tenant_keys)
    return document


def delete_document(document: Document, *, by: User) -> None:
    supervisor = document.supervisor
    with transaction.atomic():
        delete_audited(document, by=by, message=f"Documento eliminato da {supervisor}", **supervisor.tenant_keys)
        delete_stored_on_commit(document.file.name or "")


def record_declaration(declaration: Declaration, file: IO[bytes], checked: CheckedUpload, *, by: User) -> Declaration:
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
