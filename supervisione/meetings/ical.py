"""The iCalendar invitation (RFC 5545/5546 iTIP) attached to a convocation, built with ``icalendar``.

``METHOD:REQUEST`` invites and, sent again with a higher ``SEQUENCE``, updates the event in the invitees'
calendars; ``METHOD:CANCEL`` with the same ``UID`` removes it. The UID never changes for a meeting.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import parseaddr
from zoneinfo import ZoneInfo

import icalendar

ROME = ZoneInfo("Europe/Rome")
PRODID = "-//Supervisione//Riunioni di coordinamento//IT"
REQUEST = "REQUEST"
CANCEL = "CANCEL"


@dataclass(frozen=True)
class Invitation:
    method: str  # REQUEST or CANCEL
    uid: str
    sequence: int
    start: datetime.datetime
    end: datetime.datetime
    summary: str
    stamp: datetime.datetime
    organizer: str  # "Name <address>"
    attendees: Sequence[tuple[str, str]]  # (name, e-mail)
    location: str = ""
    description: str = ""
    url: str = ""


def build_invitation(item: Invitation) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", item.method)
    event = icalendar.Event()
    event.add("uid", item.uid)
    event.add("sequence", item.sequence)
    event.add("dtstamp", item.stamp.astimezone(datetime.UTC))
    event.add("dtstart", item.start.astimezone(ROME))
    event.add("dtend", item.end.astimezone(ROME))
    event.add("summary", item.summary)
    event.add("status", "CANCELLED" if item.method == CANCEL else "CONFIRMED")
    name, address = parseaddr(item.organizer)
    organizer = icalendar.vCalAddress(f"mailto:{address}")
    if name:
        organizer.params["cn"] = icalendar.vText(name)
    event.add("organizer", organizer)
    for attendee_name, email in item.attendees:
        attendee = icalendar.vCalAddress(f"mailto:{email}")
        attendee.params["cn"] = icalendar.vText(attendee_name)
        attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = icalendar.vText("NEEDS-ACTION")
        attendee.params["rsvp"] = icalendar.vText("FALSE")
        event.add("attendee", attendee, encode=False)
    if item.location:
        event.add("location", item.location)
    if item.description:
        event.add("description", item.description)
    if item.url:
        event.add("url", item.url)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
