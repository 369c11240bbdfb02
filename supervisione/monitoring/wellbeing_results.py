"""The results of the anonymous questionnaire waves (issue 19.5) on the dashboards of a partnership or ATS and in
the PNRR final report: the tenant's own table of ``wellbeing.results`` (the one its results page reads, built
from the same waves), so every cell the wellbeing pages hide is hidden here too. Only the Copenhagen Burnout
Inventory: the session-feedback form is not validated and measures no outcome.

Two queries when the tenant has closed waves (the waves, their answers), one when it has none, none for a viewer
who may not read the tenant's results (``wellbeing.access.reads_results_of``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse

from supervisione.accounts.scopes import Scope
from supervisione.lib import clock
from supervisione.wellbeing import results
from supervisione.wellbeing.access import reads_results_of
from supervisione.wellbeing.exports import Line, cell_lines, lines
from supervisione.wellbeing.hours import hours_by_waves
from supervisione.wellbeing.models import Wave
from supervisione.wellbeing.objectives import Assessment, assess_all, objectives_of

from .tables import Cell, Column, Table

CBI = "cbi-it"
SCORE_NOTE = (
    "Punteggi da 0 a 100 (Copenhagen Burnout Inventory): più alti, più burn-out; soglia 50, livello elevato. "
    "Solo rilevazioni chiuse; una cella con meno di {k} risposte non si mostra, e altre celle possono essere "
    "nascoste perché dai totali non si ricavino quelle piccole, come nella pagina dei risultati."
)


@dataclass
class Series:
    """A tenant's CBI waves of one year with their table."""

    year: int
    waves: list[Wave]
    table: results.Table

    @property
    def url(self) -> str:
        return reverse("wellbeing:results", args=[self.waves[0].pk])


def tenant_series(partnership_id: int | None = None, ambito_id: int | None = None) -> list[Series]:
    """Every year of the tenant's CBI waves that has a closed wave, oldest first, each with its table."""
    waves = results.waves_of_tenant(partnership_id, ambito_id, CBI)
    answers = results.closed_answers(waves)
    years: dict[int, list[Wave]] = defaultdict(list)
    for wave in waves:
        years[wave.year].append(wave)
    return [
        Series(year, found, results.tenant_table(found, answers))
        for year, found in sorted(years.items())
        if any(wave.closed for wave in found)
    ]


def _line_row(line: Line) -> list[Cell]:
    return [line.unit, line.round_label, line.scale, line.n, line.mean, line.low, line.high, line.share, line.note]


def units_table(series: Series, slug: str = "benessere") -> Table:
    """The wellbeing results' table (every unit, round and scale, the pooled rounds last), typed for exports."""
    table = Table(
        slug,
        f"Copenhagen Burnout Inventory {series.year}: risultati per unità e rilevazione",
        [
            Column("Unità"),
            Column("Rilevazione"),
            Column("Scala"),
            Column("Risposte", "int"),
            Column("Media", "score"),
            Column("IC 95 % da", "score"),
            Column("IC 95 % a", "score"),
            Column("Quota a 50 o più (%)", "percent"),
            Column("Nota", "wide"),
        ],
        note=SCORE_NOTE.format(k=series.table.k),
    )
    table.rows = [_line_row(line) for line in lines(series.table)]
    return table


def objectives_table(assessments: Sequence[Assessment], slug: str = "obiettivi-benessere") -> Table:
    """Each objective of the tender or Piano di Zona with its indicator and status, from the shown totals only."""
    table = Table(
        slug,
        "Obiettivi sul burn-out: esito degli indicatori",
        [
            Column("Anno"),
            Column("Obiettivo"),
            Column("Fonte"),
            Column("Indicatore", "wide"),
            Column("Scala"),
            Column("Rilevazione iniziale"),
            Column("Ultimo follow-up"),
            Column("Esito", "status"),
            Column("Nota"),
        ],
        note=(
            "Tutte le unità insieme, sui totali mostrati nella tabella dei risultati: se un totale è nascosto "
            "(meno risposte della soglia, o a protezione di una cella piccola) l'obiettivo non è valutabile."
        ),
    )
    for found in assessments:
        objective = found.objective
        table.rows.append(
            [
                str(objective.year),
                objective.title,
                objective.source,
                found.indicator,
                found.scale,
                found.baseline_text,
                found.last_text,
                found.label,
                found.reason,
            ]
        )
        table.statuses.append(found.status.value)
    return table


