"""Stage 3, planning: each act against the ATS's ledger (its allocation, its contract, the act it executes; new,
changed or already recorded), then the ledger as the import would leave it checked by ``funding.ledger``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from supervisione.funding import ledger
from supervisione.funding.importing.columns import COLUMN_BY_KEY
from supervisione.funding.importing.problems import RowProblem
from supervisione.funding.importing.rows import ParsedRow
from supervisione.funding.models import FnpsAllocation, LedgerEntry, Stage
from supervisione.funding.queries import contracts_of
from supervisione.lib.italian import euro_text
from supervisione.procurement.models import Contract
from supervisione.territory.models import Ambito

# Acts are planned and written in the order they execute one another.
ORDER = {Stage.COMMITTED: 0, Stage.LIQUIDATED: 1, Stage.PAID: 2}


Action = Literal["create", "update", "unchanged"]


@dataclass
class PlannedRow:
    row: ParsedRow
    action: Action
    allocation: FnpsAllocation
    contract: Contract | None
    existing: LedgerEntry | None = None
    parent_key: ledger.Key | None = None  # the act it executes: its key, or ("row", n) if new in the file
    parent_name: str = ""
    changes: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def key(self) -> ledger.Key:
        return self.existing.pk if self.existing is not None else ("row", self.row.row)


@dataclass
class ImportPlan:
    rows: list[PlannedRow]
    problems: list[RowProblem]
    notices: list[str] = field(default_factory=list)

    def count(self, action: Action) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def changes_anything(self) -> bool:
        return bool(self.created or self.updated)


@dataclass
class _Known:
    """The ATS's ledger as read for the plan (a fixed number of queries)."""

    allocations: list[FnpsAllocation]
    entries: dict[tuple[str, str], LedgerEntry]
    all_entries: list[LedgerEntry]
    contracts: list[Contract]

    @classmethod
    def read(cls, ambito: Ambito) -> _Known:
        allocations = list(FnpsAllocation.objects.filter(ambito=ambito).order_by("first_year"))
        entries = list(
            LedgerEntry.objects.filter(ambito=ambito).select_related("contract", "allocation").order_by("pk")
        )
        return cls(
            allocations,
            {(entry.stage, entry.act_number): entry for entry in entries if entry.act_number},
            entries,
            list(contracts_of(ambito)),
        )

    def allocation_for(self, year: int) -> FnpsAllocation | None:
        return next((a for a in self.allocations if a.first_year <= year <= a.last_year), None)


def plan_import(ambito: Ambito, rows: Sequence[ParsedRow]) -> ImportPlan:
    """What the rows would write, and every problem, checked on the ledger as the import would leave it."""
    known = _Known.read(ambito)
    planned: dict[tuple[str, str], PlannedRow] = {}
    problems: list[RowProblem] = []
    notices: list[str] = []
    for row in sorted(rows, key=lambda item: (ORDER[Stage(item.stage)], item.row)):
        found, row_problems = _plan_row(row, known, planned)
        problems += row_problems
        if found is not None:
            planned[row.stage, row.act] = found
    result = ImportPlan(sorted(planned.values(), key=lambda item: item.row.row), problems, notices)
    if not problems:
        problems += _ledger_problems(known, result.rows)
    result.problems = sorted(problems, key=lambda problem: (problem.row, problem.column))
    return result


def _plan_row(
    row: ParsedRow, known: _Known, planned: dict[tuple[str, str], PlannedRow]
) -> tuple[PlannedRow | None, list[RowProblem]]:
    problems: list[RowProblem] = []

    def problem(key: str, message: str) -> None:
        problems.append(RowProblem(row.row, COLUMN_BY_KEY[key].header, message))

    stage = Stage(row.stage)
    parent_key: ledger.Key | None = None
    parent_name = ""
    allocation: FnpsAllocation | None = None
    contract: Contract | None = None
    notices: list[str] = []
    if stage == Stage.COMMITTED:
        assert row.year is not None  # noqa: S101  (parse_rows requires it)
        allocation = known.allocation_for(row.year)
        if allocation is None:
            problem("year", f"L'ATS non ha uno stanziamento FNPS che copra il {row.year}: registralo prima.")
        contract, message = _contract(row, known)
        if message:
            problem("cig", message)
        elif contract is not None and not row.cig:
            notices.append(f"senza CIG: l'unico contratto dell'ATS senza CIG, «{contract.title}»")
    else:
        parent_stage = Stage.COMMITTED if stage == Stage.LIQUIDATED else Stage.LIQUIDATED
        # The act it executes: a row of the file (new, changed or as recorded), else one already recorded.
        parent_row = planned.get((parent_stage, row.parent))
        parent = known.entries.get((parent_stage, row.parent))
        if parent_row is not None:
            allocation, contract, parent_key = parent_row.allocation, parent_row.contract, parent_row.key
        elif parent is not None:
            allocation, contract, parent_key = parent.allocation, parent.contract, parent.pk
        if parent_key is None:
            what = "nessun impegno" if parent_stage == Stage.COMMITTED else "nessuna liquidazione"
            problem("parent", f"L'ATS non ha {what} n. {row.parent[:40]}, né registrato né in questo file.")
        elif allocation is not None:
            parent_name = f"{Stage(parent_stage).label} n. {row.parent}"
            if row.year is not None and not allocation.first_year <= row.year <= allocation.last_year:
                problem(
                    "year",
                    f"L'atto di riferimento è dello stanziamento FNPS {allocation.years_text}, non del {row.year}.",
                )
            if row.cig and contract is not None and contract.cig != row.cig:
                problem("cig", f"Il CIG {row.cig} non è quello del contratto dell'atto di riferimento.")
    if problems or allocation is None:
        return None, problems
    existing = known.entries.get((stage, row.act))
    result = PlannedRow(
        row,
        "create",
        allocation,
        contract,
        existing=existing,
        parent_key=parent_key,
        parent_name=parent_name,
        notices=notices,
    )
    if existing is not None:
        problems += _compare(result, existing)
        result.action = "update" if result.changes else "unchanged"
    return (None, problems) if problems else (result, [])


