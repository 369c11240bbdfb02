"""Statistical secrecy of a table of results: which cells and totals are not shown. Pure and typed.

A table has rows (e.g. units or ATS) and columns (e.g. waves), a count of respondents in each cell, and its row,
column and grand totals, all taken as published (the conservative reading: every page that shows a cell may
show a total of it). The rules (research note, section 3.1; "Regole deontologiche ... SISTAN", art. 5):

1. **Primary suppression**: a cell with at least one and fewer than ``k`` respondents is not shown.
2. **Complementary suppression**: a hidden value must not be recoverable from what is shown. Every figure of a
   cell (respondents, sums of scores, shares) adds up to the totals in the same way as the counts, so the
   table of counts decides for all of them: a hidden entry is *determined* when the published entries and the
   equations "cells of a row add up to its total", "cells of a column add up to its total" and "the row (column)
   totals add up to the grand total" fix its value (by subtraction in one line, or by combining several lines).
   While some hidden entry is determined, one more entry is hidden: the smallest non-empty visible cell on
   one of its lines, else a total on one of its lines.

Hiding more never makes anything determined (the set of tables consistent with what is shown only grows), so the
union of two safe patterns is safe: a page that shows several figures per cell (each scale's own count of
respondents with a score) hides the union of their patterns. Empty cells count as shown (a unit that had no
answers is no secret) and are never chosen as complements (they protect nothing). Bounds (non-negative counts,
cells below ``k``) are not modelled: the ``k`` threshold itself leaves a suppressed cell in 1..k-1 anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

# An entry of the table: ("cell", row, column), ("row", row, -1), ("column", -1, column) or ("total", -1, -1).
Entry = tuple[str, int, int]
CELL, ROW, COLUMN, TOTAL = "cell", "row", "column", "total"
GRAND: Entry = (TOTAL, -1, -1)


@dataclass(frozen=True)
class Suppression:
    """The entries not shown: ``primary`` cells below the threshold, and the ``hidden`` set (primary included,
    with complementary cells and totals)."""

    primary: frozenset[Entry]
    hidden: frozenset[Entry]

    def cell_hidden(self, row: int, column: int) -> bool:
        return (CELL, row, column) in self.hidden

    def cell_primary(self, row: int, column: int) -> bool:
        return (CELL, row, column) in self.primary

    def row_hidden(self, row: int) -> bool:
        return (ROW, row, -1) in self.hidden

    def column_hidden(self, column: int) -> bool:
        return (COLUMN, -1, column) in self.hidden

    @property
    def total_hidden(self) -> bool:
        return GRAND in self.hidden


def lines(rows: int, columns: int) -> list[list[tuple[Entry, int]]]:
    """The equations of the table, each a list of (entry, coefficient) summing to zero."""
    equations: list[list[tuple[Entry, int]]] = [
        [*(((CELL, row, column), 1) for column in range(columns)), ((ROW, row, -1), -1)] for row in range(rows)
    ]
    equations.extend(
        [*(((CELL, row, column), 1) for row in range(rows)), ((COLUMN, -1, column), -1)] for column in range(columns)
    )
    equations.append([*(((ROW, row, -1), 1) for row in range(rows)), (GRAND, -1)])
    equations.append([*(((COLUMN, -1, column), 1) for column in range(columns)), (GRAND, -1)])
    return equations


def determined(hidden: Iterable[Entry], rows: int, columns: int) -> set[Entry]:
    """The hidden entries whose value the shown entries fix, by exact elimination (values are not needed: an
    unknown is fixed when it lies outside the span of the other unknowns' columns in the equations)."""
    unknowns = sorted(set(hidden))
    index = {entry: position for position, entry in enumerate(unknowns)}
    matrix: list[list[Fraction]] = []
    for equation in lines(rows, columns):
        coefficients = [Fraction(0)] * len(unknowns)
        for entry, coefficient in equation:
            if entry in index:
                coefficients[index[entry]] = Fraction(coefficient)
        if any(coefficients):
            matrix.append(coefficients)
    pivots = _reduce(matrix, len(unknowns))
    pivot_columns = {column for _row, column in pivots}
    free = [column for column in range(len(unknowns)) if column not in pivot_columns]
    return {unknowns[column] for row, column in pivots if all(matrix[row][other] == 0 for other in free)}


def _reduce(matrix: list[list[Fraction]], width: int) -> list[tuple[int, int]]:
    """Reduced row echelon form in place; returns the (row, column) of each pivot."""
    pivots: list[tuple[int, int]] = []
    top = 0
    for column in range(width):
        found = next((row for row in range(top, len(matrix)) if matrix[row][column] != 0), None)
        if found is None:
            continue
        matrix[top], matrix[found] = matrix[found], matrix[top]
        lead = matrix[top][column]
        matrix[top] = [value / lead for value in matrix[top]]
        for row in range(len(matrix)):
            if row != top and matrix[row][column] != 0:
                factor = matrix[row][column]
                matrix[row] = [value - factor * pivot for value, pivot in zip(matrix[row], matrix[top], strict=True)]
        pivots.append((top, column))
        top += 1
    return pivots


def suppress(
    counts: Sequence[Sequence[int]], k: int, forced: Iterable[tuple[int, int]] = (), *, row_totals: bool = True
) -> Suppression:
    """The entries of a table of respondent counts that are not shown, for a threshold ``k``; ``forced`` cells
    (row, column) are hidden as if small (a figure hidden on another page that shows the same cell).
    ``row_totals=False``: no page shows the rows' totals (a unit's answers pooled across its waves), so they are
    unknowns from the start, which need no protection of their own."""
    rows = len(counts)
    columns = len(counts[0]) if rows else 0
    if any(len(row) != columns for row in counts):
        raise ValueError("Every row of the table needs the same number of columns.")
    primary = frozenset(
        (CELL, row, column) for row in range(rows) for column in range(columns) if 0 < counts[row][column] < k
    ) | frozenset((CELL, row, column) for row, column in forced)
    never_shown = set() if row_totals else {(ROW, row, -1) for row in range(rows)}
    hidden = set(primary) | never_shown
    while fixed := determined(hidden, rows, columns) - never_shown:
        hidden.add(
            _complement(counts, hidden, fixed, rows, columns)
            or _any_complement(min(fixed), counts, hidden, rows, columns)
        )
    return Suppression(primary=primary, hidden=frozenset(hidden))


def _candidates(members: Iterable[Entry], counts: Sequence[Sequence[int]], hidden: set[Entry]) -> list[Entry]:
    """Visible entries in the order they are hidden: non-empty cells by size, then totals (grand last), then empty
    cells."""
    visible = {member for member in members if member not in hidden}

    def order(member: Entry) -> tuple[int, int, Entry]:
        if member[0] == CELL:
            count = counts[member[1]][member[2]]
            return (0 if count else 2, count, member)
        return (1, 1 if member == GRAND else 0, member)

    return sorted(visible, key=order)


def _complement(
    counts: Sequence[Sequence[int]], hidden: set[Entry], fixed: set[Entry], rows: int, columns: int
) -> Entry | None:
    """The next entry to hide on a line that has one hidden entry (recoverable by subtraction): a visible entry of
    such a line, preferring one that sits on most such lines, then non-empty cells by size, then totals; ``None``
    when no line has exactly one hidden entry (the fixed entries are fixed by several lines together)."""
    alone = []
    for equation in lines(rows, columns):
        inside = [member for member, _c in equation if member in hidden]
        if len(inside) == 1 and inside[0] in fixed:
            alone.append(equation)
    members = [member for equation in alone for member, _c in equation]
    candidates = [
        member for member in _candidates(members, counts, hidden) if member[0] != CELL or counts[member[1]][member[2]]
    ]
    if not candidates:
        return None
    covered = {candidate: members.count(candidate) for candidate in candidates}
    return min(candidates, key=lambda candidate: (-covered[candidate], candidates.index(candidate)))


def _any_complement(
    entry: Entry, counts: Sequence[Sequence[int]], hidden: set[Entry], rows: int, columns: int
) -> Entry:
    """An entry fixed by several lines together (its own lines all hidden): the first visible entry of the table
    whose hiding frees it, else the first visible entry (each round hides one more, so this ends)."""
    everything = [*((CELL, r, c) for r in range(rows) for c in range(columns)), *((ROW, r, -1) for r in range(rows))]
    everything += [*((COLUMN, -1, c) for c in range(columns)), GRAND]
    candidates = _candidates(everything, counts, hidden)
    for candidate in candidates:
        if entry not in determined(hidden | {candidate}, rows, columns):
            return candidate
    return candidates[0]
