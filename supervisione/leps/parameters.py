"""The parameters of every rule, with the values of the Scheda LEPS 2.7.2 and of L. 178/2020 c. 797 as
defaults, and which ones are in force on a day.

Administrators change the parameters from a date (the planning app keeps them, ``planning.RuleSet``); the
functions of this package take them as an argument and never read settings, the clock or the database.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Prorate(StrEnum):
    """How the yearly minimums apply to a plan that covers only part of the year."""

    OFF = "off"  # the full yearly minimum, whatever the period
    BY_MONTHS = "by_months"  # the minimum times months covered / 12, rounded up to the half hour


@dataclass(frozen=True)
class LepsRules:
    """The parameters of every rule, with the Scheda LEPS 2.7.2 and c. 797 values as defaults."""

    # Scheda LEPS 2.7.2
    a1_min_hours_per_group: Decimal = Decimal(16)
    a2_pool_hours_per_a1_group: Decimal = Decimal(15)
    a3_min_hours_per_equipe: Decimal = Decimal(6)
    max_group_size: int = 15
    prorate: Prorate = Prorate.OFF
    # Supervisor requirements (Piano nazionale p. 56). The Piano sets no number of years: these are the
    # values tenders commonly ask for, to be set by each administration.
    min_years_social_work: int = 5
    min_years_supervising_as: int = 2
    # Continuing education (CNOAS): credits only with at least this share of the path's hours attended.
    attendance_threshold: Decimal = Decimal("0.80")
    # Staff census and L. 178/2020 art. 1 c. 797
    full_time_hours: Decimal = Decimal(36)
    leps_inhabitants_per_as: int = 5000
    target_inhabitants_per_as: int = 4000
    floor_inhabitants_per_as: int = 6500
    contribution_band1_eur: Decimal = Decimal(40000)
    contribution_band2_eur: Decimal = Decimal(20000)
    # None: the law's arithmetic, FTE compared with the thresholds as they are (70,000 / 6,500 = 10.769...).
    # A number: FTE rounded to that many decimals before they are compared, as the Ministry's sheet does with
    # two; the ratio page shows the figure of the other arithmetic beside the one in force.
    fte_decimals: int | None = None


DEFAULT_RULES = LepsRules()


RulesSource = Callable[[datetime.date], LepsRules]


def _scheda_defaults(when: datetime.date) -> LepsRules:
    return DEFAULT_RULES


_source: RulesSource = _scheda_defaults


def rules_at(when: datetime.date) -> LepsRules:
    """The parameters in force on a day: the latest set administrators gave from that day or before, or the
    Scheda's defaults.

    Where the sets are kept is not this package's business: the planning app keeps them (``planning.RuleSet``)
    and plugs its reader in with ``read_rules_from`` when Django loads it (``PlanningConfig.ready``), so that
    census and supervisors, which sit below planning, read them without importing it. Without Django (pure
    tests) the defaults apply.
    """
    return _source(when)


def read_rules_from(source: RulesSource) -> None:
    """Where ``rules_at`` reads the parameters from: called once, by the app that keeps them."""
    global _source  # noqa: PLW0603  (set once when Django loads the apps; the one place that keeps the sets)
    _source = source
