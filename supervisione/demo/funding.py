"""Demo FNPS allocations and ledgers of the Puglia ATS (PRODUCT.md section 6, issue 15).

- **Casarano**, from its Piano Sociale di Zona 2022-2024: 14,648.66 EUR for 2022 and 29,297.33 EUR for 2023 and 2024
  together (the Plan's "2023" row covers both years: one allocation 2023-2024, about 14,648.66 EUR a year, never
  two). The amounts and the rows are facts; the numbers and dates of the regional acts are not in the sources and
  are demo values, marked as such.
- **Poggiardo, Maglie and Casarano** from 2025: an allocation a year, decreed on 15 March of its year (amounts,
  acts and dates illustrative), to the next year, whose POA is in preparation: until its decree an allocation is
  recorded as the Piano di Zona foresees it, with no act (the Region's decree is filled in once its day has come,
  so a load after 15 March completes the year's allocation instead of adding one).
- **The ledger of the three ATS**: from 01/07/2026 (the end of the PNRR activities) the convention with Raggio di
  Sole Onlus is paid by their FNPS quotas, each its convention quota of the contract's FNPS rows (20, 18 and 18
  of the 56 AS; ``demo/procurement.py``):
  each year's POA programs the ATS's share, a determina commits it to the contract (on 01/07/2026, then on 20
  January of each year), the cooperative's quarterly invoices are liquidated 25 days after the quarter and paid
  by mandato 15 days later. Every act dated up to the day the demo is loaded is there, none after: a load a week
  later adds the week's acts. Each year's share goes to the oldest allocation with room for it (older money is
  spent first). Act numbers and dates are demo values.
- **San Severo, Lucera, San Marco in Lamis and Troia** (the partnership being set up in 2023): an allocation for
  2023 each, illustrative (San Severo's about 3 % of its FNPS, for the pending decision on co-financing); no
  contract yet, so no ledger.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from supervisione.demo.census import SOCIAL_WORKERS_PER_AMBITO
from supervisione.demo.loading import Counter, ensure
from supervisione.demo.present import FIRST_YEAR, PNRR_END, Present
from supervisione.demo.procurement import FNPS_YEARLY
from supervisione.funding.models import FnpsAllocation, LedgerEntry, Stage
from supervisione.leps.fnps import head_count_shares
from supervisione.leps.shares import split_in_proportion
from supervisione.planning.models import Plan, PlanStatus
from supervisione.procurement.models import Contract
from supervisione.territory.models import Ambito, Partnership

CENT = Decimal("0.01")
DEMO_ACT = "Numero e data dell'atto sono dimostrativi."
FNPS_START = PNRR_END + datetime.timedelta(days=1)  # 01/07/2026
LIQUIDATION_DAYS = 25  # after the end of the invoiced quarter
PAYMENT_DAYS = 15  # after the liquidation


@dataclass(frozen=True)
class DemoAllocation:
    code: str
    first_year: int
    last_year: int
    amount: str
    decree: str
    decree_date: datetime.date | None
    plan_row: str = ""
    fnps_total: str | None = None
    note: str = ""


CASARANO_PLAN = "Piano Sociale di Zona 2022-2024 dell'Ambito di Casarano, tabella delle risorse FNPS"
HISTORY = (
    DemoAllocation(
        "PUG_CASARANO",
        2022,
        2022,
        "14648.66",
        "A.D. n. 412/2022",
        datetime.date(2022, 11, 15),
        f"{CASARANO_PLAN}, riga 2022",
        note=f"Importo dal Piano di Zona. {DEMO_ACT}",
    ),
    DemoAllocation(
        "PUG_CASARANO",
        2023,
        2024,
        "29297.33",
        "A.D. n. 538/2023",
        datetime.date(2023, 12, 20),
        f"{CASARANO_PLAN}, riga «2023» (copre il 2023 e il 2024)",
        note="Importo dal Piano di Zona: la riga «2023» vale per il 2023 e il 2024 insieme, circa 14.648,66 € "
        f"l'anno; è uno stanziamento solo. {DEMO_ACT}",
    ),
    DemoAllocation(
        "PUG_SANSEVERO",
        2023,
        2023,
        "19740.00",
        "A.D. n. 538/2023",
        datetime.date(2023, 12, 20),
        fnps_total="658000.00",
        note="Importi illustrativi: il riparto FNPS dell'ATS non è nelle fonti. Quota per la supervisione di circa il "
        "3 % del FNPS, da aggiungere come cofinanziamento: decisione pendente (riunione di coordinamento del "
        f"19/04/2023). {DEMO_ACT}",
    ),
    DemoAllocation(
        "PUG_LUCERA",
        2023,
        2023,
        "12160.00",
        "A.D. n. 538/2023",
        datetime.date(2023, 12, 20),
        fnps_total="405300.00",
        note=f"Importi illustrativi. {DEMO_ACT}",
    ),
    DemoAllocation(
        "PUG_SANMARCO",
        2023,
        2023,
        "8920.00",
        "A.D. n. 538/2023",
        datetime.date(2023, 12, 20),
        fnps_total="297400.00",
        note=f"Importi illustrativi. {DEMO_ACT}",
    ),
    DemoAllocation(
        "PUG_TROIA",
        2023,
        2023,
        "6450.00",
        "A.D. n. 538/2023",
        datetime.date(2023, 12, 20),
        fnps_total="215000.00",
        note=f"Importi illustrativi. {DEMO_ACT}",
    ),
)
# From 2025, each year, decreed on 15 March of its year (illustrative).
YEARLY = {"PUG_POGGIARDO": "10215.90", "PUG_MAGLIE": "11870.40", "PUG_CASARANO": "14648.66"}
# The first number of each ATS's acts in a year (determine, liquidazioni, mandati: demo values).
ACT_BASE = {"PUG_POGGIARDO": 210, "PUG_MAGLIE": 340, "PUG_CASARANO": 112}


FORESEEN_ROW = "Piano Sociale di Zona in vigore, programmazione delle risorse FNPS (illustrativo)"
FORESEEN = (
    "Importo previsto dal Piano di Zona per il POA in preparazione: il decreto regionale di riparto non è ancora "
    "adottato. Importo illustrativo."
)


def yearly_decree(year: int) -> datetime.date:
    return datetime.date(year, 3, 15)


def load_funding(counter: Counter, present: Present) -> None:
    ambiti = {ambito.code: ambito for ambito in Ambito.objects.filter(code__startswith="PUG_")}
    for spec in HISTORY:
        _allocation(ambiti[spec.code], spec, counter)
    for code, amount in YEARLY.items():
        for year in range(FIRST_YEAR, present.next_year + 1):
            if yearly_decree(year) <= present.today:
                spec = DemoAllocation(
                    code,
                    year,
                    year,
                    amount,
                    f"A.D. n. {100 + year % 100}/{year}",
                    yearly_decree(year),
                    note=f"Importo illustrativo. {DEMO_ACT}",
                )
            else:
                spec = DemoAllocation(code, year, year, amount, "", None, FORESEEN_ROW, note=FORESEEN)
            _allocation(ambiti[code], spec, counter)
    poggiardo = Partnership.objects.get(code="POGGIARDO-114")
    contract = Contract.objects.get(partnership=poggiardo, provider__name="Raggio di Sole Onlus")
    for code in YEARLY:
        _ledger(ambiti[code], poggiardo, contract, present, counter)


def _allocation(ambito: Ambito, spec: DemoAllocation, counter: Counter) -> FnpsAllocation:
    return ensure(
        FnpsAllocation,
        {"ambito": ambito, "first_year": spec.first_year},
        {
            "last_year": spec.last_year,
            "amount": Decimal(spec.amount),
            "fnps_total": Decimal(spec.fnps_total) if spec.fnps_total else None,
            "decree_number": spec.decree,
            "decree_date": spec.decree_date,
            "plan_row": spec.plan_row,
            "spend_from": None,
            "spend_until": None,
            "note": spec.note,
        },
        counter=counter,
    )


def share(year: int, code: str) -> Decimal:
    """The ATS's part of the contract's FNPS rows for the year (half a year in 2026) by the convention's quotas
    (35,72 %, 32,14 % and 32,14 %, from the 20, 18 and 18 AS of the census: ``demo/procurement.py``), to the cent,
    the parts adding up to the rows."""
    yearly = (FNPS_YEARLY / 2 if year == PNRR_END.year else FNPS_YEARLY).quantize(CENT, rounding=ROUND_DOWN)
    quotas = {part.ambito: part.percent for part in head_count_shares(SOCIAL_WORKERS_PER_AMBITO)}
    return split_in_proportion(yearly, quotas, CENT)[code]


def quarters(year: int) -> list[int]:
    return [3, 4] if year == PNRR_END.year else [1, 2, 3, 4]


def quarter_end(year: int, quarter: int) -> datetime.date:
    return datetime.date(year, 12, 31) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1) - ONE_DAY


ONE_DAY = datetime.timedelta(days=1)


def _ledger(ambito: Ambito, partnership: Partnership, contract: Contract, present: Present, counter: Counter) -> None:
    allocations = list(FnpsAllocation.objects.filter(ambito=ambito).order_by("first_year"))
    room = {allocation.pk: allocation.amount for allocation in allocations}
    base = ACT_BASE[ambito.code]
    for year in range(PNRR_END.year, present.year + 1):
        amount = share(year, ambito.code)
        allocation = next((a for a in allocations if a.first_year <= year and room[a.pk] >= amount), None)
        if allocation is None:
            continue
        room[allocation.pk] -= amount
        plan = (
            Plan.objects.filter(partnership=partnership, year=year)
            .exclude(status=PlanStatus.SUPERSEDED)
            .order_by("-version")
            .first()
        )
        if plan is not None:
            # The year's programming, whichever version of the POA it was recorded on.
            recorded = LedgerEntry.objects.filter(
                ambito=ambito, stage=Stage.PROGRAMMED, plan__partnership=partnership, plan__year=year
            ).first()
            values = {
                "allocation": allocation,
                "amount": amount,
                "date": datetime.date(year - 1, 12, 15),
                "note": "Quota dell'ATS per la convenzione con Raggio di Sole Onlus (riparto della convenzione tra gli "
                "ATS, illustrativo).",
            }
            if recorded is None:
                ensure(
                    LedgerEntry, {"ambito": ambito, "stage": Stage.PROGRAMMED, "plan": plan}, values, counter=counter
                )
            else:
                ensure(LedgerEntry, {"pk": recorded.pk}, {**values, "plan": plan}, counter=counter)
        committed_on = FNPS_START if year == PNRR_END.year else datetime.date(year, 1, 20)
        if committed_on > present.today:
            continue
        commitment = _act(
            ambito,
            allocation,
            Stage.COMMITTED,
            f"{base}/{year}",
            committed_on,
            amount,
            contract,
            None,
            f"Determina di impegno per la convenzione di supervisione, anno {year}. {DEMO_ACT}",
            counter,
        )
        parts = quarters(year)
        for quarter in parts:
            liquidated_on = quarter_end(year, quarter) + datetime.timedelta(days=LIQUIDATION_DAYS)
            if liquidated_on > present.today:
                break
            part = (amount / len(parts)).quantize(CENT, rounding=ROUND_DOWN)
            liquidation = _act(
                ambito,
                allocation,
                Stage.LIQUIDATED,
                f"{base + 3 * quarter}/{liquidated_on.year}",
                liquidated_on,
                part,
                contract,
                commitment,
                f"Fattura del {quarter}° trimestre {year} di Raggio di Sole Onlus. {DEMO_ACT}",
                counter,
            )
            paid_on = liquidated_on + datetime.timedelta(days=PAYMENT_DAYS)
            if paid_on <= present.today:
                _act(
                    ambito,
                    allocation,
                    Stage.PAID,
                    f"{1000 + base + 3 * quarter}/{paid_on.year}",
                    paid_on,
                    part,
                    contract,
                    liquidation,
                    DEMO_ACT,
                    counter,
                )


def _act(
    ambito: Ambito,
    allocation: FnpsAllocation,
    stage: Stage,
    number: str,
    day: datetime.date,
    amount: Decimal,
    contract: Contract,
    parent: LedgerEntry | None,
    note: str,
    counter: Counter,
) -> LedgerEntry:
    return ensure(
        LedgerEntry,
        {"ambito": ambito, "stage": stage, "act_number": number},
        {
            "allocation": allocation,
            "date": day,
            "amount": amount,
            "contract": contract,
            "parent": parent,
            "note": note,
        },
        counter=counter,
    )
