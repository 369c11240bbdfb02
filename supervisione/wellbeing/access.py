"""Who sees and runs questionnaire waves.

- Administrators: every wave.
- Those who edit the wave's tenant create waves, invite, remind, close and read results: a partnership's
  coordinators; an ATS's referents and the coordinators of the partnerships it belongs to
  (``accounts.scopes``).
- The supervisors of a partnership read the results of its waves (never who was invited).
- Everyone else, observers included (they get the regional aggregate only), gets 404; a reader who asks to change
  a wave gets 403, told who runs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from supervisione.accounts.refusals import Refused
from supervisione.accounts.scopes import Scope, scope_for
from supervisione.wellbeing.models import Wave

if TYPE_CHECKING:
    from supervisione.accounts.models import User


def editable_q(scope: Scope) -> Q:
    return Q(partnership_id__in=scope.editable_partnership_ids or ()) | Q(ambito_id__in=scope.editable_ambito_ids or ())


def visible_waves(user: User) -> QuerySet[Wave]:
    scope = scope_for(user)
    waves = Wave.objects.select_related("partnership", "ambito", "group", "group__plan", "group__supervisor")
    if scope.is_admin:
        return waves
    return waves.filter(editable_q(scope) | Q(partnership_id__in=scope.supervisor_partnership_ids))


def reads_results_of(scope: Scope, *, partnership_id: int | None = None, ambito_id: int | None = None) -> bool:
    """Whether ``visible_waves`` gives this scope the waves of the partnership or ATS (for other apps' pages)."""
    if scope.is_admin:
        return True
    if partnership_id is not None:
        editable = scope.editable_partnership_ids or frozenset()
        return partnership_id in editable or partnership_id in scope.supervisor_partnership_ids
    return ambito_id is not None and ambito_id in (scope.editable_ambito_ids or ())


def can_manage(user: User, wave: Wave) -> bool:
    scope = scope_for(user)
    if wave.partnership_id is not None:
        return scope.can_edit_partnership(wave.partnership_id)
    return wave.ambito_id is not None and scope.can_edit_ambito(wave.ambito_id)


def get_wave_for_user(user: User, pk: int, *, write: bool = False) -> Wave:
    """The wave if the user may read it (404 otherwise); ``write``: 403 unless the user may run it."""
    wave = visible_waves(user).filter(pk=pk).first()
    if wave is None:
        raise Http404
    if write and not can_manage(user, wave):
        # A supervisor of the partnership, who reads the results of its waves.
        raise Refused(
            f"Le rilevazioni di {wave.tenant.name} le avviano, le sollecitano e le chiudono i coordinatori del "
            "partenariato: tu ne consulti i risultati, a rilevazione chiusa.",
            forward_url=wave.get_absolute_url(),
            forward_label="Torna alla rilevazione",
        )
    return wave


def can_create(scope: Scope) -> bool:
    return scope.is_admin or bool(scope.editable_partnership_ids or scope.editable_ambito_ids)


def sees_regional_aggregate(scope: Scope) -> bool:
    """Observers (and administrators) read the aggregate across the ATS of their region or of the country."""
    return scope.is_admin or scope.observer_region_ids is None or bool(scope.observer_region_ids)
