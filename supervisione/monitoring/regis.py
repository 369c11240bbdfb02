"""The extract of a PNRR project (CUP) for ReGiS, the Ministry of Economy's system where PNRR projects report
(issue 16.4): the indicators with target and value achieved, the timeline, the expenses per contract, as CSV and
XLSX (``lib.exports``).

No official template of ReGiS is public for this sub-investment: every row is our reading of where the figure goes
in ReGiS (the column "Campo ReGiS") and says so (the column "Tracciato", ``MARK``); the XLSX says it in full
(``OUR_READING``) in a note above the table. ``docs/regis.md`` describes each row. The figures are those of the
final report (``pnrr_figures``), so the two always agree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment

from supervisione.lib.exports import (
    DATE_FORMAT,
    EURO_FORMAT,
    HOURS_FORMAT,
    INTEGER_FORMAT,
    NOTE_FONT,
    SUBTITLE_FONT,
    csv_bytes,
    fit_row_height,
    put,
    set_widths,
    style_header,
    workbook_bytes,
)
from supervisione.lib.italian import number_text

from .exports import csv_text
from .pnrr_figures import ProjectFigures
from .pnrr_report import MEASURE

OUR_READING = "nostra lettura del tracciato ReGiS, non un modello ufficiale: da verificare prima del caricamento"
MARK = "nostra lettura, non ufficiale"  # each row's own mark: the note above the table says it in full
WRAPPED = Alignment(wrap_text=True, vertical="top")
HEADER = ["Sezione", "Voce", "Valore", "Unità", "Riferimento", "Campo ReGiS", "Tracciato"]
Value = str | int | Decimal | datetime.date | None
FORMATS = {"int": INTEGER_FORMAT, "hours": HOURS_FORMAT, "euro": EURO_FORMAT, "date": DATE_FORMAT}


@dataclass(frozen=True)
class RegisRow:
    section: str
    item: str
    value: Value
    kind: str  # text, int, hours, euro, date
    unit: str
    reference: str
    regis_field: str


def regis_rows(data: ProjectFigures) -> list[RegisRow]:
    partnership = data.partnership
    end = data.project.end
    rows = [
        RegisRow("Anagrafica", "CUP", data.cup, "text", "", "", "Anagrafica progetto > CUP"),
        RegisRow("Anagrafica", "Misura", MEASURE, "text", "", "", "Anagrafica progetto > Misura / investimento"),
        RegisRow(
            "Anagrafica",
            "Soggetto attuatore",
            partnership.capofila.name,
            "text",
            "",
            f"capofila del partenariato {partnership.code}",
            "Anagrafica progetto > Soggetto attuatore",
        ),
        RegisRow(
            "Indicatori",
            data.target_indicator,
            data.target_value,
            "int",
            "persone",
            "valore target",
            "Indicatori di output > Valore programmato",
        ),
        RegisRow(
            "Indicatori",
            data.target_indicator,
            data.people,
            "int",
            "persone",
            "valore conseguito: presenti ad almeno un incontro con registro confermato",
            "Indicatori di output > Valore realizzato",
        ),
        RegisRow(
            "Indicatori",
            "Incontri di supervisione svolti",
            data.sessions,
            "int",
            "incontri",
            "registro confermato, fino alla fine delle attività",
            "Indicatori di progetto > Valore realizzato",
        ),
        RegisRow(
            "Indicatori",
            "Ore di supervisione erogate",
            data.delivered,
            "hours",
            "ore",
            f"su {number_text(data.planned)} ore pianificate per il progetto",
            "Indicatori di progetto > Valore realizzato",
        ),
        RegisRow("Cronoprogramma", "Avvio delle attività", data.start, "date", "", "primo contratto", "Iter > Avvio"),
        RegisRow(
            "Cronoprogramma", "Fine ordinaria delle attività", end.end, "date", "", "", "Iter > Conclusione prevista"
        ),
        RegisRow(
            "Cronoprogramma",
            "Fine in deroga",
            end.exception,
            "date",
            "",
            end.exception_act if end.exception else "nessuna deroga",
            "Iter > Proroga",
        ),
        RegisRow(
            "Cronoprogramma",
            "Chiusura del progetto",
            data.closed_on,
            "date",
            "",
            "" if data.closed_at is not None else "non ancora chiuso",
            "Iter > Conclusione effettiva",
        ),
    ]
    for line in data.money:
        contract = line.contract
        reference = f"CIG {contract.cig} · {contract.title}" if contract.cig else contract.title
        rows += [
            RegisRow(
                "Spese",
                "Importo del contratto",
                contract.amount,
                "euro",
                "EUR",
                reference,
                "Procedure di aggiudicazione > Importo aggiudicato",
            ),
            RegisRow("Spese", "Imputato al CUP", line.charged, "euro", "EUR", reference, "Quadro economico > Importo"),
            RegisRow(
                "Spese",
                "Maturato sulle ore erogate",
                line.accrued,
                "euro",
                "EUR",
                f"{reference} · {number_text(line.hours)} ore per la tariffa del contratto",
                "Spese > Importo rendicontabile",
            ),
        ]
    return rows


def regis_csv(data: ProjectFigures) -> bytes:
    return csv_bytes(
        [
            HEADER,
            *(
                [row.section, row.item, csv_text(row.value, row.kind), row.unit, row.reference, row.regis_field, MARK]
                for row in regis_rows(data)
            ),
        ]
    )


WIDTHS = (15, 30, 16, 9, 40, 36, 16)


def regis_xlsx(data: ProjectFigures) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101  (a new workbook has one sheet)
    sheet.title = "ReGiS"
    put(sheet, 1, 1, f"Estratto per ReGiS · CUP {data.cup} · {data.partnership.name}").font = SUBTITLE_FONT
    put(sheet, 2, 1, f"Tracciato: {OUR_READING}. Dettagli in docs/regis.md.").font = NOTE_FONT
    for column, header in enumerate(HEADER, start=1):
        put(sheet, 4, column, header)
    style_header(sheet, 4, len(HEADER))
    for number, row in enumerate(regis_rows(data), start=5):
        values = [row.section, row.item, row.value, row.unit, row.reference, row.regis_field, MARK]
        for column, value in enumerate(values, start=1):
            cell = put(sheet, number, column, value)
            cell.alignment = WRAPPED
            if column == 3 and row.kind in FORMATS and value is not None:
                cell.number_format = FORMATS[row.kind]
        fit_row_height(sheet, number, values, WIDTHS)
    set_widths(sheet, WIDTHS)
    sheet.freeze_panes = "A5"
    return workbook_bytes(workbook, title=f"ReGiS · CUP {data.cup}")
