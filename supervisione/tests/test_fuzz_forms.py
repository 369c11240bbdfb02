"""Every form of every page, as every persona, posted with hostile values: no answer is a server error, and
when the input is refused (an error status, or the form again with its errors) nothing has been written.

The pages and their objects come from the URL matrix (``supervisione/testing/url_samples.py``): each persona
opens each page, and each form the page shows (``method="post"``) is posted with ``supervisione.testing.fuzz``'s
values. The first persona that sees a form (the most privileged: it reaches the save) posts every field hostile
at once and then one field at a time with the others valid; every other persona, whether it sees the form or
not, posts one all-at-once variant (those without the form must be refused). Writes are the INSERT, UPDATE
and DELETE statements a request ran, the session and the login throttling aside. Each request is rolled back.

The totals (forms, posts, 500s) are printed at the end of the run (``conftest.pytest_terminal_summary``).
"""

from __future__ import annotations

from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from supervisione.accounts.models import User
from supervisione.testing import fuzz
from supervisione.testing.login import log_in
from supervisione.testing.url_samples import SAMPLES, Access
from supervisione.testing.world import PERSONAS, World

ANONYMOUS = "anonymous"
STRANGERS = {"outsider", "nobody"}


PAGE = """
<form method="get" action="/cerca/"><input name="q"></form>
<form method="post" action="/salva/?next=/x/">
  <input type="hidden" name="csrfmiddlewaretoken" value="t">
  <input type="hidden" name="version" value="3">
  <input name="title" value="Titolo"> <input type="email" name="email"> <input type="date" name="day">
  <input name="locked" value="x" disabled>
  <select name="kind">
    <option value="">--</option><option value="a">A</option><option value="b" selected>B</option>
  </select>
  <input type="checkbox" name="places" value="7" checked><input type="checkbox" name="places" value="8">
  <textarea name="notes">riga</textarea>
  <button type="submit" name="action" value="save">Salva</button>
</form>
<form method="post" action="/esci/">
  <input type="hidden" name="csrfmiddlewaretoken" value="t"><button>Esci</button>
</form>
"""


def test_the_fuzzer_reads_the_forms_as_a_browser_and_varies_each_field() -> None:
    (form,) = fuzz.post_forms(PAGE, "http://testserver/pagina/")  # GET forms and forms without fields: none
    assert fuzz.path_of(form.action) == "/salva/?next=/x/"
    assert form.names == ("day", "email", "kind", "notes", "places", "title", "version")
    assert form.browser_data() == {
        "version": ["3"],
        "title": ["Titolo"],
        "email": ["prova@example.it"],
        "day": ["2026-03-02"],
        "kind": ["b"],
        "places": ["7"],
        "notes": ["riga"],
        "action": ["save"],
    }
    assert form.families() == {
        "version": "number",
        "title": "text",
        "email": "text",
        "day": "date",
        "kind": "choice",
        "places": "check",
        "notes": "text",
    }
    rounds = fuzz.all_at_once(form)
    assert len(rounds) == fuzz.ROUNDS
    assert rounds[0][1]["title"] == [fuzz.HOSTILE_TEXT]
    assert rounds[1][1]["notes"] == [fuzz.LONG]
    assert rounds[0][1]["action"] == ["save"]
    single = dict(fuzz.one_at_a_time(form))
    assert single["day = '9999-12-31'"]["day"] == ["9999-12-31"]
    assert single["day = '9999-12-31'"]["title"] == ["Titolo"]


def test_the_fuzzer_tells_a_refusal_and_sees_writes_but_not_the_session(world: World) -> None:
    assert fuzz.refused(403, "")
    assert fuzz.refused(200, '<div class="alert alert-danger error-summary">')
    assert not fuzz.refused(200, "<p>Salvato.</p>")
    assert not fuzz.refused(302, "")
    with fuzz.capture() as queries:
        User.objects.filter(pk=world.nobody.pk).update(first_name="Nessuno")
        Client().get("/accedi/")
    assert len(fuzz.writes(queries)) == 1


class Poster:
    """A persona's client; every request is undone afterwards and finds the client as it was."""

    def __init__(self, world: World, persona: str) -> None:
        self.client = Client(raise_request_exception=True)
        if persona != ANONYMOUS:
            log_in(self.client, world.user(persona))
        self.cookies = SimpleCookie(self.client.cookies.output(header="", sep=";"))

    def send(self, method: str, path: str, data: dict[str, list[str]] | None = None) -> tuple[int, str, str, list[str]]:
        """(status, content type, text, writes), or status 500 with the exception as text."""
        savepoint = transaction.savepoint()
        try:
            with fuzz.capture() as queries:
                try:
                    response = self.client.post(path, data or {}) if method == "post" else self.client.get(path)
                except Exception as error:
                    return 500, "", f"{type(error).__name__}: {str(error)[:300]}", []
                body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]  # streaming: a FileResponse
            return (
                response.status_code,
                response.get("Content-Type", ""),
                body.decode(errors="replace"),
                fuzz.writes(queries),
            )
        finally:
            transaction.savepoint_rollback(savepoint)
            self.client.cookies = SimpleCookie(self.cookies.output(header="", sep=";"))


