"""The arithmetic of an ATS's FNPS ledger: pure Python, no ORM, so that the pages, the actions, the import and
the dashboards add up and refuse the same way, and the rules read as the accounting office states them.

An ATS's FNPS allocation for supervision (the *stanziamento* the Region assigns, from the *riparto* of the
Fondo Nazionale Politiche Sociali) goes through four stages:

1. **programmato**: the amount a POA plans to spend of it;
2. **impegnato**: the *impegno di spesa*, an act (number, date) that commits an amount to a contract;
3. **liquidato**: the *atto di liquidazione*, which declares an amount of one commitment due (it points to it);
4. **pagato**: the *mandato di pagamento*, which pays an amount of one liquidation (it points to it).

The **residuo** of an allocation is what is still to commit: amount - committed. The rules, each refused with
an Italian sentence that gives the figures:

- the commitments of an allocation never exceed its amount (neither does its programming);
- the liquidations of a commitment never exceed the commitment; the payments of a liquidation never exceed
  the liquidation;
- a liquidation points to a commitment of the same allocation, a payment to a liquidation of the same
  allocation, and neither precedes the act it points to.

An allocation may cover two years (the Piano di Zona of Casarano assigns 29,297.33 EUR to 2023 and 2024
together): it is one allocation, with ``first_year`` and ``last_year``, never two; its amount per year, where
a yearly figure is needed, is ``leps.cofinancing.amount_per_year``.

The checks look at a whole ledger (``problems``): an action computes the ledger as it would be after a change
and refuses the change if it adds a problem (``new_problems``), so that an old inconsistency never blocks an
unrelated edit, and every write is checked the same way, from a form or from an import.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from supervisione.leps.cofinancing import amount_per_year
from supervisione.lib.italian import euro_text

ZERO = Decimal(0)

PROGRAMMED = "programmed"
COMMITTED = "committed"
LIQUIDATED = "liquidated"
PAID = "paid"
STAGES = (PROGRAMMED, COMMITTED, LIQUIDATED, PAID)
# The stage an entry of each stage points to (programming and commitments point to none).
PARENT_STAGE = {LIQUIDATED: COMMITTED, PAID: LIQUIDATED}
# How an act of each stage is named in a sentence.
ACT_NAMES = {
    PROGRAMMED: "la programmazione",
    COMMITTED: "l'impegno",
    LIQUIDATED: "la liquidazione",
    PAID: "il mandato",
}
# "deve riferirsi a un impegno".
ONE_OF = {COMMITTED: "un impegno", LIQUIDATED: "una liquidazione"}

Key = Hashable  # a stored entry's primary key, or a name for one not saved yet (a row of an import)


def years_text(first_year: int, last_year: int) -> str:
    """``2022`` or ``2023-2024``."""
    return str(first_year) if first_year == last_year else f"{first_year}-{last_year}"


@dataclass(frozen=True)
class Allocation:
    """An FNPS allocation of one ATS: an amount for one year or for several together."""

    key: Key
    amount: Decimal
    first_year: int
    last_year: int

    @property
    def years(self) -> int:
        return self.last_year - self.first_year + 1

    @property
    def per_year(self) -> Decimal:
        """The amount of one year: amount / years, rounded down to the cent."""
        return amount_per_year(self.amount, self.years)

    @property
    def label(self) -> str:
        return f"stanziamento FNPS {years_text(self.first_year, self.last_year)}"

    def covers(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year


@dataclass(frozen=True)
class Entry:
    """One act of the ledger: ``parent`` is the key of the act it points to (a liquidation's commitment, a
    payment's liquidation)."""

    key: Key
    allocation: Key
    stage: str
    amount: Decimal
    day: datetime.date
    act: str = ""
    parent: Key | None = None

    @property
    def name(self) -> str:
        """``l'impegno n. 45/2025 del 12/03/2025``, as a sentence names it."""
        number = f" n. {self.act}" if self.act else ""
        return f"{ACT_NAMES[self.stage]}{number} del {self.day:%d/%m/%Y}"


@dataclass(frozen=True)
class Balance:
    """What an allocation has been through: programmed, committed, liquidated and paid, and what is left."""

    allocation: Allocation
    programmed: Decimal = ZERO
    committed: Decimal = ZERO
    liquidated: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def amount(self) -> Decimal:
        return self.allocation.amount

    @property
    def residual(self) -> Decimal:
        """Still to commit: amount - committed."""
        return self.allocation.amount - self.committed

    @property
    def to_liquidate(self) -> Decimal:
        return self.committed - self.liquidated

    @property
    def to_pay(self) -> Decimal:
        return self.liquidated - self.paid

    @property
    def not_programmed(self) -> Decimal:
        return self.allocation.amount - self.programmed


@dataclass(frozen=True)
class Totals:
    """Several allocations added up (an ATS, a partnership, a region)."""

    amount: Decimal = ZERO
    programmed: Decimal = ZERO
    committed: Decimal = ZERO
    liquidated: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def residual(self) -> Decimal:
        return self.amount - self.committed

    @property
    def to_pay(self) -> Decimal:
        return self.committed - self.paid

    def __add__(self, other: Totals | Balance) -> Totals:
        return Totals(
            self.amount + other.amount,
            self.programmed + other.programmed,
            self.committed + other.committed,
            self.liquidated + other.liquidated,
            self.paid + other.paid,
        )


def balances(allocations: Iterable[Allocation], entries: Iterable[Entry]) -> dict[Key, Balance]:
    """The balance of each allocation, by its key."""
    sums: dict[tuple[Key, str], Decimal] = defaultdict(lambda: ZERO)
    for entry in entries:
        sums[entry.allocation, entry.stage] += entry.amount
    return {
        allocation.key: Balance(
            allocation,
            programmed=sums[allocation.key, PROGRAMMED],
            committed=sums[allocation.key, COMMITTED],
            liquidated=sums[allocation.key, LIQUIDATED],
            paid=sums[allocation.key, PAID],
        )
        for allocation in allocations
    }


def totals(items: Iterable[Balance | Totals]) -> Totals:
    found = Totals()
    for item in items:
        found += item
    return found


@dataclass(frozen=True)
class Problem:
    """A rule the ledger breaks. ``subject`` names the rule and what breaks it (an allocation's commitments, a
    commitment's liquidations, an entry's reference), ``excess`` by how much where it is a sum: a change is
    refused when it adds a problem or makes one larger (``new_problems``)."""

    message: str
    subject: tuple[str, Key]
    excess: Decimal = ZERO


# The participle of each sum, for the act (or allocation) it is the sum of: "lo stanziamento risulterebbe
# impegnato", "la liquidazione risulterebbe pagata".
PARTICIPLES = {PROGRAMMED: "programmato", COMMITTED: "impegnato", LIQUIDATED: "liquidato", PAID: "pagata"}
RULES = {
    PROGRAMMED: "La programmazione non può superare lo stanziamento.",
    COMMITTED: "Gli impegni non possono superare lo stanziamento.",
    LIQUIDATED: "Le liquidazioni non possono superare l'impegno a cui si riferiscono.",
    PAID: "I mandati non possono superare la liquidazione a cui si riferiscono.",
}


def _over(what: str, stage: str, total: Decimal, limit: Decimal, limit_name: str) -> str:
    return (
        f"{what} risulterebbe {PARTICIPLES[stage]} per {euro_text(total)}: {euro_text(total - limit)} oltre "
        f"{limit_name} di {euro_text(limit)}. {RULES[stage]}"
    )


def problems(allocations: Sequence[Allocation], entries: Sequence[Entry]) -> list[Problem]:
    """Every rule the ledger breaks, in Italian, with the figures."""
    by_key = {entry.key: entry for entry in entries}
    known = {allocation.key for allocation in allocations}
    found = _parent_problems(entries, by_key)
    found += [
        Problem(f"{_capital(entry.name)} non appartiene a uno stanziamento dell'ATS.", ("allocation", entry.key))
        for entry in entries
        if entry.allocation not in known
    ]
    # Programming and commitments of each allocation within its amount.
    for allocation_key, balance in balances(allocations, entries).items():
        for stage, total in ((PROGRAMMED, balance.programmed), (COMMITTED, balance.committed)):
            if total > balance.amount:
                what = f"Lo {balance.allocation.label}"
                message = _over(what, stage, total, balance.amount, "l'importo stanziato")
                found.append(Problem(message, (stage, allocation_key), total - balance.amount))
    # Liquidations of each commitment, payments of each liquidation.
    sums: dict[Key, Decimal] = defaultdict(lambda: ZERO)
    for entry in entries:
        parent = by_key.get(entry.parent) if entry.parent is not None else None
        if parent is not None and PARENT_STAGE.get(entry.stage) == parent.stage:
            sums[parent.key] += entry.amount
    for parent_key, total in sums.items():
        parent = by_key[parent_key]
        if total > parent.amount:
            stage = LIQUIDATED if parent.stage == COMMITTED else PAID
            message = _over(_capital(parent.name), stage, total, parent.amount, "il suo importo")
            found.append(Problem(message, (stage, parent_key), total - parent.amount))
    return found


def _parent_problems(entries: Sequence[Entry], by_key: dict[Key, Entry]) -> list[Problem]:
    found: list[Problem] = []
    for entry in entries:
        name = _capital(entry.name)
        wanted = PARENT_STAGE.get(entry.stage)
        subject = ("reference", entry.key)
        if wanted is None:
            if entry.parent is not None:
                found.append(Problem(f"{name} non si riferisce ad altri atti.", subject))
            continue
        parent = by_key.get(entry.parent) if entry.parent is not None else None
        if parent is None:
            found.append(Problem(f"{name} deve riferirsi a {ONE_OF[wanted]} dell'ATS.", subject))
        elif parent.stage != wanted:
            found.append(
                Problem(f"{name} deve riferirsi a {ONE_OF[wanted]}: l'atto indicato è {parent.name}.", subject)
            )
        elif parent.allocation != entry.allocation:
            found.append(Problem(f"{name} e {parent.name} sono di stanziamenti diversi.", subject))
        elif entry.day < parent.day:
            found.append(Problem(f"{name} precede {parent.name} a cui si riferisce.", ("date", entry.key)))
    return found


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def new_problem_list(
    before: tuple[Sequence[Allocation], Sequence[Entry]], after: tuple[Sequence[Allocation], Sequence[Entry]]
) -> list[Problem]:
    """What a change breaks: the problems of the ledger ``after`` it that the ledger ``before`` it did not have,
    or had smaller. An inconsistency already there never blocks an unrelated change."""
    old = {problem.subject: problem.excess for problem in problems(*before)}
    return [
        problem for problem in problems(*after) if problem.subject not in old or problem.excess > old[problem.subject]
    ]


def new_problems(
    before: tuple[Sequence[Allocation], Sequence[Entry]], after: tuple[Sequence[Allocation], Sequence[Entry]]
) -> list[str]:
    """``new_problem_list`` as the sentences of a refusal (each once)."""
    return list(dict.fromkeys(problem.message for problem in new_problem_list(before, after)))


def replace(entries: Sequence[Entry], changed: Iterable[Entry], removed: Iterable[Key] = ()) -> list[Entry]:
    """The ledger with ``changed`` entries added or put in place of those with their keys, ``removed`` left out."""
    changes = {entry.key: entry for entry in changed}
    gone = set(removed)
    kept = [changes.pop(entry.key, entry) for entry in entries if entry.key not in gone]
    return kept + list(changes.values())
