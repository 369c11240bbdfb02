"""The one place the product reads the clock.

Every "today" and "now" of the product, the demo and the commands comes from here, so that what a page shows
depends on the day only through these functions: the demo computes its present from ``today()``, and a test that
needs a date freezes the clock with time-machine (which these functions, like the rest of Python, obey).
Reading the clock anywhere else is refused by ruff (``banned-api`` in pyproject.toml).
"""

from __future__ import annotations

import datetime

from django.utils import timezone


def now() -> datetime.datetime:
    """The current instant, aware (UTC)."""
    return timezone.now()


def localnow() -> datetime.datetime:
    """The current instant in the local time zone (Europe/Rome), for what is printed on documents."""
    return timezone.localtime(timezone.now())


def today() -> datetime.date:
    """Today's date in the local time zone (Europe/Rome): the day deadlines, plans and dashboards refer to."""
    return timezone.localdate(timezone.now())
