"""Importing a census spreadsheet (Allegato 2): read, check every row, plan, then write in one transaction.

The web import (``jobs.py``, in a worker) and the management command run the same steps:

1. ``TableReader``: the file (XLSX, or CSV separated by ``;`` or ``,`` in UTF-8 or Windows-1252) streams rows
   of text keyed by column, within the limits of the IMPORT_* settings (``supervisione.lib.spreadsheets``);
   headers are matched ignoring case, accents, spaces and order.
2. ``validate_rows``: each row becomes a ``ParsedRow`` or a list of ``Problem`` (row number as the
   spreadsheet shows it, column header, Italian message); ``check_across_rows`` then finds the same codice
   fiscale with different data and duplicated rows. ``check_file`` does 1 and 2 a chunk at a time, keeping
   the valid rows and a ``ProblemLog`` (the first problems, the rest counted by column).
3. ``plan_import``: what the valid rows would create, update or leave alone, from a constant number of
   queries whatever the size of the file.
4. ``apply_plan``: the writes, in bulk, inside one transaction with their audit entries.

Re-importing the same file finds every row unchanged and writes nothing.
"""

from __future__ import annotations

import bisect
import datetime
import io
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from typing import IO, Any, Literal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F

from supervisione.audit.actions import record
from supervisione.audit.models import AuditAction, AuditEntry
from supervisione.census import checks, vocabulary
from supervisione.census.models import (
    DEFAULT_EQUIPE_NAME,
    Census,
    Contract,
    Equipe,
    Person,
    Position,
    PostFunding,
    Profession,
    Service,
)
from supervisione.lib import spreadsheets
from supervisione.lib.codes import normalise_code, validate_personal_tax_code
from supervisione.lib.italian import ItalianParseError, count_text, hours_text, parse_date, parse_decimal
from supervisione.lib.spreadsheets import Kind, Limits, SpreadsheetError, open_rows
from supervisione.territory.models import AmbitoMembership, Organisation, OrganisationKind, Region

# --------------------------------------------------------------------------------------------------------
# Columns


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = True  # the column must be in the file (its cells may still be optional)


COLUMNS: tuple[Column, ...] = (
    Column("surname", "Cognome"),
    Column("name", "Nome"),
    Column("tax_code", "Codice fiscale", ("CF", "C.F.", "cod. fiscale")),
    Column("profession", "Profilo professionale", ("profilo", "qualifica", "profilo prof.")),
    Column("albo_region", "Albo regione", ("regione albo", "albo - regione")),
    Column("albo_section", "Albo sezione", ("sezione albo", "albo - sezione")),
    Column("albo_number", "Albo numero", ("numero albo", "albo - numero", "n. albo", "numero iscrizione albo")),
    Column("employer", "Ente datore di lavoro", ("datore di lavoro", "ente datore", "ente")),
    Column("service", "Servizio"),
    Column("contract", "Tipo contratto", ("contratto", "tipo di contratto")),
    Column("weekly_hours", "Ore settimanali", ("ore", "ore/settimana", "ore sett.")),
    Column("start_date", "Data inizio", ("inizio", "data di inizio")),
    Column("end_date", "Data fine", ("fine", "data di fine")),
    Column("funding", "Finanziamento posto", ("finanziamento", "finanziamento del posto")),
    Column("municipalities", "Comuni di servizio", ("comuni", "comuni serviti")),
    Column("email", "E-mail", ("email", "mail", "posta elettronica", "indirizzo e-mail")),
    # Not in the Allegato 2 layout: the name of the équipe, for positions in an équipe multidisciplinare.
    Column("equipe", "Équipe", ("nome equipe", "nome dell'équipe"), required=False),
)
HEADERS = [column.header for column in COLUMNS if column.required]
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}


def _header_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for column in COLUMNS:
        for text in (column.header, *column.aliases):
            table[vocabulary.compact(text)] = column.key
    return table


HEADER_KEYS = _header_table()
ALL_MUNICIPALITIES = {"tutti", "tuttiicomuni", "tuttiicomunidellambito", "tuttiicomunidellats"}

# --------------------------------------------------------------------------------------------------------
# Problems


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


# The file cannot be read at all (not a spreadsheet, no header, no rows, past a limit): an Italian message.
# The spreadsheet reader's own error, so that its refusals (limits, broken archives) are caught as the rest.
ImportFileError = SpreadsheetError

# The problems a report keeps, first in the sheet's order; the others are counted by column.
ERRORS_KEPT = 500


