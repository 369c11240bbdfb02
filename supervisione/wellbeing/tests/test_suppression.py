"""Statistical secrecy (issue 19.4): over random tables, no suppressed cell can be recovered from what is shown.

The check here is independent of the module's: for each hidden cell it builds the equations of the table with
the shown values, and asks whether the cell's value is fixed by comparing ranks (with and without the cell's
unknown), by plain Gaussian elimination written again below; and, more simply, that no line (a row or column
with its total) has exactly one hidden entry, the case of recovery by subtraction.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from supervisione.wellbeing.suppression import CELL, COLUMN, GRAND, ROW, Entry, lines, suppress


def _rank(matrix: list[list[Fraction]]) -> int:
    rows = [row[:] for row in matrix]
    rank = 0
    width = len(rows[0]) if rows else 0
    for column in range(width):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][column] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(rank + 1, len(rows)):
            factor = rows[i][column] / rows[rank][column]
            rows[i] = [a - factor * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
    return rank


def _recoverable(entry: Entry, hidden: frozenset[Entry], n_rows: int, n_columns: int) -> bool:
    unknowns = sorted(hidden)
    matrix = [
        [Fraction(next((c for member, c in equation if member == unknown), 0)) for unknown in unknowns]
        for equation in lines(n_rows, n_columns)
    ]
    position = unknowns.index(entry)
    without = [[value for i, value in enumerate(row) if i != position] for row in matrix]
    return _rank(matrix) > _rank(without) if without and without[0] else _rank(matrix) > 0


tables = st.integers(1, 5).flatmap(
    lambda columns: st.lists(st.lists(st.integers(0, 12), min_size=columns, max_size=columns), min_size=1, max_size=5)
)


@settings(max_examples=200, deadline=None)
@given(tables, st.integers(3, 6), st.booleans())
def test_no_hidden_cell_can_be_recovered_from_the_totals(counts: list[list[int]], k: int, row_totals: bool) -> None:
    result = suppress(counts, k, row_totals=row_totals)
    n_rows, n_columns = len(counts), len(counts[0])
    small = {(CELL, r, c) for r in range(n_rows) for c in range(n_columns) if 0 < counts[r][c] < k}
    assert result.primary == small
    assert small <= result.hidden
    never_shown = set() if row_totals else {(ROW, row, -1) for row in range(n_rows)}
    for equation in lines(n_rows, n_columns):
        alone = [member for member, _c in equation if member in result.hidden]
        assert len(alone) != 1 or alone[0] in never_shown, (counts, equation)
    if not row_totals:
        assert all(result.row_hidden(row) for row in range(n_rows))
    for entry in result.hidden - never_shown:
        assert not _recoverable(entry, result.hidden, n_rows, n_columns), (counts, k, entry, sorted(result.hidden))


@settings(max_examples=100, deadline=None)
@given(tables)
def test_it_hides_nothing_when_every_cell_has_k_respondents_or_none(counts: list[list[int]]) -> None:
    big = [[0 if value < 5 else value for value in row] for row in counts]
    assert suppress(big, 5).hidden == frozenset()


def test_it_hides_a_second_cell_of_the_row_and_of_the_column_of_a_small_one() -> None:
    # Units x waves: the unit of 4 at baseline is hidden; its row and its column each lose their smallest other
    # cell (6 and 7), and the cell where those cross (8) keeps the rectangle's four corners hidden together.
    counts = [[4, 6, 9], [7, 8, 12], [10, 11, 13]]
    result = suppress(counts, 5)
    assert result.primary == {(CELL, 0, 0)}
    assert result.hidden == {(CELL, 0, 0), (CELL, 0, 1), (CELL, 1, 0), (CELL, 1, 1)}
    assert not result.total_hidden
    assert not result.row_hidden(0)
    assert not result.column_hidden(0)


def test_it_hides_the_totals_when_a_small_cell_is_alone_in_its_line() -> None:
    # One unit, one wave: the only cell is small, so its row, column and grand totals would give it away.
    result = suppress([[3]], 5)
    assert result.hidden == {(CELL, 0, 0), (ROW, 0, -1), (COLUMN, -1, 0), GRAND}


def test_it_never_takes_an_empty_cell_as_the_complement() -> None:
    result = suppress([[2, 0, 9]], 5)
    assert (CELL, 0, 1) not in result.hidden
    assert (CELL, 0, 2) in result.hidden


def test_it_hides_forced_cells_and_protects_them_too() -> None:
    result = suppress([[9, 9], [9, 9]], 5, forced=[(0, 0)])
    assert result.primary == {(CELL, 0, 0)}
    assert len(result.hidden) == 4


def test_it_does_not_protect_row_totals_that_no_page_shows() -> None:
    # The unit of 4 at baseline has no follow-up. With the units' totals across waves never shown, hiding the
    # smallest other baseline cell (7) is enough; with them shown, its empty follow-up would leave its row total to
    # give it away, and more cells go.
    counts = [[9, 6], [4, 0], [7, 5]]
    cells = {entry for entry in suppress(counts, 5, row_totals=False).hidden if entry[0] == CELL}
    assert cells == {(CELL, 1, 0), (CELL, 2, 0)}
    assert len({entry for entry in suppress(counts, 5).hidden if entry[0] == CELL}) == 5


def test_it_takes_the_smallest_complement_when_the_rows_totals_are_never_shown() -> None:
    # Two small cells in the middle unit; the smallest others (7 at baseline, 6 at the follow-up) go with them, not
    # the larger unit that only a never-shown row total shares a line with.
    result = suppress([[9, 8, 0], [4, 4, 0], [7, 6, 0]], 5, row_totals=False)
    assert {entry for entry in result.hidden if entry[0] == CELL} == {
        (CELL, 1, 0),
        (CELL, 1, 1),
        (CELL, 2, 0),
        (CELL, 2, 1),
    }
