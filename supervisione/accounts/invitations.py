"""Accounts come from the people: invitations by e-mail (issue 17.1).

The coordinator (for the ATS of the partnership) or the referent (for their own ATS) invites people from the
census, the referents' designations (Allegato 1) and the supervisor registry. Those apps know the people;
this module knows the accounts: it finds or creates the account of a codice fiscale, grants the role, writes
the invitation and sends its e-mail, and hands the account back to the caller's ``link`` so that the caller
links its own record (``census.Person.user``, ``supervisors.Supervisor.user``) in the same transaction.

The account of a person is found by codice fiscale (``User.tax_code``) or through the record already linked to
it, never by name or by e-mail: an e-mail used by another account is refused, and an administrator links such
an account by hand. Every check runs before anything is written (``check``), so that bad input changes nothing,
for one person or many.

The e-mail carries a link with a random token; only its SHA-256 is stored. The link expires after
``settings.INVITATION_DAYS`` days, works once, and stops working when the invitation is sent again (a new
token) or revoked. Revoking an invitation not yet accepted removes the role it granted and disables the account
it created.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from supervisione.accounts.actions import grant_role, revoke_role
from supervisione.accounts.models import INVITED_ROLES, Invitation, Role, RoleAssignment, User
from supervisione.audit.actions import record, save_audited
from supervisione.audit.models import AuditAction, TenantKeys
from supervisione.lib import clock
from supervisione.territory.models import Ambito, Partnership

# Turns a path of this site into the address the e-mail carries (the view's ``request.build_absolute_uri``).
Absolute = Callable[[str], str]
# What the caller does with the account once it exists: link its record to it.
Link = Callable[[User], None]

SENT = "accounts.invitation.sent"
RESENT = "accounts.invitation.resent"
ACCEPTED = "accounts.invitation.accepted"
REVOKED = "accounts.invitation.revoked"

_USERNAME_CHARACTERS = re.compile(r"[^\w.@+-]")


class InvitationError(Exception):
    """The invitation cannot be made or used: the message says why, in Italian."""


class InvitationsRefused(InvitationError):  # noqa: N818  (refused as a whole: the messages are the point)
    """Some of the people asked for cannot be invited; nobody was."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


@dataclass
class Invitee:
    """A person to invite, as the app that knows them describes them."""

    label: str  # how the person is named in messages: "Rossi Maria (RSSMRA80A41F205X)"
    email: str
    first_name: str
    last_name: str
    tax_code: str = ""  # empty only for a referent designated without it
    linked_user: User | None = None  # the account the caller's record is linked to already, if any
    link: Link = field(default=lambda _user: None)


@dataclass
class Request:
    invitee: Invitee
    role: Role
    partnership: Partnership | None = None
    ambito: Ambito | None = None

    @property
    def where(self) -> str:
        return str(self.partnership or self.ambito)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _account_of(invitee: Invitee) -> User | None:
    """The person's account: the one with their codice fiscale, or the one their record is linked to."""
    by_tax_code = User.objects.filter(tax_code=invitee.tax_code).first() if invitee.tax_code else None
    linked = invitee.linked_user
    if linked is not None and by_tax_code is not None and linked.pk != by_tax_code.pk:
        raise InvitationError(
            f"{invitee.label} è collegata all'account «{linked.get_username()}», ma il suo codice fiscale è "
            f"quello dell'account «{by_tax_code.get_username()}»: chiedi all'amministratore di correggere "
            "il collegamento."
        )
    if linked is not None and linked.tax_code and invitee.tax_code and linked.tax_code != invitee.tax_code:
        raise InvitationError(
            f"{invitee.label} è collegata all'account «{linked.get_username()}» di un'altra persona (altro codice "
            "fiscale): chiedi all'amministratore di correggere il collegamento."
        )
    return by_tax_code or linked


def _check_one(request: Request) -> User | None:
    invitee = request.invitee
    email = invitee.email.strip()
    if not email:
        raise InvitationError(f"{invitee.label} non ha un indirizzo e-mail: aggiungilo e poi invia l'invito.")
    try:
        validate_email(email)
    except ValidationError:
        raise InvitationError(f"L'indirizzo «{email}» di {invitee.label} non è un'e-mail valida.") from None
    if request.role not in INVITED_ROLES:
        raise InvitationError(f"Non si invita con il ruolo «{request.role.label}».")
    account = _account_of(invitee)
    others = User.objects.filter(email__iexact=email)
    if account is not None:
        others = others.exclude(pk=account.pk)
    other = others.first()
    if other is not None:
        raise InvitationError(
            f"L'e-mail {email} di {invitee.label} è già usata dall'account «{other.get_username()}» di un'altra "
            "persona: indica un altro indirizzo, oppure, se l'account è proprio suo, chiedi all'amministratore di "
            "collegarlo."
        )
    if account is not None:
        pending = _open_for(account, request).first()
        if pending is not None:
            raise InvitationError(
                f"{invitee.label} è già stata invitata il {timezone.localtime(pending.sent_at):%d/%m/%Y} e non ha "
                "ancora accettato: invia di nuovo quell'invito dalla pagina degli inviti."
            )
        if account.has_usable_password() and account.is_active and _held(account, request).exists():
            raise InvitationError(
                f"{invitee.label} ha già un account attivo («{account.get_username()}») con il ruolo "
                f"«{request.role.label}» in {request.where}."
            )
    return account