class ProblemLog:
    """Every problem of a file counted, the first ``ERRORS_KEPT`` in sheet order kept, the rest counted by column.

    A file of 50,000 wrong rows has a million problems: listing them all took gigabytes and helped no one, while
    the rows that have one must all be known (they are not imported)."""

    def __init__(self, keep: int = ERRORS_KEPT) -> None:
        self.keep = keep
        self.count = 0
        self.rows: set[int] = set()
        self.not_listed: dict[str, int] = defaultdict(int)
        self._kept: list[tuple[tuple[int, int, str], Problem]] = []

    def add(self, problem: Problem) -> None:
        self.count += 1
        self.rows.add(problem.row)
        key = _problem_key(problem)
        if len(self._kept) == self.keep and key >= self._kept[-1][0]:
            self.not_listed[problem.column] += 1
            return
        bisect.insort(self._kept, (key, problem), key=lambda item: item[0])
        if len(self._kept) > self.keep:
            _key, dropped = self._kept.pop()
            self.not_listed[dropped.column] += 1

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    @property
    def problems(self) -> list[Problem]:
        """The problems kept, in the order of the sheet (row, then column as in the layout)."""
        return [problem for _key, problem in self._kept]


_COLUMN_ORDER = {column.header: index for index, column in enumerate(COLUMNS)}


def _problem_key(problem: Problem) -> tuple[int, int, str]:
    return (problem.row, _COLUMN_ORDER.get(problem.column, len(_COLUMN_ORDER)), problem.message)


# --------------------------------------------------------------------------------------------------------
# 1. Reading

RawRow = tuple[int, dict[str, str]]
# A file with more columns that are not in the layout is listed with the first of them.
IGNORED_COLUMNS_LISTED = 20


@dataclass
class Table:
    rows: list[RawRow]
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def _map_headers(headers: Sequence[str]) -> tuple[dict[int, str], list[Problem], list[str]]:
    """Column index -> key, the problems (missing or repeated columns) and the ignored columns."""
    mapping: dict[int, str] = {}
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    ignored: list[str] = []
    for index, header in enumerate(headers):
        if not header.strip():
            continue
        key = HEADER_KEYS.get(vocabulary.compact(header))
        if key is None:
            ignored.append(header.strip())
            continue
        if key in seen:
            problems.append(Problem(1, header.strip(), f"La colonna «{COLUMN_BY_KEY[key].header}» compare due volte."))
            continue
        seen[key] = index
        mapping[index] = key
    problems.extend(
        Problem(1, column.header, f"Manca la colonna «{column.header}».")
        for column in COLUMNS
        if column.required and column.key not in seen
    )
    notices = [
        f"La colonna «{name if len(name) <= 100 else name[:100] + '…'}» non è prevista: viene ignorata."
        for name in ignored[:IGNORED_COLUMNS_LISTED]
    ]
    if len(ignored) > IGNORED_COLUMNS_LISTED:
        notices.append(f"Altre {len(ignored) - IGNORED_COLUMNS_LISTED} colonne non previste vengono ignorate.")
    return mapping, problems, notices


class TableReader:
    """A census file as it is read: the header's problems and notices at once, then the rows with data.

    Nothing but the current row is held: the file is read by ``supervisione.lib.spreadsheets`` within the
    limits of the settings (IMPORT_*), which refuses it with an ImportFileError as soon as it passes one."""

    def __init__(self, source: IO[bytes], kind: Kind, limits: Limits | None = None) -> None:
        self._reader = open_rows(source, kind, limits or Limits.from_settings(), sheet="Personale")
        self._rows = self._reader.rows()
        first = next(self._rows, None)
        if first is None or first[0] != 1 or not any(cell.strip() for cell in first[1]):
            raise ImportFileError(
                "La prima riga del file deve contenere l'intestazione delle colonne (Cognome, Nome, Codice fiscale...)."
            )
        self.mapping, self.problems, self.notices = _map_headers(first[1])
        # Below the header only the columns of the layout are read (all of them when the header is wrong: the
        # rows are only counted); only the hours can be a percentage.
        self._reader.wanted = None if self.problems else frozenset(self.mapping)
        self._reader.percent = frozenset(index for index, key in self.mapping.items() if key == "weekly_hours")
        self.count = 0

    def __iter__(self) -> Iterator[RawRow]:
        mapping = self.mapping
        for number, cells in self._rows:
            if not any(cells):
                continue
            self.count += 1
            yield number, {key: cells[index] if index < len(cells) else "" for index, key in mapping.items()}
        if not self.count:
            raise ImportFileError("Il file non contiene righe di dati sotto l'intestazione.")


