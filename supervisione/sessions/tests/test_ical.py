"""The iCalendar builder: RFC 5545 events that calendar clients update and cancel, parsed back."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import icalendar

from supervisione.sessions.ical import FeedEvent, build_calendar, session_uid

ROME = ZoneInfo("Europe/Rome")


def _event(**changes: Any) -> FeedEvent:
    values: dict[str, Any] = {
        "uid": session_uid(7),
        "sequence": 0,
        "start": datetime.datetime(2026, 3, 29, 9, 30, tzinfo=ROME),  # the day summer time starts
        "end": datetime.datetime(2026, 3, 29, 11, 30, tzinfo=ROME),
        "summary": "Supervisione A1 - Gruppo 1 Casarano",
        "stamp": datetime.datetime(2026, 3, 1, 8, 0, tzinfo=datetime.UTC),
        "location": "Casarano, sala consiliare",
        "url": "https://example.org/incontri/7/",
    }
    values.update(changes)
    return FeedEvent(**values)


def _events(calendar: icalendar.Calendar) -> list[icalendar.Event]:
    return [event for event in calendar.walk("VEVENT") if isinstance(event, icalendar.Event)]


def test_it_writes_a_calendar_with_uid_sequence_stamp_and_time_zone() -> None:
    parsed = icalendar.Calendar.from_ical(build_calendar("Incontri di prova", [_event()]))
    assert str(parsed["VERSION"]) == "2.0"
    assert str(parsed["PRODID"]).startswith("-//Supervisione//")
    assert [tz["TZID"] for tz in parsed.walk("VTIMEZONE")] == ["Europe/Rome"]
    (event,) = _events(parsed)
    assert event.uid == "incontro-7@supervisione"
    assert event.sequence == 0
    assert event.status == "CONFIRMED"
    assert event.stamp == datetime.datetime(2026, 3, 1, 8, 0, tzinfo=datetime.UTC)
    assert event["DTSTART"].params["TZID"] == "Europe/Rome"
    assert event.start == datetime.datetime(2026, 3, 29, 9, 30, tzinfo=ROME)
    assert isinstance(event.start, datetime.datetime)
    assert event.start.utcoffset() == datetime.timedelta(hours=2)
    assert event.end - event.start == datetime.timedelta(hours=2)
    assert event.location == "Casarano, sala consiliare"


def test_it_keeps_the_uid_and_marks_cancellations_and_changes() -> None:
    changed = _event(sequence=2, cancelled=True, stamp=datetime.datetime(2026, 3, 20, 10, 0, tzinfo=ROME))
    (event,) = _events(icalendar.Calendar.from_ical(build_calendar("x", [changed])))
    assert event.uid == "incontro-7@supervisione"
    assert event.sequence == 2
    assert event.status == "CANCELLED"
    assert event.stamp == datetime.datetime(2026, 3, 20, 9, 0, tzinfo=datetime.UTC)


def test_it_folds_long_lines_and_escapes_text() -> None:
    long = _event(description="Argomenti: " + "metodologico, emotivo; relazionale " * 10)
    raw = build_calendar("x", [long])
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    (event,) = _events(icalendar.Calendar.from_ical(raw))
    assert event.description == long.description
