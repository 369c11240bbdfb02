"""The results of a tenant's waves as one table, units by round, with the suppression every page shares.

Rows are the units of a partnership or ATS that had waves of one instrument (each plan group or équipe, and the
tenant as a whole); columns are the rounds (baseline, follow-ups); a column total pools every unit's answers of
that round (no page shows a unit's answers pooled across its waves: the rows' totals are never published). The
unit page, the tenant overview and the observers' aggregate all read their cells from here,
with the one suppression of ``suppression.suppress`` on the table of respondents and on each scale's table of
respondents with a score (the union of the patterns), so that no page shows what another hides. Only closed
waves have results: a live result would change with each answer and tell what the last one said.
A fixed number of queries whatever the number of waves and answers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q

from supervisione.wellbeing import instruments
from supervisione.wellbeing.instruments import Instrument, Scale
from supervisione.wellbeing.models import Answer, Wave
from supervisione.wellbeing.statistics import Summary, summarise
from supervisione.wellbeing.suppression import Suppression, suppress

Scores = dict[str, float | None]


def min_cell() -> int:
    return int(getattr(settings, "WELLBEING_MIN_CELL", 5))


@dataclass
class ScaleFigure:
    scale: Scale
    summary: Summary | None  # None: hidden or fewer than two scores


@dataclass
class Cell:
    n: int
    hidden: bool = False
    small: bool = False  # hidden because it has fewer than k respondents (else to protect another cell)
    figures: list[ScaleFigure] = field(default_factory=list)
    waves: list[Wave] = field(default_factory=list)


@dataclass(frozen=True)
class UnitKey:
    group_id: int | None
    name: str


@dataclass
class Table:
    instrument: Instrument
    k: int
    units: list[UnitKey]
    rounds: list[int]
    cells: list[list[Cell]]
    totals: list[Cell]  # one per round, all units pooled
    suppression: Suppression

    def row(self, group_id: int | None) -> list[Cell]:
        return self.cells[[unit.group_id for unit in self.units].index(group_id)]

    @property
    def round_labels(self) -> list[str]:
        return ["Rilevazione iniziale" if number == 0 else f"Follow-up {number}" for number in self.rounds]


def _figures(instrument: Instrument, scores: Sequence[Scores], *, hidden: bool) -> list[ScaleFigure]:
    figures = []
    for scale in instrument.scales:
        values = [value for row in scores if (value := row.get(scale.key)) is not None]
        summary = None
        if not hidden and len(values) >= 2:
            summary = summarise(values, low=scale.low, high=scale.high, cutoff=scale.cutoff)
        figures.append(ScaleFigure(scale, summary))
    return figures


def _pattern(
    instrument: Instrument, grid: list[list[list[Scores]]], k: int, forced: set[tuple[int, int]]
) -> Suppression:
    """The union of the patterns of the respondents' table and of each scale's."""
    tables = [[[len(cell) for cell in row] for row in grid]]
    tables.extend(
        [[sum(s.get(scale.key) is not None for s in cell) for cell in row] for row in grid]
        for scale in instrument.scales
    )
    patterns = [suppress(counts, k, forced, row_totals=False) for counts in tables]
    return Suppression(primary=patterns[0].primary, hidden=frozenset().union(*(pattern.hidden for pattern in patterns)))


def build_table(
    waves: Sequence[Wave],
    answers: dict[int, list[Scores]],
    instrument: Instrument,
    *,
    rows: list[tuple[object, str]],
    row_of: dict[int, object],
    forced: set[tuple[int, int]] | None = None,
) -> tuple[list[list[list[Scores]]], list[int], Suppression]:
    """The grid of scores (row, round) -> answers, its rounds and its suppression."""
    rounds = sorted({wave.round for wave in waves})
    position = {key: index for index, (key, _name) in enumerate(rows)}
    grid: list[list[list[Scores]]] = [[[] for _ in rounds] for _ in rows]
    for wave in waves:
        grid[position[row_of[wave.pk]]][rounds.index(wave.round)].extend(answers.get(wave.pk, []))
    return grid, rounds, _pattern(instrument, grid, min_cell(), forced or set())


def closed_answers(waves: Sequence[Wave]) -> dict[int, list[Scores]]:
    found: dict[int, list[Scores]] = defaultdict(list)
    ids = [wave.pk for wave in waves if wave.closed]
    for wave_id, scores in Answer.objects.filter(wave_id__in=ids).values_list("wave_id", "scores"):
        found[wave_id].append(scores)
    return found


def waves_of_tenant(partnership_id: int | None, ambito_id: int | None, instrument_key: str) -> list[Wave]:
    """Every wave of a tenant and instrument, of every year (one query)."""
    found = Wave.objects.filter(
        Q(partnership_id=partnership_id, ambito_id=ambito_id), instrument_key=instrument_key
    ).select_related("group", "group__plan", "group__supervisor", "partnership", "ambito")
    return list(found.order_by("opens_on", "pk"))


def tenant_waves(wave: Wave) -> list[Wave]:
    """Every wave of the same tenant, instrument and year as this one (one query): the waves of one table."""
    found = waves_of_tenant(wave.partnership_id, wave.ambito_id, wave.instrument_key)
    return [one for one in found if one.year == wave.year]


def tenant_table(waves: Sequence[Wave], answers: dict[int, list[Scores]] | None = None) -> Table:
    """The units-by-round table of one tenant's waves of one instrument."""
    instrument = instruments.latest_of(waves[0].instrument_key)
    answers = closed_answers(waves) if answers is None else answers
    units: dict[int | None, str] = {}
    for wave in sorted(waves, key=lambda one: (one.group_id is not None, one.unit_name)):
        units.setdefault(wave.group_id, wave.unit_name)
    rows: list[tuple[object, str]] = list(units.items())
    grid, rounds, pattern = build_table(
        waves, answers, instrument, rows=rows, row_of={wave.pk: wave.group_id for wave in waves}
    )
    k = min_cell()
    cells = []
    for r, row in enumerate(grid):
        line = []
        for c, scores in enumerate(row):
            hidden = pattern.cell_hidden(r, c)
            line.append(
                Cell(
                    n=len(scores),
                    hidden=hidden,
                    small=pattern.cell_primary(r, c),
                    figures=_figures(instrument, scores, hidden=hidden),
                    waves=[w for w in waves if w.group_id == rows[r][0] and w.round == rounds[c]],
                )
            )
        cells.append(line)
    totals = []
    for c in range(len(rounds)):
        pooled = [scores for row in grid for scores in row[c]]
        hidden = pattern.column_hidden(c)
        totals.append(Cell(n=len(pooled), hidden=hidden, figures=_figures(instrument, pooled, hidden=hidden)))
    return Table(
        instrument=instrument,
        k=k,
        units=[UnitKey(key, name) for key, name in units.items()],
        rounds=rounds,
        cells=cells,
        totals=totals,
        suppression=pattern,
    )


