"""The template of the ledger import: the «Atti» sheet with the columns ``funding.importing`` reads, and an
«Istruzioni» sheet that explains each of them."""

from __future__ import annotations

from openpyxl.styles import Alignment
from openpyxl.workbook import Workbook

from supervisione.funding.importing.columns import COLUMNS, SHEET
from supervisione.funding.importing.read import MAX_ROWS
from supervisione.lib.exports import (
    DATE_FORMAT,
    EURO_FORMAT,
    LABEL_FONT,
    TITLE_FONT,
    append,
    set_widths,
    style_header,
    workbook_bytes,
)

TEMPLATE_NAME = "modello-atti-contabili-fnps.xlsx"
INTRODUCTION = [
    ("Atti contabili FNPS per la supervisione", ""),
    (
        "Come si usa",
        (
            "Una riga per atto: gli impegni, le liquidazioni e i mandati dell'ATS sugli stanziamenti FNPS per la "
            "supervisione, come li esporta il programma di contabilità. L'ordine delle colonne, le maiuscole, gli "
            "accenti e gli spazi dei titoli non contano; le colonne in più vengono ignorate."
        ),
    ),
    (
        "Importazione",
        (
            "Prima di scrivere qualcosa viene mostrata un'anteprima, con gli errori riga per riga: se una riga ha un "
            "errore non si importa nulla. Un atto già registrato (stessa fase e stesso numero) viene aggiornato se "
            "importo, data, contratto o note sono cambiati, altrimenti resta com'è: importare di nuovo lo stesso file "
            f"non cambia nulla. Al massimo {MAX_ROWS} atti per file."
        ),
    ),
    (
        "Esempio",
        (
            "PUG_CASARANO; impegno; 45/2025; 12/03/2025; 14.648,66; (CIG); 2024; ; poi PUG_CASARANO; liquidazione; "
            "L-12/2025; 30/06/2025; 3.000,00; ; ; 45/2025; e PUG_CASARANO; mandato; 1234/2025; 15/07/2025; 3.000,00; "
            "; ; L-12/2025."
        ),
    ),
    ("", ""),
]


def template_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101  (a new workbook has one sheet)
    sheet.title = SHEET
    append(sheet, [column.header for column in COLUMNS])
    style_header(sheet, 1, len(COLUMNS))
    set_widths(sheet, [16, 14, 18, 12, 14, 14, 16, 22, 40])
    keys = [column.key for column in COLUMNS]
    for row in range(2, 502):
        sheet.cell(row=row, column=keys.index("date") + 1).number_format = DATE_FORMAT
        sheet.cell(row=row, column=keys.index("amount") + 1).number_format = EURO_FORMAT
    sheet.freeze_panes = "A2"
    instructions = workbook.create_sheet("Istruzioni", 1)
    set_widths(instructions, [28, 110])
    for label, text in INTRODUCTION:
        append(instructions, [label, text])
    for column in COLUMNS:
        append(instructions, [column.header, ("Obbligatoria. " if column.required else "Facoltativa. ") + column.help])
    instructions["A1"].font = TITLE_FONT
    for cells in instructions.iter_rows(min_row=2):
        cells[0].font = LABEL_FONT
        cells[1].alignment = Alignment(wrap_text=True, vertical="top")
    return workbook_bytes(workbook)