def read_table(content: bytes, kind: Kind) -> Table:
    """The whole table at once (tests and small files; imports stream it with ``TableReader``)."""
    reader = TableReader(io.BytesIO(content), kind)
    return Table(rows=list(reader), problems=reader.problems, notices=reader.notices)


def guess_kind(content: bytes) -> Kind:
    return spreadsheets.guess_kind(content[:4])


# --------------------------------------------------------------------------------------------------------
# 2. Checking rows


@dataclass(slots=True)  # a region's file holds tens of thousands: slots save a third of their memory
class ParsedRow:
    """One valid row, in plain values that survive a round trip through JSON."""

    row: int
    surname: str
    name: str
    tax_code: str
    email: str
    profession: str
    albo_region_id: int | None
    albo_section: str
    albo_number: str
    employer_key: str
    employer_name: str
    service: str
    equipe_key: str
    equipe_name: str
    contract: str
    weekly_hours: str
    start_date: str
    end_date: str
    funding: str
    municipality_ids: list[int]

    def to_json(self) -> list[Any]:
        """The values in the order of the fields: a list is a fifth of a dict's memory, for 50,000 rows."""
        return [getattr(self, name) for name in _PARSED_FIELDS]

    @classmethod
    def from_json(cls, data: list[Any] | dict[str, Any]) -> ParsedRow:
        """From ``to_json``'s list (or the dict jobs saved before it)."""
        return cls(**data) if isinstance(data, dict) else cls(*data)

    @property
    def hours(self) -> Decimal:
        return Decimal(self.weekly_hours)

    @property
    def start(self) -> datetime.date | None:
        return datetime.date.fromisoformat(self.start_date) if self.start_date else None

    @property
    def end(self) -> datetime.date | None:
        return datetime.date.fromisoformat(self.end_date) if self.end_date else None

    def person_values(self) -> dict[str, Any]:
        return {
            "surname": self.surname,
            "name": self.name,
            "profession": self.profession,
            "email": self.email,
            "albo_region_id": self.albo_region_id,
            "albo_section": self.albo_section,
            "albo_number": self.albo_number,
        }


_PARSED_FIELDS = [item.name for item in fields(ParsedRow)]


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


