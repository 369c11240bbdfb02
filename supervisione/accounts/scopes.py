"""The one place that decides which partnerships and ATS a user may see and change.

Rules (PRODUCT.md section 2):

- administrator: everything, read and write;
- coordinator of a partnership: the partnership and every member ATS, read and write;
- referent of an ATS: that ATS (read and write) and the partnerships it belongs to (read only);
- supervisor in a partnership: the partnership and its member ATS, read only;
- supervisee (operatore) of an ATS: that ATS and its partnerships, read only;
- observer: every ATS of a region (or of the country) and the partnerships led from there, read only,
  and only as aggregates: ``Scope.sees_people`` is false for a user whose only roles are observer roles.

"Member" means a membership in force today (``PartnershipMember.objects.in_force()``): an ATS that has left a
partnership, or has not joined it yet, opens nothing to the partnership's people, nor the partnership to the
ATS's. An ATS joins only with its consent (``territory.JoinRequest``, answered by those in
``Scope.answers_for_ambito_ids``: its referents and the coordinators of the partnerships it leads) or by an
administrator's hand, so that no role lets its holder widen what it sees.

Anything outside the scope answers 404, as if it did not exist; something visible but not editable
answers 403. Views get tenant objects only through ``get_ambito_for_user`` and
``get_partnership_for_user``, and list them only through ``visible_ambiti`` and
``visible_partnerships``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import BooleanField, Q, QuerySet, Value
from django.http import Http404

from supervisione.accounts import refusals
from supervisione.accounts.models import Role, RoleAssignment, User
from supervisione.territory.models import Ambito, JoinRequest, Partnership, PartnershipMember

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

_CACHE_ATTRIBUTE = "_supervisione_scope"


@dataclass(frozen=True)
class Scope:
    """What one user may see and change. ``None`` in a ``*_ids`` field means "all"."""

    is_admin: bool
    roles: frozenset[str]
    visible_partnership_ids: frozenset[int] | None
    visible_ambito_ids: frozenset[int] | None
    editable_partnership_ids: frozenset[int] | None
    editable_ambito_ids: frozenset[int] | None
    coordinated_partnership_ids: frozenset[int]
    referent_ambito_ids: frozenset[int]
    supervisor_partnership_ids: frozenset[int]
    supervisee_ambito_ids: frozenset[int]
    observer_region_ids: frozenset[int] | None
    sees_people: bool
    # The ATS for which the user speaks: accepts or refuses requests to join a partnership (its referents and
    # the coordinators of the partnerships it leads as capofila). Administrators: every ATS.
    answers_for_ambito_ids: frozenset[int] | None = frozenset()

    @property
    def has_any_role(self) -> bool:
        return self.is_admin or bool(self.roles)

    def can_see_ambito(self, ambito_id: int) -> bool:
        return self.visible_ambito_ids is None or ambito_id in self.visible_ambito_ids

    def can_edit_ambito(self, ambito_id: int) -> bool:
        return self.editable_ambito_ids is None or ambito_id in self.editable_ambito_ids

    def can_see_partnership(self, partnership_id: int) -> bool:
        return self.visible_partnership_ids is None or partnership_id in self.visible_partnership_ids

    def can_edit_partnership(self, partnership_id: int) -> bool:
        return self.editable_partnership_ids is None or partnership_id in self.editable_partnership_ids

    def can_answer_for_ambito(self, ambito_id: int) -> bool:
        return self.answers_for_ambito_ids is None or ambito_id in self.answers_for_ambito_ids

    @property
    def can_create_ambito(self) -> bool:
        return self.is_admin

    @property
    def can_create_partnership(self) -> bool:
        return self.is_admin

    @property
    def can_edit_reference_data(self) -> bool:
        """Regions and municipalities are national reference data: administrators only."""
        return self.is_admin

    @property
    def can_register_organisations(self) -> bool:
        """Who acts for a tenant registers organisations for it; editing one needs a tenant that uses it
        (``territory.organisation_use``)."""
        return self.is_admin or bool(self.coordinated_partnership_ids or self.referent_ambito_ids)

    @property
    def can_use_two_factor(self) -> bool:
        """Optional two-factor verification (TOTP) is offered to those who manage partnerships and users."""
        return self.is_admin or bool(self.coordinated_partnership_ids)


EMPTY_SCOPE = Scope(
    is_admin=False,
    roles=frozenset(),
    visible_partnership_ids=frozenset(),
    visible_ambito_ids=frozenset(),
    editable_partnership_ids=frozenset(),
    editable_ambito_ids=frozenset(),
    coordinated_partnership_ids=frozenset(),
    referent_ambito_ids=frozenset(),
    supervisor_partnership_ids=frozenset(),
    supervisee_ambito_ids=frozenset(),
    observer_region_ids=frozenset(),
    sees_people=False,
)


def compute_scope(user: User | AnonymousUser) -> Scope:
    """Build the scope from the user's role assignments (a handful of small queries, once per request)."""
    if not user.is_authenticated or not user.is_active:
        return EMPTY_SCOPE
    assignments = list(
        RoleAssignment.objects.filter(user_id=user.pk).values_list("role", "partnership_id", "ambito_id", "region_id")
    )
    roles = frozenset(role for role, *_ in assignments)
    is_admin = bool(user.is_superuser) or Role.ADMIN in roles
    if is_admin:
        return _admin_scope(roles)

    def ids(role: Role, index: int) -> frozenset[int]:
        return frozenset(int(row[index]) for row in assignments if row[0] == role and row[index] is not None)

    coordinated = ids(Role.COORDINATOR, 1)
    supervised_in = ids(Role.SUPERVISOR, 1)
    referent_of = ids(Role.REFERENT, 2)
    supervisee_of = ids(Role.SUPERVISEE, 2)
    observer_rows = [row for row in assignments if row[0] == Role.OBSERVER]
    national_observer = any(row[3] is None for row in observer_rows)
    observer_regions = frozenset(row[3] for row in observer_rows if row[3] is not None)

    partnership_roles = coordinated | supervised_in
    ambito_roles = referent_of | supervisee_of
    reach = _Reach.of(partnership_roles, ambito_roles)
    visible_partnerships = partnership_roles | reach.partnerships
    visible_ambiti = ambito_roles | reach.members_of(partnership_roles)
    if observer_regions and not national_observer:
        visible_ambiti |= frozenset(Ambito.objects.filter(region_id__in=observer_regions).values_list("pk", flat=True))
        visible_partnerships |= frozenset(
            Partnership.objects.filter(capofila__region_id__in=observer_regions).values_list("pk", flat=True)
        )
    return Scope(
        is_admin=False,
        roles=roles,
        visible_partnership_ids=None if national_observer else visible_partnerships,
        visible_ambito_ids=None if national_observer else visible_ambiti,
        editable_partnership_ids=coordinated,
        editable_ambito_ids=referent_of | reach.members_of(coordinated),
        coordinated_partnership_ids=coordinated,
        referent_ambito_ids=referent_of,
        supervisor_partnership_ids=supervised_in,
        supervisee_ambito_ids=supervisee_of,
        observer_region_ids=None if national_observer else observer_regions,
        sees_people=bool(roles - {Role.OBSERVER}),
        answers_for_ambito_ids=referent_of | frozenset(reach.capofile[pk] for pk in coordinated),
    )


