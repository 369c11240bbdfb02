"""Reads for census pages, with a number of queries that does not grow with the rows."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from supervisione.census.models import (
    C797_Q,
    SOCIAL_WORKER_Q,
    Census,
    CensusCampaign,
    CensusStatus,
    Equipe,
    Position,
    Profession,
    ReferentDesignation,
    ReferentRequest,
    active_at_q,
)
from supervisione.leps.parameters import rules_at
from supervisione.leps.ratio import RatioAssessment, assess_ratio, fte
from supervisione.territory.models import Ambito, Partnership
from supervisione.territory.queries import PopulationAtDate, populations_at

ZERO = Decimal(0)


def census_positions(census: Census) -> QuerySet[Position]:
    return (
        Position.objects.filter(census=census)
        .select_related("person", "person__albo_region", "employer", "equipe")
        .prefetch_related("municipalities")
        .order_by("person__surname", "person__name", "pk")
    )


@dataclass(frozen=True)
class ProfessionLine:
    profession: str
    label: str
    people: int
    positions: int
    hours: Decimal
    fte: Decimal


def census_summary(census: Census) -> list[ProfessionLine]:
    """Counts and FTE by profession: what observers, supervisors and supervisees see of a census."""
    rules = rules_at(census.campaign.reference_date)
    rows = (
        Position.objects.filter(census=census)
        .values("person__profession")
        .annotate(people=Count("person", distinct=True), positions=Count("pk"), hours=Sum("weekly_hours"))
    )
    by_profession = {row["person__profession"]: row for row in rows}
    lines = []
    for value, label in Profession.choices:
        row = by_profession.get(value)
        if row is None:
            continue
        hours = row["hours"] or ZERO
        lines.append(
            ProfessionLine(
                value, str(label), row["people"], row["positions"], hours, fte(hours, rules).quantize(Decimal("0.01"))
            )
        )
    return lines


@dataclass(frozen=True)
class CensusRow:
    census: Census
    positions: int
    social_workers: int
    late: bool


def campaign_rows(campaign: CensusCampaign, today: datetime.date) -> list[CensusRow]:
    """Each ATS's census in a campaign with its status and size: one query."""
    censuses = (
        Census.objects.filter(campaign=campaign)
        .select_related("ambito", "submitted_by", "reviewed_by")
        .annotate(
            position_count=Count("positions"),
            social_worker_count=Count(
                "positions__person",
                filter=Q(positions__person__profession__in=["assistente_sociale", "assistente_sociale_specialista"]),
                distinct=True,
            ),
        )
        .order_by("ambito__name")
    )
    return [
        CensusRow(census, census.position_count, census.social_worker_count, census.is_late(today))
        for census in censuses
    ]


def campaigns_for(partnership_ids: Iterable[int] | None) -> QuerySet[CensusCampaign]:
    campaigns = CensusCampaign.objects.select_related("partnership").annotate(
        census_count=Count("censuses"),
        submitted_count=Count("censuses", filter=Q(censuses__status__in=["submitted", "validated"])),
        validated_count=Count("censuses", filter=Q(censuses__status="validated")),
    )
    if partnership_ids is not None:
        campaigns = campaigns.filter(partnership_id__in=list(partnership_ids))
    return campaigns.order_by("-reference_date", "-pk")


def referent_requests_for(partnership_ids: Iterable[int] | None) -> QuerySet[ReferentRequest]:
    requests = ReferentRequest.objects.select_related("partnership").annotate(
        answered=Count("designations", distinct=True), members=Count("partnership__memberships", distinct=True)
    )
    if partnership_ids is not None:
        requests = requests.filter(partnership_id__in=list(partnership_ids))
    return requests.order_by("-deadline", "-pk")


@dataclass(frozen=True)
class ReferentRow:
    ambito: Ambito
    designation: ReferentDesignation | None
    late: bool


def referent_rows(request: ReferentRequest, today: datetime.date) -> list[ReferentRow]:
    designations = {d.ambito_id: d for d in request.designations.select_related("ambito")}
    members = Ambito.objects.filter(partnership_memberships__partnership_id=request.partnership_id).order_by("name")
    rows = []
    for ambito in members:
        designation = designations.get(ambito.pk)
        late = designation.answered_late if designation else today > request.deadline
        rows.append(ReferentRow(ambito, designation, late))
    return rows


@dataclass
class EquipeRoster:
    equipe: Equipe
    positions: list[Position] = field(default_factory=list)

    @property
    def professions(self) -> list[str]:
        return sorted({position.person.get_profession_display() for position in self.positions})


def census_equipes(census: Census) -> list[EquipeRoster]:
    """The équipes of a census with their members (positions whose service is the équipe): one query.

    The annual plan builds its A3 équipes from this: ``Equipe.objects.filter(positions__census=census)``.
    """
    rosters: dict[int, EquipeRoster] = {}
    positions = (
        Position.objects.filter(census=census, equipe__isnull=False)
        .select_related("equipe", "person", "employer")
        .order_by("equipe__name", "person__surname", "person__name")
    )
    for position in positions:
        assert position.equipe is not None  # noqa: S101  (filtered above)
        rosters.setdefault(position.equipe_id or 0, EquipeRoster(position.equipe)).positions.append(position)
    return list(rosters.values())


