"""Staff: FTE, the social-worker ratio and the L. 178/2020 art. 1 c. 797 contribution.

The LEPS is 1 social worker (AS) per 5,000 inhabitants, the target 1 per 4,000. The State pays 40,000 EUR a year
per permanent AS FTE above 1:6,500 up to 1:5,000 and 20,000 EUR per FTE above 1:5,000 up to 1:4,000; nothing if
the ATS is below 1:6,500, nothing beyond 1:4,000. A position's FTE is its weekly hours over the full time (36 h).
``assess_ratio`` returns every figure with how it was computed, in words.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from supervisione.leps.parameters import DEFAULT_RULES, LepsRules
from supervisione.leps.rounding import CENT, ZERO
from supervisione.leps.wording import euro_text, number_text


def fte(weekly_hours: Decimal, rules: LepsRules = DEFAULT_RULES) -> Decimal:
    """Full-time equivalent of a position: weekly hours / 36 (18 h -> 0.5)."""
    if weekly_hours < 0:
        raise ValueError("weekly_hours cannot be negative")
    return weekly_hours / rules.full_time_hours


# The Ministry's sheet (note 1228 of 27/01/2026) rounds FTE to two decimals before comparing them.
MINISTRY_SHEET_DECIMALS = 2


def _round_fte(value: Decimal, decimals: int | None) -> Decimal:
    if decimals is None:
        return value
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def rounding_rule(decimals: int | None) -> str:
    """The arithmetic of a figure, in words."""
    if decimals is None:
        return "FTE esatti, senza arrotondamento (l'aritmetica della legge)"
    return f"FTE arrotondati a {decimals} decimali prima del confronto con le soglie"


@dataclass(frozen=True)
class RatioAssessment:
    population: int
    as_fte: Decimal
    permanent_as_fte: Decimal
    inhabitants_per_as: Decimal | None
    leps_met: bool
    target_met: bool
    floor_fte: Decimal  # AS FTE for 1:6,500
    required_fte_for_leps: Decimal  # for 1:5,000
    required_fte_for_target: Decimal  # for 1:4,000
    missing_fte_for_leps: Decimal
    band1_fte: Decimal
    band2_fte: Decimal
    contribution: Decimal
    # The contribution under the other arithmetic (rounded FTE when the rules are exact, exact when they round),
    # shown beside the one in force with its rule: the two differ by some tens of euro.
    fte_decimals: int | None = None
    other_contribution: Decimal = ZERO
    other_fte_decimals: int | None = MINISTRY_SHEET_DECIMALS
    explanation: list[str] = field(default_factory=list)

    @property
    def rule(self) -> str:
        return rounding_rule(self.fte_decimals)

    @property
    def other_rule(self) -> str:
        return rounding_rule(self.other_fte_decimals)


def assess_ratio(
    population: int, as_fte: Decimal, permanent_as_fte: Decimal, rules: LepsRules = DEFAULT_RULES
) -> RatioAssessment:
    """The social-worker ratio of an ATS and its c. 797 contribution, with how each figure was computed.

    ``as_fte`` counts every social worker of the ATS services (for the LEPS ratio); ``permanent_as_fte`` only
    those that count for c. 797 (permanent contract with a comune, the ATS or their bodies).

    Example (Scheda and law): 70,000 inhabitants need 14 FTE for 1:5,000 and 17.5 for 1:4,000; the floor
    1:6,500 is 10.769... FTE. With 16 permanent FTE: band 1 = 14 - 10.769... = 3.2308 FTE x 40,000 = 129,230.77
    EUR; band 2 = 16 - 14 = 2 FTE x 20,000 = 40,000 EUR; total 169,230.77 EUR a year. The Ministry's sheet rounds
    the floor to 10.77 FTE and finds 169,200 EUR: ``rules.fte_decimals`` chooses, and the other figure is kept.
    """
    if population < 0 or as_fte < 0 or permanent_as_fte < 0:
        raise ValueError("population and FTE cannot be negative")
    decimals = rules.fte_decimals
    other_decimals = MINISTRY_SHEET_DECIMALS if decimals is None else None
    assessment = replace(
        _assess(population, as_fte, permanent_as_fte, rules, decimals),
        other_contribution=_assess(population, as_fte, permanent_as_fte, rules, other_decimals).contribution,
        other_fte_decimals=other_decimals,
    )
    return replace(assessment, explanation=_explain(assessment, rules))


def _assess(
    population: int, as_fte: Decimal, permanent_as_fte: Decimal, rules: LepsRules, decimals: int | None
) -> RatioAssessment:
    total = _round_fte(as_fte, decimals)
    permanent = _round_fte(permanent_as_fte, decimals)
    pop = Decimal(population)
    floor = _round_fte(pop / rules.floor_inhabitants_per_as, decimals)
    leps = _round_fte(pop / rules.leps_inhabitants_per_as, decimals)
    target = _round_fte(pop / rules.target_inhabitants_per_as, decimals)
    per_as = (pop / total).quantize(Decimal(1), rounding=ROUND_HALF_UP) if total > 0 else None
    leps_met = population > 0 and total >= leps
    target_met = population > 0 and total >= target

    if population == 0 or permanent < floor or permanent == 0:
        band1 = band2 = ZERO
    else:
        band1 = min(permanent, leps) - floor
        band2 = max(ZERO, min(permanent, target) - leps)
    contribution = (band1 * rules.contribution_band1_eur + band2 * rules.contribution_band2_eur).quantize(
        CENT, rounding=ROUND_HALF_UP
    )
    return RatioAssessment(
        population=population,
        as_fte=total,
        permanent_as_fte=permanent,
        inhabitants_per_as=per_as,
        leps_met=leps_met,
        target_met=target_met,
        floor_fte=floor,
        required_fte_for_leps=leps,
        required_fte_for_target=target,
        missing_fte_for_leps=max(leps - total, ZERO),
        band1_fte=band1,
        band2_fte=band2,
        contribution=contribution,
        fte_decimals=decimals,
    )


def _explain(assessment: RatioAssessment, rules: LepsRules) -> list[str]:
    """How each figure of the assessment was computed, in words, as the ratio page shows it."""
    pop = Decimal(assessment.population)
    total, permanent, per_as = assessment.as_fte, assessment.permanent_as_fte, assessment.inhabitants_per_as
    floor, leps, target = assessment.floor_fte, assessment.required_fte_for_leps, assessment.required_fte_for_target
    band1, band2, contribution = assessment.band1_fte, assessment.band2_fte, assessment.contribution
    leps_met, target_met, population = assessment.leps_met, assessment.target_met, assessment.population
    lines = [
        (
            f"Popolazione: {number_text(pop, 0)} abitanti. Assistenti sociali: {number_text(total)} FTE, di cui "
            f"{number_text(permanent)} a tempo indeterminato presso comuni, ATS o loro enti (FTE = ore settimanali / "
            f"{number_text(rules.full_time_hours, 0)})."
        ),
        (
            f"Rapporto: 1 assistente sociale ogni {number_text(per_as, 0)} abitanti."
            if per_as is not None
            else "Rapporto: nessun assistente sociale in servizio."
        ),
        f"LEPS 1:{number_text(Decimal(rules.leps_inhabitants_per_as), 0)} = {number_text(leps)} FTE: "
        + ("raggiunto." if leps_met else f"non raggiunto, mancano {number_text(max(leps - total, ZERO))} FTE."),
        f"Obiettivo 1:{number_text(Decimal(rules.target_inhabitants_per_as), 0)} = {number_text(target)} FTE: "
        + ("raggiunto." if target_met else f"non raggiunto, mancano {number_text(max(target - total, ZERO))} FTE."),
    ]
    if population > 0 and permanent < floor:
        lines.append(
            "Contributo c. 797: nessuno, perché gli assistenti sociali a tempo indeterminato "
            f"({number_text(permanent)} FTE) sono sotto la soglia di "
            f"1:{number_text(Decimal(rules.floor_inhabitants_per_as), 0)} ({number_text(floor)} FTE)."
        )
    elif population > 0:
        lines.append(
            f"Contributo c. 797, prima fascia: ({number_text(min(permanent, leps))} - {number_text(floor)}) FTE x "
            f"{euro_text(rules.contribution_band1_eur)} = {euro_text(band1 * rules.contribution_band1_eur)}."
        )
        leps_ratio = number_text(Decimal(rules.leps_inhabitants_per_as), 0)
        target_ratio = number_text(Decimal(rules.target_inhabitants_per_as), 0)
        lines.append(
            f"Seconda fascia: {number_text(band2)} FTE oltre 1:{leps_ratio} (fino a 1:{target_ratio}) x "
            f"{euro_text(rules.contribution_band2_eur)} = {euro_text(band2 * rules.contribution_band2_eur)}."
        )
        lines.append(f"Contributo stimato: {euro_text(contribution)} all'anno.")
    if population > 0 and assessment.other_contribution != contribution:
        lines.append(
            f"Calcolo usato: {assessment.rule}. Con {assessment.other_rule}: "
            f"{euro_text(assessment.other_contribution)}."
        )
    return lines


# --- c. 797 over the year ------------------------------------------------------------------------------------------
# The prospetto filed on SIOSS by 28 February counts each social worker for the days of the year in service: last
# year's actual figures and this year's forecast, not the staff on one day.


@dataclass(frozen=True)
class ServicePeriod:
    """A position's weekly hours from ``start`` to ``end`` (both included; None: before or after the year)."""

    weekly_hours: Decimal
    start: datetime.date | None = None
    end: datetime.date | None = None


def days_in_service(period: ServicePeriod, year: int) -> int:
    first = max(period.start or datetime.date(year, 1, 1), datetime.date(year, 1, 1))
    last = min(period.end or datetime.date(year, 12, 31), datetime.date(year, 12, 31))
    return max((last - first).days + 1, 0)


def year_fte(periods: Iterable[ServicePeriod], year: int, rules: LepsRules = DEFAULT_RULES) -> Decimal:
    """FTE over a year, each position weighted by its days in service: 36 h for half of 2025 -> 0.4986 FTE
    (182 of 365 days); 18 h for the whole year -> 0.5."""
    days = Decimal(366 if calendar.isleap(year) else 365)
    return sum((fte(p.weekly_hours, rules) * days_in_service(p, year) / days for p in periods), ZERO)
