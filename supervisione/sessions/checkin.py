"""Check-in by the supervisee: a short code, or a QR code with the same code, shown by the supervisor.

The code is valid from ``OPENS_BEFORE`` before the session starts until the session ends: after the end it
no longer records anything, and the supervisor completes the register by hand. Codes use an alphabet
without look-alike characters (no 0/O, 1/I/L) so that they can be read aloud and typed on a phone.
"""

from __future__ import annotations

import datetime
import hmac
import io
import secrets

import segno

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 6
OPENS_BEFORE = datetime.timedelta(minutes=30)


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str:
    """What the user typed, in capitals, without spaces or dashes ("ab3-k7q" is "AB3K7Q")."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def codes_match(stored: str, typed: str) -> bool:
    return bool(stored) and hmac.compare_digest(stored, normalise(typed))


def window(start: datetime.datetime, end: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """When check-in is open: from a little before the start until the end of the session."""
    return start - OPENS_BEFORE, end


def is_open(start: datetime.datetime, end: datetime.datetime, now: datetime.datetime) -> bool:
    opens, closes = window(start, end)
    return opens <= now <= closes


def qr_svg(url: str, *, title: str) -> str:
    """An inline SVG QR code (no script, no style attribute: it passes the Content-Security-Policy)."""
    code = segno.make(url, error="m")
    out = io.BytesIO()
    code.save(out, kind="svg", border=2, omitsize=True, xmldecl=False, svgns=True, title=title, svgclass="qr-code")
    return out.getvalue().decode()
