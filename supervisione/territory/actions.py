"""Writes to the territory, each in one transaction with its audit entry.

Who belongs to which partnership decides who sees which ATS (``accounts.scopes``), so membership has rules
that every path obeys, administrators included:

- an ATS joins a partnership with its consent (``request_to_join`` by the partnership's coordinator, then
  ``accept_join_request`` by the ATS's referent or by the coordinator of a partnership it leads) or by an
  administrator's hand (``add_partnership_member``);
- an ATS takes part in one partnership at a time: a membership whose period overlaps another of the same ATS
  is refused, naming the other partnership and its period (``check_can_join``). Joining after another
  partnership has ended closes the old membership on its last day, so its coordinators stop seeing the ATS.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet

from supervisione.audit.actions import delete_audited, record, save_audited
from supervisione.audit.models import AuditAction
from supervisione.lib import clock
from supervisione.territory.models import (
    Ambito,
    AmbitoMembership,
    JoinRequest,
    JoinRequestStatus,
    Partnership,
    PartnershipMember,
    membership_period,
)

if TYPE_CHECKING:
    from supervisione.accounts.models import User


class MembershipRefusedError(Exception):
    """A membership that would break a rule; the message, in Italian, says which and what to do."""


def _day(value: datetime.date) -> str:
    return f"{value:%d/%m/%Y}"


def describe_period(start: datetime.date, end: datetime.date) -> str:
    """ "dal 01/09/2022 al 31/12/2026", "fino al 31/12/2026", "dal 01/09/2022, senza data di fine"."""
    if start == datetime.date.min:
        return f"fino al {_day(end)}" if end != datetime.date.max else "senza date di inizio e di fine"
    return f"dal {_day(start)} al {_day(end)}" if end != datetime.date.max else f"dal {_day(start)}, senza data di fine"


def overlapping_membership(
    ambito: Ambito, start: datetime.date, end: datetime.date, *, other_than: Partnership | None = None
) -> PartnershipMember | None:
    """A membership of the ATS in another partnership whose period shares a day with [start, end]."""
    others: QuerySet[PartnershipMember] = PartnershipMember.objects.filter(ambito=ambito).select_related("partnership")
    if other_than is not None and other_than.pk is not None:
        others = others.exclude(partnership=other_than)
    for other in others.order_by("pk"):
        other_start, other_end = other.period
        if other_start <= end and start <= other_end:
            return other
    return None


def _refuse_overlap(ambito: Ambito, start: datetime.date, end: datetime.date, partnership: Partnership) -> None:
    other = overlapping_membership(ambito, start, end, other_than=partnership)
    if other is None:
        return
    raise MembershipRefusedError(
        f"{ambito.name} ({ambito.code}) fa già parte del partenariato {other.partnership.name} "
        f"({other.partnership.code}) {describe_period(*other.period)}. Un ATS partecipa a un solo partenariato "
        "alla volta: indica una data di adesione successiva alla fine di quell'adesione."
    )


def check_can_join(partnership: Partnership, ambito: Ambito, joined_on: datetime.date | None) -> None:
    """Raise ``MembershipRefusedError`` unless the ATS may become a member from ``joined_on``."""
    if PartnershipMember.objects.filter(partnership=partnership, ambito=ambito).exists():
        raise MembershipRefusedError(f"{ambito.name} ({ambito.code}) fa già parte del partenariato.")
    if joined_on is not None and partnership.end_date is not None and joined_on > partnership.end_date:
        raise MembershipRefusedError(
            f"La data di adesione ({_day(joined_on)}) è successiva alla fine del partenariato "
            f"({_day(partnership.end_date)})."
        )
    if joined_on is not None and partnership.start_date is not None and joined_on < partnership.start_date:
        raise MembershipRefusedError(
            f"La data di adesione ({_day(joined_on)}) precede l'inizio del partenariato "
            f"({_day(partnership.start_date)})."
        )
    _refuse_overlap(ambito, *membership_period(partnership, joined_on, None), partnership)


def _close_ended_memberships(ambito: Ambito, joining: Partnership, start: datetime.date, *, by: User) -> None:
    """Memberships of the ATS left open in partnerships that ended before ``start`` end on their last day."""
    open_memberships = PartnershipMember.objects.filter(ambito=ambito, left_on__isnull=True).select_related(
        "partnership"
    )
    for other in open_memberships.exclude(partnership=joining):
        end = other.period[1]
        if end < start:
            other.left_on = end
            save_audited(
                other,
                by=by,
                message=f"Adesione di {ambito.code} chiusa al {_day(end)}: aderisce a {joining.code}",
                code="territory.partnershipmember.ended",
            )


def _join(
    partnership: Partnership, ambito: Ambito, joined_on: datetime.date | None, *, by: User, message: str
) -> PartnershipMember:
    # The ATS row is locked so that two partnerships cannot take it for the same days at once (PostgreSQL).
    Ambito.objects.select_for_update().filter(pk=ambito.pk).first()
    check_can_join(partnership, ambito, joined_on)
    start = membership_period(partnership, joined_on, None)[0]
    _close_ended_memberships(ambito, partnership, start, by=by)
    member = PartnershipMember(partnership=partnership, ambito=ambito, joined_on=joined_on)
    save_audited(member, by=by, message=message, code="territory.partnershipmember.joined")
    return member


def save_partnership(partnership: Partnership, *, by: User) -> Partnership:
    """Create or update a partnership; its capofila is always one of its members.

    New dates must not make a member's period overlap its membership of another partnership, and a new
    capofila joins under the same rules as any ATS (only administrators choose one outside the members).
    """
    with transaction.atomic():
        if partnership.pk is not None:
            for member in PartnershipMember.objects.filter(partnership=partnership).select_related("ambito"):
                start, end = membership_period(partnership, member.joined_on, member.left_on)
                _refuse_overlap(member.ambito, start, end, partnership)
        capofila_is_member = (
            partnership.pk is not None
            and PartnershipMember.objects.filter(partnership=partnership, ambito_id=partnership.capofila_id).exists()
        )
        if not capofila_is_member:
            _refuse_overlap(partnership.capofila, *membership_period(partnership, None, None), partnership)
        save_audited(partnership, by=by)
        if not capofila_is_member:
            member = PartnershipMember.objects.create(
                partnership=partnership, ambito=partnership.capofila, joined_on=partnership.start_date
            )
            record(
                member,
                by=by,
                action=AuditAction.CREATE,
                message="ATS capofila aggiunto come partner",
                code="territory.partnershipmember.joined",
            )
    return partnership


def add_partnership_member(
    partnership: Partnership, ambito: Ambito, *, joined_on: datetime.date | None, by: User
) -> PartnershipMember:
    """An administrator adds an ATS directly (coordinators ask it with ``request_to_join``)."""
    with transaction.atomic():
        return _join(partnership, ambito, joined_on, by=by, message=f"{ambito.code} aggiunto al partenariato")


def request_to_join(
    partnership: Partnership, ambito: Ambito, *, joined_on: datetime.date, message: str, by: User
) -> JoinRequest:
    """The partnership asks the ATS to join: nothing opens until the ATS accepts."""
    with transaction.atomic():
        check_can_join(partnership, ambito, joined_on)
        if JoinRequest.objects.filter(
            partnership=partnership, ambito=ambito, status=JoinRequestStatus.PENDING
        ).exists():
            raise MembershipRefusedError(
                f"Una richiesta di adesione a {ambito.name} ({ambito.code}) è già in attesa di risposta."
            )
        join_request = JoinRequest(
            partnership=partnership, ambito=ambito, joined_on=joined_on, message=message, requested_by=by
        )
        save_audited(
            join_request,
            by=by,
            message=f"Richiesta di adesione inviata a {ambito.code}",
            code="territory.joinrequest.sent",
        )
    return join_request


class RequestAlreadyAnsweredError(Exception):
    pass


def _lock_pending(join_request: JoinRequest) -> JoinRequest:
    locked = (
        JoinRequest.objects.select_for_update(of=("self",))
        .select_related("partnership", "ambito")
        .get(pk=join_request.pk)
    )
    if not locked.is_pending:
        raise RequestAlreadyAnsweredError(
            f"La richiesta è già stata chiusa ({locked.get_status_display()}): ricarica la pagina."
        )
    return locked


# The code of each answer to a request to join: territory.joinrequest.accepted, .refused, .withdrawn.
_ANSWERS: dict[str, str] = {
    JoinRequestStatus.ACCEPTED: "accepted",
    JoinRequestStatus.REFUSED: "refused",
    JoinRequestStatus.WITHDRAWN: "withdrawn",
}


def _close(join_request: JoinRequest, status: str, note: str, *, by: User, message: str) -> None:
    join_request.status = status
    join_request.answered_by = by
    join_request.answered_at = clock.now()
    join_request.answer_note = note
    save_audited(join_request, by=by, message=message, code=f"territory.joinrequest.{_ANSWERS[status]}")


def accept_join_request(join_request: JoinRequest, *, by: User) -> PartnershipMember:
    """The ATS consents: it becomes a member from the requested day (the rules are checked again now)."""
    with transaction.atomic():
        locked = _lock_pending(join_request)
        member = _join(
            locked.partnership,
            locked.ambito,
            locked.joined_on,
            by=by,
            message=f"{locked.ambito.code} aderisce al partenariato (richiesta accettata)",
        )
        _close(locked, JoinRequestStatus.ACCEPTED, "", by=by, message=f"Richiesta accettata per {locked.ambito.code}")
    join_request.refresh_from_db()
    return member


def refuse_join_request(join_request: JoinRequest, *, note: str, by: User) -> None:
    with transaction.atomic():
        locked = _lock_pending(join_request)
        _close(locked, JoinRequestStatus.REFUSED, note, by=by, message=f"Richiesta rifiutata per {locked.ambito.code}")
    join_request.refresh_from_db()


def withdraw_join_request(join_request: JoinRequest, *, by: User) -> None:
    with transaction.atomic():
        locked = _lock_pending(join_request)
        _close(locked, JoinRequestStatus.WITHDRAWN, "", by=by, message=f"Richiesta a {locked.ambito.code} ritirata")
    join_request.refresh_from_db()


class CannotRemoveCapofilaError(Exception):
    pass


def remove_partnership_member(member: PartnershipMember, *, by: User) -> None:
    if member.ambito_id == member.partnership.capofila_id:
        raise CannotRemoveCapofilaError(
            "L'ATS capofila non può essere tolto dal partenariato: cambia prima il capofila."
        )
    delete_audited(
        member,
        by=by,
        message=f"{member.ambito.code} tolto dal partenariato",
        code="territory.partnershipmember.removed",
    )


def end_membership(membership: AmbitoMembership, valid_to: datetime.date, *, by: User) -> AmbitoMembership:
    membership.valid_to = valid_to
    save_audited(
        membership,
        by=by,
        message=f"Fine dell'appartenenza di {membership.municipality.name}",
        code="territory.ambitomembership.ended",
    )
    return membership
