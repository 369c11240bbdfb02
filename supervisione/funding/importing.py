"""Importing an ATS's commitments, liquidations and payments from the accounting software's export.

The file (XLSX, or CSV separated by ``;`` or ``,``) has a row per act, with the columns of ``COLUMNS`` (headers
matched ignoring case, accents, spaces and order; other columns are ignored and listed). The import:

1. ``read_rows``: the file within limits (``lib.spreadsheets``: size, cells, time; at most ``MAX_ROWS`` acts);
2. ``parse_rows``: each row's cells, or a problem in Italian with its row number and column;
3. ``plan_import``: each act against the ATS's ledger, read in a fixed number of queries: its allocation (by
   the FNPS year it covers, or its parent's), its contract (by CIG; a commitment without CIG takes the one
   contract of the ATS without CIG, and says so), the act it executes (by number, in the ledger or in the file),
   and whether it is new, changed or already recorded (by stage and act number: importing the same file again
   changes nothing); then the ledger as the import would leave it is checked by ``funding.ledger`` (the same
   refusals as the forms);
4. ``actions.import_ledger``: the writes, only if no row has a problem, in one transaction.

Between the preview and the confirmation the rows travel in the page, signed by the server (``sign_rows``,
``unsign_rows``: bound to the ATS and the user, valid for an hour); the confirmation plans them again on the
ledger as it is then.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.core import signing

from supervisione.funding import ledger
from supervisione.funding.models import FnpsAllocation, LedgerEntry, Stage
from supervisione.funding.queries import contracts_of
from supervisione.lib.codes import normalise_code
from supervisione.lib.italian import ItalianParseError, euro_text, parse_date, parse_decimal
from supervisione.lib.spreadsheets.limits import Limits, SpreadsheetError, thousands
from supervisione.lib.spreadsheets.reading import guess_kind, open_rows
from supervisione.procurement.models import Contract
from supervisione.territory.models import Ambito

MAX_ROWS = 2000  # an ATS records a few dozen acts a year
FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)
LARGEST_AMOUNT = Decimal("9999999999.99")
SIGNED_FOR_SECONDS = 3600
SHEET = "Atti"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    help: str
    aliases: tuple[str, ...] = ()


COLUMNS = (
    Column(
        "ambito",
        "Codice ATS",
        required=True,
        help="Il codice ministeriale dell'ATS, ad esempio PUG_CASARANO.",
        aliases=("ats",),
    ),
    Column(
        "stage",
        "Fase",
        required=True,
        help="impegno, liquidazione o mandato.",
        aliases=("tipo", "tipo atto", "fase contabile"),
    ),
    Column(
        "act",
        "Numero atto",
        required=True,
        help="Il numero della determina di impegno, dell'atto di liquidazione o del mandato (con l'anno se la "
        "numerazione riparte ogni anno, ad esempio 45/2025).",
        aliases=("numero", "n. atto", "numero documento"),
    ),
    Column("date", "Data", required=True, help="La data dell'atto, gg/mm/aaaa.", aliases=("data atto",)),
    Column(
        "amount",
        "Importo",
        required=True,
        help="In euro, ad esempio 1.234,56.",
        aliases=("importo euro", "importo (eur)"),
    ),
    Column(
        "cig",
        "CIG",
        required=False,
        help="Il CIG del contratto. Per un impegno: vuoto solo se l'ATS ha un unico contratto senza CIG (ad esempio "
        "una co-progettazione). Per liquidazioni e mandati, se indicato, deve essere quello dell'impegno.",
        aliases=("cig contratto",),
    ),
    Column(
        "year",
        "Annualità FNPS",
        required=False,
        help="Per un impegno: un anno coperto dallo stanziamento FNPS che impegna (2023 o 2024 per uno "
        "stanziamento 2023-2024). Per liquidazioni e mandati si ricava dall'impegno.",
        aliases=("annualita", "anno fnps", "anno"),
    ),
    Column(
        "parent",
        "Atto di riferimento",
        required=False,
        help="Per una liquidazione il numero dell'impegno che liquida; per un mandato il numero della liquidazione "
        "che paga. Vuoto per un impegno.",
        aliases=("riferimento", "atto riferimento", "atto collegato"),
    ),
    Column("note", "Note", required=False, help="Facoltative.", aliases=("descrizione", "causale")),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
STAGE_WORDS = {
    Stage.COMMITTED: ("impegno", "impegnato", "determina di impegno", "impegno di spesa"),
    Stage.LIQUIDATED: ("liquidazione", "liquidato", "atto di liquidazione"),
    Stage.PAID: ("mandato", "pagato", "pagamento", "mandato di pagamento"),
}
ORDER = {Stage.COMMITTED: 0, Stage.LIQUIDATED: 1, Stage.PAID: 2}


def compact(text: str) -> str:
    """Lower case, without accents, spaces or punctuation: ``"Annualità FNPS"`` -> ``"annualitafnps"``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if char.isalnum())


