"""Questionnaires as versioned data: the files in ``instruments/`` (README there), loaded and validated here.

An instrument file is content with its own authors and terms, outside the code; this module only reads it and
refuses a malformed one with a sentence that says what is wrong (``InstrumentError``), so that a broken file
fails at start-up (``checks.py``) instead of in front of a respondent. Pure Python, no Django.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FOLDER = Path(__file__).resolve().parent / "instruments"


class InstrumentError(ValueError):
    """An instrument file that cannot be used, and why."""


@dataclass(frozen=True)
class Option:
    label: str
    score: int


@dataclass(frozen=True)
class Item:
    key: str
    scale: str
    text: str
    options: tuple[Option, ...]
    reverse: bool = False


@dataclass(frozen=True)
class Scale:
    key: str
    title: str
    min_answered: int
    cutoff: int | None
    # The lowest and highest score an answer to the scale can give (0-100 for the CBI, 0-10 for the feedback).
    low: int
    high: int


@dataclass(frozen=True)
class Instrument:
    key: str
    version: str
    title: str
    validated: bool
    translation_note: str
    citation: str
    url: str
    authors: tuple[str, ...]
    terms: str
    scoring: str
    scales: tuple[Scale, ...]
    items: tuple[Item, ...]
    free_text: str  # the optional question, "" when the instrument has none

    @property
    def label(self) -> str:
        return self.title if self.validated else f"{self.title.removesuffix(' (non validato)')} (non validato)"

    def scale(self, key: str) -> Scale:
        return next(scale for scale in self.scales if scale.key == key)

    def items_of(self, scale: str) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.scale == scale)


def _field(data: dict[str, Any], name: str, kind: type, where: str) -> Any:
    value = data.get(name)
    if not isinstance(value, kind) or isinstance(value, bool) is not (kind is bool):
        raise InstrumentError(f"{where}: il campo «{name}» manca o non è del tipo atteso.")
    return value


def parse(data: dict[str, Any], where: str = "strumento") -> Instrument:
    """An ``Instrument`` from the decoded file, or ``InstrumentError`` saying what is wrong."""
    key = _field(data, "key", str, where)
    source = _field(data, "source", dict, where)
    option_sets: dict[str, tuple[Option, ...]] = {}
    for name, spec in _field(data, "response_scales", dict, where).items():
        rows = _field(spec, "options", list, f"{where}, risposte «{name}»")
        options = tuple(Option(str(label), int(score)) for label, score in rows)
        if len(options) < 2 or len({option.score for option in options}) != len(options):
            raise InstrumentError(
                f"{where}: le risposte «{name}» devono avere almeno due opzioni con punteggi diversi."
            )
        option_sets[name] = options
    items: list[Item] = []
    for row in _field(data, "items", list, where):
        response = row.get("response")
        if response not in option_sets:
            raise InstrumentError(f"{where}: l'item «{row.get('key')}» usa risposte «{response}» non definite.")
        items.append(
            Item(
                key=_field(row, "key", str, where),
                scale=_field(row, "scale", str, where),
                text=_field(row, "text", str, where),
                options=option_sets[response],
                reverse=bool(row.get("reverse", False)),
            )
        )
    if len({item.key for item in items}) != len(items):
        raise InstrumentError(f"{where}: due item hanno la stessa chiave.")
    scales: list[Scale] = []
    for row in _field(data, "scales", list, where):
        scale_key = _field(row, "key", str, where)
        own = [item for item in items if item.scale == scale_key]
        if not own:
            raise InstrumentError(f"{where}: la scala «{scale_key}» non ha item.")
        scores = {option.score for item in own for option in item.options}
        minimum = _field(row, "min_answered", int, where)
        if not 1 <= minimum <= len(own):
            raise InstrumentError(f"{where}: la scala «{scale_key}» chiede un numero di risposte impossibile.")
        cutoff = row.get("cutoff")
        scales.append(Scale(scale_key, _field(row, "title", str, where), minimum, cutoff, min(scores), max(scores)))
    if {item.scale for item in items} - {scale.key for scale in scales}:
        raise InstrumentError(f"{where}: un item appartiene a una scala non definita.")
    free_text = data.get("free_text")
    return Instrument(
        key=key,
        version=_field(data, "version", str, where),
        title=_field(data, "title", str, where),
        validated=_field(data, "validated", bool, where),
        translation_note=str(data.get("translation_note", "")),
        citation=_field(source, "citation", str, where),
        url=str(source.get("url", "")),
        authors=tuple(_field(data, "authors", list, where)),
        terms=_field(data, "terms", str, where),
        scoring=_field(data, "scoring", str, where),
        scales=tuple(scales),
        items=tuple(items),
        free_text=str(free_text["text"]) if isinstance(free_text, dict) else "",
    )


@functools.cache
def available() -> dict[tuple[str, str], Instrument]:
    """Every instrument file, by (key, version)."""
    found: dict[tuple[str, str], Instrument] = {}
    for path in sorted(FOLDER.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise InstrumentError(f"{path.name}: non è JSON valido ({error}).") from None
        instrument = parse(data, path.name)
        found[(instrument.key, instrument.version)] = instrument
    return found


def get(key: str, version: str) -> Instrument:
    try:
        return available()[(key, version)]
    except KeyError:
        raise InstrumentError(f"Lo strumento {key} versione {version} non è installato.") from None


def latest() -> list[Instrument]:
    """The newest version of each instrument, for the choice of a new wave."""
    newest: dict[str, Instrument] = {}
    for (key, version), instrument in sorted(available().items(), key=lambda pair: (pair[0][0], int(pair[0][1]))):
        del version
        newest[key] = instrument
    return list(newest.values())


def latest_of(key: str) -> Instrument:
    found = next((instrument for instrument in latest() if instrument.key == key), None)
    if found is None:
        raise InstrumentError(f"Lo strumento {key} non è installato.")
    return found
