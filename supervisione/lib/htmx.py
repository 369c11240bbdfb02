"""Answers to htmx requests (the pages that poll a background job's progress)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect


def reload_at(request: HttpRequest, url: str) -> HttpResponse | HttpResponseRedirect:
    """The polled part is done: htmx loads the whole page at ``url`` (204 with ``HX-Redirect``); a plain request is
    redirected there."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)
