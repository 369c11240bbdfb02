"""Writing the audit log.

Every write made through the application goes through an action that calls ``record`` (or
``save_audited``/``delete_audited``) inside the same transaction, so a change and its audit entry are
saved together or not at all.

``save_audited`` is also where edits are guarded against lost updates: a ``Versioned`` record is saved only
if its ``lock_version`` is still the stored one, and the save moves it on; otherwise ``StaleEditError`` and
nothing is written.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Unpack

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F
from django.utils.formats import date_format

from supervisione.audit.models import AuditAction, AuditEntry, TenantKeys, Versioned
from supervisione.lib.italian import decimal_text

if TYPE_CHECKING:
    # The user model (accounts.User) named without importing accounts, which sits above audit: django-stubs'
    # plugin reads this placeholder as settings.AUTH_USER_MODEL wherever it is used as a type.
    from django.contrib.auth.models import _User as User

Snapshot = dict[str, tuple[str, str]]


def _render(instance: models.Model, field: models.Field[Any, Any]) -> str:
    if isinstance(field, models.ForeignKey):
        related = getattr(instance, field.name)
        return "" if related is None else str(related)
    value = getattr(instance, field.attname)
    if value is None:
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "sì" if value else "no"
    if isinstance(value, datetime.datetime):
        return date_format(value, "d/m/Y H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "d/m/Y")
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(field, models.FileField):
        return str(value.name or "")
    return str(value)


def snapshot(instance: models.Model) -> Snapshot:
    """The instance's editable fields as (label, text) pairs, for comparison after a change."""
    result: Snapshot = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or not field.editable or field.name in {"password", "version"}:
            continue
        result[field.name] = (str(field.verbose_name), _render(instance, field))
    return result


def diff(before: Snapshot, after: Snapshot) -> dict[str, dict[str, str]]:
    changes: dict[str, dict[str, str]] = {}
    for name, (label, new) in after.items():
        old = before.get(name, (label, ""))[1]
        if old != new:
            changes[name] = {"label": label, "old": old, "new": new}
    return changes


def tenant_keys(instance: models.Model) -> dict[str, Any]:
    """The ATS and partnership an object belongs to, when it has them, for scoped history lists.

    An ATS or a partnership is its own key: which models those are is read from the entry's own foreign keys,
    so that audit, below territory, never imports it.
    """
    for name in ("ambito", "partnership"):
        tenant_model = AuditEntry._meta.get_field(name).related_model
        if isinstance(tenant_model, type) and isinstance(instance, tenant_model):
            return {f"{name}_id": instance.pk}
    keys: dict[str, Any] = {}
    for name in ("ambito", "partnership"):
        field_names = {f.name for f in instance._meta.concrete_fields}
        if name in field_names:
            keys[f"{name}_id"] = getattr(instance, f"{name}_id")
    return keys


VERBS = {AuditAction.CREATE: "created", AuditAction.UPDATE: "updated", AuditAction.DELETE: "deleted"}


def default_code(instance: models.Model, action: AuditAction) -> str:
    """``<app>.<model_name>.created|updated|deleted`` (``...action`` for an operation without its own code):
    what ``save_audited`` and ``delete_audited`` write unless the action function names its step. ``<app>`` is
    the app's package (``sessions``, whose Django label is ``supervision_sessions``)."""
    meta = instance._meta
    app = meta.app_config.name.rsplit(".", 1)[-1] if meta.app_config else meta.app_label
    return f"{app}.{meta.model_name}.{VERBS.get(action, 'action')}"


def record(
    instance: models.Model,
    *,
    by: User | None,
    action: AuditAction,
    changes: dict[str, dict[str, str]] | None = None,
    message: str = "",
    code: str = "",
    ambito_id: int | None = None,
    partnership_id: int | None = None,
) -> AuditEntry:
    """One audit entry on ``instance``. ``code`` names the workflow step (``planning.plan.approved``); without
    it the entry gets ``default_code``."""
    keys = tenant_keys(instance)
    if ambito_id is not None:
        keys["ambito_id"] = ambito_id
    if partnership_id is not None:
        keys["partnership_id"] = partnership_id
    user = by if getattr(by, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        user=user,
        username=user.get_username() if user is not None else "sistema",
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=str(instance)[:250],
        changes=changes or {},
        message=message[:250],
        code=code or default_code(instance, action),
        **keys,
    )


def stale_message(subject: str) -> str:
    """The refusal of a save made on an outdated version: the plans' sentence, for any record."""
    return (
        f"{subject} da un altro utente dopo che hai aperto questa pagina: nulla è stato salvato. "
        "Ricarica la pagina per vedere la versione attuale e ripeti la modifica."
    )


class StaleEditError(Exception):
    """The record changed (or was deleted) after the version the save was based on; nothing was written."""

    def __init__(self, instance: Versioned, *, gone: bool = False) -> None:
        self.gone = gone
        super().__init__(
            "Questa scheda è stata eliminata da un altro utente dopo che hai aperto questa pagina: nulla è stato "
            "salvato."
            if gone
            else stale_message(instance.stale_subject)
        )


def claim_version(instance: Versioned) -> None:
    """Move the stored ``lock_version`` on if it is still the instance's, else raise ``StaleEditError``.

    One conditional UPDATE, so that of two concurrent saves of the same version exactly one wins (on
    PostgreSQL the second waits for the first's row lock, then finds the version moved on)."""
    expected = instance.lock_version
    rows = type(instance)._base_manager.filter(pk=instance.pk)
    if not rows.filter(lock_version=expected).update(lock_version=F("lock_version") + 1):
        raise StaleEditError(instance, gone=not rows.exists())
    instance.lock_version = expected + 1


def save_audited(
    instance: models.Model, *, by: User | None, message: str = "", code: str = "", **tenant: Unpack[TenantKeys]
) -> AuditEntry | None:
    """Save ``instance`` and record what changed. Nothing is recorded when nothing changed.

    The entry's code is ``code`` when the caller names a workflow step, else ``<app>.<model>.created|updated``.

    A ``Versioned`` instance is saved only over the version it carries (the one it was read at, or the one its
    form was built on): otherwise ``StaleEditError``. The version moves on even when no field changed, since
    related rows saved beside it (a position's municipalities) are not in the comparison."""
    with transaction.atomic():
        creating = instance._state.adding or instance.pk is None
        if not creating and isinstance(instance, Versioned):
            claim_version(instance)
        before: Snapshot = {}
        if not creating:
            original = type(instance)._default_manager.filter(pk=instance.pk).first()
            before = snapshot(original) if original is not None else {}
        instance.save()
        after = snapshot(instance)
        changes = diff(before, after)
        if creating:
            changes = {name: change for name, change in changes.items() if change["new"] != ""}
            return record(
                instance, by=by, action=AuditAction.CREATE, changes=changes, message=message, code=code, **tenant
            )
        if not changes:
            return None
        return record(instance, by=by, action=AuditAction.UPDATE, changes=changes, message=message, code=code, **tenant)


def delete_audited(
    instance: models.Model, *, by: User | None, message: str = "", code: str = "", **tenant: Unpack[TenantKeys]
) -> AuditEntry:
    with transaction.atomic():
        before = snapshot(instance)
        changes = {name: {"label": label, "old": old, "new": ""} for name, (label, old) in before.items() if old}
        entry = record(
            instance, by=by, action=AuditAction.DELETE, changes=changes, message=message, code=code, **tenant
        )
        instance.delete()
        return entry
