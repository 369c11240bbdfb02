"""Census and referent exports: XLSX (typed cells: numbers as numbers, dates as dates), CSV and PDF.

The census export has the layout of the import template, so that an exported file imported again changes
nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from supervisione.census.importing.columns import COLUMNS
from supervisione.census.models import (
    AlboSection,
    Contract,
    Position,
    PostFunding,
    Profession,
    ReferentDesignation,
    Service,
)
from supervisione.lib.exports import (
    DATE_FORMAT,
    HOURS_FORMAT,
    LABEL_FONT,
    TITLE_FONT,
    append,
    csv_bytes,
    set_widths,
    style_header,
    workbook_bytes,
)
from supervisione.lib.italian import hours_text

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_COLUMNS = list(COLUMNS)
WIDTHS = {
    "surname": 18,
    "name": 16,
    "tax_code": 20,
    "profession": 28,
    "albo_region": 14,
    "albo_section": 12,
    "albo_number": 12,
    "employer": 34,
    "service": 30,
    "contract": 26,
    "weekly_hours": 14,
    "start_date": 12,
    "end_date": 12,
    "funding": 24,
    "municipalities": 40,
    "email": 30,
    "equipe": 28,
    "on_behalf": 18,
}


def position_values(position: Position) -> dict[str, Any]:
    """A position as typed values keyed like the template's columns."""
    person = position.person
    return {
        "surname": person.surname,
        "name": person.name,
        "tax_code": person.tax_code,
        "profession": person.get_profession_display(),
        "albo_region": person.albo_region.name if person.albo_region else "",
        "albo_section": person.albo_section,
        "albo_number": person.albo_number,
        "employer": position.employer.name,
        # An "Altro" service by its own name: imported again, it comes back as "Altro" with the same name.
        "service": position.service_detail
        if position.service == Service.OTHER and position.service_detail
        else position.get_service_display(),
        "contract": position.get_contract_display(),
        "weekly_hours": position.weekly_hours,
        "start_date": position.start_date,
        "end_date": position.end_date,
        "funding": position.get_funding_display() if position.funding else "",
        "municipalities": ", ".join(sorted(m.name for m in position.municipalities.all())),
        "email": person.email,
        "equipe": position.equipe.name if position.equipe else "",
        "on_behalf": "sì" if position.on_behalf_of_ambito else "",
    }


def _style_header(sheet: Worksheet, count: int) -> None:
    style_header(sheet, 1, count)
    sheet.freeze_panes = "A2"


def _census_sheet(sheet: Worksheet, rows: Iterable[dict[str, Any]], extra: Sequence[tuple[str, str]] = ()) -> None:
    headers = [column.header for column in EXPORT_COLUMNS] + [label for _key, label in extra]
    keys = [column.key for column in EXPORT_COLUMNS] + [key for key, _label in extra]
    append(sheet, headers)
    _style_header(sheet, len(headers))
    set_widths(sheet, [WIDTHS.get(key, 16) for key in keys])
    hours_column = keys.index("weekly_hours") + 1
    date_columns = {keys.index("start_date") + 1, keys.index("end_date") + 1}
    for number, values in enumerate(rows, start=2):
        append(sheet, [values.get(key) if values.get(key) not in (None, "") else None for key in keys])
        sheet.cell(row=number, column=hours_column).number_format = HOURS_FORMAT
        for column in date_columns:
            sheet.cell(row=number, column=column).number_format = DATE_FORMAT


