"""Who opens which dashboard and how much of it they read, on top of ``accounts.scopes``.

- Partnership and ATS dashboards: administrators and coordinators read everything (names of the social
  workers without supervision, per-person hours and the 80 % threshold, money); a referent reads the names of
  the people of their own ATS; a supervisor reads the groups' figures, never names or money; observers read
  the same figures as aggregates, never a name (not even a supervisor's); supervisees have their own
  dashboard and get 403 here.
- The observatory (aggregates across the ATS of a region or of the country): observers and administrators.
- A group's dashboard: whoever may open the group's calendar (``sessions``), with the names ``planning``'s
  ``NameAccess`` allows; observers read its aggregates.
- A supervisor's dashboard: the supervisor and the managers who pay them; a supervisee's: the person, the
  managers of their plans and the referents of their ATS.

Outside the user's scope: 404; visible but not for this user: 403 with the reason and, for a supervisee, a link to
their own dashboard (``accounts.refusals``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse

from supervisione.accounts import refusals
from supervisione.accounts.scopes import Scope, scope_for
from supervisione.sessions.access import reach_for
from supervisione.territory.models import Ambito, Partnership, PartnershipMember

if TYPE_CHECKING:
    from supervisione.accounts.models import User


@dataclass(frozen=True)
class Viewer:
    """How much of a dashboard one user reads."""

    scope: Scope
    name_ambito_ids: frozenset[int] | None  # None: every name; empty: none
    supervisors: bool  # supervisors' names next to their groups
    money: bool  # committed and spent per funding source and contract
    manages: bool  # may move A2 hours, download the evidence pack and the reports

    @property
    def names(self) -> bool:
        return self.name_ambito_ids is None or bool(self.name_ambito_ids)

    @property
    def aggregate_only(self) -> bool:
        return not self.scope.sees_people

    def sees_name(self, ambito_id: int | None) -> bool:
        return self.name_ambito_ids is None or (ambito_id is not None and ambito_id in self.name_ambito_ids)


def _observer(scope: Scope) -> Viewer:
    return Viewer(scope, frozenset(), supervisors=False, money=True, manages=False)


def _refuse_supervisee(user: User, scope: Scope, what: str) -> None:
    """Supervisees read their own dashboard; other roles they may hold decide the rest."""
    if not (
        scope.is_admin
        or scope.coordinated_partnership_ids
        or scope.referent_ambito_ids
        or scope.supervisor_partnership_ids
        or not scope.sees_people
    ):
        who = (
            f"Il cruscotto di {what} è per chi coordina il partenariato, per i referenti degli ATS e per i supervisori"
        )
        person_id = reach_for(user).person_id
        if person_id is None:
            raise refusals.Refused(
                f"{who}. Il tuo, con le tue ore e i tuoi incontri, si apre quando il tuo account è collegato a una "
                "persona del censimento: chiedi al referente del tuo ATS di invitarti dalla pagina del censimento."
            )
        raise refusals.Refused(
            f"{who}: le tue ore di supervisione e i tuoi incontri sono nel tuo cruscotto personale.",
            forward_url=reverse("monitoring:person", args=[person_id]),
            forward_label="Vai al tuo cruscotto",
        )


def _not_followed(what: str, who: str) -> refusals.Refused:
    """A user with roles elsewhere (a supervisor of another partnership, a referent of another ATS) who sees this
    partnership or ATS through another of their roles, and follows it through none."""
    return refusals.Refused(
        f"Il cruscotto di {what} lo consultano {who}: nessuno dei tuoi ruoli vi rientra. Apri quelli dei "
        "partenariati e degli ATS che segui.",
        forward_url=reverse("monitoring:index"),
        forward_label="I tuoi cruscotti",
    )


def partnership_viewer(user: User, partnership: Partnership) -> Viewer:
    """The partnership was fetched with ``get_partnership_for_user`` (404 outside the scope)."""
    scope = scope_for(user)
    if scope.is_admin or partnership.pk in scope.coordinated_partnership_ids:
        return Viewer(scope, None, supervisors=True, money=True, manages=True)
    if not scope.sees_people:
        return _observer(scope)
    _refuse_supervisee(user, scope, partnership.name)
    members = {partnership.capofila_id} | set(
        PartnershipMember.objects.in_force().filter(partnership=partnership).values_list("ambito_id", flat=True)
    )
    referent_of = scope.referent_ambito_ids & members
    if referent_of:
        return Viewer(scope, frozenset(referent_of), supervisors=True, money=True, manages=False)
    if partnership.pk in scope.supervisor_partnership_ids:
        return Viewer(scope, frozenset(), supervisors=True, money=False, manages=False)
    raise _not_followed(partnership.name, "i suoi coordinatori, i referenti dei suoi ATS e i suoi supervisori")


def ambito_viewer(user: User, ambito: Ambito) -> Viewer:
    """The ATS was fetched with ``get_ambito_for_user`` (404 outside the scope)."""
    scope = scope_for(user)
    if scope.is_admin or scope.can_edit_ambito(ambito.pk):
        # Coordinators of a partnership it belongs to, and its referents: the dashboard is of its people.
        manages = scope.is_admin or bool(
            scope.coordinated_partnership_ids
            and PartnershipMember.objects.in_force()
            .filter(partnership_id__in=scope.coordinated_partnership_ids, ambito=ambito)
            .exists()
        )
        return Viewer(scope, None, supervisors=True, money=True, manages=manages)
    if not scope.sees_people:
        return _observer(scope)
    _refuse_supervisee(user, scope, ambito.name)
    if (
        scope.supervisor_partnership_ids
        and PartnershipMember.objects.in_force()
        .filter(partnership_id__in=scope.supervisor_partnership_ids, ambito=ambito)
        .exists()
    ):
        return Viewer(scope, frozenset(), supervisors=True, money=False, manages=False)
    raise _not_followed(
        ambito.name, "i suoi referenti, i coordinatori dei partenariati di cui fa parte e i loro supervisori"
    )


def observatory_viewer(user: User) -> Viewer:
    scope = scope_for(user)
    if scope.is_admin:
        return Viewer(scope, frozenset(), supervisors=False, money=True, manages=False)
    if scope.has_any_role and not scope.sees_people:
        return _observer(scope)
    if not scope.has_any_role:
        raise refusals.without_role()
    raise refusals.Refused(
        "L'osservatorio riunisce i dati aggregati degli ATS di una regione o di tutto il paese: è per gli "
        "osservatori regionali e nazionali. I dati dei partenariati e degli ATS che segui sono nei tuoi cruscotti.",
        forward_url=reverse("monitoring:index"),
        forward_label="I tuoi cruscotti",
    )
