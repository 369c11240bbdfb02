"""A registered supervisor gets an account by invitation (issue 17.1).

The supervisor role is held on a partnership: that of the record, or, for a record of an ATS, the partnership
the ATS leads (else the first it belongs to, by code). The account is the one of the supervisor's codice fiscale
(a supervisor working for two partnerships has one account, linked to both records), and the record is linked
to it; without a codice fiscale there is nothing to link by, and the invitation is refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import F

from supervisione.accounts.invitations import Absolute, InvitationsRefused, Invitee, Request, invite
from supervisione.accounts.models import Invitation, Role, User
from supervisione.audit.actions import record
from supervisione.audit.models import AuditAction
from supervisione.supervisors.models import Supervisor
from supervisione.territory.models import Partnership, PartnershipMember

if TYPE_CHECKING:
    from supervisione.territory.models import Ambito

LINKED = "supervisors.supervisor.account_linked"


def role_partnership(supervisor: Supervisor) -> Partnership | None:
    if supervisor.partnership is not None:
        return supervisor.partnership
    ambito: Ambito | None = supervisor.ambito
    if ambito is None:
        return None
    led = Partnership.objects.filter(capofila=ambito).order_by("code").first()
    if led is not None:
        return led
    member = (
        PartnershipMember.objects.in_force()
        .filter(ambito=ambito)
        .select_related("partnership")
        .order_by("partnership__code")
        .first()
    )
    return member.partnership if member else None


def _link(supervisor: Supervisor, user: User, *, by: User) -> None:
    if supervisor.user_id == user.pk:
        return
    # The record's version moves on, so that an edit page opened before the link does not undo it.
    Supervisor.objects.filter(pk=supervisor.pk).update(user=user, lock_version=F("lock_version") + 1)
    supervisor.user = user
    supervisor.lock_version += 1
    record(
        supervisor,
        by=by,
        action=AuditAction.ACTION,
        message=f"Scheda collegata all'account {user.get_username()}",
        code=LINKED,
        **supervisor.tenant_keys,
    )


def supervisor_invitation(supervisor: Supervisor, *, by: User) -> Request:
    """The invitation of the supervisor of this record; ``InvitationsRefused`` when it cannot be made."""
    label = f"{supervisor} ({supervisor.tax_code})" if supervisor.tax_code else str(supervisor)
    if not supervisor.tax_code:
        raise InvitationsRefused(
            [f"Indica il codice fiscale di {label}: l'account si collega alla persona per codice fiscale."]
        )
    partnership = role_partnership(supervisor)
    if partnership is None:
        raise InvitationsRefused(
            [
                (
                    f"L'ATS di {label} non fa parte di alcun partenariato: il ruolo di supervisore si assegna su un "
                    "partenariato."
                )
            ]
        )
    invitee = Invitee(
        label=label,
        email=supervisor.email,
        first_name=supervisor.name,
        last_name=supervisor.surname,
        tax_code=supervisor.tax_code,
        linked_user=supervisor.user,
        link=lambda user: _link(supervisor, user, by=by),
    )
    return Request(invitee, Role.SUPERVISOR, partnership=partnership)


def invite_supervisor(supervisor: Supervisor, *, by: User, absolute: Absolute) -> Invitation:
    (invitation,) = invite([supervisor_invitation(supervisor, by=by)], by=by, absolute=absolute)
    return invitation