def validate_row(number: int, values: dict[str, str], lookups: Lookups) -> tuple[ParsedRow | None, list[Problem]]:
    problems: list[Problem] = []

    def problem(key: str, message: str) -> None:
        problems.append(Problem(number, COLUMN_BY_KEY[key].header, message))

    def text(key: str, *, required: bool = False, max_length: int = 100) -> str:
        value = values.get(key, "").strip()
        if required and not value:
            problem(key, f"«{COLUMN_BY_KEY[key].header}» è obbligatorio.")
        elif len(value) > max_length:
            problem(key, f"«{COLUMN_BY_KEY[key].header}» ha al massimo {max_length} caratteri.")
            return ""
        return value

    surname = text("surname", required=True)
    name = text("name", required=True)

    tax_code = normalise_code(text("tax_code", required=True, max_length=40))
    if tax_code:
        try:
            validate_personal_tax_code(tax_code)
        except ValidationError as error:
            problem("tax_code", " ".join(error.messages))
            tax_code = ""

    profession = ""
    if raw := text("profession", required=True):
        profession = vocabulary.read_profession(raw) or ""
        if not profession:
            problem(
                "profession",
                f"«{raw}» non è un profilo professionale riconosciuto. Valori accettati: {_accepted(Profession)}.",
            )

    region_id: int | None = None
    if raw := text("albo_region"):
        region_id = lookups.regions.get(vocabulary.compact(raw))
        if region_id is None:
            problem("albo_region", f"«{raw}» non è una regione italiana (es. Puglia, Veneto).")
    section = ""
    if raw := text("albo_section"):
        section = vocabulary.read_section(raw) or ""
        if not section:
            problem("albo_section", f"La sezione dell'Albo è A o B, non «{raw}».")
    albo_number = text("albo_number", max_length=20)
    if profession:
        # A region or section that was written but not understood already has its own message.
        raw_region, raw_section = values.get("albo_region", "").strip(), values.get("albo_section", "").strip()
        given_columns = {p.column for p in problems}
        for key, message in checks.albo_problems(
            profession,
            region=region_id if region_id is not None else (raw_region or None),
            section=section or raw_section,
            number=albo_number,
        ).items():
            if COLUMN_BY_KEY[key].header not in given_columns:
                problem(key, message)

    employer_name = text("employer", required=True, max_length=250)

    service = ""
    if raw := text("service", required=True):
        service = vocabulary.read_service(raw) or ""
        if not service:
            problem("service", f"«{raw}» non è un servizio riconosciuto. Valori accettati: {_accepted(Service)}.")
    equipe_name = text("equipe", max_length=120)
    if service and (equipe_message := checks.equipe_problem(service, equipe_name)):
        problem("equipe", equipe_message)
    if service == Service.EQUIPE and not equipe_name:
        equipe_name = DEFAULT_EQUIPE_NAME

    contract = ""
    if raw := text("contract", required=True):
        contract = vocabulary.read_contract(raw) or ""
        if not contract:
            problem(
                "contract",
                f"«{raw}» non è un tipo di contratto riconosciuto (es. T.I., T.D.). Valori accettati: "
                f"{_accepted(Contract)}.",
            )

    hours: Decimal | None = None
    if raw := text("weekly_hours", required=True):
        try:
            hours = parse_hours(raw, lookups.full_time_hours)
        except (ItalianParseError, InvalidOperation) as error:
            problem("weekly_hours", str(error))
        else:
            if hours_message := checks.hours_problem(hours):
                problem("weekly_hours", hours_message)
                hours = None

    dates: dict[str, datetime.date | None] = {"start_date": None, "end_date": None}
    for key in dates:
        if raw := text(key):
            try:
                dates[key] = parse_date(raw)
            except ItalianParseError as error:
                problem(key, str(error))
    if dates_message := checks.dates_problem(dates["start_date"], dates["end_date"]):
        problem("end_date", dates_message)

    funding = ""
    if raw := text("funding"):
        funding = vocabulary.read_funding(raw) or ""
        if not funding:
            problem(
                "funding",
                f"«{raw}» non è un finanziamento riconosciuto. Valori accettati: {_accepted(PostFunding)}.",
            )

    municipality_ids: set[int] = set()
    if raw := text("municipalities", max_length=4000):
        if vocabulary.compact(raw) in ALL_MUNICIPALITIES:
            municipality_ids = set(lookups.municipalities.values())
        else:
            for part in raw.split(","):
                if not part.strip():
                    continue
                found = lookups.municipalities.get(vocabulary.compact(part))
                if found is None:
                    problem("municipalities", f"«{part.strip()}» non è un comune dell'ATS {lookups.ambito_code}.")
                else:
                    municipality_ids.add(found)

    email = text("email", max_length=254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problem("email", f"«{email}» non è un indirizzo e-mail valido.")
            email = ""

    if problems:
        return None, problems
    assert hours is not None  # noqa: S101  (no problem means the hours were read)
    start, end = dates["start_date"], dates["end_date"]
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
        ),
        [],
    )


def validate_rows(rows: Iterable[RawRow], lookups: Lookups) -> tuple[list[ParsedRow], list[Problem]]:
    parsed: list[ParsedRow] = []
    problems: list[Problem] = []
    for number, values in rows:
        row, row_problems = validate_row(number, values, lookups)
        if row is not None:
            parsed.append(row)
        problems.extend(row_problems)
    return parsed, problems


_PERSON_FIELD_LABELS = {
    "surname": "cognome",
    "name": "nome",
    "profession": "profilo",
    "email": "e-mail",
    "albo_region_id": "regione dell'Albo",
    "albo_section": "sezione dell'Albo",
    "albo_number": "numero dell'Albo",
}


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
            for key, label in _PERSON_FIELD_LABELS.items()
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


# --------------------------------------------------------------------------------------------------------
# 3. Planning

RowAction = Literal["created", "updated", "unchanged"]


@dataclass(frozen=True)
class RowOutcome:
    row: int
    action: RowAction
    person: str
    detail: str


def guess_organisation_kind(name: str) -> str:
    """The kind of a new employer from its name: it decides whether its AS count for c.797."""
    words = f" {vocabulary.normalise(name)} "
    if " comune " in words or words.startswith(" comune"):
        return OrganisationKind.COMUNE
    if any(word in words for word in (" asl ", " asp ", " asst ", " ulss ", " azienda sanitaria ", " ausl ")):
        return OrganisationKind.ASL
    if any(
        word in words
        for word in (" consorzio ", " unione ", " ambito ", " ats ", " azienda speciale ", " comunita montana ")
    ):
        return OrganisationKind.ATS
    if any(word in words for word in (" cooperativa ", " coop ", " onlus ", " impresa sociale ", " ets ", " scs ")):
        return OrganisationKind.COOPERATIVE
    return OrganisationKind.OTHER