def census_xlsx(positions: Iterable[Position], *, with_ambito: bool = False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101  (a new workbook has one sheet)
    sheet.title = "Personale"
    extra = [("ambito", "Codice ATS")] if with_ambito else []
    rows = (
        {**position_values(position), "ambito": position.census.ambito.code}
        if with_ambito
        else position_values(position)
        for position in positions
    )
    _census_sheet(sheet, rows, extra)
    return workbook_bytes(workbook)


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    if hasattr(value, "as_tuple"):
        return hours_text(value)
    return str(value)


def census_csv(positions: Iterable[Position], *, with_ambito: bool = False) -> bytes:
    """CSV separated by «;» with a UTF-8 BOM, as Excel in Italian opens it."""
    headers = [column.header for column in EXPORT_COLUMNS] + (["Codice ATS"] if with_ambito else [])
    rows: list[list[str]] = [headers]
    for position in positions:
        values = position_values(position)
        row = [_csv_text(values[column.key]) for column in EXPORT_COLUMNS]
        if with_ambito:
            row.append(position.census.ambito.code)
        rows.append(row)
    return csv_bytes(rows)


INSTRUCTIONS = [
    ("Come compilare il censimento del personale (Allegato 2)", ""),
    ("", ""),
    (
        "Una riga per ogni posizione",
        (
            "Una persona con due incarichi (es. 18 ore al Servizio sociale professionale e "
            "18 al PUA) occupa due righe con lo stesso codice fiscale e gli stessi dati personali."
        ),
    ),
    (
        "Intestazione",
        "Lascia la riga 1 così com'è. L'ordine delle colonne, le maiuscole, gli accenti e gli spazi non contano.",
    ),
    ("Cognome, Nome", "Obbligatori."),
    ("Codice fiscale", "Obbligatorio, 16 caratteri: identifica la persona anche se lavora per più ATS."),
    (
        "Profilo professionale",
        "Uno di: "
        + ", ".join(str(label) for label in Profession.labels)
        + ". Si accettano anche abbreviazioni come AS, OSS.",
    ),
    (
        "Albo regione, sezione, numero",
        (
            "Obbligatori per gli assistenti sociali. Sezione A o B (lo specialista è in "
            "sezione A). Una cella vuota non cancella il dato già registrato."
        ),
    ),
    (
        "Ente datore di lavoro",
        (
            "Il nome dell'ente (es. Comune di Maglie, Cooperativa ...). Un ente non ancora "
            "registrato viene creato: controlla l'anteprima."
        ),
    ),
    ("Servizio", "Uno di: " + ", ".join(str(label) for label in Service.labels) + "."),
    ("Tipo contratto", "Uno di: " + ", ".join(str(label) for label in Contract.labels) + ". Si accettano T.I. e T.D."),
    ("Ore settimanali", "Es. 36, 18, 18,5 oppure 50% (metà del tempo pieno di 36 ore). Più di 0 e al massimo 48."),
    ("Data inizio, Data fine", "Facoltative: gg/mm/aaaa (es. 01/09/2023) o celle data di Excel."),
    ("Finanziamento posto", "Facoltativo. Uno di: " + ", ".join(str(label) for label in PostFunding.labels) + "."),
    ("Comuni di servizio", "Facoltativo: i nomi dei comuni dell'ATS separati da virgole, oppure «tutti»."),
    ("E-mail", "Facoltativa. Una cella vuota non cancella l'indirizzo già registrato."),
    (
        "Équipe",
        (
            "Facoltativa, solo per il servizio «Équipe multidisciplinare»: il nome dell'équipe "
            "(se vuota: «Équipe multidisciplinare»)."
        ),
    ),
    (
        "Per conto dell'ATS",
        (
            "Facoltativa: «sì» per chi è dipendente di un altro ente (ad esempio l'ASL in delega, un'azienda "
            "speciale) e lavora nei servizi sociali dell'ATS per conto dell'ATS; vuota o «no» altrimenti. Senza "
            "questa colonna l'importazione non cambia quanto già registrato."
        ),
    ),
    ("", ""),
    (
        "Conteggio c.797",
        (
            "Contano gli assistenti sociali a tempo indeterminato il cui ente datore di lavoro è un "
            "comune, l'ATS o un suo ente (consorzio, unione di comuni), e quelli di un altro ente in servizio "
            "per conto dell'ATS."
        ),
    ),
    (
        "Importazione",
        (
            "Prima di scrivere qualcosa viene mostrata un'anteprima con gli errori riga per riga. "
            "Importare di nuovo lo stesso file non cambia nulla."
        ),
    ),
]


def template_xlsx() -> bytes:
    """The empty census template: the «Personale» sheet with drop-down lists and an «Istruzioni» sheet."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101  (a new workbook has one sheet)
    sheet.title = "Personale"
    _census_sheet(sheet, [])
    keys = [column.key for column in EXPORT_COLUMNS]
    lists: dict[str, list[str]] = {
        "profession": [str(label) for label in Profession.labels],
        "albo_section": list(AlboSection.values),
        "service": [str(label) for label in Service.labels],
        "contract": [str(label) for label in Contract.labels],
        "funding": [str(label) for label in PostFunding.labels],
        "on_behalf": ["sì", "no"],
    }
    hidden = workbook.create_sheet("Valori")
    for index, (key, labels) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        hidden.cell(row=1, column=index, value=key)
        for row, label in enumerate(labels, start=2):
            hidden.cell(row=row, column=index, value=str(label))
        validation = DataValidation(
            type="list",
            formula1=f"Valori!${letter}$2:${letter}${len(labels) + 1}",
            allow_blank=True,
            showErrorMessage=False,
        )
        column = get_column_letter(keys.index(key) + 1)
        validation.add(f"{column}2:{column}5000")
        sheet.add_data_validation(validation)
    for key in ("start_date", "end_date"):
        date_column = keys.index(key) + 1
        for row in range(2, 502):
            sheet.cell(row=row, column=date_column).number_format = DATE_FORMAT
    hidden.sheet_state = "hidden"
    instructions = workbook.create_sheet("Istruzioni", 1)
    set_widths(instructions, [32, 110])
    for label, text in INSTRUCTIONS:
        append(instructions, [label, text])
    instructions["A1"].font = TITLE_FONT
    for row in instructions.iter_rows(min_row=3):
        row[0].font = LABEL_FONT
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    return workbook_bytes(workbook)


REFERENT_HEADERS = [
    "ATS",
    "Codice ATS",
    "Referente",
    "Ruolo",
    "E-mail",
    "Telefono",
    "Atto di designazione",
    "Data dell'atto",
    "Risposta ricevuta il",
]


def referents_xlsx(rows: Sequence[tuple[Any, ReferentDesignation | None]], title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101  (a new workbook has one sheet)
    sheet.title = "Referenti"
    append(sheet, REFERENT_HEADERS)
    _style_header(sheet, len(REFERENT_HEADERS))
    set_widths(sheet, [30, 16, 26, 30, 30, 16, 26, 14, 16])
    for number, (ambito, designation) in enumerate(rows, start=2):
        if designation is None:
            append(sheet, [ambito.name, ambito.code, "non ancora designato"])
            continue
        append(
            sheet,
            [
                ambito.name,
                ambito.code,
                designation.full_name,
                designation.role,
                designation.email,
                designation.phone,
                designation.act_number,
                designation.act_date,
                designation.answered_on,
            ],
        )
        for column in (8, 9):
            sheet.cell(row=number, column=column).number_format = DATE_FORMAT
    sheet.append([])
    append(sheet, [title])
    return workbook_bytes(workbook, title=title)
