"""Continuing education (CNOAS): a supervisee earns the credits of a supervision path only having attended at
least a share of its hours (80 % by default, a parameter)."""

from __future__ import annotations

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
        return self.planned_minutes > 0 and self.share >= self.threshold


def attendance(attended_minutes: int, planned_minutes: int, rules: LepsRules = DEFAULT_RULES) -> Attendance:
    """Share of a path's hours attended; CNOAS credits need at least ``attendance_threshold`` (80 %)."""
    if attended_minutes < 0 or planned_minutes < 0:
        raise ValueError("minutes cannot be negative")
    return Attendance(attended_minutes, planned_minutes, rules.attendance_threshold)