@dataclass
class Plan:
    census: Census
    rows: list[ParsedRow]
    outcomes: list[RowOutcome] = field(default_factory=list)
    new_organisations: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (name, kind)
    new_equipes: dict[str, str] = field(default_factory=dict)  # key -> name
    new_people: dict[str, Person] = field(default_factory=dict)  # tax code -> unsaved person
    changed_people: dict[str, tuple[Person, list[str]]] = field(default_factory=dict)
    new_positions: list[tuple[ParsedRow, Position, Person]] = field(default_factory=list)
    changed_positions: list[tuple[ParsedRow, Position, list[str], bool]] = field(default_factory=list)
    not_in_file: int = 0
    # Values before the change, for the audit log: ("person", tax code) or ("position", pk) -> {field: value}.
    old_values: dict[tuple[str, Any], dict[str, Any]] = field(default_factory=dict)

    def count(self, action: RowAction) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)


_POSITION_LABELS = {
    "contract": "contratto",
    "weekly_hours": "ore",
    "funding": "finanziamento",
    "start_date": "data di inizio",
    "end_date": "data di fine",
    "equipe_id": "équipe",
}


def _chunks(items: Sequence[str], size: int = 2000) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def plan_import(census: Census, rows: Sequence[ParsedRow]) -> Plan:
    """Compare the valid rows with what is stored: about six queries whatever the number of rows."""
    plan = Plan(census=census, rows=list(rows))
    codes = sorted({row.tax_code for row in rows})
    people: dict[str, Person] = {}
    for chunk in _chunks(codes):
        people.update({person.tax_code: person for person in Person.objects.filter(tax_code__in=chunk)})
    organisations = {
        vocabulary.compact(name): pk for pk, name in Organisation.objects.values_list("pk", "name").order_by("-pk")
    }
    equipes = {vocabulary.compact(e.name): e.pk for e in Equipe.objects.filter(ambito_id=census.ambito_id)}
    positions: dict[tuple[int, int, str], Position] = {}
    municipalities: dict[int, set[int]] = defaultdict(set)
    for position in Position.objects.filter(census=census):
        positions[(position.person_id, position.employer_id, position.service)] = position
    through = Position.municipalities.through
    for position_id, municipality_id in through.objects.filter(position__census=census).values_list(
        "position_id", "municipality_id"
    ):
        municipalities[position_id].add(municipality_id)
    matched: set[int] = set()

    for row in rows:
        employer_id = organisations.get(row.employer_key)
        if employer_id is None and row.employer_key not in plan.new_organisations:
            plan.new_organisations[row.employer_key] = (row.employer_name, guess_organisation_kind(row.employer_name))
        equipe_id = equipes.get(row.equipe_key) if row.equipe_key else None
        if row.equipe_key and equipe_id is None:
            plan.new_equipes.setdefault(row.equipe_key, row.equipe_name)

        person = people.get(row.tax_code) or plan.new_people.get(row.tax_code)
        person_changed: list[str] = []
        if person is None:
            person = Person(tax_code=row.tax_code, **row.person_values())
            plan.new_people[row.tax_code] = person
        elif person.pk is not None and row.tax_code not in plan.changed_people:
            for key, value in row.person_values().items():
                # An empty e-mail or Albo cell does not erase what another ATS (or a form) recorded.
                if value in ("", None) and key in {"email", "albo_region_id", "albo_section", "albo_number"}:
                    continue
                if getattr(person, key) != value:
                    plan.old_values.setdefault(("person", row.tax_code), {})[key] = getattr(person, key)
                    setattr(person, key, value)
                    person_changed.append(key)
            if person_changed:
                plan.changed_people[row.tax_code] = (person, person_changed)

        values = {
            "contract": row.contract,
            "weekly_hours": row.hours,
            "funding": row.funding,
            "start_date": row.start,
            "end_date": row.end,
            "equipe_id": equipe_id,
        }
        existing = (
            positions.get((person.pk, employer_id, row.service)) if person.pk and employer_id is not None else None
        )
        if existing is None:
            position = Position(census=census, service=row.service, **values)
            if employer_id is not None:
                position.employer_id = employer_id
            plan.new_positions.append((row, position, person))
            plan.outcomes.append(RowOutcome(row.row, "created", f"{row.surname} {row.name}", ""))
            continue
        matched.add(existing.pk)
        changed = [key for key, value in values.items() if getattr(existing, key) != value]
        if changed:
            plan.old_values[("position", existing.pk)] = {key: getattr(existing, key) for key in changed}
        for key in changed:
            setattr(existing, key, values[key])
        if row.equipe_key and equipe_id is None:
            changed.append("equipe_id")
        municipalities_changed = municipalities.get(existing.pk, set()) != set(row.municipality_ids)
        labels = [_POSITION_LABELS[key] for key in changed]
        if municipalities_changed:
            labels.append("comuni di servizio")
        labels += [_PERSON_FIELD_LABELS[key] for key in person_changed]
        if changed or municipalities_changed:
            plan.changed_positions.append((row, existing, changed, municipalities_changed))
        action: RowAction = "updated" if labels else "unchanged"
        plan.outcomes.append(RowOutcome(row.row, action, f"{row.surname} {row.name}", ", ".join(labels)))
    plan.not_in_file = len({p.pk for p in positions.values()} - matched)
    return plan


