"""Stage 2, checking: each row of text becomes a ``ParsedRow`` or its problems, then the rows are compared.

``validate_row`` reads the cells in the order of the layout, one step per column (or per group of columns
checked together: the Albo, the service and its équipe, the dates); each step records its problems on the
row's ``_Cells`` and returns what it read, empty when the cell was wrong.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from supervisione.census import checks, vocabulary
from supervisione.census.importing.columns import COLUMN_BY_KEY
from supervisione.census.importing.problems import Problem
from supervisione.census.importing.read import RawRow
from supervisione.census.importing.rows import PERSON_FIELD_LABELS, ParsedRow
from supervisione.census.models import DEFAULT_EQUIPE_NAME, Census, Contract, PostFunding, Profession, Service
from supervisione.lib.codes import normalise_code, validate_personal_tax_code
from supervisione.lib.italian import ItalianParseError, parse_date, parse_decimal
from supervisione.territory.models import AmbitoMembership, Organisation, Region

# What a "Comuni di servizio" cell may say for every municipality of the ATS (compacted).
ALL_MUNICIPALITIES = {"tutti", "tuttiicomuni", "tuttiicomunidellambito", "tuttiicomunidellats"}


@dataclass
class Lookups:
    """What rows are checked against: loaded once per file (or per chunk), a few queries in all."""

    ambito_code: str
    full_time_hours: Decimal
    regions: dict[str, int]
    organisations: dict[str, int]
    municipalities: dict[str, int]

    @classmethod
    def for_census(cls, census: Census, full_time_hours: Decimal) -> Lookups:
        regions: dict[str, int] = {}
        for region in Region.objects.all():
            for text in (region.name, region.name.split("/")[0], region.ministry_prefix, region.istat_code):
                regions[vocabulary.compact(text)] = region.pk
        organisations: dict[str, int] = {}
        for pk, name in Organisation.objects.values_list("pk", "name").order_by("pk"):
            organisations.setdefault(vocabulary.compact(name), pk)
        municipalities: dict[str, int] = {}
        for membership in AmbitoMembership.objects.filter(ambito_id=census.ambito_id).select_related("municipality"):
            municipalities[vocabulary.compact(membership.municipality.name)] = membership.municipality_id
        return cls(
            ambito_code=census.ambito.code,
            full_time_hours=full_time_hours,
            regions=regions,
            organisations=organisations,
            municipalities=municipalities,
        )


def _accepted(choices: Any) -> str:
    return vocabulary.labels(choices)


def parse_hours(text: str, full_time_hours: Decimal) -> Decimal:
    """``"18"``, ``"18,5"``, ``"50%"`` (of the full time) -> hours; raises ItalianParseError."""
    cleaned = text.strip()
    if cleaned.endswith("%"):
        try:
            percent = parse_decimal(cleaned[:-1])
        except ItalianParseError:
            raise ItalianParseError(f"«{text}» non è una percentuale del tempo pieno (es. 50%).") from None
        return (percent * full_time_hours / 100).quantize(Decimal("0.01"))
    try:
        return parse_decimal(cleaned)
    except ItalianParseError:
        raise ItalianParseError(f"«{text}» non è un numero di ore (esempi validi: 18, 18,5, 50%).") from None


class _Cells:
    """The cells of one row as they are read, and the problems found in them so far."""

    def __init__(self, number: int, values: dict[str, str]) -> None:
        self.number = number
        self.values = values
        self.problems: list[Problem] = []

    def problem(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.number, COLUMN_BY_KEY[key].header, message))

    def raw(self, key: str) -> str:
        """The cell as written (stripped), not checked."""
        return self.values.get(key, "").strip()

    def text(self, key: str, *, required: bool = False, max_length: int = 100) -> str:
        """The cell's text; empty (with a problem) when it is required and missing, or too long."""
        value = self.raw(key)
        if required and not value:
            self.problem(key, f"«{COLUMN_BY_KEY[key].header}» è obbligatorio.")
        elif len(value) > max_length:
            self.problem(key, f"«{COLUMN_BY_KEY[key].header}» ha al massimo {max_length} caratteri.")
            return ""
        return value

    def choice(
        self, key: str, read: Callable[[str], str | None], wrong: Callable[[str], str], *, required: bool = False
    ) -> str:
        """A cell naming one of a field's choices (``read`` understands it); ``wrong`` says why it was not."""
        raw = self.text(key, required=required)
        if not raw:
            return ""
        value = read(raw) or ""
        if not value:
            self.problem(key, wrong(raw))
        return value


