"""The FNPS quota for supervision pays for the staff of the ATS it is assigned to (issue 15, who pays).

Each Region assigns each ATS a quota of the Fondo Nazionale Politiche Sociali for the supervision of **its own**
social workers and équipes (Piano nazionale degli interventi e dei servizi sociali 2024-2026). So a funding row
of ATS X pays for the supervision of X's people only. When the people supervised (the members of a group, or
those expected at a session) belong to other ATS too, the expense is allowed only if the partnership recorded an
agreement (accordo or convenzione) sharing the cost among its ATS by percentages that add up to exactly 100 %
(the quote di riparto), with a quota for the paying ATS and for every ATS whose people are supervised. Under such
an agreement the quotas apply to every cost the paying ATS's row pays for, whoever is in each group: the
convention shares the contract's cost, not group by group.

Money is split to the cent and the parts always add up to the total: each part is first rounded down, and the
cents left go one each to the largest remainders (the largest remainder method of ``leps.shares``; a tie goes to
the part listed first). The same split by head count says what part of a mixed group is each ATS's, as the POA
per ATS states it: "3 di 12 partecipanti: 25 %".

``check_payer`` returns a ``PayerCheck``; ``describe_payer`` says it in words, naming the other ATS.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Generic, TypeVar

from supervisione.leps.rounding import CENT, ZERO
from supervisione.leps.shares import split_by_head_count, split_in_proportion
from supervisione.leps.wording import percent_text

K = TypeVar("K", bound=Hashable)

HUNDRED = Decimal(100)


class PayerVerdict(StrEnum):
    OWN_STAFF = "own_staff"  # allowed: only the paying ATS's people (or nobody yet)
    SHARED = "shared"  # allowed: an agreement shares the cost among the ATS
    NO_AGREEMENT = "no_agreement"  # refused: other ATS's people and no agreement
    NOT_IN_AGREEMENT = "not_in_agreement"  # refused: the agreement gives no quota to an ATS concerned


@dataclass(frozen=True)
class PayerCheck(Generic[K]):
    """Whether a funding row of ``payer`` may pay for the people supervised, and the quotas that then apply."""

    verdict: PayerVerdict
    payer: K
    people: tuple[tuple[K, int], ...]  # people supervised per ATS (none listed with 0)
    shares: tuple[tuple[K, Decimal], ...] = ()  # the agreement's quotas, when one was given
    missing: tuple[K, ...] = ()  # ATS concerned without a quota in the agreement

    @property
    def allowed(self) -> bool:
        return self.verdict in (PayerVerdict.OWN_STAFF, PayerVerdict.SHARED)

    @property
    def shared(self) -> bool:
        """Allowed, and the cost is shared by an agreement's quotas (which name the payer)."""
        return self.allowed and bool(self.shares)

    @property
    def others(self) -> tuple[tuple[K, int], ...]:
        """The people of ATS other than the payer."""
        return tuple((ambito, count) for ambito, count in self.people if ambito != self.payer)


def check_payer(payer: K, people: Mapping[K, int], shares: Mapping[K, Decimal] | None = None) -> PayerCheck[K]:
    """May the FNPS row of ``payer`` pay for these people (how many per ATS), under these quotas (if any)?

    E.g. a group of 12 with 9 AS of Poggiardo and 3 of Maglie on Poggiardo's row: refused without an agreement;
    with an agreement of Poggiardo 40 %, Maglie 35 %, Casarano 25 %, allowed and split by those quotas.
    """
    if any(count < 0 for count in people.values()):
        raise ValueError("people cannot be negative")
    counted = tuple((ambito, count) for ambito, count in people.items() if count)
    given = tuple(shares.items()) if shares is not None else ()
    if shares is not None and shares_problems(shares):
        raise ValueError("the quotas of an agreement add up to 100 %")
    others = [ambito for ambito, _count in counted if ambito != payer]
    if not others:
        # An agreement naming the payer shares its costs even for its own staff: the convention shares the contract.
        return PayerCheck(PayerVerdict.OWN_STAFF, payer, counted, given if shares and shares.get(payer) else ())
    if shares is None:
        return PayerCheck(PayerVerdict.NO_AGREEMENT, payer, counted)
    missing = tuple(ambito for ambito in [payer, *others] if not shares.get(ambito))
    if missing:
        return PayerCheck(PayerVerdict.NOT_IN_AGREEMENT, payer, counted, given, missing)
    return PayerCheck(PayerVerdict.SHARED, payer, counted, given)