def _admin_scope(roles: frozenset[str]) -> Scope:
    return Scope(
        is_admin=True,
        roles=roles | {Role.ADMIN},
        visible_partnership_ids=None,
        visible_ambito_ids=None,
        editable_partnership_ids=None,
        editable_ambito_ids=None,
        coordinated_partnership_ids=frozenset(),
        referent_ambito_ids=frozenset(),
        supervisor_partnership_ids=frozenset(),
        supervisee_ambito_ids=frozenset(),
        observer_region_ids=None,
        sees_people=True,
        answers_for_ambito_ids=None,
    )


@dataclass(frozen=True)
class _Reach:
    """Partnerships reached through an ATS role, and ATS reached through a partnership role: only through
    memberships in force today (two queries whatever the number of roles)."""

    members: dict[int, set[int]]  # partnership of a role -> its member ATS, the capofila included
    partnerships: frozenset[int]  # partnerships the ATS of a role belong to
    capofile: dict[int, int]  # partnership of a role -> its capofila

    @classmethod
    def of(cls, partnership_roles: frozenset[int], ambito_roles: frozenset[int]) -> _Reach:
        members: dict[int, set[int]] = {pk: set() for pk in partnership_roles}
        reached_partnerships: set[int] = set()
        capofile: dict[int, int] = {}
        if not (partnership_roles or ambito_roles):
            return cls(members, frozenset(), capofile)
        # Unordered: read into sets (the model's ordering joined every ATS to sort by name, on every page).
        rows = (
            PartnershipMember.objects.in_force()
            .filter(Q(partnership_id__in=partnership_roles) | Q(ambito_id__in=ambito_roles))
            .values_list("partnership_id", "ambito_id", Value(value=False, output_field=BooleanField()))
            .order_by()
        )
        if partnership_roles:
            # The capofila is the partnership's own ATS: always part of it, whatever its membership row says. Read
            # in the same query as the memberships (one query fewer on every page of a coordinator or supervisor).
            capofila_rows = (
                Partnership.objects.filter(pk__in=partnership_roles)
                .values_list("pk", "capofila_id", Value(value=True, output_field=BooleanField()))
                .order_by()
            )
            rows = rows.union(capofila_rows, all=True)
        for partnership_id, ambito_id, is_capofila in rows:
            if is_capofila:
                capofile[partnership_id] = ambito_id
                members[partnership_id].add(ambito_id)
                continue
            if partnership_id in members:
                members[partnership_id].add(ambito_id)
            if ambito_id in ambito_roles:
                reached_partnerships.add(partnership_id)
        return cls(members, frozenset(reached_partnerships), capofile)

    def members_of(self, partnership_ids: frozenset[int]) -> frozenset[int]:
        return frozenset(ambito_id for pk in partnership_ids for ambito_id in self.members[pk])


