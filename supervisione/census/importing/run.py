"""The stages in one go: a file read and checked a chunk at a time (the web import's worker), or read, checked,
planned and written at once (the management command, the benchmarks)."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

from supervisione.census.importing.apply import Progress, apply_plan, no_progress
from supervisione.census.importing.plan import plan_import
from supervisione.census.importing.problems import Problem, ProblemLog
from supervisione.census.importing.read import TableReader, guess_kind
from supervisione.census.importing.rows import ParsedRow
from supervisione.census.importing.validate import Lookups, check_across_rows, validate_rows
from supervisione.census.models import Census
from supervisione.lib.italian import count_text, counted
from supervisione.lib.spreadsheets.limits import Limits

if TYPE_CHECKING:
    from supervisione.accounts.models import User


@dataclass
class ImportReport:
    rows: int
    valid: int
    created: int
    updated: int
    unchanged: int
    errors: list[Problem]
    notices: list[str]
    written: bool
    not_in_file: int = 0
    new_organisations: list[tuple[str, str]] = field(default_factory=list)
    # Problems beyond the ERRORS_KEPT listed in ``errors``, counted by column.
    errors_not_listed: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        report = {
            "rows": self.rows,
            "valid": self.valid,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [problem.as_dict() for problem in self.errors],
        }
        if self.errors_not_listed:
            report["errors_not_listed"] = self.errors_not_listed
        return report


# Rows checked between two reports of progress (and, on the web, two saves of it).
CHUNK_ROWS = 2500


@dataclass
class CheckedFile:
    """A file read and checked: its valid rows, and its problems (kept and counted)."""

    rows: int
    valid: list[ParsedRow]
    problems: ProblemLog
    notices: list[str]


def _no_count(_rows: int) -> None:
    return None


def check_file(
    census: Census,
    source: IO[bytes],
    *,
    full_time_hours: Decimal,
    limits: Limits | None = None,
    progress: Callable[[int], None] = _no_count,
) -> CheckedFile:
    """Read and check the file row by row, holding only the valid rows; ``progress`` hears every CHUNK_ROWS.

    Raises ImportFileError when the file cannot be read or passes a limit (IMPORT_* settings)."""
    source.seek(0)
    table = TableReader(source, guess_kind(source.read(4)), limits)
    log = ProblemLog()
    log.extend(table.problems)
    parsed: list[ParsedRow] = []
    rows = iter(table)
    if table.problems:
        # Without the right columns no row can be read: stop at the header (the rows are only counted).
        for _row in rows:
            pass
    else:
        lookups = Lookups.for_census(census, full_time_hours)
        while chunk := list(itertools.islice(rows, CHUNK_ROWS)):
            valid, problems = validate_rows(chunk, lookups)
            parsed += valid
            log.extend(problems)
            if len(chunk) == CHUNK_ROWS:
                progress(table.count)
        log.extend(check_across_rows(parsed))
    valid = [row for row in parsed if row.row not in log.rows]
    return CheckedFile(rows=table.count, valid=valid, problems=log, notices=table.notices + service_notices(valid))


SERVICES_LISTED = 5


def service_notices(rows: list[ParsedRow]) -> list[str]:
    """The services the vocabulary did not know, imported as "Altro" with their text: a warning, not an error."""
    unknown: dict[str, list[int]] = {}
    for row in rows:
        if row.service_detail:
            unknown.setdefault(row.service_detail, []).append(row.row)
    if not unknown:
        return []
    listed = [
        f"«{text}» ({'riga' if len(numbers) == 1 else 'righe'} {', '.join(map(str, numbers[:3]))}"
        f"{'…' if len(numbers) > 3 else ''})"
        for text, numbers in list(unknown.items())[:SERVICES_LISTED]
    ]
    more = len(unknown) - SERVICES_LISTED
    return [
        "Servizi non riconosciuti, importati come «Altro» con il testo scritto nel file: "
        + "; ".join(listed)
        + (f" e altri {more}" if more > 0 else "")
        + ". Se uno di questi è un servizio sociale professionale, un segretariato, un'équipe, l'UVM o il pronto "
        "intervento sociale, correggi la cella e carica di nuovo il file."
    ]


def run_import(
    census: Census,
    content: bytes | IO[bytes],
    *,
    filename: str,
    full_time_hours: Decimal,
    by: User | None,
    dry_run: bool = False,
    only_valid: bool = False,
    progress: Progress = no_progress,
) -> ImportReport:
    """Read, check, plan and (unless it is a dry run or the file has errors) write, as the command does."""
    source = io.BytesIO(content) if isinstance(content, bytes) else content
    checked = check_file(
        census,
        source,
        full_time_hours=full_time_hours,
        progress=lambda rows: progress(f"Righe lette e controllate: {count_text(rows)}."),
    )
    progress(f"File letto: {counted(checked.rows, 'riga', 'righe')}.")
    valid = checked.valid
    progress(f"Righe controllate: {count_text(checked.rows)}, valide {count_text(len(valid))}.")
    plan = plan_import(census, valid)
    has_errors = bool(checked.problems.count)
    write = not dry_run and (not has_errors or only_valid) and bool(valid)
    if write:
        apply_plan(plan, by=by, filename=filename, progress=progress)
    return ImportReport(
        rows=checked.rows,
        valid=len(valid),
        created=plan.count("created"),
        updated=plan.count("updated"),
        unchanged=plan.count("unchanged"),
        errors=checked.problems.problems,
        notices=checked.notices,
        written=write,
        not_in_file=plan.not_in_file,
        new_organisations=list(plan.new_organisations.values()),
        errors_not_listed=dict(checked.problems.not_listed),
    )
