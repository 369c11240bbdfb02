"""Whether a tender's or a Piano di Zona's objective was reached, from the tenant's burn-out results.

An objective (``models.Objective``) reads one CBI scale of the tenant's table of its year (``results.tenant_table``,
the one every page shows), all units pooled: the column totals of the baseline and of the last follow-up closed.
It reads them only as they are shown, hidden cells and all, rounded as the pages round them
(``exports.cell_lines``): a total the suppression hides makes the objective «non valutabile», never a status that
would tell something about it, and two equal shown figures are never "in calo". Pure but for ``objectives_of``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from supervisione.lib.italian import number_text, percent_text
from supervisione.wellbeing.exports import Line, cell_lines
from supervisione.wellbeing.models import TARGETED, Objective, ObjectiveKind
from supervisione.wellbeing.results import Table


class Status(models.TextChoices):
    REACHED = "reached", _("raggiunto")
    NOT_REACHED = "not_reached", _("non raggiunto")
    NOT_ASSESSABLE = "not_assessable", _("non valutabile")


@dataclass(frozen=True)
class Assessment:
    objective: Objective
    status: Status
    scale: str  # the scale's title
    baseline: Decimal | None = None  # the figure at the baseline, as shown (None: not used or not shown)
    last: Decimal | None = None  # at the last follow-up closed, as shown
    last_label: str = ""
    reason: str = ""
    provisional: bool = False  # the objective's year was not over on the day of reading: more rounds may come

    @property
    def label(self) -> str:
        """The status in words: «finora raggiunto» while the year is not over (a later round may change it)."""
        if self.provisional and self.status is not Status.NOT_ASSESSABLE:
            return f"finora {self.status.label}"
        return str(self.status.label)

    def text(self, value: Decimal | None) -> str:
        """A figure as the pages write it: a share with its per cent sign, a mean with one decimal."""
        if value is None:
            return ""
        if self.objective.kind in (ObjectiveKind.SHARE_FALLS, ObjectiveKind.SHARE_AT_MOST):
            return percent_text(value)
        return number_text(value, 1)

    @property
    def baseline_text(self) -> str:
        return self.text(self.baseline)

    @property
    def last_text(self) -> str:
        return f"{self.last_label}: {self.text(self.last)}" if self.last is not None else ""

    @property
    def indicator(self) -> str:
        text = str(ObjectiveKind(self.objective.kind).label)
        if self.objective.kind in TARGETED and self.objective.target is not None:
            return f"{text}: {self.objective.target.normalize():f}"
        return text


def _closed_columns(table: Table, until: datetime.date | None) -> list[int]:
    """The columns whose every wave is closed (by ``until``, when given)."""
    found = []
    for column in range(len(table.rounds)):
        waves = [wave for row in table.cells for wave in row[column].waves]
        if waves and all(w.closed and (until is None or w.closes_on <= until) for w in waves):
            found.append(column)
    return found


def _figure(line: Line, kind: str) -> Decimal | None:
    return line.share if kind in (ObjectiveKind.SHARE_FALLS, ObjectiveKind.SHARE_AT_MOST) else line.mean


def assess(objective: Objective, table: Table | None, until: datetime.date | None = None) -> Assessment:
    """The objective's status on its year's table (None: the tenant has no CBI wave that year)."""
    if table is None:
        return Assessment(objective, Status.NOT_ASSESSABLE, objective.scale_key, reason="nessuna rilevazione")
    keys = [scale.key for scale in table.instrument.scales]
    if objective.scale_key not in keys:
        return Assessment(
            objective, Status.NOT_ASSESSABLE, objective.scale_key, reason="scala non più nel questionario"
        )
    index = keys.index(objective.scale_key)
    scale = table.instrument.scales[index].title
    closed = _closed_columns(table, until)
    follow_ups = [column for column in closed if table.rounds[column] > 0]
    if not follow_ups:
        return Assessment(objective, Status.NOT_ASSESSABLE, scale, reason="nessun follow-up chiuso")
    last = follow_ups[-1]
    labels = table.round_labels
    after = cell_lines("", labels[last], table.totals[last], table.k)[index]
    wanted = [after]
    before = None
    if objective.kind not in TARGETED:
        if not closed or table.rounds[closed[0]] != 0:
            return Assessment(objective, Status.NOT_ASSESSABLE, scale, reason="manca la rilevazione iniziale chiusa")
        before = cell_lines("", labels[closed[0]], table.totals[closed[0]], table.k)[index]
        wanted.insert(0, before)
    missing = [line for line in wanted if _figure(line, objective.kind) is None]
    if missing:
        hidden = f"totale non mostrato (meno di {table.k} risposte, o per non far ricavare una cella piccola)"
        reasons = "; ".join(
            f"{line.round_label.lower()}: {hidden if line.note.startswith(('meno di', 'non mostrato')) else line.note}"
            for line in missing
        )
        return Assessment(objective, Status.NOT_ASSESSABLE, scale, last_label=labels[last], reason=reasons)
    value = _figure(after, objective.kind)
    assert value is not None  # noqa: S101  (checked above)
    if before is None:
        assert objective.target is not None  # noqa: S101  (the database constraint)
        reached = value <= objective.target
        start = None
    else:
        start = _figure(before, objective.kind)
        assert start is not None  # noqa: S101  (checked above)
        reached = value < start
    status = Status.REACHED if reached else Status.NOT_REACHED
    return Assessment(objective, status, scale, start, value, labels[last])


def objectives_of(partnership_id: int | None, ambito_id: int | None) -> list[Objective]:
    """The tenant's objectives, oldest year first (one query)."""
    found = Objective.objects.filter(Q(partnership_id=partnership_id, ambito_id=ambito_id))
    return list(found.order_by("year", "pk"))


def assess_all(
    objectives: Iterable[Objective],
    tables: Mapping[int, Table],
    until: datetime.date | None = None,
    *,
    today: datetime.date | None = None,
) -> list[Assessment]:
    """Each objective on the table of its year (``tables``: year -> the tenant's CBI table), on the rounds closed
    by ``until`` (a report's end) if given; provisional when its year was not over on ``until`` or ``today``."""
    day = until or today
    return [
        replace(
            assess(objective, tables.get(objective.year), until),
            provisional=day is not None and day < datetime.date(objective.year, 12, 31),
        )
        for objective in objectives
    ]