def hours_table(series: Series, slug: str = "benessere-ore") -> Table:
    """Per unit and round, the confirmed hours of supervision received before the wave beside each scale's mean
    as the results page shows it (hidden cells without figures)."""
    table = series.table
    hours = hours_by_waves(series.waves)
    result = Table(
        slug,
        f"Ore di supervisione ricevute e burn-out {series.year}, per unità e rilevazione",
        [
            Column("Unità"),
            Column("Rilevazione"),
            Column("Ore ricevute prima della rilevazione", "hours"),
            *(Column(f"{scale.title}, media", "score") for scale in table.instrument.scales),
            Column("Nota", "wide"),
        ],
        note="Ore delle sessioni con registro confermato prima dell'apertura della rilevazione. "
        + SCORE_NOTE.format(k=table.k),
    )
    for unit, row in zip(table.units, table.cells, strict=True):
        for label, cell in zip(table.round_labels, row, strict=True):
            if not cell.waves:
                continue
            found = cell_lines(unit.name, label, cell, table.k)
            received = sum((hours[wave.pk] for wave in cell.waves), Decimal(0))
            notes = {line.note for line in found if line.note}
            result.rows.append([unit.name, label, received, *(line.mean for line in found), "; ".join(sorted(notes))])
    return result


@dataclass
class DashboardPart:
    """What the dashboard's section "Benessere degli operatori" shows."""

    intro: str
    tables: list[Table]
    link: tuple[str, str]


def dashboard_part(
    scope: Scope, year: int, *, partnership_id: int | None = None, ambito_id: int | None = None
) -> DashboardPart | None:
    """The tenant's table of the dashboard's year, the hours received and the objectives of that year, if the
    viewer reads the tenant's results (None otherwise: the dashboard then has no such section)."""
    if not reads_results_of(scope, partnership_id=partnership_id, ambito_id=ambito_id):
        return None
    found = [series for series in tenant_series(partnership_id, ambito_id) if series.year == year]
    objectives = [one for one in objectives_of(partnership_id, ambito_id) if one.year == year]
    assessed = assess_all(objectives, {series.year: series.table for series in found}, today=clock.today())
    extra = [objectives_table(assessed)] if objectives else []
    if not found:
        return DashboardPart(
            f"Nessuna rilevazione anonima sul burn-out chiusa per il {year}.",
            extra,
            ("Rilevazioni sul benessere", reverse("wellbeing:wave_list")),
        )
    series = found[0]
    return DashboardPart(
        "Risultati dei questionari anonimi (Copenhagen Burnout Inventory), con le stesse celle nascoste della "
        "pagina dei risultati.",
        [*extra, hours_table(series), units_table(series)],
        ("Risultati completi sul benessere, con l'andamento e le ore ricevute", series.url),
    )


def period_rounds(series: Series, start: datetime.date | None, end: datetime.date) -> list[int]:
    """The columns of rounds whose every wave is closed and closed within the period."""
    chosen = []
    for column, number in enumerate(series.table.rounds):
        waves = [wave for wave in series.waves if wave.round == number]
        if all(w.closed and w.closes_on <= end and (start is None or w.closes_on >= start) for w in waves):
            chosen.append(column)
    return chosen


