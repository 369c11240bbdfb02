"""Which organisations a user's tenants use: those they may correct, and whose personal data they may read.

Organisations (employers and providers) are shared by every tenant, so that one cooperative is one record.
They are not a shared notice board: an organisation is **used** by a tenant (a partnership or an ATS) when
it is

- the employer of positions in a census of the ATS (``census``);
- the provider of a contract of the tenant, or the body through which a supervisor of its registry works,
  or a member or the proposer of the co-design table of one of its contracts (``supervisors``);
- registered by a user on the tenant's behalf (``Organisation.created_for_partnership``/``_ambito``).

A user acts for the tenants they may change (``Scope.editable_partnership_ids`` and
``editable_ambito_ids``: coordinators for their partnerships and member ATS, referents for their ATS).
Such a user may edit the organisations those tenants use, and read the personal data (tax code, VAT
number, address, contacts) of the freelance professionals among them; administrators may do both for every
organisation. Everybody else reads the name and kind only, and edits nothing (403).

The apps above territory describe their links with ``register_use`` when Django loads them
(``AppConfig.ready``): territory never imports them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from supervisione.accounts.scopes import Scope, scope_for
from supervisione.territory.models import Ambito, Organisation, Partnership

if TYPE_CHECKING:
    from supervisione.accounts.models import User

# (partnership ids, ATS ids) -> a flat queryset of the ids of the organisations those tenants use.
UseFinder = Callable[[frozenset[int], frozenset[int]], QuerySet[Any]]

_FINDERS: dict[str, UseFinder] = {}


def register_use(name: str, finder: UseFinder) -> None:
    """Add a kind of link that makes an organisation used by a tenant (idempotent by name)."""
    _FINDERS[name] = finder


def acting_tenants(scope: Scope) -> tuple[frozenset[int], frozenset[int]] | None:
    """The partnerships and ATS the user acts for; ``None`` for administrators (all of them)."""
    if scope.is_admin or scope.editable_partnership_ids is None or scope.editable_ambito_ids is None:
        return None
    return scope.editable_partnership_ids, scope.editable_ambito_ids


def used_q(partnership_ids: frozenset[int], ambito_ids: frozenset[int]) -> Q:
    """Organisations used by any of these tenants, as one condition (subqueries, no query of its own)."""
    condition = Q(created_for_partnership_id__in=partnership_ids) | Q(created_for_ambito_id__in=ambito_ids)
    for finder in _FINDERS.values():
        condition |= Q(pk__in=finder(partnership_ids, ambito_ids))
    return condition


def used_by_user_q(user: User) -> Q:
    """Organisations the user's tenants use (all for administrators; none for who acts for no tenant)."""
    tenants = acting_tenants(scope_for(user))
    if tenants is None:
        # Not Q(): Django drops an empty Q from an OR, which would turn "A or everything" into "A".
        return Q(pk__isnull=False)
    if not (tenants[0] or tenants[1]):
        return Q(pk__in=[])
    return used_q(*tenants)


def uses(user: User, organisation: Organisation) -> bool:
    """May the user edit the organisation and read a professional's personal data?"""
    tenants = acting_tenants(scope_for(user))
    if tenants is None:
        return True
    if not (tenants[0] or tenants[1]):
        return False
    return Organisation.objects.filter(used_q(*tenants), pk=organisation.pk).exists()


def used_among(user: User, organisations: Iterable[Organisation]) -> set[int]:
    """The ids, among these organisations, that the user's tenants use (one query for a page of a list)."""
    ids = [organisation.pk for organisation in organisations]
    if not ids:
        return set()
    return set(Organisation.objects.filter(used_by_user_q(user), pk__in=ids).values_list("pk", flat=True))


def shows_personal_data(user: User, organisation: Organisation) -> bool:
    """A professional's tax code, VAT number, address and contacts: only to the tenants that use them."""
    return not organisation.is_person or uses(user, organisation)


def tenants_using(user: User, organisation: Organisation) -> list[str]:
    """Codes of the user's own tenants that use the organisation, for the audit entry of an edit."""
    tenants = acting_tenants(scope_for(user))
    if tenants is None:
        return []
    codes = [
        partnership.code
        for partnership in Partnership.objects.filter(pk__in=tenants[0]).order_by("code")
        if Organisation.objects.filter(used_q(frozenset({partnership.pk}), frozenset()), pk=organisation.pk).exists()
    ]
    codes += [
        ambito.code
        for ambito in Ambito.objects.filter(pk__in=tenants[1]).order_by("code")
        if Organisation.objects.filter(used_q(frozenset(), frozenset({ambito.pk})), pk=organisation.pk).exists()
    ]
    return codes
