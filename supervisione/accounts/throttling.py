"""Login throttling (django-axes): the address failures are counted against, and a limit per address.

Behind a reverse proxy every request comes from the proxy's address: failures would then be counted per user
name alone, and anyone could lock any user out. With ``TRUSTED_PROXY_COUNT`` set to the number of proxies in
front of the application, the client's address is read from X-Forwarded-For, from the right, skipping the
entries those proxies wrote; entries further left were written by the client and are never trusted.

django-axes locks a user name from an address (``LOGIN_FAILURE_LIMIT`` failures of that pair). Alone, that lets
one address try a few passwords on every user name without ever being locked; ``ThrottlingHandler`` adds a
limit across user names: after ``LOGIN_ADDRESS_FAILURE_LIMIT`` failures from one address within the lockout
window, every login from that address is refused until the window has passed.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

from supervisione.accounts.models import USERNAME_MAX_LENGTH


def client_address(request: HttpRequest) -> str | None:
    remote: str | None = request.META.get("REMOTE_ADDR")
    count: int = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """The user name django-axes records (``AXES_USERNAME_CALLABLE``), never longer than a user name can be:
    the login form refuses longer ones, and nothing else may grow the throttling tables with them."""
    source: Any = credentials if credentials else getattr(request, "POST", {})
    value = source.get(settings.AXES_USERNAME_FORM_FIELD)
    return None if value is None else str(value)[:USERNAME_MAX_LENGTH]


def address_failures(request: HttpRequest) -> int:
    """Failed logins from the request's address, for any user name, within the lockout window."""
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=get_cool_off_threshold(request))
    total: int | None = attempts.aggregate(total=Sum("failures_since_start"))["total"]
    return total or 0


class ThrottlingHandler(AxesDatabaseHandler):  # type: ignore[misc]  # axes is untyped: its handler is Any
    """django-axes' database handler with the limit per address: an address past it counts as locked for
    whatever user name it tries (``LOGIN_ADDRESS_FAILURE_LIMIT``, 0 turns it off)."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        failures: int = super().get_failures(request, credentials)
        limit: int = settings.LOGIN_ADDRESS_FAILURE_LIMIT
        if limit > 0 and address_failures(request) >= limit:
            return max(failures, int(get_failure_limit(request, credentials)))
        return failures
