"""iCalendar (RFC 5545) feeds of sessions, built with the ``icalendar`` package.

One VEVENT per session, identified by a UID that never changes; ``SEQUENCE`` grows with every change of time
or place, and a cancelled session stays in the feed with ``STATUS:CANCELLED`` so that calendar clients remove
it. Times are in Europe/Rome with the VTIMEZONE the standard requires; ``DTSTAMP`` is the last change, in UTC.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import icalendar

ROME = ZoneInfo("Europe/Rome")
PRODID = "-//Supervisione//Calendario degli incontri di supervisione//IT"
UID_DOMAIN = "supervisione"


@dataclass(frozen=True)
class FeedEvent:
    uid: str
    sequence: int
    start: datetime.datetime
    end: datetime.datetime
    summary: str
    stamp: datetime.datetime
    cancelled: bool = False
    location: str = ""
    description: str = ""
    url: str = ""


def session_uid(pk: int) -> str:
    return f"incontro-{pk}@{UID_DOMAIN}"


def build_calendar(name: str, events: Iterable[FeedEvent]) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Rome")
    for item in events:
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("sequence", item.sequence)
        event.add("dtstamp", item.stamp.astimezone(datetime.UTC))
        event.add("last-modified", item.stamp.astimezone(datetime.UTC))
        event.add("dtstart", item.start.astimezone(ROME))
        event.add("dtend", item.end.astimezone(ROME))
        event.add("summary", item.summary)
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        event.add("transp", "TRANSPARENT" if item.cancelled else "OPAQUE")
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
