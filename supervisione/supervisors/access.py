"""Who sees and changes supervisors, on top of ``accounts.scopes``; contracts follow the same reach
(``procurement.access``).

A supervisor record or a contract belongs to a partnership or to an ATS (its tenant):

- administrators, and coordinators of the partnership (or of a partnership the ATS belongs to), manage them;
- referents read those of their ATS and of the partnerships their ATS belongs to;
- a supervisor (a user with the supervisor role, linked to the record) reads their own record and updates
  its training, availability, documents and declarations; never contracts;
- supervisees and observers see no supervisor's personal data and no contract (observers get aggregates).

Anything whose tenant the user cannot see at all answers 404; visible but not allowed answers 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Q, QuerySet
from django.http import Http404

from supervisione.accounts import refusals
from supervisione.accounts.scopes import Scope, scope_for
from supervisione.supervisors.models import Supervisor
from supervisione.territory.models import PartnershipMember
from supervisione.territory.tenancy import TenantOwned

if TYPE_CHECKING:
    from supervisione.accounts.models import User

_CACHE_ATTRIBUTE = "_supervisione_supervisors_reach"

T = TypeVar("T", bound=TenantOwned)


@dataclass(frozen=True)
class Reach:
    """The tenants whose supervisors and contracts a user manages or reads. ``None`` means all."""

    scope: Scope
    managed_partnership_ids: frozenset[int] | None
    managed_ambito_ids: frozenset[int] | None
    read_partnership_ids: frozenset[int] | None
    read_ambito_ids: frozenset[int] | None

    @property
    def is_supervisor(self) -> bool:
        return bool(self.scope.supervisor_partnership_ids)

    @property
    def manages_any(self) -> bool:
        return self.managed_partnership_ids is None or bool(self.managed_partnership_ids or self.managed_ambito_ids)

    @property
    def reads_any(self) -> bool:
        return self.read_partnership_ids is None or bool(self.read_partnership_ids or self.read_ambito_ids)

    def manages(self, owned: TenantOwned) -> bool:
        return _within(owned, self.managed_partnership_ids, self.managed_ambito_ids)

    def reads(self, owned: TenantOwned) -> bool:
        return _within(owned, self.read_partnership_ids, self.read_ambito_ids)

    def sees_tenant(self, owned: TenantOwned) -> bool:
        if owned.partnership_id is not None:
            return self.scope.can_see_partnership(owned.partnership_id)
        return owned.ambito_id is not None and self.scope.can_see_ambito(owned.ambito_id)

    def managed_q(self, prefix: str = "") -> Q:
        return tenant_q(self.managed_partnership_ids, self.managed_ambito_ids, prefix)

    def read_q(self, prefix: str = "") -> Q:
        return tenant_q(self.read_partnership_ids, self.read_ambito_ids, prefix)


def _within(owned: TenantOwned, partnerships: frozenset[int] | None, ambiti: frozenset[int] | None) -> bool:
    if partnerships is None or ambiti is None:
        return True
    if owned.partnership_id is not None:
        return owned.partnership_id in partnerships
    return owned.ambito_id in ambiti


def tenant_q(partnerships: frozenset[int] | None, ambiti: frozenset[int] | None, prefix: str) -> Q:
    """Rows of these partnerships or ATS (``prefix`` leads to the tenant fields); everything for ``None``."""
    if partnerships is None or ambiti is None:
        return Q()
    return Q(**{f"{prefix}partnership_id__in": partnerships}) | Q(**{f"{prefix}ambito_id__in": ambiti})


# --- Organisations used by a tenant (territory/organisation_use.py) ---------------------------------------


def supervisor_providers(partnership_ids: frozenset[int], ambito_ids: frozenset[int]) -> QuerySet[Any]:
    return Supervisor.objects.filter(tenant_q(partnership_ids, ambito_ids, "")).values("provider_id")


ORGANISATION_USES = {"supervisor_providers": supervisor_providers}


def reach_for(user: User) -> Reach:
    """Computed once per request (at most two small queries) and kept on the user object."""
    cached: Reach | None = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    scope = scope_for(user)
    if scope.is_admin:
        reach = Reach(scope, None, None, None, None)
    else:
        coordinated = scope.coordinated_partnership_ids
        managed_ambiti: frozenset[int] = frozenset()
        if coordinated:
            managed_ambiti = frozenset(
                PartnershipMember.objects.in_force()
                .filter(partnership_id__in=coordinated)
                .values_list("ambito_id", flat=True)
            )
        referent_partnerships: frozenset[int] = frozenset()
        if scope.referent_ambito_ids:
            referent_partnerships = frozenset(
                PartnershipMember.objects.in_force()
                .filter(ambito_id__in=scope.referent_ambito_ids)
                .values_list("partnership_id", flat=True)
            )
        reach = Reach(
            scope,
            managed_partnership_ids=coordinated,
            managed_ambito_ids=managed_ambiti,
            read_partnership_ids=coordinated | referent_partnerships,
            read_ambito_ids=managed_ambiti | scope.referent_ambito_ids,
        )
    setattr(user, _CACHE_ATTRIBUTE, reach)
    return reach


def forget_reach(user: User) -> None:
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def _own_q(user: User, reach: Reach) -> Q:
    """A supervisor's own records: linked to the user, who holds the supervisor role."""
    if not reach.is_supervisor:
        return Q(pk__in=[])
    return Q(user_id=user.pk)


