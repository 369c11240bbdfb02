"""People of the census and referents of Allegato 1 get their accounts (issue 17.1).

``accounts.invitations`` makes the account, the role and the e-mail; this module says who the person is and
links ``Person.user`` by codice fiscale: the person whose codice fiscale the account carries, never a namesake.
An administrator may link an account that exists already (``link_account``), with the same checks.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from supervisione.accounts.invitations import Absolute, InvitationError, Invitee, Request, invite
from supervisione.accounts.models import Invitation, Role, User
from supervisione.audit.actions import record
from supervisione.audit.models import AuditAction
from supervisione.census.models import Census, Person, ReferentDesignation

if TYPE_CHECKING:
    from supervisione.territory.models import Ambito

LINKED = "census.person.account_linked"


def _link(person: Person, user: User, *, by: User, ambito: Ambito | None) -> None:
    if person.user_id == user.pk:
        return
    person.user = user
    person.save(update_fields=["user"])
    record(
        person,
        by=by,
        action=AuditAction.ACTION,
        message=f"{person} collegata all'account {user.get_username()}",
        code=LINKED,
        ambito_id=ambito.pk if ambito else None,
    )


def person_invitee(person: Person, *, by: User, ambito: Ambito) -> Invitee:
    return Invitee(
        label=f"{person} ({person.tax_code})",
        email=person.email,
        first_name=person.name,
        last_name=person.surname,
        tax_code=person.tax_code,
        linked_user=person.user,
        link=lambda user: _link(person, user, by=by, ambito=ambito),
    )


def invite_people(census: Census, people: Sequence[Person], *, by: User, absolute: Absolute) -> list[Invitation]:
    """Invite the census's people as operatori (supervisees) of its ATS: all of them, or nobody
    (``InvitationsRefused``, a message for each person who cannot be invited)."""
    requests = [
        Request(person_invitee(person, by=by, ambito=census.ambito), Role.SUPERVISEE, ambito=census.ambito)
        for person in people
    ]
    return invite(requests, by=by, absolute=absolute)


def referent_invitation(designation: ReferentDesignation, *, by: User) -> Request:
    """The invitation of a designated referent. With a codice fiscale, the census person who has it (if any) is
    linked to the account too."""
    person = Person.objects.filter(tax_code=designation.tax_code).first() if designation.tax_code else None
    ambito = designation.ambito

    def link(user: User) -> None:
        if person is not None:
            _link(person, user, by=by, ambito=ambito)

    invitee = Invitee(
        label=f"{designation.full_name} (referente di {ambito.name})",
        email=designation.email,
        first_name=designation.full_name,
        last_name="",
        tax_code=designation.tax_code,
        linked_user=person.user if person else None,
        link=link,
    )
    if person is not None:
        invitee.first_name, invitee.last_name = person.name, person.surname
    return Request(invitee, Role.REFERENT, ambito=ambito)


def invite_referent(designation: ReferentDesignation, *, by: User, absolute: Absolute) -> Invitation:
    (invitation,) = invite([referent_invitation(designation, by=by)], by=by, absolute=absolute)
    return invitation


def link_account(person: Person, user: User, *, by: User) -> None:
    """An administrator links an account that already exists to the census person whose account it is. The
    account takes the person's codice fiscale, so that invitations find it; nothing is linked by name."""
    if person.user_id is not None and person.user_id != user.pk:
        raise InvitationError(
            f"{person} è già collegata all'account «{person.user.get_username() if person.user else ''}»: "
            "non si collega una persona a due account."
        )
    if user.tax_code and user.tax_code != person.tax_code:
        raise InvitationError(
            f"L'account «{user.get_username()}» è di un'altra persona (codice fiscale {user.tax_code})."
        )
    holder = User.objects.filter(tax_code=person.tax_code).exclude(pk=user.pk).first()
    if holder is not None:
        raise InvitationError(f"Il codice fiscale di {person} è già quello dell'account «{holder.get_username()}».")
    other = Person.objects.filter(user=user).exclude(pk=person.pk).first()
    if other is not None:
        raise InvitationError(f"L'account «{user.get_username()}» è già collegato a {other} ({other.tax_code}).")
    with transaction.atomic():
        if user.tax_code != person.tax_code:
            user.tax_code = person.tax_code
            user.save(update_fields=["tax_code"])
            record(
                user,
                by=by,
                action=AuditAction.UPDATE,
                message=f"Codice fiscale di {person} associato all'account",
            )
        _link(person, user, by=by, ambito=None)


@dataclass(frozen=True)
class AccountState:
    """What the census page says of a person's account, and whether the person can be ticked for an invitation."""

    text: str
    invitable: bool


def account_states(people: Iterable[Person], now: datetime.datetime) -> dict[int, AccountState]:
    """Each person's account as the census page shows it: two queries, whatever the number of people."""
    people = list(people)
    user_ids = {person.user_id for person in people if person.user_id is not None}
    users = {user.pk: user for user in User.objects.filter(pk__in=user_ids)}
    open_invitations: dict[int, Invitation] = {}
    for found in Invitation.objects.filter(
        user_id__in=user_ids, accepted_at__isnull=True, revoked_at__isnull=True
    ).order_by("sent_at"):
        open_invitations[found.user_id] = found
    states: dict[int, AccountState] = {}
    for person in people:
        user = users.get(person.user_id) if person.user_id is not None else None
        invitation = open_invitations.get(person.user_id) if person.user_id is not None else None
        if user is not None and user.is_active and user.has_usable_password():
            states[person.pk] = AccountState("account attivo", invitable=False)
        elif invitation is not None and now >= invitation.expires_at:
            states[person.pk] = AccountState(
                f"invito scaduto il {timezone.localtime(invitation.expires_at):%d/%m/%Y}", invitable=False
            )
        elif invitation is not None:
            states[person.pk] = AccountState(
                f"invitata il {timezone.localtime(invitation.sent_at):%d/%m/%Y}, in attesa", invitable=False
            )
        elif not person.email:
            states[person.pk] = AccountState("senza e-mail: non si può invitare", invitable=False)
        else:
            states[person.pk] = AccountState("nessun account", invitable=True)
    return states