def validate_row(number: int, values: dict[str, str], lookups: Lookups) -> tuple[ParsedRow | None, list[Problem]]:
    cells = _Cells(number, values)
    surname = cells.text("surname", required=True)
    name = cells.text("name", required=True)
    tax_code = _tax_code(cells)
    profession = cells.choice(
        "profession",
        vocabulary.read_profession,
        lambda raw: f"«{raw}» non è un profilo professionale riconosciuto. Valori accettati: {_accepted(Profession)}.",
        required=True,
    )
    region_id, section, albo_number = _albo(cells, lookups, profession)
    employer_name = cells.text("employer", required=True, max_length=250)
    service, service_detail, equipe_name = _service_and_equipe(cells)
    contract = cells.choice(
        "contract",
        vocabulary.read_contract,
        lambda raw: (
            f"«{raw}» non è un tipo di contratto riconosciuto (es. T.I., T.D.). Valori accettati: "
            f"{_accepted(Contract)}."
        ),
        required=True,
    )
    hours = _weekly_hours(cells, lookups.full_time_hours)
    start, end = _dates(cells)
    funding = cells.choice(
        "funding",
        vocabulary.read_funding,
        lambda raw: f"«{raw}» non è un finanziamento riconosciuto. Valori accettati: {_accepted(PostFunding)}.",
    )
    municipality_ids = _municipalities(cells, lookups)
    email = _email(cells)
    on_behalf = _on_behalf(cells)

    if cells.problems:
        return None, cells.problems
    assert hours is not None  # noqa: S101  (no problem means the hours were read)
    return (
        ParsedRow(
            row=number,
            surname=surname,
            name=name,
            tax_code=tax_code,
            email=email.lower(),
            profession=profession,
            albo_region_id=region_id,
            albo_section=section,
            albo_number=albo_number,
            employer_key=vocabulary.compact(employer_name),
            employer_name=employer_name,
            service=service,
            equipe_key=vocabulary.compact(equipe_name) if equipe_name else "",
            equipe_name=equipe_name,
            contract=contract,
            weekly_hours=str(hours),
            start_date=start.isoformat() if start else "",
            end_date=end.isoformat() if end else "",
            funding=funding,
            municipality_ids=sorted(municipality_ids),
            on_behalf_of_ambito=on_behalf,
            service_detail=service_detail,
        ),
        [],
    )


def _tax_code(cells: _Cells) -> str:
    tax_code = normalise_code(cells.text("tax_code", required=True, max_length=40))
    if tax_code:
        try:
            validate_personal_tax_code(tax_code)
        except ValidationError as error:
            cells.problem("tax_code", " ".join(error.messages))
            return ""
    return tax_code


def _albo(cells: _Cells, lookups: Lookups, profession: str) -> tuple[int | None, str, str]:
    """Region, section and number of the Albo, and what the profession requires of them."""
    region_id: int | None = None
    if raw := cells.text("albo_region"):
        region_id = lookups.regions.get(vocabulary.compact(raw))
        if region_id is None:
            cells.problem("albo_region", f"«{raw}» non è una regione italiana (es. Puglia, Veneto).")
    section = cells.choice(
        "albo_section", vocabulary.read_section, lambda raw: f"La sezione dell'Albo è A o B, non «{raw}»."
    )
    albo_number = cells.text("albo_number", max_length=20)
    if profession:
        # A region or section that was written but not understood already has its own message.
        raw_region, raw_section = cells.raw("albo_region"), cells.raw("albo_section")
        given_columns = {p.column for p in cells.problems}
        for key, message in checks.albo_problems(
            profession,
            region=region_id if region_id is not None else (raw_region or None),
            section=section or raw_section,
            number=albo_number,
        ).items():
            if COLUMN_BY_KEY[key].header not in given_columns:
                cells.problem(key, message)
    return region_id, section, albo_number


def _service_and_equipe(cells: _Cells) -> tuple[str, str, str]:
    """The service, the text of one the vocabulary does not know (imported as "Altro", as written: ATS name their
    offices in many ways, and a name is no reason to refuse a row), and the équipe's name (only for an équipe
    multidisciplinare, which has a default one)."""
    raw = cells.text("service", required=True, max_length=120)
    service = (vocabulary.read_service(raw) or "") if raw else ""
    detail = raw if raw and not service else ""
    if detail:
        service = Service.OTHER
    equipe_name = cells.text("equipe", max_length=120)
    if service and (equipe_message := checks.equipe_problem(service, equipe_name)):
        cells.problem("equipe", equipe_message)
    if service == Service.EQUIPE and not equipe_name:
        equipe_name = DEFAULT_EQUIPE_NAME
    return service, detail, equipe_name


