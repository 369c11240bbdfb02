"""Who sees, books and registers sessions, on top of ``accounts.scopes``.

- administrators, and coordinators of the partnership the session belongs to (or of a partnership its ATS
  belongs to), see and book sessions, cancel and reschedule them, and correct confirmed registers;
- referents see the sessions of their ATS (read only);
- a supervisor (a user with the supervisor role linked to a supervisor record) sees their own sessions,
  takes and confirms their registers, records topics and private notes, and may reschedule or cancel them;
- a supervisee (a user linked to a census person) sees the sessions they are expected at and checks in;
- observers never see sessions one by one (they get aggregates from monitoring).

Individual (A2) sessions are confidential: anyone but their supervisor sees only who, when and how long
(``SessionView.full`` is false); the supervisor's private note is shown to its author alone.
Anything outside the user's reach answers 404; visible but not allowed answers 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse

from supervisione.accounts import refusals
from supervisione.accounts.scopes import Scope, scope_for
from supervisione.census.models import Person
from supervisione.sessions.models import Attendance, Session
from supervisione.supervisors.models import Supervisor
from supervisione.territory.models import PartnershipMember

if TYPE_CHECKING:
    from supervisione.accounts.models import User

_CACHE_ATTRIBUTE = "_supervisione_sessions_reach"


def sessions_attended(**where: Any) -> QuerySet[Attendance, Any]:
    """The ids of the sessions with an attendance row matching ``where`` (an ATS, a person), for
    ``Q(pk__in=...)``. An uncorrelated subquery: the database reads that ATS's or person's rows once through
    their index, where ``Exists(... session_id=OuterRef("pk"))`` probed the index once per session of the
    period in the whole country (the ATS calendar grew with the number of ATS)."""
    return Attendance.objects.filter(**where).values("session_id")


@dataclass(frozen=True)
class Reach:
    """What one user may do with sessions. ``None`` in a ``*_ids`` field means "all"."""

    scope: Scope
    user_id: int | None
    managed_partnership_ids: frozenset[int] | None
    managed_ambito_ids: frozenset[int] | None
    read_ambito_ids: frozenset[int] | None
    supervisor_ids: frozenset[int]
    person_id: int | None

    @property
    def is_admin(self) -> bool:
        return self.scope.is_admin

    @property
    def manages_any(self) -> bool:
        return self.managed_partnership_ids is None or bool(self.managed_partnership_ids or self.managed_ambito_ids)

    @property
    def is_supervisor(self) -> bool:
        return bool(self.supervisor_ids)

    @property
    def is_supervisee(self) -> bool:
        return self.person_id is not None

    @property
    def sees_any(self) -> bool:
        return self.manages_any or bool(self.read_ambito_ids) or self.is_supervisor or self.is_supervisee

    def managed_q(self, prefix: str = "") -> Q:
        if self.managed_partnership_ids is None or self.managed_ambito_ids is None:
            return Q()
        return Q(**{f"{prefix}partnership_id__in": self.managed_partnership_ids}) | Q(
            **{f"{prefix}ambito_id__in": self.managed_ambito_ids}
        )

    def manages(self, session: Session) -> bool:
        if self.managed_partnership_ids is None or self.managed_ambito_ids is None:
            return True
        return session.partnership_id in self.managed_partnership_ids or session.ambito_id in self.managed_ambito_ids

    def manages_tenant(self, partnership_id: int | None, ambito_id: int | None) -> bool:
        if self.managed_partnership_ids is None or self.managed_ambito_ids is None:
            return True
        return partnership_id in self.managed_partnership_ids or ambito_id in self.managed_ambito_ids

    def read_q(self) -> Q:
        """Sessions of the ATS the user follows: of a group of that ATS, or with a participant from it."""
        if self.read_ambito_ids is None:
            return Q()
        return Q(ambito_id__in=self.read_ambito_ids) | Q(pk__in=sessions_attended(ambito_id__in=self.read_ambito_ids))

    def reads(self, session: Session) -> bool:
        if self.read_ambito_ids is None:
            return True
        if not self.read_ambito_ids:
            return False
        if session.ambito_id in self.read_ambito_ids:
            return True
        return Attendance.objects.filter(session=session, ambito_id__in=self.read_ambito_ids).exists()

    def supervises(self, session: Session) -> bool:
        return session.supervisor_id in self.supervisor_ids

    def visible_q(self) -> Q:
        """Sessions the user sees, as a filter on ``Session``."""
        if self.is_admin:
            return Q()
        conditions = Q(pk__in=[])
        if self.manages_any:
            conditions |= self.managed_q()
        if self.read_ambito_ids:
            conditions |= self.read_q()
        if self.supervisor_ids:
            conditions |= Q(supervisor_id__in=self.supervisor_ids)
        if self.person_id is not None:
            conditions |= Q(pk__in=sessions_attended(person_id=self.person_id))
        return conditions


def own_records(scope: Scope, user_id: int | None) -> tuple[frozenset[int], int | None]:
    """The user's own supervisor records (a supervisor's) and census person (a supervisee's): a query each, only
    for those roles."""
    supervisor_ids: frozenset[int] = frozenset()
    if scope.supervisor_partnership_ids and user_id is not None:
        supervisor_ids = frozenset(Supervisor.objects.filter(user_id=user_id).values_list("pk", flat=True))
    person_id: int | None = None
    if scope.supervisee_ambito_ids and user_id is not None:
        person_id = Person.objects.filter(user_id=user_id).values_list("pk", flat=True).first()
    return supervisor_ids, person_id


def reach_for(user: User) -> Reach:
    """Computed once per request (a few small queries) and kept on the user object."""
    cached: Reach | None = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    scope = scope_for(user)
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    if scope.is_admin:
        reach = Reach(scope, user_id, None, None, None, frozenset(), None)
    else:
        coordinated = scope.coordinated_partnership_ids
        managed_ambiti: frozenset[int] = frozenset()
        if coordinated:
            managed_ambiti = frozenset(
                PartnershipMember.objects.in_force()
                .filter(partnership_id__in=coordinated)
                .values_list("ambito_id", flat=True)
            )
        supervisor_ids, person_id = own_records(scope, user_id)
        reach = Reach(
            scope,
            user_id,
            managed_partnership_ids=coordinated,
            managed_ambito_ids=managed_ambiti,
            read_ambito_ids=managed_ambiti | scope.referent_ambito_ids,
            supervisor_ids=supervisor_ids,
            person_id=person_id,
        )
    setattr(user, _CACHE_ATTRIBUTE, reach)
    return reach


def forget_reach(user: User) -> None:
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def visible_sessions(user: User) -> QuerySet[Session]:
    return Session.objects.filter(reach_for(user).visible_q())


@dataclass(frozen=True)
class SessionView:
    """How much of one session a user sees and what they may do with it."""

    session: Session
    reach: Reach
    supervises: bool
    manages: bool
    reads: bool
    attends: bool

    @property
    def full(self) -> bool:
        """Topics and the register's details: the supervisor, and the ATS for all but A2 sessions."""
        return self.supervises or (not self.session.is_individual and (self.manages or self.reads))

    @property
    def sees_logistics(self) -> bool:
        """Modality, place and link: whoever attends too; of an A2 session the ATS sees only who, when, how long."""
        return self.full or self.attends

    @property
    def sees_participants(self) -> bool:
        return self.supervises or self.manages or self.reads

    @property
    def can_reschedule(self) -> bool:
        return (self.manages or self.supervises) and not self.session.is_cancelled and not self.session.is_confirmed

    @property
    def can_take_register(self) -> bool:
        """Before confirmation: the supervisor. After: the supervisor or a manager, with a reason."""
        if self.session.is_cancelled:
            return False
        return self.supervises or (self.manages and self.session.is_confirmed)

    @property
    def can_confirm(self) -> bool:
        return self.supervises and not self.session.is_cancelled and not self.session.is_confirmed

    @property
    def can_upload(self) -> bool:
        return (self.supervises or self.manages) and not self.session.is_cancelled

    @property
    def sees_topics(self) -> bool:
        return self.full


def view_for(user: User, session: Session) -> SessionView:
    reach = reach_for(user)
    return SessionView(
        session=session,
        reach=reach,
        supervises=reach.supervises(session),
        manages=reach.manages(session),
        reads=reach.reads(session),
        attends=reach.person_id is not None
        and Attendance.objects.filter(session=session, person_id=reach.person_id).exists(),
    )


def get_session_for_user(user: User, pk: int) -> SessionView:
    """The session if the user sees it (404 otherwise), with what they may do with it."""
    reach = reach_for(user)
    if not reach.sees_any:
        if reach.scope.has_any_role and not reach.scope.sees_people:
            raise not_a_reader(reach)
        raise Http404
    session = (
        Session.objects.filter(reach.visible_q(), pk=pk)
        .select_related(
            "partnership",
            "ambito",
            "supervisor",
            "supervisor__user",
            "contract",
            "funding__ambito",
            "supervisee",
            "group__plan__partnership",
            "group__plan__ambito",
        )
        .first()
    )
    if session is None:
        raise Http404
    return view_for(user, session)


def not_a_reader(reach: Reach) -> PermissionDenied:
    """Why the calendars are closed to this user, and where to go instead."""
    if refusals.is_observer_only(reach.scope):
        return refusals.Refused(
            "I calendari mostrano persone e incontri: il tuo ruolo di osservatore vede solo i dati aggregati.",
            forward_url=reverse("monitoring:observatory"),
            forward_label="Vai all'osservatorio",
        )
    return refusals.Refused(
        "Il tuo account non è ancora collegato a una persona del censimento o a un supervisore: chiedi al "
        "referente del tuo ATS di invitarti dalla pagina del censimento (o all'amministratore di collegarlo)."
    )


def require(allowed: bool, view: SessionView, *, why: str = "") -> None:
    """403 unless ``allowed``, with the reason and a link back to the session: ``why`` when the caller checked the
    role first and refuses for the session's state; for its supervisor and its managers, that it is cancelled or
    confirmed; for whoever only reads it or attends it, whose it is to act."""
    if allowed:
        return
    session = view.session
    back = {"forward_url": session.get_absolute_url(), "forward_label": "Torna all'incontro"}
    if why:
        raise refusals.Refused(why, **back)
    if view.supervises or view.manages:
        if session.is_cancelled:
            raise refusals.Refused(
                "Questo incontro è annullato: non si sposta più e non ha foglio firme, registro né documenti da "
                "caricare.",
                **back,
            )
        if session.is_confirmed:
            raise refusals.Refused(
                "Il registro di questo incontro è confermato: l'incontro non si sposta né si annulla più. Se una "
                "presenza è sbagliata, correggi il registro indicando il motivo.",
                **back,
            )
    raise refusals.Refused(
        "Il registro, gli spostamenti e i documenti di questo incontro li gestiscono il suo supervisore e chi "
        "gestisce il piano (il coordinatore del partenariato o il referente dell'ATS): tu puoi consultare "
        "l'incontro.",
        **back,
    )
