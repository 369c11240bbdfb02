"""Who reads and who changes an ATS's FNPS allocations and ledger, on top of ``accounts.scopes``.

An ATS's ledger is its own: it is the ATS's money, whatever partnership it belongs to.

- **edit**: administrators, the ATS's referents and the coordinators of the partnership it leads as capofila
  (``Scope.answers_for_ambito_ids``: those who speak for the ATS);
- **read**: the coordinators of the partnerships it belongs to (memberships in force today): the capofila
  follows its members' ledgers, and does not keep them;
- **totals**: everyone else who sees the ATS: observers (a region or the country), and the supervisors and
  supervisees of its partnerships: amounts, programmed, committed, liquidated, paid and the residual per
  allocation (figures a Piano di Zona publishes anyway), never an act's number, date or contract, nor who
  changed what;
- outside the scope: 404.
"""

from __future__ import annotations

from enum import IntEnum

from django.urls import reverse

from supervisione.accounts.models import User
from supervisione.accounts.refusals import Refused
from supervisione.accounts.scopes import Scope, get_ambito_for_user, scope_for
from supervisione.territory.models import Ambito


class LedgerAccess(IntEnum):
    NONE = 0
    TOTALS = 1
    READ = 2
    EDIT = 3

    @property
    def sees_acts(self) -> bool:
        return self >= LedgerAccess.READ

    @property
    def edits(self) -> bool:
        return self is LedgerAccess.EDIT


def ledger_access(scope: Scope, ambito_id: int) -> LedgerAccess:
    """How much of the ATS's ledger the scope reaches (NONE also for an ATS it does not see)."""
    if not scope.can_see_ambito(ambito_id):
        return LedgerAccess.NONE
    if scope.is_admin or scope.can_answer_for_ambito(ambito_id):
        return LedgerAccess.EDIT
    if scope.coordinated_partnership_ids and scope.can_edit_ambito(ambito_id):
        return LedgerAccess.READ
    return LedgerAccess.TOTALS


def get_ambito_funds_for_user(user: User, code: str, *, write: bool = False) -> tuple[Ambito, LedgerAccess]:
    """The ATS (404 outside the scope) and what the user may do with its ledger (403 if ``write`` and the user may
    not edit it)."""
    ambito = get_ambito_for_user(user, code)
    access = ledger_access(scope_for(user), ambito.pk)
    if access is LedgerAccess.NONE:
        raise Refused(
            f"Il fondo FNPS di {ambito.name} lo consultano i referenti dell'ATS e i coordinatori del partenariato."
        )
    if write and not access.edits:
        raise Refused(
            f"Il fondo FNPS di {ambito.name} lo registrano i referenti dell'ATS: tu puoi consultarlo.",
            forward_url=reverse("funding:ambito_funds", args=[ambito.code]),
            forward_label="Torna al fondo",
        )
    return ambito, access