def _scope(request: Request) -> Q:
    return Q(role=request.role, partnership=request.partnership, ambito=request.ambito)


def _held(account: User, request: Request) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(_scope(request), user=account, region__isnull=True)


def _open_for(account: User, request: Request) -> QuerySet[Invitation]:
    return Invitation.objects.filter(_scope(request), user=account, accepted_at__isnull=True, revoked_at__isnull=True)


def check(requests: Sequence[Request]) -> list[User | None]:
    """The account each person already has (``None``: one will be created), or ``InvitationsRefused`` with a
    message for each person who cannot be invited. Writes nothing."""
    errors: list[str] = []
    accounts: list[User | None] = []
    seen: dict[str, str] = {}
    for request in requests:
        try:
            accounts.append(_check_one(request))
        except InvitationError as error:
            errors.append(str(error))
            accounts.append(None)
            continue
        email = request.invitee.email.strip().lower()
        if email in seen and seen[email] != request.invitee.tax_code:
            errors.append(f"{request.invitee.label} ha la stessa e-mail ({email}) di un'altra persona scelta.")
        seen[email] = request.invitee.tax_code
    if errors:
        raise InvitationsRefused(errors)
    return accounts


def invite(requests: Sequence[Request], *, by: User, absolute: Absolute) -> list[Invitation]:
    """Invite everyone asked for, or nobody (``InvitationsRefused``): for each, the account (created, reactivated
    or the one in use), the role, the caller's link, the invitation and its e-mail, in one transaction."""
    accounts = check(requests)
    invitations: list[Invitation] = []
    messages: list[EmailMessage] = []
    with transaction.atomic():
        for request, account in zip(requests, accounts, strict=True):
            invitation, token = _invite_one(request, account, by=by)
            invitations.append(invitation)
            messages.append(_message(invitation, token, absolute, by=by))
        for message in messages:
            message.send()  # inside the transaction: a failed send leaves no invitation that was never sent
    return invitations


def _invite_one(request: Request, account: User | None, *, by: User) -> tuple[Invitation, str | None]:
    invitee = request.invitee
    now = clock.now()
    email = invitee.email.strip()
    in_use = account is not None and account.is_active and account.has_usable_password()
    if account is None:
        account = User(
            username=_free_username(email),
            email=email,
            first_name=invitee.first_name[:150],
            last_name=invitee.last_name[:150],
            tax_code=invitee.tax_code,
        )
        account.set_unusable_password()
        save_audited(account, by=by, message=f"Account creato dall'invito a {email}")
    elif not in_use:
        # An account made by an earlier invitation that was revoked or never accepted: it is the person's, again.
        account.is_active = True
        account.email = email
        account.tax_code = account.tax_code or invitee.tax_code
        account.save(update_fields=["is_active", "email", "tax_code"])
        record(account, by=by, action=AuditAction.UPDATE, message=f"Account riattivato dall'invito a {email}")
    elif not account.tax_code and invitee.tax_code:
        account.tax_code = invitee.tax_code
        account.save(update_fields=["tax_code"])
    assignment = None
    if not _held(account, request).exists():
        assignment = grant_role(
            account, request.role, partnership=request.partnership, ambito=request.ambito, region=None, by=by
        )
    invitee.link(account)
    token = None if in_use else secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        user=account,
        email=email,
        role=request.role,
        partnership=request.partnership,
        ambito=request.ambito,
        role_assignment=assignment,
        new_account=not in_use,
        invited_by=by,
        token_hash=token_hash(token) if token else "",
        sent_at=now,
        expires_at=_expiry(now),
        # An account in use gets the role and a note: there is no password to set.
        accepted_at=now if in_use else None,
    )
    message = (
        f"Invito inviato a {email} ({request.role.label}, {request.where})"
        if token
        else f"Ruolo {request.role.label} in {request.where} aggiunto all'account di {email}"
    )
    record(invitation, by=by, action=AuditAction.ACTION, message=message, code=SENT, **_keys(invitation))
    return invitation, token


