"""Who sees and changes meetings.

- Administrators: every meeting.
- A partnership's meetings: its coordinators convene and edit them; an ATS's meetings: whoever edits the ATS
  (its referents, the coordinators of the partnerships it belongs to).
- Read only: the referents of an ATS that is invited (one of its people is among the invitees), any user
  who is personally invited, and, for a sitting of a co-design table, whoever reads the table's contract
  (``procurement.access``: the contract page lists its sittings).
- Everyone else, observers included (meetings name people), gets 404, as if the meeting did not exist; a
  reader who asks to change it gets 403, told who convenes it (``not_the_convener``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from supervisione.accounts import refusals
from supervisione.accounts.scopes import Scope, scope_for
from supervisione.meetings.models import Meeting
from supervisione.supervisors.access import reach_for

if TYPE_CHECKING:
    from supervisione.accounts.models import User


def _editable_q(scope: Scope) -> Q:
    return Q(partnership_id__in=scope.editable_partnership_ids or ()) | Q(ambito_id__in=scope.editable_ambito_ids or ())


def _readable_q(user: User, scope: Scope) -> Q:
    sittings = Q(codesign_table__isnull=False) & reach_for(user).read_q("codesign_table__contract__")
    return (
        _editable_q(scope)
        | Q(invitees__ambito_id__in=scope.referent_ambito_ids)
        | Q(invitees__user_id=user.pk)
        | sittings
    )


def visible_meetings(user: User) -> QuerySet[Meeting]:
    """The meetings the user may read (one query, no duplicates)."""
    scope = scope_for(user)
    meetings = Meeting.objects.select_related("partnership", "ambito", "codesign_table__contract")
    if scope.is_admin:
        return meetings
    ids = Meeting.objects.filter(_readable_q(user, scope)).values("pk")
    return meetings.filter(pk__in=ids)


def can_edit(user: User, meeting: Meeting) -> bool:
    scope = scope_for(user)
    if meeting.partnership_id is not None:
        return scope.can_edit_partnership(meeting.partnership_id)
    return meeting.ambito_id is not None and scope.can_edit_ambito(meeting.ambito_id)


def get_meeting_for_user(user: User, pk: int, *, write: bool = False) -> Meeting:
    """The meeting if the user may read it (404 otherwise); ``write``: 403 unless the user may change it."""
    meeting = visible_meetings(user).filter(pk=pk).first()
    if meeting is None:
        raise Http404
    if write and not can_edit(user, meeting):
        raise not_the_convener(meeting)
    return meeting


def not_the_convener(meeting: Meeting) -> refusals.Refused:
    """Why a reader (a referent of an invited ATS, an invitee, a reader of the contract of a co-design table) may not
    change the meeting: who convenes it, and a link back to it."""
    if meeting.partnership is not None:
        who = f"i coordinatori di {meeting.partnership.name}"
    else:
        who = f"i referenti di {meeting.tenant_name} e il coordinatore del partenariato"
    return refusals.Refused(
        f"La riunione «{meeting}» la convocano e la gestiscono {who}, che ne scrivono anche il verbale: tu "
        "puoi consultarla. Se c'è da cambiare qualcosa, chiediglielo.",
        forward_url=meeting.get_absolute_url(),
        forward_label="Torna alla riunione",
    )


def can_convene(scope: Scope) -> bool:
    """Whether the user may create meetings anywhere (the list page's button)."""
    return scope.is_admin or bool(scope.editable_partnership_ids or scope.editable_ambito_ids)
