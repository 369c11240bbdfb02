"""The audit log: who changed what, when, and from which value to which."""

from __future__ import annotations

from typing import Any, TypedDict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TenantKeys(TypedDict, total=False):
    """The ATS and partnership an audit entry is listed under (``save_audited(..., **keys)``)."""

    ambito_id: int | None
    partnership_id: int | None


class AuditAction(models.TextChoices):
    CREATE = "create", _("creazione")
    UPDATE = "update", _("modifica")
    DELETE = "delete", _("eliminazione")
    ACTION = "action", _("operazione")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("quando"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chi"),
    )
    # Kept even if the user is later deleted or pseudonymised.
    username = models.CharField(_("utente"), max_length=150, blank=True)
    action = models.CharField(_("azione"), max_length=10, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("oggetto"), max_length=250)
    # {"field": {"label": "Nome", "old": "...", "new": "..."}} with values already rendered as text.
    changes = models.JSONField(_("modifiche"), default=dict, blank=True)
    message = models.CharField(_("descrizione"), max_length=250, blank=True)
    # What happened, for machines: "<app>.<object>.<verb>", e.g. "sessions.register.confirmed" or
    # "territory.partnership.updated" (the codes are listed in docs/ARCHITECTURE.md, "How a write happens").
    code = models.CharField(_("codice dell'operazione"), max_length=80, blank=True)
    # Tenant keys, so that a partnership's or ATS's history can be listed without joins through objects.
    ambito = models.ForeignKey("territory.Ambito", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    partnership = models.ForeignKey(
        "territory.Partnership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("voce del registro delle modifiche")
        verbose_name_plural = _("registro delle modifiche")
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"]),
            # "Every register confirmation of 2026": code, then the time.
            models.Index(fields=["code", "at"], name="audit_entry_code_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.username} {self.get_action_display()} {self.object_repr}"

    def change_rows(self) -> list[dict[str, Any]]:
        return [{"field": key, **value} for key, value in self.changes.items()]


class Versioned(models.Model):
    """A record people edit through forms, guarded against lost updates (optimistic locking).

    ``lock_version`` moves on with every save through ``audit.actions.save_audited``, which refuses to save an
    instance whose ``lock_version`` is no longer the stored one: the form it came from was built on a version
    someone else has changed since (``audit.forms.VersionedForm`` carries the value through the page).
    """

    lock_version = models.PositiveIntegerField(default=0, editable=False)

    # The start of the sentence that refuses a stale save ("Il contratto è stato modificato da un altro
    # utente..."), in the words of the plans' message; each model names itself with the right gender.
    stale_subject = "Questa scheda è stata modificata"

    class Meta:
        abstract = True