@dataclass
class Aggregate:
    """The observers' table: one row per partnership or ATS that ran waves, one column per round, each cell all
    of its units pooled; the column totals pool the whole region (or country)."""

    instrument: Instrument
    k: int
    names: list[str]
    round_labels: list[str]
    cells: list[list[Cell]]
    totals: list[Cell]


def aggregate_table(waves: Sequence[Wave]) -> Aggregate | None:
    """The tenants-by-round table of the CBI waves given (two queries in all: the waves and their answers).

    A cell is also hidden when the tenant's own table hides its column total (``forced``): the coordinator's page
    and the observer's show the same pooled figure, so they must hide it alike."""
    if not waves:
        return None
    instrument = instruments.latest_of(waves[0].instrument_key)
    answers = closed_answers(waves)
    by_tenant: dict[tuple[int | None, int | None, int], list[Wave]] = defaultdict(list)
    for wave in waves:
        by_tenant[(wave.partnership_id, wave.ambito_id, wave.year)].append(wave)
    rows: list[tuple[object, str]] = sorted(
        ((key, f"{series[0].tenant.name}, {key[2]}") for key, series in by_tenant.items()), key=lambda row: row[1]
    )
    rounds = sorted({wave.round for wave in waves})
    forced: set[tuple[int, int]] = set()
    for index, (key, _name) in enumerate(rows):
        own = tenant_table(by_tenant[key], answers)  # type: ignore[index]
        forced |= {(index, rounds.index(r)) for c, r in enumerate(own.rounds) if own.suppression.column_hidden(c)}
    grid, rounds, pattern = build_table(
        waves,
        answers,
        instrument,
        rows=rows,
        row_of={wave.pk: (wave.partnership_id, wave.ambito_id, wave.year) for wave in waves},
        forced=forced,
    )
    cells = [
        [
            Cell(
                n=len(scores),
                hidden=pattern.cell_hidden(r, c),
                small=pattern.cell_primary(r, c),
                figures=_figures(instrument, scores, hidden=pattern.cell_hidden(r, c)),
            )
            for c, scores in enumerate(row)
        ]
        for r, row in enumerate(grid)
    ]
    totals = []
    for c in range(len(rounds)):
        pooled = [scores for row in grid for scores in row[c]]
        hidden = pattern.column_hidden(c)
        totals.append(Cell(n=len(pooled), hidden=hidden, figures=_figures(instrument, pooled, hidden=hidden)))
    labels = ["Rilevazione iniziale" if number == 0 else f"Follow-up {number}" for number in rounds]
    return Aggregate(instrument, min_cell(), [name for _key, name in rows], labels, cells, totals)


def year_tables(partnership_id: int | None, ambito_id: int | None, instrument_key: str = "cbi-it") -> dict[int, Table]:
    """Year -> the tenant's table of that year's waves, for the years with a closed wave (two queries)."""
    waves = waves_of_tenant(partnership_id, ambito_id, instrument_key)
    answers = closed_answers(waves)
    years: dict[int, list[Wave]] = defaultdict(list)
    for wave in waves:
        years[wave.year].append(wave)
    return {year: tenant_table(found, answers) for year, found in sorted(years.items()) if any(w.closed for w in found)}
