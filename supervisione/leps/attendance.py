"""Continuing education (CNOAS): a supervisee earns the credits of a supervision path only having attended at
least a share of its hours (80 % by default, a parameter)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from supervisione.leps.parameters import DEFAULT_RULES, LepsRules
from supervisione.leps.rounding import ZERO


@dataclass(frozen=True)
class Attendance:
    attended_minutes: int
    planned_minutes: int
    threshold: Decimal

    @property
    def share(self) -> Decimal:
        if self.planned_minutes == 0:
            return ZERO
        return Decimal(self.attended_minutes) / Decimal(self.planned_minutes)

    @property
    def percentage(self) -> Decimal:
        return (self.share * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def reaches_threshold(self) -> bool:
        return _reaches(self.attended_minutes, self.planned_minutes, *self.threshold.as_integer_ratio())


def _reaches(attended_minutes: int, planned_minutes: int, numerator: int, denominator: int) -> bool:
    """attended / planned >= numerator / denominator, compared exactly in integers; nothing planned reaches nothing."""
    return planned_minutes > 0 and attended_minutes * denominator >= numerator * planned_minutes


def count_below_threshold(attended: Mapping[int, int], planned: Mapping[int, int], threshold: Decimal) -> int:
    """How many people with minutes planned (``planned``, by person) do not reach ``threshold`` with the minutes they
    attended (``attended``, by person): the rule of ``Attendance.reaches_threshold`` for a whole country's people,
    without an ``Attendance`` made for each."""
    numerator, denominator = threshold.as_integer_ratio()
    return sum(
        1
        for person, minutes in planned.items()
        if minutes and not _reaches(attended.get(person, 0), minutes, numerator, denominator)
    )


def attendance(attended_minutes: int, planned_minutes: int, rules: LepsRules = DEFAULT_RULES) -> Attendance:
    """Share of a path's hours attended; CNOAS credits need at least ``attendance_threshold`` (80 %)."""
    if attended_minutes < 0 or planned_minutes < 0:
        raise ValueError("minutes cannot be negative")
    return Attendance(attended_minutes, planned_minutes, rules.attendance_threshold)