def latest_census(ambito: Ambito, *, validated_only: bool = False) -> Census | None:
    """The census of the ATS with the latest reference date (the annual plan starts from it)."""
    censuses = Census.objects.filter(ambito=ambito).select_related("campaign", "campaign__partnership")
    if validated_only:
        censuses = censuses.filter(status=CensusStatus.VALIDATED)
    return censuses.order_by("-campaign__reference_date", "-pk").first()


def census_covering(ambito: Ambito, day: datetime.date) -> Census | None:
    """The census that knows the ATS's staff on ``day`` best: the latest with a reference date up to that day,
    whatever its status (a later census has dropped who left before it; an older one misses who came since),
    else the first after it. Censuses without positions (a campaign just opened) are skipped."""
    censuses = (
        Census.objects.filter(ambito=ambito)
        .filter(Exists(Position.objects.filter(census=OuterRef("pk"))))
        .select_related("campaign")
    )
    before = censuses.filter(campaign__reference_date__lte=day).order_by("-campaign__reference_date", "-pk")
    after = censuses.filter(campaign__reference_date__gt=day).order_by("campaign__reference_date", "pk")
    return before.first() or after.first()


# --- Ratio and c. 797 -------------------------------------------------------------------------------------


@dataclass
class AmbitoRatio:
    ambito: Ambito
    census: Census | None
    population: PopulationAtDate
    social_workers: int
    as_hours: Decimal
    permanent_as_hours: Decimal
    assessment: RatioAssessment


@dataclass
class PartnershipRatio:
    rows: list[AmbitoRatio]
    total: RatioAssessment
    contribution: Decimal
    other_contribution: Decimal  # the sum under the other arithmetic (RatioAssessment.other_contribution)
    at: datetime.date


def _hours_by_census(census_ids: list[int], at: datetime.date) -> dict[int, dict[str, Any]]:
    rows = (
        Position.objects.filter(active_at_q(at), census_id__in=census_ids)
        .values("census_id")
        .annotate(
            as_hours=Sum("weekly_hours", filter=SOCIAL_WORKER_Q),
            permanent_hours=Sum("weekly_hours", filter=C797_Q),
            social_workers=Count("person", filter=SOCIAL_WORKER_Q, distinct=True),
        )
    )
    return {row["census_id"]: dict(row) for row in rows}


def ratios(censuses: dict[int, Census | None], ambiti: list[Ambito], at: datetime.date) -> list[AmbitoRatio]:
    """Population, AS FTE and the c. 797 assessment of several ATS at a date, in three queries."""
    rules = rules_at(at)
    populations = populations_at([ambito.pk for ambito in ambiti], at)
    census_ids = [census.pk for census in censuses.values() if census is not None]
    figures = _hours_by_census(census_ids, at)
    result = []
    for ambito in ambiti:
        census = censuses.get(ambito.pk)
        row = figures.get(census.pk, {}) if census is not None else {}
        as_hours = Decimal(row.get("as_hours") or 0)
        permanent_hours = Decimal(row.get("permanent_hours") or 0)
        population = populations[ambito.pk]
        result.append(
            AmbitoRatio(
                ambito=ambito,
                census=census,
                population=population,
                social_workers=int(row.get("social_workers") or 0),
                as_hours=as_hours,
                permanent_as_hours=permanent_hours,
                assessment=assess_ratio(population.total, fte(as_hours, rules), fte(permanent_hours, rules), rules),
            )
        )
    return result


def partnership_ratio(partnership: Partnership, campaign: CensusCampaign | None, at: datetime.date) -> PartnershipRatio:
    """Each member ATS (with its census in the campaign) and the partnership as a whole."""
    ambiti = list(
        Ambito.objects.filter(partnership_memberships__partnership=partnership)
        .select_related("region")
        .order_by("name")
    )
    censuses: dict[int, Census | None] = dict.fromkeys((ambito.pk for ambito in ambiti), None)
    if campaign is not None:
        for census in Census.objects.filter(campaign=campaign).select_related("campaign"):
            censuses[census.ambito_id] = census
    rows = ratios(censuses, ambiti, at)
    rules = rules_at(at)
    total = assess_ratio(
        sum(row.population.total for row in rows),
        fte(sum((row.as_hours for row in rows), ZERO), rules),
        fte(sum((row.permanent_as_hours for row in rows), ZERO), rules),
        rules,
    )
    # c. 797 is paid to each ATS on its own ratio: the partnership's figure is the sum, not a ratio of sums.
    contribution = sum((row.assessment.contribution for row in rows), ZERO)
    other = sum((row.assessment.other_contribution for row in rows), ZERO)
    return PartnershipRatio(rows=rows, total=total, contribution=contribution, other_contribution=other, at=at)