# --------------------------------------------------------------------------------------------------------
# 4. Writing


@dataclass(frozen=True)
class ApplyResult:
    created: int
    updated: int
    unchanged: int
    organisations_created: int
    people_created: int


Progress = Callable[[str], None]
BATCH_SIZE = 500


def _no_progress(_message: str) -> None:
    return None


def apply_plan(plan: Plan, *, by: Any, filename: str, progress: Progress = _no_progress) -> ApplyResult:
    """Write the plan in one transaction: bulk inserts and updates, and their audit entries.

    ``progress`` hears how far the writing is (people, then positions in batches): a large file takes a while,
    and whoever waits sees it move. Until the transaction commits at the end nothing of it is visible, so an
    import stopped at any point (even killed) leaves the census as it was."""
    census = plan.census
    with transaction.atomic():
        organisation_ids = {
            vocabulary.compact(name): pk for pk, name in Organisation.objects.values_list("pk", "name").order_by("-pk")
        }
        created_organisations = Organisation.objects.bulk_create(
            [Organisation(name=name, kind=kind) for name, kind in plan.new_organisations.values()]
        )
        for organisation in created_organisations:
            organisation_ids[vocabulary.compact(organisation.name)] = organisation.pk
        equipe_ids = {vocabulary.compact(e.name): e.pk for e in Equipe.objects.filter(ambito_id=census.ambito_id)}
        for equipe in Equipe.objects.bulk_create(
            [Equipe(ambito_id=census.ambito_id, name=name) for name in plan.new_equipes.values()]
        ):
            equipe_ids[vocabulary.compact(equipe.name)] = equipe.pk

        Person.objects.bulk_create(list(plan.new_people.values()), batch_size=BATCH_SIZE)
        changed_people = list(plan.changed_people.values())
        person_fields = sorted({name for _person, names in changed_people for name in names})
        if changed_people:
            Person.objects.bulk_update(
                [person for person, _names in changed_people], person_fields, batch_size=BATCH_SIZE
            )
        progress(
            f"Persone scritte: {count_text(len(plan.new_people))} nuove, {count_text(len(changed_people))} aggiornate."
        )
        new_positions: list[Position] = []
        for row, position, person in plan.new_positions:
            position.person_id = person.pk
            if row.employer_key in plan.new_organisations:
                position.employer_id = organisation_ids[row.employer_key]
            position.equipe_id = equipe_ids[row.equipe_key] if row.equipe_key else None
            new_positions.append(position)
        for start in range(0, len(new_positions), BATCH_SIZE):
            Position.objects.bulk_create(new_positions[start : start + BATCH_SIZE])
            written = min(start + BATCH_SIZE, len(new_positions))
            progress(f"Posizioni nuove scritte: {count_text(written)} di {count_text(len(new_positions))}.")

        changed_positions = plan.changed_positions
        for row, position, _changed, _municipalities in changed_positions:
            if row.equipe_key:
                position.equipe_id = equipe_ids[row.equipe_key]
        position_fields = sorted({name for _r, _p, names, _m in changed_positions for name in names})
        if position_fields:
            Position.objects.bulk_update(
                [position for _r, position, names, _m in changed_positions if names],
                position_fields,
                batch_size=BATCH_SIZE,
            )
            progress(f"Posizioni aggiornate: {count_text(len(changed_positions))}.")
        # An edit page of these positions opened before the import is now outdated: its save is refused
        # (audit.actions.save_audited) rather than putting back what the file changed.
        touched = [position.pk for _r, position, _names, _m in changed_positions]
        for start in range(0, len(touched), 2000):
            Position.objects.filter(pk__in=touched[start : start + 2000]).update(lock_version=F("lock_version") + 1)

        through = Position.municipalities.through
        reset = [position.pk for _r, position, _names, municipalities in changed_positions if municipalities]
        for start in range(0, len(reset), 2000):
            through.objects.filter(position_id__in=reset[start : start + 2000]).delete()
        # Made a batch at a time: a region's file has a hundred thousand links, 40 MB as objects at once.
        links = itertools.chain(
            (
                through(position_id=position.pk, municipality_id=municipality_id)
                for row, position, _person in plan.new_positions
                for municipality_id in row.municipality_ids
            ),
            (
                through(position_id=position.pk, municipality_id=municipality_id)
                for row, position, _names, municipalities in changed_positions
                if municipalities
                for municipality_id in row.municipality_ids
            ),
        )
        while batch := list(itertools.islice(links, 1000)):
            through.objects.bulk_create(batch)

        progress("Comuni di servizio scritti; ora il registro delle modifiche.")
        _audit_rows(plan, by=by, filename=filename)
        result = ApplyResult(
            created=plan.count("created"),
            updated=plan.count("updated"),
            unchanged=plan.count("unchanged"),
            organisations_created=len(created_organisations),
            people_created=len(plan.new_people),
        )
        if result.created or result.updated:
            record(
                census,
                by=by,
                action=AuditAction.ACTION,
                message=(
                    f"Importato il file «{filename}»: {result.created} posizioni create, {result.updated} aggiornate, "
                    f"{result.unchanged} invariate; {result.people_created} persone e "
                    f"{result.organisations_created} enti nuovi"
                ),
                code="census.census.imported",
                ambito_id=census.ambito_id,
                partnership_id=census.campaign.partnership_id,
            )
    return result


