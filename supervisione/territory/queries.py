"""Reads for territory pages, with a number of queries that does not grow with the data."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from supervisione.territory.models import Ambito, AmbitoMembership, Municipality, MunicipalityPopulation


@dataclass(frozen=True)
class MunicipalityFigure:
    municipality: Municipality
    population: int | None
    reference_date: datetime.date | None
    source: str


@dataclass
class PopulationAtDate:
    """The population of an ATS at a date, municipality by municipality, saying what is missing."""

    at: datetime.date
    rows: list[MunicipalityFigure] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(row.population or 0 for row in self.rows)

    @property
    def missing(self) -> list[Municipality]:
        return [row.municipality for row in self.rows if row.population is None]

    @property
    def reference_dates(self) -> list[datetime.date]:
        return sorted({row.reference_date for row in self.rows if row.reference_date is not None})

    @property
    def sources(self) -> list[str]:
        return sorted({row.source for row in self.rows if row.source})


def _memberships_at(ambito_ids: Iterable[int], at: datetime.date) -> list[AmbitoMembership]:
    return list(
        AmbitoMembership.objects.filter(ambito_id__in=list(ambito_ids), valid_from__lte=at)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=at))
        .select_related("municipality", "municipality__region")
        .order_by("municipality__name")
    )


def _latest_populations(municipality_ids: Iterable[int], at: datetime.date) -> dict[int, MunicipalityPopulation]:
    """For each municipality, the latest population figure on or before ``at``."""
    latest: dict[int, MunicipalityPopulation] = {}
    figures = MunicipalityPopulation.objects.filter(
        municipality_id__in=list(municipality_ids), reference_date__lte=at
    ).order_by("municipality_id", "-reference_date")
    for figure in figures:
        latest.setdefault(figure.municipality_id, figure)
    return latest


def populations_at(ambito_ids: Iterable[int], at: datetime.date) -> dict[int, PopulationAtDate]:
    """Population of several ATS at a date, in two queries whatever their number."""
    ids = list(ambito_ids)
    memberships = _memberships_at(ids, at)
    latest = _latest_populations({m.municipality_id for m in memberships}, at)
    result: dict[int, PopulationAtDate] = {ambito_id: PopulationAtDate(at=at) for ambito_id in ids}
    for membership in memberships:
        figure = latest.get(membership.municipality_id)
        result[membership.ambito_id].rows.append(
            MunicipalityFigure(
                municipality=membership.municipality,
                population=figure.population if figure else None,
                reference_date=figure.reference_date if figure else None,
                source=figure.source if figure else "",
            )
        )
    return result


def population_at(ambito: Ambito, at: datetime.date) -> PopulationAtDate:
    return populations_at([ambito.pk], at)[ambito.pk]


def memberships_by_ambito(ambito_ids: Iterable[int]) -> dict[int, list[AmbitoMembership]]:
    grouped: dict[int, list[AmbitoMembership]] = defaultdict(list)
    for membership in AmbitoMembership.objects.filter(ambito_id__in=list(ambito_ids)).select_related("municipality"):
        grouped[membership.ambito_id].append(membership)
    return grouped
