"""Every URL pattern of the project, as every persona and as an anonymous user, by GET and (for the personas
that matter most) by POST, and with a query string full of junk.

The samples and what each kind of page must answer are in ``supervisione/testing/url_samples.py``: a pattern
without a sample fails here, so that no page escapes the matrix. Beyond the kind of each page, every answer
must be free of server errors, carry the security headers, never show the outsider, a user without roles or
an anonymous visitor anything of the Poggiardo partnership's ATS, and never show them or an observer the name
of a person.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from supervisione.audit.models import AuditEntry
from supervisione.testing import fuzz
from supervisione.testing.login import log_in
from supervisione.testing.url_samples import PERSON, SAMPLES, Access, Sample
from supervisione.testing.world import PERSONAS, World

LOGIN_URL = "/accedi/"
ANONYMOUS = "anonymous"
# Whatever a query string may carry: filters and pages of the wrong type, a NUL byte (which PostgreSQL refuses
# in text), markup, an impossible date, an outside address to be sent to.
JUNK_QUERY = (
    "?q=%00%27%22%3Cb%3E&page=-1&al=31%2F02%2F2023&region=abc&kind=nessuno&next=https%3A%2F%2Fesempio.invalid%2F"
)
# Every persona asks for every page (GET). POST, where writes could slip past a check, is sent by those who
# may write everything, those who may write nothing here, and those who must not even see: the other
# personas' writes are tested page by page in each app. The administrator, who reaches every view, also sends
# the junk. (Each request costs about 8 ms; the matrix grows with every URL.)
POSTING = ("admin", "observer", "supervisee", "outsider", "nobody", ANONYMOUS)
JUNK_PERSONAS = ("admin",)
# Those who must never see anything of the Poggiardo partnership.
STRANGERS = {"outsider", "nobody", ANONYMOUS}
# Those who see aggregates only, never a person's name.
OBSERVERS = {"observer", "national_observer"}
# A statement that writes to the audit log.
AUDIT_WRITE = re.compile(rf'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"{AuditEntry._meta.db_table}"', re.IGNORECASE)


def url_patterns(
    resolver: URLResolver | None = None, namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str, str]]:
    """(name with namespace, route) of every pattern the project routes."""
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern, inner, route)
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}{pattern.name}" if pattern.name else "", route)


def test_it_has_a_sample_for_every_url_pattern() -> None:
    routed = dict(url_patterns())
    unnamed = sorted(route for name, route in url_patterns() if not name)
    assert not unnamed, f"These URL patterns have no name; name them so the security matrix can test them: {unnamed}"
    missing = sorted(set(routed) - set(SAMPLES))
    assert not missing, (
        "These URL patterns have no sample in supervisione/testing/url_samples.py, so the security matrix cannot "
        "test them. Add one line each to SAMPLES, saying who may open the page (public, shared, admin or tenant) "
        "and how to fill its arguments:\n" + "\n".join(f'    "{name}": ...,  # /{routed[name]}' for name in missing)
    )
    stale = sorted(set(SAMPLES) - set(routed))
    assert not stale, f"SAMPLES names URL patterns that no longer exist; remove them: {stale}"


def poggiardo_markers(world: World) -> list[str]:
    """Names and codes of the Poggiardo partnership and of its ATS, as pages would print them."""
    ambiti = [world.poggiardo, world.maglie, world.casarano]
    markers = [world.partnership.code, world.partnership.name]
    for ambito in ambiti:
        markers += [ambito.code, ambito.name, ambito.email]
    return [marker for marker in markers if marker]


def header_problems(response: HttpResponse) -> list[str]:
    problems = []
    policy = response.headers.get("Content-Security-Policy", "")
    directives = {part.strip().split(" ", 1)[0]: part.strip() for part in policy.split(";") if part.strip()}
    script = directives.get("script-src", "")
    if not script or "unsafe-inline" in script or "unsafe-eval" in script:
        problems.append(f"Content-Security-Policy script-src is {script!r}")
    expected = {
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    problems += [
        f"{name} is {response.headers.get(name)!r}"
        for name, value in expected.items()
        if response.headers.get(name) != value
    ]
    return problems


def status_problems(sample: Sample, persona: str, method: str, response: HttpResponse) -> list[str]:
    status = response.status_code
    location = response.headers.get("Location", "")
    refused_by_method = status == 405  # a method the page does not take reveals nothing
    if status >= 500:
        return [f"answered {status}"]
    if persona == ANONYMOUS:
        if sample.access is Access.PUBLIC:
            return (
                [] if status < 400 or refused_by_method else [f"refused an anonymous user ({status}) on a public page"]
            )
        if refused_by_method or (status == 302 and location.startswith(LOGIN_URL)):
            return []
        return [f"answered {status} {location} to an anonymous user instead of sending them to the login page"]
    if persona == "admin":
        return [f"refused an administrator ({status})"] if status in (403, 404) else []
    if sample.access is Access.ADMIN and not (status == 403 or refused_by_method):
        return [f"answered {status} to a non-administrator on an administrators' page (expected 403)"]
    if sample.access is Access.TENANT and persona in STRANGERS and not (status == 404 or refused_by_method):
        return [f"answered {status} on a Poggiardo object (expected 404)"]
    return []


class Visitor:
    """A persona's client that every request finds as it was: logged in, and with nothing kept from before."""

    def __init__(self, world: World, persona: str) -> None:
        self.client = Client(raise_request_exception=True)
        if persona != ANONYMOUS:
            log_in(self.client, world.user(persona))
        self.cookies = SimpleCookie(self.client.cookies.output(header="", sep=";"))

    def request(self, method: str, url: str) -> tuple[HttpResponse, str, int]:
        """The answer, its text and the number of writes to the audit log a GET made, with whatever the request
        changed undone (a POST may save, or log the persona out). The writes are the request's statements on the
        audit table (two counts of its rows around each GET were a tenth of this test's queries)."""
        savepoint = transaction.savepoint()
        try:
            with fuzz.capture() as statements:
                response: HttpResponse = getattr(self.client, method)(url)
                # A download is read to its end, as a server would (which also closes it).
                body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]  # streaming: a FileResponse
            audited = sum(1 for query in statements.captured_queries if AUDIT_WRITE.match(query["sql"]))
            audited = audited if method == "get" else 0
        finally:
            transaction.savepoint_rollback(savepoint)
            self.client.cookies = SimpleCookie(self.cookies.output(header="", sep=";"))
        return response, body.decode(errors="replace"), audited


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_it_answers_every_url_safely_for_every_persona(world: World, settings: Any, tmp_path: Path, name: str) -> None:
    settings.MEDIA_ROOT = tmp_path  # documents made by the samples
    visitors = {persona: Visitor(world, persona) for persona, _role, _where in PERSONAS}
    visitors[ANONYMOUS] = Visitor(world, ANONYMOUS)
    markers = poggiardo_markers(world)
    failures: list[str] = []
    sample = SAMPLES[name]
    url = reverse(name, kwargs=sample.arguments(world))
    requests = [("get", persona, url) for persona in visitors]
    requests += [("post", persona, url) for persona in POSTING]
    requests += [("get", persona, url + JUNK_QUERY) for persona in JUNK_PERSONAS]
    for method, persona, address in requests:
        where = f"{method.upper()} {address} ({name}) as {persona}"
        try:
            response, page, audited = visitors[persona].request(method, address)
        except Exception as error:
            failures.append(f"{where}: raised {type(error).__name__}: {error}")
            continue
        problems = status_problems(sample, persona, method, response) + header_problems(response)
        if method == "get" and audited:
            problems.append("wrote to the audit log on a GET")
        if persona in STRANGERS:
            problems += [f"shows {marker!r} of the Poggiardo partnership" for marker in markers if marker in page]
        if (persona in STRANGERS or persona in OBSERVERS) and PERSON in page:
            problems.append(f"shows the name of a person ({PERSON})")
        failures += [f"{where}: {problem}" for problem in problems]
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)
