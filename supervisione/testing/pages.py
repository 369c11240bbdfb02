"""Reading a rendered page as a browser would submit it, for tests that post "what the page showed".

``form_data(page)`` returns the fields of the page's POST form with the values a browser would send if the user
pressed the submit button without touching anything: text inputs and hidden fields with their value, checked
boxes and radios, the selected options (or the first, for a single select), textareas; not the CSRF token,
which differs from page to page and which the test client does not check. Tests then change one field and post
it, exactly as two people with two copies of the same page would.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

_NOT_SENT = {"submit", "button", "reset", "file", "image"}
_CSRF = "csrfmiddlewaretoken"


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, list[str]]] = []
        self._form: dict[str, list[str]] | None = None
        self._select: tuple[str, bool] | None = None  # name, multiple
        self._options: list[tuple[str, bool]] = []  # value, selected
        self._option: dict[str, str | None] | None = None
        self._option_text = ""
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("method") or "").lower() == "post":
            self._form = {}
        if self._form is None:
            return
        name = attributes.get("name")
        if tag == "input" and name and name != _CSRF and "disabled" not in attributes:
            kind = (attributes.get("type") or "text").lower()
            if kind in _NOT_SENT:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attributes:
                return
            default = "on" if kind in {"checkbox", "radio"} else ""
            self._form.setdefault(name, []).append(attributes.get("value") or default)
        elif tag == "select" and name and "disabled" not in attributes:
            self._select, self._options = (name, "multiple" in attributes), []
        elif tag == "option" and self._select is not None:
            self._option, self._option_text = attributes, ""
        elif tag == "textarea" and name and "disabled" not in attributes:
            self._textarea, self._text = name, ""

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option_text += data
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._option is not None:
            value = self._option.get("value")
            self._options.append((self._option_text.strip() if value is None else value, "selected" in self._option))
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            self._form.setdefault(name, []).extend(chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            # Browsers drop the newline right after <textarea>, which Django writes before the value.
            text = self._text[1:] if self._text.startswith("\n") else self._text
            self._form.setdefault(self._textarea, []).append(text)
            self._textarea = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def form_data(page: str, *, having: str = "lock_version") -> dict[str, Any]:
    """The data the page's POST form containing the field ``having`` (also with a form prefix, ``user-...``)
    would send: one value, or a list."""
    parser = _FormParser()
    parser.feed(page)
    parser.close()
    found = [form for form in parser.forms if any(name == having or name.endswith(f"-{having}") for name in form)]
    if len(found) != 1:
        raise AssertionError(f"expected one POST form with a field {having!r}, found {len(found)}")
    return {name: values[0] if len(values) == 1 else values for name, values in found[0].items()}


def refusal(response: Any) -> str:
    """The text of a refusal page (403, the project's "Operazione non consentita"), for tests of what it says."""
    assert response.status_code == 403
    page: str = response.content.decode()
    assert "Operazione non consentita" in page
    return page