def describe_payer(check: PayerCheck[K], label: Callable[[K], str] = str) -> str:
    """The verdict in words, naming the paying ATS and the others, as forms, bookings and the plan page say it."""
    payer = label(check.payer)
    quotas = "; ".join(f"{label(ambito)} {percent_text(share)}" for ambito, share in check.shares)
    if check.verdict is PayerVerdict.OWN_STAFF:
        text = f"La quota FNPS di {payer} paga la supervisione del solo personale di {payer}"
        if check.shares:
            return f"{text}; l'accordo di partenariato ripartisce la spesa tra gli ATS secondo le quote ({quotas})."
        return f"{text}."
    others = _people_text(check.others, label)
    if check.verdict is PayerVerdict.SHARED:
        return (
            f"La quota FNPS di {payer} paga anche per {others}: l'accordo di partenariato ripartisce la spesa "
            f"tra gli ATS secondo le quote ({quotas})."
        )
    if check.verdict is PayerVerdict.NO_AGREEMENT:
        return (
            f"La quota FNPS di {payer} paga solo la supervisione del personale di {payer}, ma qui ci sono anche "
            f"{others}. Registra l'accordo di partenariato con le quote di riparto tra gli ATS, oppure scegli la "
            "fonte di finanziamento dell'ATS di quelle persone."
        )
    missing = _names_text([label(ambito) for ambito in check.missing])
    verb = "non ha" if len(check.missing) == 1 else "non hanno"
    return (
        f"La quota FNPS di {payer} paga anche per {others}, ma nell'accordo di partenariato {missing} {verb} "
        "una quota di riparto: aggiorna le quote dell'accordo, oppure scegli un'altra fonte di finanziamento."
    )


def shares_problems(shares: Mapping[K, Decimal], label: Callable[[K], str] = str) -> list[str]:
    """What is wrong with an agreement's quotas, in words: each above 0 and at most 100 %, to the hundredth,
    all together exactly 100 %. An empty list means they can be applied."""
    problems = [
        f"La quota di {label(ambito)} deve essere maggiore di 0 e al massimo 100 %."
        for ambito, share in shares.items()
        if not ZERO < share <= HUNDRED
    ]
    problems += [
        f"La quota di {label(ambito)} ha al massimo due decimali."
        for ambito, share in shares.items()
        if share != share.quantize(CENT)
    ]
    total = sum(shares.values(), ZERO)
    if not shares:
        problems.append("Indica la quota di riparto di almeno un ATS.")
    elif total != HUNDRED:
        problems.append(f"Le quote sommano a {percent_text(total)}: devono fare esattamente 100 %.")
    return problems


def split_cost(total: Decimal, weights: Mapping[K, Decimal | int]) -> dict[K, Decimal]:
    """``total`` (euro, to the cent) split in proportion to ``weights`` (quotas or head counts), to the cent, the
    parts adding up to the total: 100 EUR by thirds is 33.34 + 33.33 + 33.33."""
    if total.is_finite() and total >= 0 and total != total.quantize(CENT):
        raise ValueError("total is in euro cents")
    return split_in_proportion(total, weights, CENT)


def cost_by_ats(check: PayerCheck[K], total: Decimal) -> dict[K, Decimal]:
    """What each ATS pays of a cost charged to the row: all of it the payer's, unless an agreement shares it
    (refused, the cost stays where it was charged, until someone fixes it)."""
    if check.shared:
        return split_cost(total, dict(check.shares))
    return {check.payer: total}


@dataclass(frozen=True)
class HeadCount(Generic[K]):
    """An ATS's part of a group by head count: its members of the group's, and the percentage (to the hundredth,
    the percentages of a group adding up to 100)."""

    ambito: K
    members: int
    total: int
    percent: Decimal


def head_count_shares(members: Mapping[K, int]) -> tuple[HeadCount[K], ...]:
    """Members per ATS -> each ATS's part: 9 and 3 of 12 are 75 % and 25 %; 1 of 3 is 33,34 % for the first."""
    counted = {ambito: count for ambito, count in members.items() if count}
    if any(count < 0 for count in counted.values()):
        raise ValueError("members cannot be negative")
    if not counted:
        return ()
    total = sum(counted.values())
    percents = split_by_head_count(HUNDRED, counted, CENT)
    return tuple(HeadCount(ambito, count, total, percents[ambito]) for ambito, count in counted.items())


def describe_head_count(part: HeadCount[K]) -> str:
    """ "3 di 12 partecipanti: 25 %"."""
    noun = "partecipante" if part.total == 1 else "partecipanti"
    return f"{part.members} di {part.total} {noun}: {percent_text(part.percent)}"


def _people_text(people: tuple[tuple[K, int], ...], label: Callable[[K], str]) -> str:
    """ "3 persone di Ambito di Maglie e 1 persona di Ambito di Casarano"."""
    return _names_text([f"{count} {'persona' if count == 1 else 'persone'} di {label(a)}" for a, count in people])


def _names_text(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " e " + names[-1]