HEADER_KEYS = {compact(name): column.key for column in COLUMNS for name in (column.header, *column.aliases)}
STAGE_KEYS = {compact(word): stage for stage, words in STAGE_WORDS.items() for word in words}


@dataclass(frozen=True)
class RowProblem:
    row: int  # as the spreadsheet shows it; 0: the file as a whole
    column: str
    message: str


class ImportFileError(Exception):
    """The file cannot be read as a ledger export: an Italian sentence that says why."""


# --- 1. Reading ------------------------------------------------------------------------------------------------


@dataclass
class Table:
    rows: list[tuple[int, dict[str, str]]]
    columns: frozenset[str]
    notices: list[str] = field(default_factory=list)


def read_rows(content: bytes) -> Table:
    """The file's rows as text keyed by column; ``ImportFileError`` if it cannot be read, has no header or no row,
    lacks a required column or passes a limit."""
    limits = dataclasses.replace(Limits.from_settings(), rows=MAX_ROWS + 1)
    try:
        reader = open_rows(io.BytesIO(content), guess_kind(content[:4]), limits, sheet=SHEET)
        rows = reader.rows()
        first = next(rows, None)
        if first is None or first[0] != 1 or not any(cell.strip() for cell in first[1]):
            raise ImportFileError(
                "La prima riga del file deve contenere l'intestazione delle colonne (Codice ATS, Fase, Numero atto, "
                "Data, Importo...): scarica il modello per vederle."
            )
        mapping, notices = _map_headers(first[1])
        reader.wanted = frozenset(mapping)
        found: list[tuple[int, dict[str, str]]] = []
        for number, cells in rows:
            if not any(cells):
                continue
            if len(found) >= MAX_ROWS:
                raise ImportFileError(
                    f"Il file ha più di {thousands(MAX_ROWS)} atti, il massimo per un'importazione: dividilo in più "
                    "file (per esempio uno per anno) e importali uno dopo l'altro. Gli atti già importati restano."
                )
            found.append((number, {key: cells[index] if index < len(cells) else "" for index, key in mapping.items()}))
    except SpreadsheetError as error:
        raise ImportFileError(str(error)) from None
    if not found:
        raise ImportFileError("Il file non contiene righe di dati sotto l'intestazione.")
    return Table(found, frozenset(mapping.values()), notices)


def _map_headers(headers: Sequence[str]) -> tuple[dict[int, str], list[str]]:
    mapping: dict[int, str] = {}
    seen: set[str] = set()
    problems: list[str] = []
    ignored: list[str] = []
    for index, header in enumerate(headers):
        if not header.strip():
            continue
        key = HEADER_KEYS.get(compact(header))
        if key is None:
            ignored.append(header.strip()[:100])
            continue
        if key in seen:
            problems.append(f"La colonna «{COLUMN_BY_KEY[key].header}» compare due volte.")
            continue
        seen.add(key)
        mapping[index] = key
    problems += [
        f"Manca la colonna «{column.header}»." for column in COLUMNS if column.required and column.key not in seen
    ]
    if problems:
        raise ImportFileError(" ".join(problems) + " Scarica il modello per vedere le colonne previste.")
    notices = [f"La colonna «{name}» non è prevista: viene ignorata." for name in ignored[:20]]
    if len(ignored) > 20:
        notices.append(f"Altre {len(ignored) - 20} colonne non previste vengono ignorate.")
    return mapping, notices


