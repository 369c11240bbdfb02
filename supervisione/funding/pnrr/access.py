"""Who sees a partnership's PNRR projects and who hands over what was charged after their end.

- The partnership's coordinators (and administrators) see everything and hand over.
- The referents of its ATS (memberships in force) see everything, read-only: the sessions are their staff's.
- Observers see the figures only (how many sessions, hours, groups), never names.
- Supervisors and supervisees: 403. Anyone who does not see the partnership: 404 (``get_partnership_for_user``).
"""

from __future__ import annotations

from dataclasses import dataclass

from supervisione.accounts.models import User
from supervisione.accounts.refusals import Refused
from supervisione.accounts.scopes import get_partnership_for_user, scope_for
from supervisione.territory.models import Partnership, PartnershipMember


@dataclass(frozen=True)
class ProjectAccess:
    partnership: Partnership
    sees_items: bool  # the sessions and groups one by one, with names
    hands_over: bool


def project_access(user: User, code: str, *, hand_over: bool = False) -> ProjectAccess:
    """The partnership with this code and what the user may do with its PNRR projects (404 outside the scope; 403
    for a role that has no business there, or for a hand-over by anyone but its coordinators)."""
    partnership = get_partnership_for_user(user, code)
    scope = scope_for(user)
    if scope.is_admin or partnership.pk in scope.coordinated_partnership_ids:
        return ProjectAccess(partnership, sees_items=True, hands_over=True)
    if hand_over:
        raise Refused(
            f"Il passaggio degli incontri dal PNRR a un'altra fonte lo decidono i coordinatori di {partnership.name}."
        )
    if not scope.sees_people:
        return ProjectAccess(partnership, sees_items=False, hands_over=False)
    members = {partnership.capofila_id} | set(
        PartnershipMember.objects.in_force().filter(partnership=partnership).values_list("ambito_id", flat=True)
    )
    if scope.referent_ambito_ids & members:
        return ProjectAccess(partnership, sees_items=True, hands_over=False)
    raise Refused(
        f"La chiusura del progetto PNRR di {partnership.name} la seguono i coordinatori del partenariato e i "
        "referenti dei suoi ATS."
    )