def _weekly_hours(cells: _Cells, full_time_hours: Decimal) -> Decimal | None:
    raw = cells.text("weekly_hours", required=True)
    if not raw:
        return None
    try:
        hours = parse_hours(raw, full_time_hours)
    except (ItalianParseError, InvalidOperation) as error:
        cells.problem("weekly_hours", str(error))
        return None
    if hours_message := checks.hours_problem(hours):
        cells.problem("weekly_hours", hours_message)
        return None
    return hours


def _dates(cells: _Cells) -> tuple[datetime.date | None, datetime.date | None]:
    dates: dict[str, datetime.date | None] = {"start_date": None, "end_date": None}
    for key in dates:
        if raw := cells.text(key):
            try:
                dates[key] = parse_date(raw)
            except ItalianParseError as error:
                cells.problem(key, str(error))
    if dates_message := checks.dates_problem(dates["start_date"], dates["end_date"]):
        cells.problem("end_date", dates_message)
    return dates["start_date"], dates["end_date"]


def _municipalities(cells: _Cells, lookups: Lookups) -> set[int]:
    raw = cells.text("municipalities", max_length=4000)
    if not raw:
        return set()
    if vocabulary.compact(raw) in ALL_MUNICIPALITIES:
        return set(lookups.municipalities.values())
    municipality_ids: set[int] = set()
    for part in raw.split(","):
        if not part.strip():
            continue
        found = lookups.municipalities.get(vocabulary.compact(part))
        if found is None:
            cells.problem("municipalities", f"«{part.strip()}» non è un comune dell'ATS {lookups.ambito_code}.")
        else:
            municipality_ids.add(found)
    return municipality_ids


def _email(cells: _Cells) -> str:
    email = cells.text("email", max_length=254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            cells.problem("email", f"«{email}» non è un indirizzo e-mail valido.")
            return ""
    return email


def _on_behalf(cells: _Cells) -> bool | None:
    """Whether another body's employee works for the ATS; None when the file has no such column."""
    if "on_behalf" not in cells.values:
        return None
    raw = cells.text("on_behalf", max_length=20)
    answer = vocabulary.read_yes_no(raw)
    if answer is None:
        cells.problem("on_behalf", f"«{raw}» non è una risposta: scrivi sì oppure no (una cella vuota vale no).")
    return answer


def validate_rows(rows: Iterable[RawRow], lookups: Lookups) -> tuple[list[ParsedRow], list[Problem]]:
    parsed: list[ParsedRow] = []
    problems: list[Problem] = []
    for number, values in rows:
        row, row_problems = validate_row(number, values, lookups)
        if row is not None:
            parsed.append(row)
        problems.extend(row_problems)
    return parsed, problems


def check_across_rows(rows: Sequence[ParsedRow]) -> list[Problem]:
    """The same person with different data in two rows, and the same position twice."""
    problems: list[Problem] = []
    by_code: dict[str, list[ParsedRow]] = defaultdict(list)
    for row in rows:
        by_code[row.tax_code].append(row)
    cf_header = COLUMN_BY_KEY["tax_code"].header
    for code, group in by_code.items():
        if len(group) < 2:
            continue
        first = group[0].person_values()
        differing = [
            label
            for key, label in PERSON_FIELD_LABELS.items()
            if any(row.person_values()[key] != first[key] for row in group[1:])
        ]
        if differing:
            numbers = ", ".join(str(row.row) for row in group)
            message = (
                f"Il codice fiscale {code} compare alle righe {numbers} con dati diversi ({', '.join(differing)}): "
                "una persona ha gli stessi dati in ogni riga."
            )
            problems.extend(Problem(row.row, cf_header, message) for row in group)
            continue
        seen: dict[tuple[str, str], int] = {}
        for row in group:
            key = (row.employer_key, row.service)
            if key in seen:
                problems.append(
                    Problem(
                        row.row,
                        cf_header,
                        f"Riga ripetuta: la stessa persona con lo stesso ente e lo stesso servizio è già alla riga "
                        f"{seen[key]}.",
                    )
                )
            else:
                seen[key] = row.row
    return problems


def drop_invalid(rows: Sequence[ParsedRow], problems: Sequence[Problem]) -> list[ParsedRow]:
    bad = {problem.row for problem in problems}
    return [row for row in rows if row.row not in bad]
