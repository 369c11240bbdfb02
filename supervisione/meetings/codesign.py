"""The sittings of a co-design table (art. 55 D.Lgs. 117/2017) are meetings.

A sitting belongs to the table's contract's tenant (``Meeting.codesign_table``). The table's members become its
invitees where they can be reached: an ATS or an organisation with an e-mail address (or a PEC), under the
member's representative when the table names one; the others are written in the minutes among the other people
present (a sitting recorded after the fact) or named to the user to invite by hand (a sitting to convene). A
sitting held in the past is recorded after the fact (``MeetingStatus.RECORDED``): its members are marked present,
its minutes start as a draft to complete and approve, and, held on the day the table approved the proposal, they
carry that decision. Procurement shows the sittings on the contract page through ``sittings_of``, which
``MeetingsConfig.ready`` registers (``procurement/codesign_sittings.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse

from supervisione.audit.actions import record, save_audited
from supervisione.audit.models import AuditAction
from supervisione.lib import clock
from supervisione.meetings.actions import MeetingError, SignatoryLine, save_meeting
from supervisione.meetings.models import Decision, Invitee, Meeting, MeetingStatus, Minutes
from supervisione.procurement.codesign_sittings import Sitting
from supervisione.procurement.models import CoDesignMember, CoDesignTable, Contract

if TYPE_CHECKING:
    from supervisione.accounts.models import User


def sittings_of(table: CoDesignTable) -> list[Sitting]:
    """The table's sittings with the state of their minutes (one query)."""
    approved_on = table.proposal_approved_on
    return [
        Sitting(
            date=meeting.date,
            title=meeting.title,
            url=meeting.get_absolute_url(),
            status=meeting.get_status_display(),
            minutes=_minutes_text(meeting),
            is_final=approved_on is not None and meeting.date == approved_on,
        )
        for meeting in Meeting.objects.filter(codesign_table=table).select_related("minutes").order_by("date", "pk")
    ]


def _minutes_text(meeting: Meeting) -> str:
    minutes = getattr(meeting, "minutes", None)
    if minutes is None:
        return "nessun verbale"
    return "verbale approvato" if minutes.is_approved else "verbale in bozza"


def record_link(contract: Contract) -> str:
    return reverse("meetings:codesign_sitting_create", args=[contract.pk])


def proposal_decision_text(table: CoDesignTable) -> str:
    """The decision that approves the table's proposal, in the words of the minutes."""
    proposer = f" di {table.proposer.name}" if table.proposer else ""
    text = f"Approvata la proposta{proposer}: {table.proposal_title}."
    return f"{text} {table.proposal_summary}".strip() if table.proposal_summary else text


@dataclass
class Members:
    """The table's members as a sitting's invitees, and those without an address."""

    invitees: list[Invitee] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)


def member_invitees(meeting: Meeting, members: Sequence[CoDesignMember], *, present: bool) -> Members:
    """One invitee per member with an address (unsaved), at most one per address; the others by name."""
    result = Members()
    seen: set[str] = set()
    for member in members:
        body = member.ambito or member.organisation
        if body is None:
            continue
        name = member.person_name or body.name
        address = (body.email or body.pec).strip()
        if not address or address.lower() in seen:
            result.unreachable.append(f"{name} ({body.name}, {member.role})" if member.person_name else name)
            continue
        seen.add(address.lower())
        # An ATS shows in its own column; an organisation's representative says whose.
        role = f"{member.role}, {body.name}" if member.person_name and member.ambito is None else member.role
        result.invitees.append(
            Invitee(
                meeting=meeting,
                name=name[:200],
                role=role[:250],
                ambito=member.ambito,
                email=address,
                pec=body.pec if body.pec != address else "",
                attended=present,
            )
        )
    return result


def create_sitting(
    meeting: Meeting,
    agenda: Sequence[str],
    signatories: Sequence[SignatoryLine],
    *,
    table: CoDesignTable,
    recorded: bool,
    by: User,
) -> Members:
    """Create a sitting of the table with its members as invitees. ``recorded``: held in the past, recorded after
    the fact, with draft minutes (the members present, the approval of the proposal if held that day). What
    became of the members, for the page to say."""
    contract = table.contract
    if recorded and meeting.date > clock.today():
        raise MeetingError("Una seduta registrata a posteriori si è già tenuta: la data non può essere futura.")
    if meeting.date < table.opened_on:
        raise MeetingError(f"La seduta non può precedere l'apertura del tavolo ({table.opened_on:%d/%m/%Y}).")
    with transaction.atomic():
        meeting.codesign_table = table
        meeting.partnership_id, meeting.ambito_id = contract.partnership_id, contract.ambito_id
        if recorded:
            meeting.status = MeetingStatus.RECORDED
        save_meeting(meeting, agenda, signatories, by=by)
        members = member_invitees(
            meeting, list(table.members.select_related("ambito", "organisation")), present=recorded
        )
        Invitee.objects.bulk_create(members.invitees)
        if members.invitees:
            record(
                meeting,
                by=by,
                action=AuditAction.UPDATE,
                message=f"Invitati i componenti del tavolo: {', '.join(i.name for i in members.invitees)}"[:250],
            )
        if recorded:
            _draft_minutes(meeting, table, members, by=by)
    return members


def _draft_minutes(meeting: Meeting, table: CoDesignTable, members: Members, *, by: User) -> None:
    minutes = Minutes(meeting=meeting, others_present="\n".join(members.unreachable))
    save_audited(minutes, by=by, ambito_id=meeting.ambito_id, partnership_id=meeting.partnership_id)
    if table.approved and table.proposal_approved_on == meeting.date:
        decision = Decision(
            minutes=minutes, agenda_item=meeting.agenda_items.last(), text=proposal_decision_text(table)
        )
        save_audited(decision, by=by, ambito_id=meeting.ambito_id, partnership_id=meeting.partnership_id)