def _audit_rows(plan: Plan, *, by: Any, filename: str) -> None:
    """One audit entry per person and position the import changed, with old and new values, written in bulk.

    What the import created is recorded once, on the census ("Importato il file ...: N posizioni create"):
    an entry per created row would double the time of a large first import and say nothing more.
    """
    if not plan.changed_people and not plan.changed_positions:
        return
    user = by if getattr(by, "is_authenticated", False) else None
    username = user.get_username() if user is not None else "sistema"
    person_type = ContentType.objects.get_for_model(Person)
    position_type = ContentType.objects.get_for_model(Position)
    regions = dict(Region.objects.values_list("pk", "name"))
    equipes = dict(Equipe.objects.filter(ambito_id=plan.census.ambito_id).values_list("pk", "name"))
    source = f"Importazione del file «{filename}»"[:250]

    def text(name: str, value: Any) -> str:
        if value is None or value == "":
            return ""
        if name == "albo_region_id":
            return str(regions.get(value, value))
        if name == "equipe_id":
            return str(equipes.get(value, value))
        if isinstance(value, Decimal):
            return hours_text(value)
        if isinstance(value, datetime.date):
            return f"{value:%d/%m/%Y}"
        choices = {**dict(Profession.choices), **dict(Contract.choices), **dict(PostFunding.choices)}
        return str(choices.get(value, value))

    def entry(instance: Person | Position, content_type: ContentType, changes: dict[str, Any]) -> AuditEntry:
        return AuditEntry(
            user=user,
            username=username,
            action=AuditAction.UPDATE,
            content_type=content_type,
            object_id=str(instance.pk),
            object_repr=str(instance)[:250] if isinstance(instance, Person) else f"Posizione {instance.pk}",
            changes=changes,
            message=source,
            code=f"census.{content_type.model}.imported",
            ambito_id=plan.census.ambito_id,
            partnership_id=plan.census.campaign.partnership_id,
        )

    entries = []
    for code, (person, names) in plan.changed_people.items():
        old = plan.old_values.get(("person", code), {})
        entries.append(
            entry(
                person,
                person_type,
                {
                    name: {
                        "label": _PERSON_FIELD_LABELS[name],
                        "old": text(name, old.get(name)),
                        "new": text(name, getattr(person, name)),
                    }
                    for name in names
                },
            )
        )
    for _row, position, names, municipalities in plan.changed_positions:
        old = plan.old_values.get(("position", position.pk), {})
        changes = {
            name: {
                "label": _POSITION_LABELS[name],
                "old": text(name, old.get(name)),
                "new": text(name, getattr(position, name)),
            }
            for name in names
        }
        if municipalities:
            changes["municipalities"] = {"label": "comuni di servizio", "old": "", "new": "aggiornati dal file"}
        entries.append(entry(position, position_type, changes))
    AuditEntry.objects.bulk_create(entries, batch_size=1000)


