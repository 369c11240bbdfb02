"""Users and the roles that scope what they see.

A role is always held *somewhere*: a coordinator coordinates a partnership, a referent answers for an ATS,
an observer watches a region or the whole country. ``scopes.py`` turns a user's roles into the set of
partnerships and ATS they may see and change; no view decides that on its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from supervisione.audit.models import Versioned

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class User(AbstractUser, Versioned):
    """A person who logs in. Staff data (census) and supervisor data live in their own apps."""

    stale_subject = "L'utente è stato modificato"

    if TYPE_CHECKING:
        roles: RelatedManager[RoleAssignment]

    class Meta:
        verbose_name = _("utente")
        verbose_name_plural = _("utenti")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        full = self.get_full_name()
        return full or self.username


# The longest user name there can be (AbstractUser's field): the login refuses longer ones before looking.
USERNAME_MAX_LENGTH: int = User._meta.get_field("username").max_length or 150


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinatore del partenariato")
    REFERENT = "referent", _("Referente dell'ATS")
    SUPERVISOR = "supervisor", _("Supervisore")
    SUPERVISEE = "supervisee", _("Operatore (supervisionato)")
    OBSERVER = "observer", _("Osservatore")
    ADMIN = "admin", _("Amministratore")


class RoleAssignment(models.Model):
    """A role held by a user in a partnership, an ATS, a region, or everywhere (observer, admin)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("ruolo"), max_length=20, choices=Role.choices)
    partnership = models.ForeignKey(
        "territory.Partnership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("partenariato"),
    )
    ambito = models.ForeignKey(
        "territory.Ambito",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("ATS"),
    )
    region = models.ForeignKey(
        "territory.Region",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("regione"),
        help_text=_("Solo per gli osservatori: vuoto significa tutto il territorio nazionale."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ruolo assegnato")
        verbose_name_plural = _("ruoli assegnati")
        constraints = [
            # Each role is held at exactly the level it is meant for; the database refuses anything else.
            models.CheckConstraint(
                name="role_scope_matches_role",
                condition=(
                    Q(
                        role__in=["coordinator", "supervisor"],
                        partnership__isnull=False,
                        ambito__isnull=True,
                        region__isnull=True,
                    )
                    | Q(
                        role__in=["referent", "supervisee"],
                        partnership__isnull=True,
                        ambito__isnull=False,
                        region__isnull=True,
                    )
                    | Q(role="observer", partnership__isnull=True, ambito__isnull=True)
                    | Q(role="admin", partnership__isnull=True, ambito__isnull=True, region__isnull=True)
                ),
            ),
        ]

    def __str__(self) -> str:
        where = self.partnership or self.ambito or self.region or _("tutto il territorio")
        return f"{self.get_role_display()} - {where}"