class Posters(dict[str, Poster]):
    """A persona's poster, logged in the first time it is needed."""

    def __init__(self, world: World) -> None:
        super().__init__()
        self.world = world

    def __missing__(self, persona: str) -> Poster:
        self[persona] = Poster(self.world, persona)
        return self[persona]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_no_hostile_form_post_answers_500_or_writes_when_refused(
    world: World, settings: Any, tmp_path: Path, record_property: Any, name: str
) -> None:
    settings.MEDIA_ROOT = tmp_path
    sample = SAMPLES[name]
    url = reverse(name, kwargs=sample.arguments(world))
    personas = [persona for persona, _role, _where in PERSONAS]
    if sample.access is Access.PUBLIC:
        personas.insert(0, ANONYMOUS)
    # Who can open the page at all, by its kind (the URL matrix asserts it): an administrators' page is 403 for
    # everyone else, a Poggiardo page 404 for the outsider and users without roles. They still post to it below.
    if sample.access is Access.ADMIN:
        viewers = ["admin"]
    elif sample.access is Access.TENANT:
        viewers = [persona for persona in personas if persona not in STRANGERS]
    else:
        viewers = personas
    # The national observer holds the same role as the regional one, over more ATS: the same forms.
    viewers = [persona for persona in viewers if persona != "national_observer"]
    posters = Posters(world)
    # Each distinct form (where it posts, which fields) and the personas that see it, most privileged first.
    forms: dict[tuple[str, tuple[str, ...]], tuple[fuzz.Form, list[str]]] = {}
    failures: list[str] = []
    for persona in viewers:
        status, content_type, page, _writes = posters[persona].send("get", url)
        if status >= 500:
            failures.append(f"GET {url} as {persona}: {page}")
        found = fuzz.post_forms(page, "http://testserver" + url) if status == 200 and "html" in content_type else []
        for form in found:
            key = (fuzz.path_of(form.action), form.names)
            forms.setdefault(key, (form, []))[1].append(persona)
        if persona == "admin" and not found and ANONYMOUS not in viewers:
            # An administrator may do everything, so a page that shows them no form has none for anyone (the
            # login, which they never see, is public and asked for by the anonymous visitor). GETs are half of
            # this test's time: the other personas' answers on such pages are the URL matrix's business.
            break
    posts = errors = deep = 0
    for (action, _names), (form, seen_by) in forms.items():
        # Those who see the form: the first posts it hostile in every way, the others once; and one persona that
        # does not see it, which must be refused.
        stranger = next((persona for persona in ("outsider", "observer", "nobody") if persona not in seen_by), None)
        sends = [(seen_by[0], variant) for variant in fuzz.all_at_once(form)]
        sends += [(persona, fuzz.all_at_once(form)[0]) for persona in [*seen_by[1:], *([stranger] if stranger else [])]]
        # One field at a time only where the form as the browser sends it is taken: otherwise every post stops
        # at the same refusal as the all-at-once ones.
        status, _type, page, _writes = posters[seen_by[0]].send("post", action, form.browser_data())
        posts += 1
        if status >= 500:
            errors += 1
            failures.append(f"POST {action} ({name}) as {seen_by[0]}, as a browser would: answered {status} {page}")
        elif not fuzz.refused(status, page):
            deep += 1
            sends += [(seen_by[0], variant) for variant in fuzz.one_at_a_time(form)]
        for persona, (label, data) in sends:
            posts += 1
            status, _type, page, writes = posters[persona].send("post", action, data)
            where = f"POST {action} ({name}) as {persona}, {label}"
            if status >= 500:
                errors += 1
                failures.append(f"{where}: answered {status} {page if status == 500 else ''}")
            elif fuzz.refused(status, page) and writes:
                failures.append(f"{where}: refused ({status}) but wrote {writes}")
            elif persona not in seen_by and status < 400 and writes:
                failures.append(f"{where}: a persona without the form wrote {writes}")
    record_property("fuzz_forms", len(forms))
    record_property("fuzz_posts", posts)
    record_property("fuzz_deep", deep)
    record_property("fuzz_500", errors)
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures[:40])