def visible_supervisors(user: User) -> QuerySet[Supervisor]:
    """Supervisor records whose personal data the user may read."""
    reach = reach_for(user)
    if reach.read_partnership_ids is None:
        # Everything: Q() | Q(pk__in=[]) would be Q(pk__in=[]), as Django drops an empty Q from an OR.
        return Supervisor.objects.all()
    return Supervisor.objects.filter(reach.read_q() | _own_q(user, reach))


def is_own(user: User, supervisor: Supervisor) -> bool:
    return reach_for(user).is_supervisor and supervisor.user_id is not None and supervisor.user_id == user.pk


def can_update_own_parts(user: User, supervisor: Supervisor) -> bool:
    """Training, availability, documents and declarations: managers, and the supervisor on their own record."""
    return reach_for(user).manages(supervisor) or is_own(user, supervisor)


def _check(user: User, owned: T, *, allowed: bool) -> T:
    if not allowed:
        if not reach_for(user).sees_tenant(owned) and not (isinstance(owned, Supervisor) and is_own(user, owned)):
            raise Http404
        if isinstance(owned, Supervisor) and reach_for(user).reads(owned):
            raise refusals.managed_by_others("questo supervisore", forward_url=owned.get_absolute_url())
        raise _not_a_reader(user, owned)
    return owned


def _not_a_reader(user: User, owned: TenantOwned) -> refusals.Refused:
    """Roles that see the tenant but not the registry (supervisors, supervisees, observers), or a supervisor asking
    to change what only the managers change on their own record."""
    if isinstance(owned, Supervisor) and is_own(user, owned):
        return refusals.Refused(
            "I dati della tua scheda (anagrafica, albo, esperienza, ente) li aggiorna chi ti ha incaricato, il "
            "coordinatore del partenariato: tu vi aggiungi la formazione, le disponibilità, i documenti e le "
            "dichiarazioni.",
            forward_url=owned.get_absolute_url(),
            forward_label="Vai alla tua scheda",
        )
    scope = reach_for(user).scope
    if isinstance(owned, Supervisor) and scope.supervisor_partnership_ids and not refusals.is_observer_only(scope):
        return refusals.Refused(
            "La scheda di un altro supervisore, con i suoi dati personali, la consultano il coordinatore del "
            "partenariato e i referenti degli ATS. Se ti serve un dato, chiedilo a loro."
        )
    return refusals.not_a_manager(scope, "I supervisori")


def get_supervisor_for_user(user: User, pk: int, *, write: bool = False, own_parts: bool = False) -> Supervisor:
    """The supervisor record if the user may read it (``write``: manage it; ``own_parts``: update its
    training, availability, documents). 404 when its tenant is invisible to the user, 403 otherwise."""
    supervisor = (
        Supervisor.objects.select_related("partnership", "ambito", "provider", "albo_region", "user")
        .filter(pk=pk)
        .first()
    )
    if supervisor is None:
        raise Http404
    reach = reach_for(user)
    if write:
        allowed = reach.manages(supervisor)
    elif own_parts:
        allowed = can_update_own_parts(user, supervisor)
    else:
        allowed = reach.reads(supervisor) or is_own(user, supervisor)
    return _check(user, supervisor, allowed=allowed)