def _expiry(now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(days=settings.INVITATION_DAYS)


def _keys(invitation: Invitation) -> TenantKeys:
    return {"ambito_id": invitation.ambito_id, "partnership_id": invitation.partnership_id}


def _free_username(email: str) -> str:
    """The e-mail as user name (what the person remembers), made valid and unique."""
    base = _USERNAME_CHARACTERS.sub("", email.lower())[:140] or "utente"
    name, number = base, 1
    while User.objects.filter(username__iexact=name).exists():
        number += 1
        name = f"{base}-{number}"
    return name


def _message(invitation: Invitation, token: str | None, absolute: Absolute, *, by: User) -> EmailMessage:
    user = invitation.user
    sender = by.get_full_name() or by.get_username()
    greeting = f"Gentile {user.get_full_name() or user.get_username()},"
    role = f"«{invitation.get_role_display()}» in {invitation.where}"
    if token is None:
        lines = [
            greeting,
            "",
            f"{sender} ti ha assegnato il ruolo {role} in Supervisione.",
            f"Accedi con il tuo nome utente ({user.get_username()}) e la tua password:",
            absolute(reverse("accounts:login")),
        ]
        subject = f"Supervisione: nuovo ruolo {invitation.get_role_display()}"
    else:
        expires = timezone.localtime(invitation.expires_at)
        lines = [
            greeting,
            "",
            (
                f"{sender} ti invita ad accedere a Supervisione, la piattaforma per la supervisione professionale "
                f"degli operatori sociali (LEPS), con il ruolo {role}."
            ),
            "",
            "Per attivare il tuo account scegli una password da questo link:",
            absolute(reverse("accounts:invitation_accept", args=[token])),
            "",
            f"Il link vale una sola volta, fino al {expires:%d/%m/%Y} alle {expires:%H:%M}.",
            f"Il tuo nome utente è: {user.get_username()}",
            "",
            "Se non ti aspettavi questo invito, ignora questo messaggio: senza la password l'account resta inattivo.",
        ]
        subject = "Invito ad accedere a Supervisione"
    lines += ["", "Supervisione - messaggio automatico."]
    return EmailMessage(
        subject=subject,
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
        reply_to=[by.email] if by.email else None,
    )


def resend(invitation: Invitation, *, by: User, absolute: Absolute) -> Invitation:
    """A new link (the old one stops working) with a new expiry, sent again."""
    if not invitation.is_open or not invitation.token_hash:
        raise InvitationError("L'invito è già stato accettato o revocato: non si può inviare di nuovo.")
    token = secrets.token_urlsafe(32)
    now = clock.now()
    with transaction.atomic():
        invitation.token_hash = token_hash(token)
        invitation.sent_at = now
        invitation.expires_at = _expiry(now)
        invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
        record(
            invitation,
            by=by,
            action=AuditAction.ACTION,
            message=f"Invito inviato di nuovo a {invitation.email}",
            code=RESENT,
            **_keys(invitation),
        )
        _message(invitation, token, absolute, by=by).send()
    return invitation


def revoke(invitation: Invitation, *, by: User) -> None:
    """The link stops working, the role the invitation granted is taken away, and the account it created is
    disabled unless another invitation still stands for it."""
    if not invitation.is_open:
        raise InvitationError("L'invito è già stato accettato o revocato.")
    with transaction.atomic():
        invitation.revoked_at = clock.now()
        invitation.token_hash = ""
        invitation.save(update_fields=["revoked_at", "token_hash"])
        assignment = invitation.role_assignment
        if assignment is not None:
            revoke_role(assignment, by=by)
        account = invitation.user
        others = Invitation.objects.filter(user=account, revoked_at__isnull=True).exclude(pk=invitation.pk)
        if invitation.new_account and account.is_active and not others.exists():
            account.is_active = False
            account.save(update_fields=["is_active"])
            record(account, by=by, action=AuditAction.UPDATE, message="Account disattivato: invito revocato")
        record(
            invitation,
            by=by,
            action=AuditAction.ACTION,
            message=f"Invito a {invitation.email} revocato",
            code=REVOKED,
            **_keys(invitation),
        )


def find(token: str) -> Invitation:
    """The invitation whose link this is, if the link still works; otherwise ``InvitationError`` saying why."""
    invitation = (
        Invitation.objects.select_related("user", "partnership", "ambito")
        .filter(token_hash=token_hash(token))
        .exclude(token_hash="")
        .first()
    )
    if invitation is None or not invitation.is_open:
        raise InvitationError(
            "Questo link non è valido: è già stato usato, oppure l'invito è stato inviato di nuovo o revocato. "
            "Se hai già scelto la password, accedi; altrimenti chiedi a chi ti ha invitato di inviarti un nuovo invito."
        )
    if clock.now() >= invitation.expires_at:
        raise InvitationError(
            f"Questo link è scaduto il {timezone.localtime(invitation.expires_at):%d/%m/%Y}: chiedi a chi ti ha "
            "invitato di inviarti di nuovo l'invito."
        )
    if not invitation.user.is_active:
        raise InvitationError("L'account di questo invito è disattivato: chiedi a chi ti ha invitato.")
    return invitation


def accept(invitation: Invitation, password: str) -> User:
    """The invited person's password; the link stops working. The password has been validated by the form."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_open or locked.token_hash != invitation.token_hash:
            raise InvitationError("Questo link è già stato usato.")
        user = invitation.user
        user.set_password(password)
        user.save(update_fields=["password"])
        locked.accepted_at = clock.now()
        locked.token_hash = ""
        locked.save(update_fields=["accepted_at", "token_hash"])
        record(
            locked,
            by=user,
            action=AuditAction.ACTION,
            message=f"Invito accettato da {user.get_username()}",
            code=ACCEPTED,
            **_keys(locked),
        )
    return user
