"""The address login throttling (django-axes) counts failures against.

Behind a reverse proxy every request comes from the proxy's address: failures would then be counted per user
name alone, and anyone could lock any user out. With ``TRUSTED_PROXY_COUNT`` set to the number of proxies in
front of the application, the client's address is read from X-Forwarded-For, from the right, skipping the
entries those proxies wrote; entries further left were written by the client and are never trusted.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


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
