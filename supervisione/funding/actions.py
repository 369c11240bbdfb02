"""Every write of the FNPS allocations and ledgers: inside one transaction, with its audit entry, checked by the
ledger's arithmetic (``funding.ledger``) on the ledger as the change would leave it.

The allocation a change touches is locked first (``select_for_update``, a row lock on PostgreSQL; SQLite writes
one transaction at a time), so that two commitments saved at once cannot together pass the allocation: the
second waits, then sees the first. A refusal raises ``LedgerRuleError`` with the Italian sentences of what the
change would break, and nothing is written.

Action codes: ``funding.fnpsallocation.created``/``.updated``/``.deleted`` for allocations (the default ones);
``funding.<programming|commitment|liquidation|payment>.created``/``.updated``/``.deleted`` for the acts of the
ledger, ``.imported`` for those an import wrote, and ``funding.ledger.imported`` for the import itself (on the
ATS).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from supervisione.accounts.models import User
from supervisione.audit.actions import delete_audited, record, save_audited
from supervisione.audit.models import AuditAction
from supervisione.funding import ledger
from supervisione.funding.importing.plan import ORDER, ImportPlan, plan_import
from supervisione.funding.importing.rows import ParsedRow
from supervisione.funding.models import FnpsAllocation, LedgerEntry, Stage
from supervisione.funding.queries import ledger_of
from supervisione.lib.italian import counted
from supervisione.territory.models import Ambito

NEW = "nuovo"  # the key of an act not saved yet, in the pure ledger


class LedgerRuleError(Exception):
    """The change would break the ledger's rules: ``messages`` say how (Italian)."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages = list(messages)
        super().__init__(" ".join(self.messages))


def _lock(allocation_ids: Sequence[int]) -> None:
    list(FnpsAllocation.objects.select_for_update().filter(pk__in=allocation_ids).order_by("pk").values("pk"))


def overlapping(allocation: FnpsAllocation) -> FnpsAllocation | None:
    """Another allocation of the same ATS that covers one of its years (an allocation is never doubled)."""
    return (
        FnpsAllocation.objects.filter(
            ambito_id=allocation.ambito_id,
            first_year__lte=allocation.last_year,
            last_year__gte=allocation.first_year,
        )
        .exclude(pk=allocation.pk)
        .order_by("first_year")
        .first()
    )


def overlap_message(other: FnpsAllocation) -> str:
    return (
        f"Lo stanziamento FNPS {other.years_text} di questo ATS copre già uno di questi anni: uno stanziamento di "
        "più anni si registra una volta sola, con la prima e l'ultima annualità. Modifica quello esistente."
    )


def allocation_problems(allocation: FnpsAllocation) -> list[str]:
    """What saving the allocation as it is would break: another allocation of the same years, or an amount below
    what is already programmed or committed on it."""
    found: list[str] = []
    other = overlapping(allocation)
    if other is not None:
        found.append(overlap_message(other))
    if allocation.pk is not None:
        allocations, entries = ledger_of([allocation.pk])
        found += ledger.new_problems((allocations, entries), ([allocation.as_ledger()], entries))
    return found


def save_allocation(allocation: FnpsAllocation, *, by: User) -> FnpsAllocation:
    with transaction.atomic():
        if allocation.pk is not None:
            _lock([allocation.pk])
        problems = allocation_problems(allocation)
        if problems:
            raise LedgerRuleError(problems)
        save_audited(allocation, by=by, message=f"Stanziamento FNPS {allocation.years_text}")
    return allocation


def delete_allocation(allocation: FnpsAllocation, *, by: User) -> None:
    with transaction.atomic():
        _lock([allocation.pk])
        if allocation.entries.exists():
            message = (
                f"Lo stanziamento FNPS {allocation.years_text} ha atti registrati (programmazione, impegni, "
                "liquidazioni o mandati): eliminali prima, dal più recente."
            )
            raise LedgerRuleError([message])
        delete_audited(allocation, by=by, message=f"Stanziamento FNPS {allocation.years_text} eliminato")


def prepare_entry(entry: LedgerEntry) -> None:
    """What an act takes from what it points to: its ATS from the allocation; a liquidation's or a payment's
    contract from its commitment. Programming names no contract and no act it executes."""
    entry.ambito_id = entry.allocation.ambito_id
    if entry.stage in (Stage.LIQUIDATED, Stage.PAID) and entry.parent is not None:
        entry.contract_id = entry.parent.contract_id
    if entry.stage == Stage.PROGRAMMED:
        entry.contract = None
    if entry.stage in (Stage.PROGRAMMED, Stage.COMMITTED):
        entry.parent = None
    if entry.stage != Stage.PROGRAMMED:
        entry.plan = None