# --------------------------------------------------------------------------------------------------------
# In one go (management command, benchmark)


@dataclass
class ImportReport:
    rows: int
    valid: int
    created: int
    updated: int
    unchanged: int
    errors: list[Problem]
    notices: list[str]
    written: bool
    not_in_file: int = 0
    new_organisations: list[tuple[str, str]] = field(default_factory=list)
    # Problems beyond the ERRORS_KEPT listed in ``errors``, counted by column.
    errors_not_listed: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        report = {
            "rows": self.rows,
            "valid": self.valid,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [problem.as_dict() for problem in self.errors],
        }
        if self.errors_not_listed:
            report["errors_not_listed"] = self.errors_not_listed
        return report


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=_problem_key)


# Rows checked between two reports of progress (and, on the web, two saves of it).
CHUNK_ROWS = 2500


@dataclass
class CheckedFile:
    """A file read and checked: its valid rows, and its problems (kept and counted)."""

    rows: int
    valid: list[ParsedRow]
    problems: ProblemLog
    notices: list[str]


def _no_count(_rows: int) -> None:
    return None


def check_file(
    census: Census,
    source: IO[bytes],
    *,
    full_time_hours: Decimal,
    limits: Limits | None = None,
    progress: Callable[[int], None] = _no_count,
) -> CheckedFile:
    """Read and check the file row by row, holding only the valid rows; ``progress`` hears every CHUNK_ROWS.

    Raises ImportFileError when the file cannot be read or passes a limit (IMPORT_* settings)."""
    source.seek(0)
    table = TableReader(source, guess_kind(source.read(4)), limits)
    log = ProblemLog()
    log.extend(table.problems)
    parsed: list[ParsedRow] = []
    rows = iter(table)
    if table.problems:
        # Without the right columns no row can be read: stop at the header (the rows are only counted).
        for _row in rows:
            pass
    else:
        lookups = Lookups.for_census(census, full_time_hours)
        while chunk := list(itertools.islice(rows, CHUNK_ROWS)):
            valid, problems = validate_rows(chunk, lookups)
            parsed += valid
            log.extend(problems)
            if len(chunk) == CHUNK_ROWS:
                progress(table.count)
        log.extend(check_across_rows(parsed))
    return CheckedFile(
        rows=table.count,
        valid=[row for row in parsed if row.row not in log.rows],
        problems=log,
        notices=table.notices,
    )


def run_import(
    census: Census,
    content: bytes | IO[bytes],
    *,
    filename: str,
    full_time_hours: Decimal,
    by: Any,
    dry_run: bool = False,
    only_valid: bool = False,
    progress: Progress = _no_progress,
) -> ImportReport:
    """Read, check, plan and (unless it is a dry run or the file has errors) write, as the command does."""
    source = io.BytesIO(content) if isinstance(content, bytes) else content
    checked = check_file(
        census,
        source,
        full_time_hours=full_time_hours,
        progress=lambda rows: progress(f"Righe lette e controllate: {count_text(rows)}."),
    )
    progress(f"File letto: {count_text(checked.rows)} righe.")
    valid = checked.valid
    progress(f"Righe controllate: {count_text(checked.rows)}, valide {count_text(len(valid))}.")
    plan = plan_import(census, valid)
    has_errors = bool(checked.problems.count)
    write = not dry_run and (not has_errors or only_valid) and bool(valid)
    if write:
        apply_plan(plan, by=by, filename=filename, progress=progress)
    return ImportReport(
        rows=checked.rows,
        valid=len(valid),
        created=plan.count("created"),
        updated=plan.count("updated"),
        unchanged=plan.count("unchanged"),
        errors=checked.problems.problems,
        notices=checked.notices,
        written=write,
        not_in_file=plan.not_in_file,
        new_organisations=list(plan.new_organisations.values()),
        errors_not_listed=dict(checked.problems.not_listed),
    )
