"""Users and the roles that scope what they see.

A role is always held *somewhere*: a coordinator coordinates a partnership, a referent answers for an ATS,
an observer watches a region or the whole country. ``scopes.py`` turns a user's roles into the set of
partnerships and ATS they may see and change; no view decides that on its own.
"""

from __future__ import annotations

import datetime
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

    # Who the account belongs to: the census person and the supervisor records with this codice fiscale are
    # linked to it (never by name). Set by an invitation or by an administrator's link; blank for accounts
    # made by hand and not linked yet.
    tax_code = models.CharField(_("codice fiscale"), max_length=16, blank=True, default="", editable=False)

    if TYPE_CHECKING:
        roles: RelatedManager[RoleAssignment]
        invitations: RelatedManager[Invitation]

    class Meta:
        verbose_name = _("utente")
        verbose_name_plural = _("utenti")
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            # One account per person.
            models.UniqueConstraint(fields=["tax_code"], condition=~Q(tax_code=""), name="user_tax_code_once"),
        ]

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


# The roles an invitation grants, and where each is held (as RoleAssignment's constraint says).
INVITED_ROLES = {
    Role.COORDINATOR: "partnership",
    Role.SUPERVISOR: "partnership",
    Role.REFERENT: "ambito",
    Role.SUPERVISEE: "ambito",
}


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("in attesa")
    EXPIRED = "expired", _("scaduto")
    ACCEPTED = "accepted", _("accettato")
    REVOKED = "revoked", _("revocato")


class Invitation(models.Model):
    """An e-mail asking a person to set the password of the account made for them, with a role.

    Only the SHA-256 of the link's random token is kept; a resend replaces it (the old link stops working), and
    acceptance or revocation clears it (the link works once). ``new_account`` says the account was not in use
    before this invitation (created or reactivated by it): revoking the invitation disables it again.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("utente"))
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("ruolo"), max_length=20, choices=Role.choices)
    partnership = models.ForeignKey(
        "territory.Partnership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("partenariato"),
    )
    ambito = models.ForeignKey(
        "territory.Ambito",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("ATS"),
    )
    role_assignment = models.ForeignKey(
        RoleAssignment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ruolo assegnato dall'invito"),
    )
    new_account = models.BooleanField(_("account nuovo"), default=False)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("invitato da")
    )
    token_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    created_at = models.DateTimeField(_("creato il"), auto_now_add=True)
    sent_at = models.DateTimeField(_("inviato il"))
    expires_at = models.DateTimeField(_("scade il"))
    accepted_at = models.DateTimeField(_("accettato il"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revocato il"), null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("invito")
        verbose_name_plural = _("inviti")
        constraints = [
            models.CheckConstraint(
                name="invitation_scope_matches_role",
                condition=Q(role__in=["coordinator", "supervisor"], partnership__isnull=False, ambito__isnull=True)
                | Q(role__in=["referent", "supervisee"], partnership__isnull=True, ambito__isnull=False),
            ),
            models.CheckConstraint(
                name="invitation_accepted_or_revoked",
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
            ),
            models.UniqueConstraint(fields=["token_hash"], condition=~Q(token_hash=""), name="invitation_token_once"),
        ]
        indexes = [models.Index(fields=["accepted_at", "revoked_at"], name="invitation_open")]

    def __str__(self) -> str:
        return f"Invito a {self.email} ({self.get_role_display()})"

    def status(self, now: datetime.datetime) -> InvitationStatus:
        if self.revoked_at is not None:
            return InvitationStatus.REVOKED
        if self.accepted_at is not None:
            return InvitationStatus.ACCEPTED
        return InvitationStatus.EXPIRED if now >= self.expires_at else InvitationStatus.PENDING

    @property
    def is_open(self) -> bool:
        """Neither accepted nor revoked: it may be sent again or revoked (expired or not)."""
        return self.accepted_at is None and self.revoked_at is None

    @property
    def where(self) -> str:
        return str(self.partnership or self.ambito)
