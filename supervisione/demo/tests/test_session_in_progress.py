"""The demo's session in progress follows the clock: going on at any hour, never across midnight."""

from __future__ import annotations

import datetime

import pytest

from supervisione.demo.sessions import ROME, in_progress_slot

T = datetime.time
DAY = datetime.date(2027, 3, 10)


def at(hour: int, minute: int, second: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(DAY, T(hour, minute, second), tzinfo=ROME)


@pytest.mark.parametrize(
    ("now", "start", "end"),
    [
        (at(10, 7), T(9, 30), T(11, 30)),  # on the quarter hour, at most 30 minutes before
        (at(10, 0), T(9, 30), T(11, 30)),
        (at(0, 10), T(0, 0), T(2, 0)),  # not before midnight
        (at(22, 50), T(22, 15), T(23, 59)),  # not after midnight
        (at(23, 58, 59), T(23, 15), T(23, 59)),
    ],
)
def test_it_places_the_session_around_now_within_the_day(now: datetime.datetime, start: T, end: T) -> None:
    assert in_progress_slot(now) == (DAY, start, end)
    slot_start = datetime.datetime.combine(DAY, start, tzinfo=ROME)
    assert slot_start <= now < datetime.datetime.combine(DAY, end, tzinfo=ROME)


def test_it_uses_the_time_in_rome_whatever_the_clock_zone() -> None:
    utc = datetime.datetime(2027, 3, 9, 23, 30, tzinfo=datetime.UTC)  # 00:30 of the 10th in Rome
    assert in_progress_slot(utc) == (DAY, T(0, 0), T(2, 0))


def test_it_has_no_session_in_the_last_minute_of_the_day() -> None:
    assert in_progress_slot(at(23, 59, 30)) is None
