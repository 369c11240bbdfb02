"""Response headers that Django 5.2 does not set by itself, a cap on the size of a request, and idle sessions
kept alive without a write at every request."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from supervisione.lib import clock

# No inline scripts anywhere: every script and stylesheet is a static file served by us. Bootstrap Italia's
# JavaScript sets style attributes on elements (collapse heights, positions), hence style-src-attr; its CSS
# embeds one icon font as a data: URI.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request whose body is larger than ``MAX_REQUEST_BYTES`` before anything reads it.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count uploaded files, which it streams to a temporary
    file whatever their size; the checks of ``lib.uploads`` come only after. The front proxy should set the
    same limit (e.g. nginx ``client_max_body_size``); this keeps the application safe without one. A body
    without Content-Length is read by Django as empty, so the declared length is enough.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit: int = settings.MAX_REQUEST_BYTES
        if length > limit:
            context = {"limit_mb": limit // (1024 * 1024)}
            return render(request, "413.html", context, status=413)
        return self.get_response(request)


class SessionRefreshMiddleware:
    """Keep a logged-in session alive while it is used, writing it at most once every ``SESSION_REFRESH_SECONDS``.

    A session expires ``SESSION_COOKIE_AGE`` after it was last saved. Saving it at every request (Django's
    SESSION_SAVE_EVERY_REQUEST) cost a database write and a new cookie per page; instead, a request saves it
    only when its last save is older than the refresh interval, so that a session left idle expires between
    ``SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS`` and ``SESSION_COOKIE_AGE`` after its last request. Anonymous
    visitors get no session row from this. Listed after SessionMiddleware, which saves what this marks."""

    KEY = "_refreshed_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or SESSION_KEY not in session:
            return response
        now = int(clock.now().timestamp())
        if now - int(session.get(self.KEY, 0)) >= settings.SESSION_REFRESH_SECONDS:
            session[self.KEY] = now
        return response