def change_table(series: Series, columns: Sequence[int], slug: str) -> Table:
    """Baseline (or the first round given) against the last round given, all units pooled, per scale; a single
    round alone."""
    shown = sorted({columns[0], columns[-1]})
    labels = series.table.round_labels
    named = " e ".join(labels[column].lower() for column in shown)
    headers = []
    for column in shown:
        label = labels[column].lower()
        headers += [
            Column(f"Risposte, {label}", "int"),
            Column(f"Media, {label}", "score"),
            Column(f"Quota a 50 o più, {label} (%)", "percent"),
        ]
    table = Table(
        slug,
        f"Burn-out degli operatori {series.year}: {named}, tutte le unità",
        [Column("Scala"), *headers, Column("Nota", "wide")],
        note=SCORE_NOTE.format(k=series.table.k),
    )
    totals = series.table.totals
    rounds = [cell_lines("", labels[column], totals[column], series.table.k) for column in shown]
    for lines_of_scale in zip(*rounds, strict=True):
        notes = [f"{line.round_label}: {line.note}" for line in lines_of_scale if line.note]
        figures = [figure for line in lines_of_scale for figure in (line.n, line.mean, line.share)]
        table.rows.append([lines_of_scale[0].scale, *figures, "; ".join(notes)])
    return table


def period_results(
    found: Sequence[Series], start: datetime.date | None, end: datetime.date, *, since_baseline: bool = False
) -> tuple[list[str], list[Table]]:
    """A report's paragraphs and tables on the rounds closed within a period: per year, the first round against
    the last, all units pooled, hidden as on the results page. ``since_baseline``: the first column is the
    baseline even if it closed before the period (a half-year compares its follow-up with the year's start)."""
    paragraphs: list[str] = []
    tables: list[Table] = []
    for series in found:
        columns = period_rounds(series, start, end)
        if not columns:
            continue
        if since_baseline:
            columns = period_rounds(series, None, end)
        labels = [series.table.round_labels[column].lower() for column in columns]
        if len(columns) == 1:
            paragraphs.append(f"{series.year}: una sola rilevazione chiusa ({labels[0]}).")
        else:
            paragraphs.append(f"{series.year}: {labels[0]} e {labels[-1]} a confronto, tutte le unità insieme.")
        tables.append(change_table(series, columns, f"benessere-{series.year}"))
    return paragraphs, tables


def period_objectives(
    found: Sequence[Series],
    end: datetime.date,
    *,
    partnership_id: int | None = None,
    ambito_id: int | None = None,
    years: Sequence[int] | None = None,
) -> Table | None:
    """The tenant's objectives (of ``years``, else all) assessed on the rounds closed by ``end``; None if none."""
    objectives = [one for one in objectives_of(partnership_id, ambito_id) if years is None or one.year in years]
    if not objectives:
        return None
    return objectives_table(assess_all(objectives, {series.year: series.table for series in found}, until=end))


def report_part(
    scope: Scope,
    year: int,
    start: datetime.date,
    end: datetime.date,
    period: str,
    *,
    partnership_id: int | None = None,
    ambito_id: int | None = None,
) -> tuple[list[str], list[Table]] | None:
    """The half-yearly report's chapter on the waves of ``year`` closed within the period (from ``start`` to
    ``end``, called ``period`` in words), each compared with the year's baseline, and the year's objectives; None
    for a reader who does not read the tenant's results (the report then has no such chapter)."""
    if not reads_results_of(scope, partnership_id=partnership_id, ambito_id=ambito_id):
        return None
    found = [series for series in tenant_series(partnership_id, ambito_id) if series.year == year]
    paragraphs, tables = period_results(found, start, end, since_baseline=True)
    objectives = period_objectives(found, end, partnership_id=partnership_id, ambito_id=ambito_id, years=[year])
    if not tables:
        paragraphs = [
            (
                "Nessuna rilevazione anonima sul burn-out (Copenhagen Burnout Inventory) si è chiusa nel periodo "
                f"({period.lower()}): questa relazione non riporta esiti sul benessere degli operatori."
            )
        ]
    else:
        paragraphs.append(
            "Questionari anonimi, solo rilevazioni chiuse; le celle con meno risposte della soglia non si mostrano, "
            "come nella pagina dei risultati."
        )
    return paragraphs, [*tables, *([objectives] if objectives else [])]