def scope_for(user: User | AnonymousUser) -> Scope:
    """The user's scope, computed once per request and kept on the user object."""
    cached: Scope | None = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = compute_scope(user)
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def forget_scope(user: User) -> None:
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def visible_ambiti(user: User) -> QuerySet[Ambito]:
    scope = scope_for(user)
    queryset = Ambito.objects.select_related("region", "capofila_municipality")
    if scope.visible_ambito_ids is None:
        return queryset
    return queryset.filter(pk__in=scope.visible_ambito_ids)


def visible_partnerships(user: User) -> QuerySet[Partnership]:
    scope = scope_for(user)
    queryset = Partnership.objects.select_related("capofila", "capofila__region")
    if scope.visible_partnership_ids is None:
        return queryset
    return queryset.filter(pk__in=scope.visible_partnership_ids)


def get_ambito_for_user(user: User, code: str, *, write: bool = False) -> Ambito:
    """The ATS with this code if the user may see it (404 otherwise); 403 if ``write`` and read-only."""
    scope = scope_for(user)
    try:
        ambito = Ambito.objects.select_related("region", "capofila_municipality").get(code=code)
    except Ambito.DoesNotExist:
        raise Http404 from None
    if not scope.can_see_ambito(ambito.pk):
        raise Http404
    if write and not scope.can_edit_ambito(ambito.pk):
        raise refusals.read_only(scope, ambito.name)
    return ambito


def get_partnership_for_user(user: User, code: str, *, write: bool = False) -> Partnership:
    scope = scope_for(user)
    try:
        partnership = Partnership.objects.select_related("capofila", "capofila__region").get(code=code)
    except Partnership.DoesNotExist:
        raise Http404 from None
    if not scope.can_see_partnership(partnership.pk):
        raise Http404
    if write and not scope.can_edit_partnership(partnership.pk):
        raise refusals.read_only(scope, partnership.name, kind="partnership")
    return partnership


def get_join_request_for_user(user: User, pk: int, *, answer: bool = False, withdraw: bool = False) -> JoinRequest:
    """A request to join a partnership, for the two sides it concerns: those who see the partnership and those
    who answer for the ATS (404 for anyone else). ``answer``: 403 unless the user answers for the ATS;
    ``withdraw``: 403 unless the user changes the partnership."""
    scope = scope_for(user)
    join_request = (
        JoinRequest.objects.select_related(
            "partnership", "partnership__capofila", "ambito", "ambito__region", "requested_by", "answered_by"
        )
        .filter(pk=pk)
        .first()
    )
    if join_request is None or not (
        scope.can_see_partnership(join_request.partnership_id) or scope.can_answer_for_ambito(join_request.ambito_id)
    ):
        raise Http404
    if answer and not scope.can_answer_for_ambito(join_request.ambito_id):
        raise refusals.Refused(
            f"Alla richiesta di adesione risponde {join_request.ambito.name}, con i suoi referenti: il partenariato "
            "attende la sua risposta.",
            forward_url=join_request.partnership.get_absolute_url(),
            forward_label="Torna al partenariato",
        )
    if withdraw and not scope.can_edit_partnership(join_request.partnership_id):
        raise refusals.Refused(
            f"La richiesta la ritira chi l'ha inviata: il coordinatore di {join_request.partnership.name}. "
            "L'ATS può rifiutarla."
        )
    return join_request


def ambiti_filter(user: User, field: str = "ambito") -> Q:
    """A ``Q`` restricting any model with an ATS foreign key to the user's visible ATS."""
    scope = scope_for(user)
    if scope.visible_ambito_ids is None:
        return Q()
    return Q(**{f"{field}__in": scope.visible_ambito_ids})
