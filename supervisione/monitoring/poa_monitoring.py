"""The monitoring of realised against planned in the layout of the POA (``planning.exports``): the same sections,
each with the realised figures beside the planned ones, as one XLSX workbook.

Like the POA export, the layout follows the sections of the POA on the Piattaforma Multifondo (header, hours
per type, A1, A2, A3, extra-LEPS, costs by funding source) and says so: the fields are to be checked against
the platform's form before being transcribed.
"""

from __future__ import annotations

import datetime

from openpyxl import Workbook

from supervisione.lib import clock
from supervisione.lib.exports import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    LABEL_FONT,
    NOTE_FONT,
    SUBTITLE_FONT,
    TITLE_FONT,
    put,
    workbook_bytes,
)
from supervisione.planning.exports import LAYOUT_NOTE
from supervisione.planning.models import GroupKind, Plan

from .exports import write_table
from .figures import Figures
from .figures.groups import GroupFigures
from .figures.sums import percent
from .tables import CellKind, Column, Table

H: CellKind = "hours"


def _groups(rows: list[GroupFigures], kind: str, title: str) -> Table:
    table = Table(
        kind.lower(),
        title,
        [
            Column("Gruppo o équipe"),
            Column("Partecipanti", "int"),
            Column("Minimo LEPS", H),
            Column("Ore pianificate (con spostamenti A2)", H),
            Column("Ore realizzate", H),
            Column("Scostamento", H),
            Column("% realizzata", "percent"),
            Column("Stato LEPS", "status"),
            Column("Supervisore"),
        ],
    )
    for row in rows:
        if row.kind != kind:
            continue
        table.rows.append(
            [
                row.group.name,
                row.members,
                row.minimum if row.compliance is not None else None,
                row.planned,
                row.delivered,
                row.delivered - row.planned,
                percent(row.delivered, row.planned),
                row.status_label,
                str(row.group.supervisor) if row.group.supervisor else "da assegnare",
            ]
        )
    return table


def poa_monitoring_tables(plan: Plan, found: Figures) -> list[Table]:
    types = Table(
        "ore",
        "3. Ore per tipo di supervisione: pianificate e realizzate",
        [
            Column("Tipo"),
            Column("Minimo LEPS", H),
            Column("Pianificate", H),
            Column("Realizzate", H),
            Column("Scostamento", H),
            Column("% realizzata", "percent"),
        ],
    )
    for item in found.types.values():
        types.rows.append(
            [
                item.label,
                item.minimum if item.counts_for_leps else None,
                item.planned,
                item.delivered,
                item.delivered - item.planned,
                percent(item.delivered, item.planned),
            ]
        )
    pools = Table(
        "a2",
        "5. A2 - monte ore di supervisione individuale: pianificato e usato",
        [
            Column("Gruppo A1"),
            Column("Beneficiari potenziali", "int"),
            Column("Monte ore pianificato", H),
            Column("Ore spostate ad altri gruppi", H),
            Column("Ore usate", H),
            Column("Ore non usate", H),
        ],
    )
    for row in found.a1_groups:
        pools.rows.append(
            [
                row.group.name,
                row.members,
                row.group.a2_pool_hours,
                row.moved_out,
                row.pool_used,
                row.pool - row.pool_used,
            ]
        )
    costs = Table(
        "costi",
        "8. Costi per fonte di finanziamento: pianificati e realizzati",
        [
            Column("Fonte"),
            Column("Costo pianificato (EUR)", "euro"),
            Column("Costo realizzato (EUR)", "euro"),
            Column("Scostamento (EUR)", "euro"),
            Column("Fondi impegnati (EUR)", "euro"),
            Column("Costo per ora realizzata (EUR)", "euro"),
        ],
    )
    for line in found.spending:
        costs.rows.append(
            [
                line.label,
                line.planned,
                line.spent_in_period,
                line.spent_in_period - line.planned,
                line.committed,
                line.cost_per_hour,
            ]
        )
    return [
        types,
        _groups(found.groups, GroupKind.A1, "4. A1 - gruppi monoprofessionali di assistenti sociali"),
        pools,
        _groups(found.groups, GroupKind.A3, "6. A3 - supervisione organizzativa delle équipe"),
        _groups(found.groups, GroupKind.EXTRA, "7. Supervisione extra-LEPS (non conta per il minimo)"),
        costs,
    ]


def poa_monitoring_xlsx(plan: Plan, found: Figures) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101  (a new workbook has one sheet)
    sheet.title = "Monitoraggio POA"
    put(sheet, 1, 1, f"Monitoraggio del POA {plan.year}: realizzato rispetto al pianificato").font = TITLE_FONT
    header: list[tuple[str, str | datetime.date]] = [
        ("Titolare del piano", f"{plan.tenant.name} ({plan.tenant.code})"),
        ("Anno e versione", f"{plan.year}, versione {plan.version} ({plan.get_status_display().lower()})"),
        ("Periodo del piano", plan.period_text),
        ("CUP", plan.partnership.cup if plan.partnership else ""),
        ("Dati al", found.selection.as_of),
        ("Generato il", clock.localnow().replace(tzinfo=None)),
    ]
    row = 3
    put(sheet, 2, 1, "1. Intestazione").font = SUBTITLE_FONT
    for label, value in header:
        put(sheet, row, 1, label).font = LABEL_FONT
        cell = put(sheet, row, 2, value)
        if label == "Dati al":
            cell.number_format = DATE_FORMAT
        elif label == "Generato il":
            cell.number_format = DATETIME_FORMAT
        row += 1
    put(sheet, row, 1, LAYOUT_NOTE).font = NOTE_FONT
    row += 2
    sheet.column_dimensions["A"].width = 42
    for table in poa_monitoring_tables(plan, found):
        row = write_table(sheet, table, first_row=row)
    return workbook_bytes(workbook, title=f"Monitoraggio del POA {plan.year}")
