"""Who may see and change the census, on top of ``accounts.scopes``.

- The people of an ATS's census (names, codici fiscali) are seen by the administrator, the coordinators of
  the partnerships the ATS belongs to and the ATS's referent: those who may change the ATS. Supervisors,
  supervisees and observers see only aggregates (counts, FTE, ratio).
- The referent changes its census while it is a draft or returned; once submitted it is read-only for
  them. The coordinator may still correct a submitted census before validating it; a validated census is
  locked for everyone until the coordinator returns it.
- Campaigns and referent requests belong to a partnership: its coordinator manages them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from supervisione.accounts import refusals
from supervisione.accounts.scopes import Scope, get_ambito_for_user, scope_for
from supervisione.census.models import (
    Census,
    CensusCampaign,
    CensusStatus,
    ImportJob,
    Position,
    ReferentRequest,
)

if TYPE_CHECKING:
    from supervisione.accounts.models import User


def employers_used_by(partnership_ids: frozenset[int], ambito_ids: frozenset[int]) -> QuerySet[Any]:
    """The employers of positions in the censuses of these ATS: organisations those ATS use
    (``territory.organisation_use``)."""
    return Position.objects.filter(census__ambito_id__in=ambito_ids).values("employer_id")


def can_see_people(scope: Scope, ambito_id: int) -> bool:
    return scope.is_admin or (scope.sees_people and scope.can_edit_ambito(ambito_id))


def can_edit_census(scope: Scope, census: Census) -> bool:
    if not scope.can_edit_ambito(census.ambito_id):
        return False
    if census.is_open:
        return True
    if census.status == CensusStatus.SUBMITTED:
        return scope.can_edit_partnership(census.campaign.partnership_id)
    return False


def can_submit(scope: Scope, census: Census) -> bool:
    return census.is_open and scope.can_edit_ambito(census.ambito_id)


def can_review(scope: Scope, census: Census) -> bool:
    return scope.can_edit_partnership(census.campaign.partnership_id)


def census_locked(scope: Scope, census: Census) -> refusals.Refused:
    """Why this census cannot be changed, and what to do: a validated census is reopened on request."""
    name = census.ambito.name
    if not scope.can_edit_ambito(census.ambito_id):
        return refusals.read_only(scope, name)
    if census.status == CensusStatus.VALIDATED:
        return refusals.Refused(
            f"Il censimento di {name} è validato: è in sola lettura. Per aggiornarlo chiedi al coordinatore del "
            "partenariato di riaprirlo, con il pulsante «Chiedi di riaprire il censimento» nella sua pagina.",
            forward_url=census.get_absolute_url(),
            forward_label="Vai al censimento",
        )
    return refusals.Refused(
        f"Il censimento di {name} è trasmesso al coordinatore: è in sola lettura finché non lo valida o lo "
        "restituisce per correzioni.",
        forward_url=census.get_absolute_url(),
        forward_label="Vai al censimento",
    )


def get_campaign_for_user(user: User, pk: int, *, write: bool = False) -> CensusCampaign:
    scope = scope_for(user)
    campaign = get_object_or_404(CensusCampaign.objects.select_related("partnership", "partnership__capofila"), pk=pk)
    if not scope.can_see_partnership(campaign.partnership_id):
        raise Http404
    if write and not scope.can_edit_partnership(campaign.partnership_id):
        raise refusals.read_only(scope, campaign.partnership.name, kind="partnership")
    return campaign


def get_census_for_user(user: User, campaign_pk: int, ambito_code: str, *, write: bool = False) -> Census:
    """The census if the user sees its ATS (404 otherwise); with ``write``, 403 unless they may change it."""
    ambito = get_ambito_for_user(user, ambito_code)
    census = get_object_or_404(
        Census.objects.select_related("campaign", "campaign__partnership", "ambito", "ambito__region"),
        campaign_id=campaign_pk,
        ambito=ambito,
    )
    census.ambito = ambito
    if write and not can_edit_census(scope_for(user), census):
        raise census_locked(scope_for(user), census)
    return census


def require_people(user: User, census: Census) -> None:
    """Pages that list people: 403 for those who see the ATS only as aggregates."""
    if not can_see_people(scope_for(user), census.ambito_id):
        raise refusals.people_hidden(scope_for(user), census.ambito.name)


def get_position_for_user(user: User, pk: int, *, write: bool = False) -> Position:
    position = get_object_or_404(
        Position.objects.select_related(
            "census", "census__campaign", "census__ambito", "person", "person__albo_region", "employer", "equipe"
        ),
        pk=pk,
    )
    scope = scope_for(user)
    if not scope.can_see_ambito(position.census.ambito_id):
        raise Http404
    if not can_see_people(scope, position.census.ambito_id):
        raise refusals.people_hidden(scope, position.census.ambito.name)
    if write and not can_edit_census(scope, position.census):
        raise census_locked(scope, position.census)
    return position


def get_import_job_for_user(user: User, pk: int) -> ImportJob:
    # Without the file (up to MAX_REQUEST_MB) and the valid rows (tens of MB for a region): the page, polled
    # every second while the file is read, shows neither; confirming reads them again.
    jobs = ImportJob.objects.select_related("census", "census__campaign", "census__ambito").defer("content", "parsed")
    job = get_object_or_404(jobs, pk=pk)
    scope = scope_for(user)
    if not scope.can_see_ambito(job.census.ambito_id):
        raise Http404
    if not can_see_people(scope, job.census.ambito_id):
        raise refusals.people_hidden(scope, job.census.ambito.name)
    return job


def get_referent_request_for_user(user: User, pk: int, *, write: bool = False) -> ReferentRequest:
    scope = scope_for(user)
    request = get_object_or_404(ReferentRequest.objects.select_related("partnership"), pk=pk)
    if not scope.can_see_partnership(request.partnership_id):
        raise Http404
    if write and not scope.can_edit_partnership(request.partnership_id):
        raise refusals.read_only(scope, request.partnership.name, kind="partnership")
    return request
