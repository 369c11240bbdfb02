"""Every coloured badge the templates and views write reads at WCAG AA contrast (4.5:1) with Bootstrap Italia's colours.

Bootstrap Italia darkens Bootstrap's palette: its ``bg-warning`` is a dark amber and ``bg-info`` a slate, where
white text reads and ``text-dark`` (a dark blue) does not (about 2.4:1, issue 17.5). The colours are read from the
stylesheet the pages load (the last rule for a class wins, as in the browser), so an upgrade that changes them is
checked too; the combinations from every template and Python file under ``supervisione/``.
"""

from __future__ import annotations

import colorsys
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CSS = ROOT / "static" / "vendor" / "bootstrap-italia" / "css" / "bootstrap-italia.min.css"
WHITE = (255.0, 255.0, 255.0)
AA = 4.5
BACKGROUND = re.compile(r"\bbg-(?:primary|secondary|success|danger|warning|info|light|dark)\b")
# A class attribute of a template, or a string of a view that names classes; the branches of a template's
# {% if %} are separate combinations.
CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"|"([^"\n]*)"')
TEMPLATE_TAG = re.compile(r"{%.*?%}|{{.*?}}")


def _rgb(value: str, css: str) -> tuple[float, float, float]:
    value = value.replace("!important", "").strip()
    if value.startswith("#"):
        digits = value[1:]
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return tuple(float(int(digits[i : i + 2], 16)) for i in (0, 2, 4))  # type: ignore[return-value]  # three items
    if match := re.fullmatch(r"hsl\(([\d.]+),\s*([\d.]+)%,\s*([\d.]+)%\)", value):
        hue, saturation, lightness = (float(part) for part in match.groups())
        red, green, blue = colorsys.hls_to_rgb(hue / 360, lightness / 100, saturation / 100)
        return (red * 255, green * 255, blue * 255)
    if match := re.fullmatch(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,.*)?\)", value):
        return tuple(float(part) for part in match.groups())  # type: ignore[return-value]  # three items
    if match := re.fullmatch(r"rgba\(var\((--bs-[\w-]+)\),.*\)", value):
        return _rgb(f"rgb({_variable(match.group(1), css)})", css)
    raise ValueError(value)


def _variable(name: str, css: str) -> str:
    found: list[str] = re.findall(re.escape(name) + r":\s*([^;}]+)", css)
    return found[-1].strip()


def _last_rule(selector: str, prop: str, css: str) -> tuple[float, float, float]:
    values = re.findall(re.escape(selector) + r"\{[^}]*?\b" + prop + r":([^;}]+)", css)
    return _rgb(values[-1], css)


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: tuple[float, float, float], second: tuple[float, float, float]) -> float:
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def badge_classes() -> set[str]:
    found: set[str] = set()
    for path in [*ROOT.rglob("*.html"), *ROOT.rglob("*.py")]:
        if "vendor" in path.parts or "tests" in path.parts:
            continue
        for html, text in CLASS_ATTRIBUTE.findall(path.read_text(encoding="utf-8")):
            for branch in TEMPLATE_TAG.split(html or text):
                if BACKGROUND.search(branch):
                    classes = branch.split()
                    found.add(" ".join(sorted(name for name in classes if name.startswith(("bg-", "text-")))))
    return found


def test_the_stylesheet_colours_are_read() -> None:
    css = CSS.read_text(encoding="utf-8")
    # The dark amber of Bootstrap Italia's warning, and its dark blue text colour.
    assert contrast(_last_rule(".bg-warning", "background-color", css), WHITE) > AA
    assert contrast(_last_rule(".bg-warning", "background-color", css), _last_rule(".text-dark", "color", css)) < AA
    assert "bg-warning" in " ".join(badge_classes())


@pytest.mark.parametrize("classes", sorted(badge_classes()))
def test_every_badge_colour_reads_at_aa(classes: str) -> None:
    css = CSS.read_text(encoding="utf-8")
    names = classes.split()
    background = next(name for name in names if name.startswith("bg-"))
    texts = [name for name in names if name.startswith("text-") and name in ("text-dark", "text-white", "text-body")]
    colour = _last_rule(f".{texts[0]}", "color", css) if texts and texts[0] != "text-white" else WHITE
    if not texts and background == "bg-light":
        colour = _rgb(f"rgb({_variable('--bs-body-color-rgb', css)})", css)
    ratio = contrast(_last_rule(f".{background}", "background-color", css), colour)
    assert ratio >= AA, f"'{classes}': {ratio:.1f}:1, WCAG AA needs {AA}:1"
