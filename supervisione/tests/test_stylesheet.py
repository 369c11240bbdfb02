"""The product's stylesheet is well formed: every block it opens, it closes.

A ``@media (min-width: 992px) {`` left open swallowed every rule written after it, which then held on computers
only: phones got two arrows on every select and serif text in callouts (issue 17.5)."""

from __future__ import annotations

import re
from pathlib import Path

APP_CSS = Path(__file__).resolve().parents[1] / "static" / "css" / "app.css"
COMMENT = re.compile(r"/\*.*?\*/", re.S)
STRING = re.compile(r"\"[^\"]*\"|'[^']*'")


def test_every_block_of_app_css_is_closed() -> None:
    text = STRING.sub("", COMMENT.sub("", APP_CSS.read_text(encoding="utf-8")))
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"app.css line {number}: a '}}' closes nothing"
    assert depth == 0, f"app.css leaves {depth} block(s) open at its end"


def test_the_rules_written_last_hold_on_every_screen() -> None:
    # The select and callout fixes are at the top level, not inside a media query.
    text = COMMENT.sub("", APP_CSS.read_text(encoding="utf-8"))
    depth_at: dict[str, int] = {}
    depth = 0
    for line in text.splitlines():
        for selector in (".select-wrapper select.form-select", ".callout p"):
            if line.lstrip().startswith(selector):
                depth_at[selector] = depth
        depth += line.count("{") - line.count("}")
    assert depth_at == {".select-wrapper select.form-select": 0, ".callout p": 0}
