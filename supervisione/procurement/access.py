"""Who sees and changes contracts: the reach of ``supervisors.access`` (``reach_for``), which contracts share
with supervisor records.

A contract belongs to a partnership or to an ATS (its tenant): administrators, and coordinators of the
partnership (or of a partnership the ATS belongs to), manage it; referents read those of their ATS and of the
partnerships their ATS belongs to; supervisors, supervisees and observers see no contract.

Anything whose tenant the user cannot see at all answers 404; visible but not allowed answers 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse

from supervisione.accounts import refusals
from supervisione.procurement.models import CoDesignMember, CoDesignTable, Contract
from supervisione.supervisors.access import reach_for, tenant_q
from supervisione.territory.models import Partnership

if TYPE_CHECKING:
    from supervisione.accounts.models import User
    from supervisione.accounts.scopes import Scope

# --- Organisations used by a tenant (territory/organisation_use.py) ---------------------------------------


def contract_providers(partnership_ids: frozenset[int], ambito_ids: frozenset[int]) -> QuerySet[Any]:
    return Contract.objects.filter(tenant_q(partnership_ids, ambito_ids, "")).values("provider_id")


def codesign_members(partnership_ids: frozenset[int], ambito_ids: frozenset[int]) -> QuerySet[Any]:
    return CoDesignMember.objects.filter(tenant_q(partnership_ids, ambito_ids, "table__contract__")).values(
        "organisation_id"
    )


def codesign_proposers(partnership_ids: frozenset[int], ambito_ids: frozenset[int]) -> QuerySet[Any]:
    return CoDesignTable.objects.filter(tenant_q(partnership_ids, ambito_ids, "contract__")).values("proposer_id")


ORGANISATION_USES = {
    "contract_providers": contract_providers,
    "codesign_members": codesign_members,
    "codesign_proposers": codesign_proposers,
}


def visible_contracts(user: User) -> QuerySet[Contract]:
    return Contract.objects.filter(reach_for(user).read_q())


def get_contract_for_user(user: User, pk: int, *, write: bool = False) -> Contract:
    """The contract if the user may read it (``write``: manage it). 404 when its tenant is invisible to the
    user, 403 otherwise."""
    contract = Contract.objects.select_related("partnership", "ambito", "provider").filter(pk=pk).first()
    if contract is None:
        raise Http404
    reach = reach_for(user)
    if not (reach.manages(contract) if write else reach.reads(contract)):
        if not reach.sees_tenant(contract):
            raise Http404
        if write and reach.reads(contract):
            raise refusals.managed_by_others("questo contratto", forward_url=contract.get_absolute_url())
        # Supervisors, supervisees and observers, who see the tenant but no contract.
        raise refusals.not_a_manager(reach.scope, "I contratti")
    return contract


def get_agreements_partnership_for_user(user: User, code: str, *, write: bool = False) -> Partnership:
    """The partnership whose FNPS agreements the user reads (``write``: records and changes): the agreements
    follow the reach of contracts. Coordinators of the partnership manage them, referents of its ATS read them;
    404 when the partnership is invisible to the user, 403 otherwise (supervisors, observers)."""
    partnership = Partnership.objects.select_related("capofila").filter(code=code).first()
    if partnership is None:
        raise Http404
    reach = reach_for(user)
    allowed = reach.managed_partnership_ids if write else reach.read_partnership_ids
    if allowed is not None and partnership.pk not in allowed:
        if not reach.scope.can_see_partnership(partnership.pk):
            raise Http404
        raise _agreements_refusal(
            reach.scope,
            partnership,
            reads=reach.read_partnership_ids is None or partnership.pk in reach.read_partnership_ids,
        )
    return partnership


def _agreements_refusal(scope: Scope, partnership: Partnership, *, reads: bool) -> refusals.Refused:
    """A referent of a member ATS reads the agreements and may not change them; other roles do not read them."""
    if reads:
        return refusals.Refused(
            f"Gli accordi di ripartizione FNPS di {partnership.name} li registra e li modifica il coordinatore del "
            "partenariato: tu puoi consultarli. Se la quota del tuo ATS è da cambiare, chiediglielo.",
            forward_url=reverse("procurement:agreement_list", args=[partnership.code]),
            forward_label="Torna agli accordi",
        )
    if refusals.is_observer_only(scope):
        return refusals.read_only(scope, "")
    return refusals.Refused(
        f"Gli accordi di ripartizione FNPS di {partnership.name} li consultano il coordinatore del partenariato e i "
        "referenti dei suoi ATS: il tuo ruolo non vi accede."
    )
