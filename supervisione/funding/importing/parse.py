"""Stage 2, parsing: each row of text becomes a ``ParsedRow``, or its problems in Italian; an act given twice in
the file is refused."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from supervisione.funding.importing.columns import COLUMN_BY_KEY, STAGE_KEYS, compact
from supervisione.funding.importing.problems import RowProblem
from supervisione.funding.importing.read import Table
from supervisione.funding.importing.rows import ParsedRow
from supervisione.funding.models import Stage
from supervisione.lib.codes import normalise_code
from supervisione.lib.italian import ItalianParseError, euro_text, parse_date, parse_decimal
from supervisione.territory.models import Ambito

FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)
LARGEST_AMOUNT = Decimal("9999999999.99")


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