def _contract(row: ParsedRow, known: _Known) -> tuple[Contract | None, str]:
    if row.cig:
        matches = [contract for contract in known.contracts if contract.cig == row.cig]
        if not matches:
            return None, f"Nessun contratto dell'ATS o dei suoi partenariati ha il CIG {row.cig}."
        if len(matches) > 1:
            return None, f"Più contratti dell'ATS hanno il CIG {row.cig}: correggi i contratti."
        return matches[0], ""
    without = [contract for contract in known.contracts if not contract.cig]
    if len(without) == 1:
        return without[0], ""
    if not without:
        return None, "Indica il CIG del contratto che l'impegno paga."
    return None, (
        f"Indica il CIG: l'ATS ha {len(without)} contratti senza CIG e non si può scegliere quale paga l'impegno."
    )


def _compare(planned: PlannedRow, existing: LedgerEntry) -> list[RowProblem]:
    """An act already recorded: what the file changes of it (amount, date, contract, note), or why it cannot."""
    row = planned.row
    name = f"{row.stage_label.capitalize()} n. {row.act}"
    if existing.allocation_id != planned.allocation.pk:
        return [
            RowProblem(
                row.row,
                COLUMN_BY_KEY["year"].header,
                f"{name} è già registrato su un altro stanziamento FNPS: correggilo dalla pagina dei fondi.",
            )
        ]
    if existing.parent_id != planned.parent_key:
        return [
            RowProblem(
                row.row,
                COLUMN_BY_KEY["parent"].header,
                f"{name} è già registrato con un altro atto di riferimento: correggilo dalla pagina dei fondi.",
            )
        ]
    if existing.amount != row.amount:
        planned.changes.append(f"importo {euro_text(existing.amount)} → {euro_text(row.amount)}")
    if existing.date != row.day:
        planned.changes.append(f"data {existing.date:%d/%m/%Y} → {row.day:%d/%m/%Y}")
    if planned.contract is not None and existing.contract_id != planned.contract.pk:
        planned.changes.append(f"contratto «{existing.contract}» → «{planned.contract}»")
    if row.note and existing.note != row.note:
        planned.changes.append("note")
    return []


def _ledger_problems(known: _Known, rows: Sequence[PlannedRow]) -> list[RowProblem]:
    """The ledger as the import would leave it, checked by ``funding.ledger``: each problem on the row it
    concerns, or on the file (row 0) when it is a sum over several."""
    allocations = [allocation.as_ledger() for allocation in known.allocations]
    before = [entry.as_ledger() for entry in known.all_entries]
    by_row = {row.row.row: row for row in rows}
    changed = [
        ledger.Entry(
            row.key,
            row.allocation.pk,
            row.row.stage,
            row.row.amount,
            row.row.day,
            row.row.act,
            row.parent_key,
        )
        for row in rows
        if row.action != "unchanged"
    ]
    found = ledger.new_problem_list((allocations, before), (allocations, ledger.replace(before, changed)))
    keys_to_rows = {row.key: number for number, row in by_row.items()}
    changed_rows = [(number, row) for number, row in by_row.items() if row.action != "unchanged"]

    def row_of(problem: ledger.Problem) -> int:
        """The row a problem is about: the act itself, or the one row of the file that adds to a sum (several
        rows, or acts already recorded: the file as a whole)."""
        rule, key = problem.subject
        if key in keys_to_rows:
            return keys_to_rows[key]
        adding = [
            number
            for number, row in changed_rows
            if (rule in (ledger.PROGRAMMED, ledger.COMMITTED) and row.row.stage == rule and row.allocation.pk == key)
            or (rule in (ledger.LIQUIDATED, ledger.PAID) and row.row.stage == rule and row.parent_key == key)
        ]
        return adding[0] if len(adding) == 1 else 0

    columns = {"date": "date", "reference": "parent", "allocation": "year"}
    return [
        RowProblem(
            row_of(problem), COLUMN_BY_KEY[columns.get(str(problem.subject[0]), "amount")].header, problem.message
        )
        for problem in dict.fromkeys(found)
    ]