def entry_problems(entry: LedgerEntry) -> list[str]:
    """What saving the act as it is would break in its allocation's ledger (and in the one it leaves, if it
    moves: an edit may not move an act to another allocation, see the form)."""
    allocation_ids = sorted({entry.allocation_id} | ({entry.parent.allocation_id} if entry.parent else set()))
    allocations, entries = ledger_of(allocation_ids)
    changed = ledger.Entry(
        entry.pk if entry.pk is not None else NEW,
        entry.allocation_id,
        entry.stage,
        entry.amount,
        entry.date,
        entry.act_number,
        entry.parent_id,
    )
    return ledger.new_problems((allocations, entries), (allocations, ledger.replace(entries, [changed])))


def save_entry(entry: LedgerEntry, *, by: User) -> LedgerEntry:
    with transaction.atomic():
        prepare_entry(entry)
        _lock([entry.allocation_id])
        problems = entry_problems(entry)
        if problems:
            raise LedgerRuleError(problems)
        creating = entry.pk is None
        if creating:
            entry.created_by = by
        verb = "created" if creating else "updated"
        save_audited(entry, by=by, message=str(entry), code=f"funding.{entry.code}.{verb}")
    return entry


def delete_entry(entry: LedgerEntry, *, by: User) -> None:
    with transaction.atomic():
        _lock([entry.allocation_id])
        if entry.children.exists():
            executes = "liquidazioni" if entry.stage == Stage.COMMITTED else "mandati"
            raise LedgerRuleError([f"{entry} ha {executes} registrati che vi si riferiscono: eliminali prima."])
        delete_audited(entry, by=by, message=f"{entry} eliminato", code=f"funding.{entry.code}.deleted")


class ImportRefusedError(Exception):
    """The rows have problems on the ledger as it is now: nothing was written (``plan`` says what)."""

    def __init__(self, plan: ImportPlan) -> None:
        self.plan = plan
        super().__init__(counted(len(plan.problems), "problema", "problemi"))


def import_ledger(ambito: Ambito, rows: Sequence[ParsedRow], *, by: User, file_name: str) -> ImportPlan:
    """Write the acts of an accounting export (``funding.importing``), all or none: the rows are planned again on
    the ledger as it is now, under the locks of the ATS's allocations, and refused if any has a problem. Acts
    already recorded as the file has them are left alone, so that importing the same file again writes nothing;
    the import itself gets an entry on the ATS only if it wrote something."""
    with transaction.atomic():
        _lock(list(FnpsAllocation.objects.filter(ambito=ambito).values_list("pk", flat=True)))
        plan = plan_import(ambito, rows)
        if plan.problems:
            raise ImportRefusedError(plan)
        written: dict[ledger.Key, LedgerEntry] = {}
        for planned in sorted(plan.rows, key=lambda item: ORDER[Stage(item.row.stage)]):
            if planned.action == "unchanged":
                continue
            entry = planned.existing or LedgerEntry(
                ambito=ambito, allocation=planned.allocation, stage=planned.row.stage, created_by=by
            )
            entry.act_number = planned.row.act
            entry.amount = planned.row.amount
            entry.date = planned.row.day
            if planned.row.note:
                entry.note = planned.row.note
            parent_key = planned.parent_key
            if parent_key is not None:
                entry.parent = written.get(parent_key) or LedgerEntry.objects.get(pk=int(str(parent_key)))
                entry.contract = entry.parent.contract
            else:
                entry.contract = planned.contract
            verb = "imported" if planned.action == "create" else "updated"
            save_audited(
                entry,
                by=by,
                message=f"{entry} (importazione da «{file_name[:80]}»)",
                code=f"funding.{entry.code}.{verb}",
            )
            written[planned.key] = entry
        if plan.changes_anything:
            record(
                ambito,
                by=by,
                action=AuditAction.ACTION,
                message=f"Importati gli atti contabili FNPS dal file «{file_name[:80]}»: "
                f"{counted(plan.created, 'nuovo', 'nuovi')}, {counted(plan.updated, 'aggiornato', 'aggiornati')}",
                code="funding.ledger.imported",
            )
    return plan
