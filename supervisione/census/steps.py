"""What to do next about the census and the referents, for the home page."""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.urls import reverse

from supervisione.accounts.models import User
from supervisione.accounts.scopes import Scope
from supervisione.census.models import OPEN_STATUSES, Census, CensusStatus, ReferentDesignation, ReferentRequest
from supervisione.census.reopening import pending_in
from supervisione.lib import clock
from supervisione.lib.steps import Step
from supervisione.territory.models import PartnershipMember

LIMIT = 20


def census_steps(user: User, scope: Scope) -> list[Step]:
    if not (scope.is_admin or scope.coordinated_partnership_ids or scope.referent_ambito_ids):
        return []
    today = clock.today()
    steps: list[Step] = []
    censuses = Census.objects.select_related("campaign", "campaign__partnership", "ambito")
    # The referent (and the coordinator on their behalf) fills in and submits each open census.
    own = censuses.filter(ambito_id__in=scope.referent_ambito_ids, status__in=OPEN_STATUSES)
    for census in own.order_by("campaign__deadline")[:LIMIT]:
        is_late = census.is_late(today)
        if census.status == CensusStatus.RETURNED:
            title = f"Correggi e trasmetti di nuovo il censimento di {census.ambito.name}"
            detail = f"Il coordinatore lo ha restituito: {census.return_reason}"
        else:
            title = f"Compila e trasmetti il censimento di {census.ambito.name}"
            detail = f"{census.campaign.title}: scadenza {census.campaign.deadline:%d/%m/%Y}" + (
                ", già scaduta." if is_late else "."
            )
        steps.append(Step(title, detail, census.get_absolute_url(), "danger" if is_late else "warning"))
    # The coordinator validates what was submitted and chases who is late.
    reviewed = censuses.filter(campaign__partnership_id__in=scope.coordinated_partnership_ids)
    if scope.is_admin:
        reviewed = censuses.none()
    steps.extend(
        Step(
            f"Valida il censimento di {census.ambito.name}",
            f"Trasmesso il {census.submitted_at:%d/%m/%Y} per «{census.campaign.title}».",
            census.get_absolute_url(),
        )
        for census in reviewed.filter(status=CensusStatus.SUBMITTED).order_by("submitted_at")[:LIMIT]
    )
    steps.extend(
        Step(
            f"Riapri il censimento di {request.census.ambito.name}",
            f"{request.by or 'Il referente'} lo ha chiesto il {request.at:%d/%m/%Y}"
            + (f": «{request.message}»" if request.message else "")
            + ". Restituiscilo per correzioni o apri una nuova campagna.",
            request.census.get_absolute_url(),
            "warning",
        )
        for request in ([] if scope.is_admin else pending_in(scope.coordinated_partnership_ids)[:LIMIT])
    )
    late = reviewed.filter(status__in=OPEN_STATUSES, campaign__deadline__lt=today).order_by("campaign__deadline")
    steps.extend(
        Step(
            f"Sollecita il censimento di {census.ambito.name}",
            f"«{census.campaign.title}» era da trasmettere entro il {census.campaign.deadline:%d/%m/%Y}: "
            "il pulsante «Sollecita» della campagna scrive ai referenti dell'ATS.",
            census.campaign.get_absolute_url(),
            "danger",
        )
        for census in late[:LIMIT]
    )
    # Referents (Allegato 1) not yet designated.
    requests = list(
        ReferentRequest.objects.filter(
            Q(partnership_id__in=scope.coordinated_partnership_ids)
            | Q(partnership__memberships__ambito_id__in=scope.referent_ambito_ids)
        )
        .distinct()
        .order_by("-deadline")
        .select_related("partnership")
        # The memberships with their ATS in one query (in their own order, by the ATS's name).
        .prefetch_related(
            Prefetch("partnership__memberships", queryset=PartnershipMember.objects.select_related("ambito"))
        )[:LIMIT]
    )
    answered = set(ReferentDesignation.objects.filter(request__in=requests).values_list("request_id", "ambito_id"))
    for request in requests:
        for member in request.partnership.memberships.all():
            if (request.pk, member.ambito_id) in answered:
                continue
            mine = member.ambito_id in scope.referent_ambito_ids
            if not mine and request.partnership_id not in scope.coordinated_partnership_ids:
                continue
            overdue = today > request.deadline
            steps.append(
                Step(
                    f"Indica il referente di {member.ambito.name}"
                    if mine
                    else f"Manca il referente di {member.ambito.name}",
                    f"{request.title}: scadenza {request.deadline:%d/%m/%Y}" + (", già scaduta." if overdue else "."),
                    reverse("census:referent_request_detail", args=[request.pk]),
                    "danger" if overdue else "warning",
                )
            )
    return steps
