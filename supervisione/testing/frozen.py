"""Tests that need a date freeze the clock with time-machine (docs/ARCHITECTURE.md, "How dates flow").

    @frozen(2026, 11, 10)
    def test_it_sends_tomorrows_reminders(...): ...

freezes ``supervisione.lib.clock`` (and every other reader of the time) at 10:00 in Rome on that day for the
whole test, fixtures included when they are requested after the decorator takes effect.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import time_machine

ROME = ZoneInfo("Europe/Rome")


def frozen(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> time_machine.travel:
    return time_machine.travel(datetime.datetime(year, month, day, hour, minute, tzinfo=ROME), tick=False)