# --- 2. Parsing ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedRow:
    """One act of the file, its cells read (what the confirmation carries, signed)."""

    row: int
    stage: str
    act: str
    day: datetime.date
    amount: Decimal
    cig: str = ""
    year: int | None = None
    parent: str = ""
    note: str = ""

    @property
    def stage_label(self) -> str:
        return str(Stage(self.stage).label)

    def as_data(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "stage": self.stage,
            "act": self.act,
            "day": self.day.isoformat(),
            "amount": str(self.amount),
            "cig": self.cig,
            "year": self.year,
            "parent": self.parent,
            "note": self.note,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> ParsedRow:
        return cls(
            row=int(data["row"]),
            stage=str(data["stage"]),
            act=str(data["act"]),
            day=datetime.date.fromisoformat(data["day"]),
            amount=Decimal(data["amount"]),
            cig=str(data["cig"]),
            year=None if data["year"] is None else int(data["year"]),
            parent=str(data["parent"]),
            note=str(data["note"]),
        )


def _text(value: str) -> str:
    return " ".join(value.split())


def parse_rows(table: Table, ambito: Ambito) -> tuple[list[ParsedRow], list[RowProblem]]:
    parsed: list[ParsedRow] = []
    problems: list[RowProblem] = []
    seen: dict[tuple[str, str], int] = {}
    for number, cells in table.rows:
        row, found = _parse_row(number, cells, ambito)
        problems += found
        if row is None:
            continue
        earlier = seen.get((row.stage, row.act))
        if earlier is not None:
            problems.append(
                RowProblem(
                    number,
                    "Numero atto",
                    f"{row.stage_label.capitalize()} n. {row.act} compare già alla riga {earlier}: un atto si "
                    "indica una volta sola.",
                )
            )
            continue
        seen[row.stage, row.act] = number
        parsed.append(row)
    return parsed, problems


def _parse_row(number: int, cells: dict[str, str], ambito: Ambito) -> tuple[ParsedRow | None, list[RowProblem]]:
    problems: list[RowProblem] = []

    def problem(key: str, message: str) -> None:
        problems.append(RowProblem(number, COLUMN_BY_KEY[key].header, message))

    code = _text(cells.get("ambito", ""))
    if not code:
        problem("ambito", "Manca il codice dell'ATS.")
    elif code.upper() != ambito.code.upper():
        problem(
            "ambito",
            f"La riga è dell'ATS «{code[:30]}»: qui si importano solo gli atti di {ambito.name} ({ambito.code}).",
        )
    stage_text = _text(cells.get("stage", ""))
    stage = STAGE_KEYS.get(compact(stage_text))
    if stage is None:
        if compact(stage_text) in {"programmazione", "programmato"}:
            problem("stage", "La programmazione viene dal POA: registrala dalla pagina dei fondi, non da questo file.")
        else:
            problem("stage", f"«{stage_text[:40]}» non è una fase: scrivi impegno, liquidazione o mandato.")
    act = _text(cells.get("act", ""))
    if not act:
        problem("act", "Manca il numero dell'atto.")
    elif len(act) > 100:
        problem("act", "Il numero dell'atto è più lungo di 100 caratteri.")
    day = _parse_day(cells.get("date", ""), problem)
    amount = _parse_amount(cells.get("amount", ""), problem)
    cig = normalise_code(_text(cells.get("cig", "")))
    if len(cig) > 10:
        problem("cig", f"«{cig[:20]}» non è un CIG: ha 10 caratteri.")
    year: int | None = None
    year_text = _text(cells.get("year", ""))
    if year_text:
        if year_text.isdigit() and 2000 <= int(year_text) <= 2100:
            year = int(year_text)
        else:
            problem("year", f"«{year_text[:20]}» non è un anno (ad esempio 2024).")
    elif stage == Stage.COMMITTED:
        problem("year", "Per un impegno indica l'annualità FNPS dello stanziamento che impegna.")
    parent = _text(cells.get("parent", ""))
    if stage == Stage.LIQUIDATED and not parent:
        problem("parent", "Indica il numero dell'impegno che la liquidazione esegue.")
    if stage == Stage.PAID and not parent:
        problem("parent", "Indica il numero della liquidazione che il mandato paga.")
    if stage == Stage.COMMITTED and parent:
        problem("parent", "Un impegno non si riferisce ad altri atti: lascia vuoto «Atto di riferimento».")
    note = " ".join(cells.get("note", "").split())[:2000]
    if problems or stage is None or day is None or amount is None:
        return None, problems
    return ParsedRow(number, stage, act, day, amount, cig, year, parent, note), []


def _parse_day(text: str, problem: Any) -> datetime.date | None:
    try:
        day = parse_date(text)
    except ItalianParseError as error:
        problem("date", str(error))
        return None
    if not FIRST_DAY <= day <= LAST_DAY:
        problem("date", f"La data {day:%d/%m/%Y} non è plausibile per un atto: controlla l'anno.")
        return None
    return day


def _parse_amount(text: str, problem: Any) -> Decimal | None:
    try:
        amount = parse_decimal(text)
    except ItalianParseError as error:
        problem("amount", str(error))
        return None
    if not amount.is_finite() or amount <= 0:
        problem("amount", "L'importo deve essere maggiore di zero.")
        return None
    if amount > LARGEST_AMOUNT:
        problem("amount", f"L'importo {euro_text(amount)} è troppo grande per un atto.")
        return None
    if amount != amount.quantize(Decimal("0.01")):
        problem("amount", f"«{text[:30]}» ha più di due decimali: gli importi sono in euro e centesimi.")
        return None
    return amount.quantize(Decimal("0.01"))


# --- 3. Planning ----------------------------------------------------------------------------------------------


Action = Literal["create", "update", "unchanged"]


@dataclass
class PlannedRow:
    row: ParsedRow
    action: Action
    allocation: FnpsAllocation
    contract: Contract | None
    existing: LedgerEntry | None = None
    parent_key: ledger.Key | None = None  # the act it executes: its key, or ("row", n) if new in the file
    parent_name: str = ""
    changes: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def key(self) -> ledger.Key:
        return self.existing.pk if self.existing is not None else ("row", self.row.row)


@dataclass
class ImportPlan:
    rows: list[PlannedRow]
    problems: list[RowProblem]
    notices: list[str] = field(default_factory=list)

    def count(self, action: Action) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def changes_anything(self) -> bool:
        return bool(self.created or self.updated)


@dataclass
class _Known:
    """The ATS's ledger as read for the plan (a fixed number of queries)."""

    allocations: list[FnpsAllocation]
    entries: dict[tuple[str, str], LedgerEntry]
    all_entries: list[LedgerEntry]
    contracts: list[Contract]

    @classmethod
    def read(cls, ambito: Ambito) -> _Known:
        allocations = list(FnpsAllocation.objects.filter(ambito=ambito).order_by("first_year"))
        entries = list(
            LedgerEntry.objects.filter(ambito=ambito).select_related("contract", "allocation").order_by("pk")
        )
        return cls(
            allocations,
            {(entry.stage, entry.act_number): entry for entry in entries if entry.act_number},
            entries,
            list(contracts_of(ambito)),
        )

    def allocation_for(self, year: int) -> FnpsAllocation | None:
        return next((a for a in self.allocations if a.first_year <= year <= a.last_year), None)


def plan_import(ambito: Ambito, rows: Sequence[ParsedRow]) -> ImportPlan:
    """What the rows would write, and every problem, checked on the ledger as the import would leave it."""
    known = _Known.read(ambito)
    planned: dict[tuple[str, str], PlannedRow] = {}
    problems: list[RowProblem] = []
    notices: list[str] = []
    for row in sorted(rows, key=lambda item: (ORDER[Stage(item.stage)], item.row)):
        found, row_problems = _plan_row(row, known, planned)
        problems += row_problems
        if found is not None:
            planned[row.stage, row.act] = found
    result = ImportPlan(sorted(planned.values(), key=lambda item: item.row.row), problems, notices)
    if not problems:
        problems += _ledger_problems(known, result.rows)
    result.problems = sorted(problems, key=lambda problem: (problem.row, problem.column))
    return result


def _plan_row(
    row: ParsedRow, known: _Known, planned: dict[tuple[str, str], PlannedRow]
) -> tuple[PlannedRow | None, list[RowProblem]]:
    problems: list[RowProblem] = []

    def problem(key: str, message: str) -> None:
        problems.append(RowProblem(row.row, COLUMN_BY_KEY[key].header, message))

    stage = Stage(row.stage)
    parent_key: ledger.Key | None = None
    parent_name = ""
    allocation: FnpsAllocation | None = None
    contract: Contract | None = None
    notices: list[str] = []
    if stage == Stage.COMMITTED:
        assert row.year is not None  # noqa: S101  (parse_rows requires it)
        allocation = known.allocation_for(row.year)
        if allocation is None:
            problem("year", f"L'ATS non ha uno stanziamento FNPS che copra il {row.year}: registralo prima.")
        contract, message = _contract(row, known)
        if message:
            problem("cig", message)
        elif contract is not None and not row.cig:
            notices.append(f"senza CIG: l'unico contratto dell'ATS senza CIG, «{contract.title}»")
    else:
        parent_stage = Stage.COMMITTED if stage == Stage.LIQUIDATED else Stage.LIQUIDATED
        # The act it executes: a row of the file (new, changed or as recorded), else one already recorded.
        parent_row = planned.get((parent_stage, row.parent))
        parent = known.entries.get((parent_stage, row.parent))
        if parent_row is not None:
            allocation, contract, parent_key = parent_row.allocation, parent_row.contract, parent_row.key
        elif parent is not None:
            allocation, contract, parent_key = parent.allocation, parent.contract, parent.pk
        if parent_key is None:
            what = "nessun impegno" if parent_stage == Stage.COMMITTED else "nessuna liquidazione"
            problem("parent", f"L'ATS non ha {what} n. {row.parent[:40]}, né registrato né in questo file.")
        elif allocation is not None:
            parent_name = f"{Stage(parent_stage).label} n. {row.parent}"
            if row.year is not None and not allocation.first_year <= row.year <= allocation.last_year:
                problem(
                    "year",
                    f"L'atto di riferimento è dello stanziamento FNPS {allocation.years_text}, non del {row.year}.",
                )
            if row.cig and contract is not None and contract.cig != row.cig:
                problem("cig", f"Il CIG {row.cig} non è quello del contratto dell'atto di riferimento.")
    if problems or allocation is None:
        return None, problems
    existing = known.entries.get((stage, row.act))
    result = PlannedRow(
        row,
        "create",
        allocation,
        contract,
        existing=existing,
        parent_key=parent_key,
        parent_name=parent_name,
        notices=notices,
    )
    if existing is not None:
        problems += _compare(result, existing)
        result.action = "update" if result.changes else "unchanged"
    return (None, problems) if problems else (result, [])


def _contract(row: ParsedRow, known: _Known) -> tuple[Contract | None, str]:
    if row.cig:
        matches = [contract for contract in known.contracts if contract.cig == row.cig]
        if not matches:
            return None, f"Nessun contratto dell'ATS o dei suoi partenariati ha il CIG {row.cig}."
        if len(matches) > 1:
            return None, f"Più contratti dell'ATS hanno il CIG {row.cig}: correggi i contratti."
        return matches[0], ""
    without = [contract for contract in known.contracts if not contract.cig]
    if len(without) == 1:
        return without[0], ""
    if not without:
        return None, "Indica il CIG del contratto che l'impegno paga."
    return None, (
        f"Indica il CIG: l'ATS ha {len(without)} contratti senza CIG e non si può scegliere quale paga l'impegno."
    )


def _compare(planned: PlannedRow, existing: LedgerEntry) -> list[RowProblem]:
    """An act already recorded: what the file changes of it (amount, date, contract, note), or why it cannot."""
    row = planned.row
    name = f"{row.stage_label.capitalize()} n. {row.act}"
    if existing.allocation_id != planned.allocation.pk:
        return [
            RowProblem(
                row.row,
                COLUMN_BY_KEY["year"].header,
                f"{name} è già registrato su un altro stanziamento FNPS: correggilo dalla pagina dei fondi.",
            )
        ]
    if existing.parent_id != planned.parent_key:
        return [
            RowProblem(
                row.row,
                COLUMN_BY_KEY["parent"].header,
                f"{name} è già registrato con un altro atto di riferimento: correggilo dalla pagina dei fondi.",
            )
        ]
    if existing.amount != row.amount:
        planned.changes.append(f"importo {euro_text(existing.amount)} → {euro_text(row.amount)}")
    if existing.date != row.day:
        planned.changes.append(f"data {existing.date:%d/%m/%Y} → {row.day:%d/%m/%Y}")
    if planned.contract is not None and existing.contract_id != planned.contract.pk:
        planned.changes.append(f"contratto «{existing.contract}» → «{planned.contract}»")
    if row.note and existing.note != row.note:
        planned.changes.append("note")
    return []


def _ledger_problems(known: _Known, rows: Sequence[PlannedRow]) -> list[RowProblem]:
    """The ledger as the import would leave it, checked by ``funding.ledger``: each problem on the row it
    concerns, or on the file (row 0) when it is a sum over several."""
    allocations = [allocation.as_ledger() for allocation in known.allocations]
    before = [entry.as_ledger() for entry in known.all_entries]
    by_row = {row.row.row: row for row in rows}
    changed = [
        ledger.Entry(
            row.key,
            row.allocation.pk,
            row.row.stage,
            row.row.amount,
            row.row.day,
            row.row.act,
            row.parent_key,
        )
        for row in rows
        if row.action != "unchanged"
    ]
    found = ledger.new_problem_list((allocations, before), (allocations, ledger.replace(before, changed)))
    keys_to_rows = {row.key: number for number, row in by_row.items()}
    changed_rows = [(number, row) for number, row in by_row.items() if row.action != "unchanged"]

    def row_of(problem: ledger.Problem) -> int:
        """The row a problem is about: the act itself, or the one row of the file that adds to a sum (several
        rows, or acts already recorded: the file as a whole)."""
        rule, key = problem.subject
        if key in keys_to_rows:
            return keys_to_rows[key]
        adding = [
            number
            for number, row in changed_rows
            if (rule in (ledger.PROGRAMMED, ledger.COMMITTED) and row.row.stage == rule and row.allocation.pk == key)
            or (rule in (ledger.LIQUIDATED, ledger.PAID) and row.row.stage == rule and row.parent_key == key)
        ]
        return adding[0] if len(adding) == 1 else 0

    columns = {"date": "date", "reference": "parent", "allocation": "year"}
    return [
        RowProblem(
            row_of(problem), COLUMN_BY_KEY[columns.get(str(problem.subject[0]), "amount")].header, problem.message
        )
        for problem in dict.fromkeys(found)
    ]


# --- The rows between the preview and the confirmation --------------------------------------------------------


def _salt(ambito: Ambito, user_id: int) -> str:
    return f"supervisione.funding.import:{ambito.pk}:{user_id}"


def sign_rows(rows: Iterable[ParsedRow], file_name: str, ambito: Ambito, user_id: int) -> str:
    payload = {"file": file_name, "rows": [row.as_data() for row in rows]}
    return signing.dumps(payload, salt=_salt(ambito, user_id), compress=True)


def unsign_rows(token: str, ambito: Ambito, user_id: int) -> tuple[list[ParsedRow], str]:
    """The rows of the preview, or ``ImportFileError`` if the page was changed or is too old."""
    try:
        payload = signing.loads(token, salt=_salt(ambito, user_id), max_age=SIGNED_FOR_SECONDS)
        return [ParsedRow.from_data(data) for data in payload["rows"]], str(payload["file"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, ArithmeticError):
        raise ImportFileError(
            "La conferma non corrisponde all'anteprima (pagina scaduta dopo un'ora, o modificata): carica di nuovo "
            "il file."
        ) from None
