"""The tables of the dashboards, built once from the figures: the page shows them (as the charts' accessible
equivalents too) and the exports write them as CSV and XLSX with the same Italian headers.

Each cell keeps its type (int, Decimal, date, text), so that spreadsheets get numbers as numbers and dates as
dates. Names appear only in the tables of viewers who may read them (``access.Viewer``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from supervisione.funding.ledger import Totals
from supervisione.lib.italian import percent_with_article

from .access import Viewer
from .figures import Figures
from .figures.groups import GroupFigures
from .figures.ledger import LedgerFigures
from .figures.plans import PlanFigures
from .selection import KINDS

CellKind = Literal["text", "wide", "int", "hours", "euro", "percent", "score", "date", "status"]
Cell = str | int | Decimal | datetime.date | None


@dataclass(frozen=True)
class Column:
    header: str
    kind: CellKind = "text"

    @property
    def numeric(self) -> bool:
        return self.kind in ("int", "hours", "euro", "percent", "score")


@dataclass
class Table:
    slug: str
    title: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    statuses: list[str | None] = field(default_factory=list)  # per row: the compliance status, for badges
    note: str = ""

    def cells(self) -> list[list[tuple[Column, Cell, str | None]]]:
        """Rows as (column, value, status) for the template."""
        statuses = self.statuses or [None] * len(self.rows)
        return [
            [(column, value, status) for column, value in zip(self.columns, row, strict=True)]
            for row, status in zip(self.rows, statuses, strict=True)
        ]


H: CellKind = "hours"


def hours_table(figures: Figures) -> Table:
    table = Table(
        "ore",
        "Ore per tipo di supervisione: minimo LEPS, piano ed erogate",
        [
            Column("Tipo"),
            Column("Minimo LEPS (anno)", H),
            Column("Pianificate (anno)", H),
            Column("Pianificate nel periodo", H),
            Column("Erogate", H),
            Column("Da confermare", H),
            Column("In calendario", H),
            Column("Incontri erogati", "int"),
            Column("% erogate sul piano del periodo", "percent"),
        ],
        note="Erogate: incontri con registro confermato fino al giorno di lettura. Il monte ore A2 si usa quando "
        "serve: il suo minimo è una disponibilità, non un obbligo di erogazione. Extra-LEPS: ore aggiuntive, non "
        "contano per il minimo.",
    )
    items = [(item.label, item) for item in figures.types.values()]
    if len(items) > 1:
        items.append(("Totale", figures.total))
    for label, item in items:
        table.rows.append(
            [
                label,
                item.minimum if item.counts_for_leps or label == "Totale" else None,
                item.planned,
                item.planned_in_period,
                item.delivered,
                item.awaiting,
                item.scheduled,
                item.sessions,
                item.delivered_percent,
            ]
        )
    return table


def months_table(figures: Figures) -> Table:
    kinds = list(figures.types)
    columns = [Column("Mese")]
    for kind in kinds:
        columns += [Column(f"{kind} erogate", H), Column(f"{kind} in calendario", H)]
    columns += [Column("Totale erogate", H), Column("Totale in calendario", H), Column("Quota mensile del piano", H)]
    table = Table(
        "mesi",
        f"Ore per mese e tipo, {figures.selection.period.label.lower()} {figures.selection.year}",
        columns,
        note="In calendario: incontri non annullati del mese (erogati, da confermare o da tenere).",
    )
    for month in figures.months:
        row: list[Cell] = [month.label]
        for kind in kinds:
            row += [month.delivered.get(kind, Decimal(0)), month.booked.get(kind, Decimal(0))]
        row += [month.delivered_total, month.booked_total, month.planned]
        table.rows.append(row)
    return table


def cumulative_table(figures: Figures) -> Table:
    table = Table(
        "cumulato",
        "Ore cumulate mese per mese: piano, minimo LEPS, erogate e in calendario",
        [
            Column("Mese"),
            Column("Piano cumulato", H),
            Column("Minimo LEPS cumulato", H),
            Column("Erogate cumulate", H),
            Column("Erogate e in calendario, cumulate", H),
        ],
        note="Il piano e il minimo sono ripartiti in parti uguali sui mesi del piano.",
    )
    for row in figures.cumulative():
        table.rows.append([row.month.label, row.planned, row.minimum, row.delivered, row.booked])
    return table


def _group_row(row: GroupFigures, viewer: Viewer, *, with_plan: bool) -> list[Cell]:
    cells: list[Cell] = []
    if with_plan:
        cells.append(row.plan.tenant.code)
    cells += [
        row.group.name,
        "Extra-LEPS" if row.kind == "extra" else row.kind,
        row.members,
        row.minimum if row.compliance is not None else None,
        row.planned,
        row.delivered,
        row.awaiting,
        row.scheduled,
        row.status_label,
        row.reason,
    ]
    if viewer.supervisors:
        cells.append(str(row.group.supervisor) if row.group.supervisor else "nessuno")
    return cells


def groups_table(figures: Figures, viewer: Viewer) -> Table:
    with_plan = len(figures.selection.plans) > 1
    columns = [Column("Piano di")] if with_plan else []
    columns += [
        Column("Gruppo o équipe"),
        Column("Tipo"),
        Column("Partecipanti", "int"),
        Column("Minimo LEPS", H),
        Column("Pianificate", H),
        Column("Erogate", H),
        Column("Da confermare", H),
        Column("In calendario", H),
        Column("Stato", "status"),
        Column("Motivo", "wide"),
    ]
    if viewer.supervisors:
        columns.append(Column("Supervisore"))
    table = Table(
        "gruppi",
        f"Conformità LEPS per gruppo ed équipe al {figures.selection.as_of:%d/%m/%Y}",
        columns,
        note="Raggiunto: ore erogate pari almeno al minimo. In ritardo: anche con gli incontri in calendario il "
        "minimo non si raggiunge. A rischio: il calendario raggiunge il minimo, ma le ore tenute sono sotto la quota "
        "dovuta a un mese fa. In linea: il calendario raggiunge il minimo e le ore tenute sono in pari.",
    )
    for row in figures.groups:
        if figures.selection.kind == "A2":
            continue
        table.rows.append(_group_row(row, viewer, with_plan=with_plan))
        table.statuses.append(row.status)
    return table


def coverage_table(figures: Figures) -> Table:
    coverage = figures.coverage
    table = Table(
        "copertura",
        "Copertura: assistenti sociali dei censimenti del piano",
        [Column("Indicatore"), Column("Assistenti sociali", "int"), Column("% sul censimento", "percent")],
        note="Gruppo attivo: un gruppo A1 che si è riunito o ha incontri in calendario nell'anno. Supervisionati: "
        "presenti ad almeno un incontro con registro confermato nell'anno.",
    )
    total = coverage.as_in_census

    def share(count: int) -> int | None:
        return round(count * 100 / total) if total else None

    table.rows = [
        ["Nel censimento", total, 100 if total else None],
        ["In un gruppo A1 del piano", coverage.as_in_groups, share(coverage.as_in_groups)],
        ["In un gruppo A1 attivo", coverage.as_in_active_group, share(coverage.as_in_active_group)],
        ["Supervisionati nell'anno", coverage.as_supervised, share(coverage.as_supervised)],
        ["Senza supervisione nell'anno", coverage.not_supervised_count, share(coverage.not_supervised_count)],
        ["Sotto la soglia di frequenza dell'80 %", figures.people_below_threshold, None],
    ]
    return table


def not_supervised_table(figures: Figures, viewer: Viewer) -> Table:
    table = Table(
        "senza-supervisione",
        f"Assistenti sociali senza supervisione nel {figures.selection.year}",
        [Column("Cognome"), Column("Nome"), Column("ATS")],
    )
    for person in figures.coverage.not_supervised:
        if viewer.sees_name(person.ambito_id):
            table.rows.append([person.surname, person.name, person.ambito_name])
    return table


def people_table(figures: Figures, viewer: Viewer) -> Table:
    threshold = int(figures.threshold * 100)
    table = Table(
        "persone",
        f"Ore per persona e soglia di frequenza {percent_with_article(threshold, 'di')} (crediti formativi)",
        [
            Column("Cognome"),
            Column("Nome"),
            Column("ATS"),
            Column("Ore previste", H),
            Column("Ore frequentate", H),
            Column("% frequenza", "percent"),
            Column(f"Raggiunge {percent_with_article(threshold)}"),
        ],
        note="Previste: durata degli incontri con registro confermato a cui la persona era attesa.",
    )
    for person in figures.people:
        if not viewer.sees_name(person.ambito_id):
            continue
        table.rows.append(
            [
                person.surname,
                person.name,
                person.ambito_name,
                person.expected_hours,
                person.attended_hours,
                person.figures.percentage,
                "sì" if person.figures.reaches_threshold else "no",
            ]
        )
        table.statuses.append(None if person.figures.reaches_threshold else "behind")
    return table


def ledger_table(ledger: LedgerFigures) -> Table:
    table = Table(
        "contabilita-fnps",
        "Contabilità FNPS degli ATS: stanziato, impegnato, liquidato, pagato",
        [
            Column(ledger.header),
            Column("Stanziato (EUR)", "euro"),
            Column("Programmato (EUR)", "euro"),
            Column("Impegnato (EUR)", "euro"),
            Column("Liquidato (EUR)", "euro"),
            Column("Pagato (EUR)", "euro"),
            Column("Residuo da impegnare (EUR)", "euro"),
            Column("Maturato a oggi sulle fonti FNPS (EUR)", "euro"),
        ],
        note="Dalla contabilità degli ATS: gli stanziamenti FNPS per la supervisione e gli atti datati fino al giorno "
        "di lettura (impegni, atti di liquidazione, mandati). Maturato: ore erogate con registro confermato per la "
        "tariffa del contratto, sulle fonti FNPS dei gruppi mostrati, di tutti gli anni; è indicato sul totale "
        "perché le fonti dei contratti non dicono quale ATS paga.",
    )
    rows: list[tuple[str, Totals, Decimal | None]] = [(line.label, line.totals, None) for line in ledger.lines]
    rows.append(("Totale", ledger.total, ledger.accrued_to_date))
    for label, totals, accrued in rows:
        table.rows.append(
            [
                label,
                totals.amount,
                totals.programmed,
                totals.committed,
                totals.liquidated,
                totals.paid,
                totals.residual,
                accrued,
            ]
        )
    return table


def spending_table(figures: Figures) -> Table:
    table = Table(
        "spesa",
        "Maturato per fonte di finanziamento",
        [
            Column("Fonte"),
            Column("Fondi dei contratti (EUR)", "euro"),
            Column("Costo pianificato nell'anno (EUR)", "euro"),
            Column("Maturato nel periodo (EUR)", "euro"),
            Column("Maturato a oggi, tutti gli anni (EUR)", "euro"),
            Column("Fondi non ancora maturati (EUR)", "euro"),
            Column("Ore erogate nel periodo", H),
            Column("Costo per ora erogata (EUR)", "euro"),
        ],
        note="Fondi dei contratti: importi delle fonti di finanziamento registrate sui contratti. Maturato: ore "
        "erogate con registro confermato per la tariffa oraria del contratto per il tipo di supervisione (la spesa "
        "contabile, per il FNPS, è nella tabella della contabilità).",
    )
    for line in figures.spending:
        table.rows.append(
            [
                line.label,
                line.committed,
                line.planned,
                line.spent_in_period,
                line.spent_to_date,
                line.residual,
                line.hours_in_period,
                line.cost_per_hour,
            ]
        )
    return table


def contracts_table(figures: Figures) -> Table:
    table = Table(
        "contratti",
        "Maturato per contratto e fonte di finanziamento",
        [
            Column("Contratto"),
            Column("CIG"),
            Column("Fonte"),
            Column("Fondi del contratto (EUR)", "euro"),
            Column("Maturato nel periodo (EUR)", "euro"),
            Column("Maturato a oggi (EUR)", "euro"),
            Column("Fondi non ancora maturati (EUR)", "euro"),
            Column("% usata", "percent"),
            Column("Ore erogate nel periodo", H),
            Column("Costo per ora erogata (EUR)", "euro"),
        ],
    )
    for line in figures.contracts:
        table.rows.append(
            [
                line.contract_title,
                line.cig,
                line.label,
                line.committed,
                line.spent_in_period,
                line.spent_to_date,
                line.residual,
                line.used_percent,
                line.hours_in_period,
                line.cost_per_hour,
            ]
        )
    return table


def pools_table(figures: Figures) -> Table:
    with_plan = len(figures.selection.plans) > 1
    table = Table(
        "monte-a2",
        "Monte ore A2 (supervisione individuale) dei gruppi A1",
        [
            *([Column("Piano di")] if with_plan else []),
            Column("Gruppo A1"),
            Column("Minimo LEPS", H),
            Column("Monte ore", H),
            Column("Spostate ad altri gruppi", H),
            Column("Usate (registro confermato)", H),
            Column("Prenotate (non annullate)", H),
            Column("Libere", H),
        ],
        note="Le ore A2 non usate si possono spostare su un gruppo A1 o un'équipe A3 dello stesso anno, con il "
        "motivo (Scheda LEPS 2.7.2).",
    )
    for row in figures.a1_groups:
        table.rows.append(
            [
                *([row.plan.tenant.code] if with_plan else []),
                row.group.name,
                row.pool_minimum,
                row.group.a2_pool_hours,
                row.moved_out,
                row.pool_used,
                row.pool_booked,
                row.pool_free,
            ]
        )
    return table


def transfers_table(figures: Figures, viewer: Viewer) -> Table:
    table = Table(
        "spostamenti",
        "Spostamenti di ore A2 non usate",
        [
            Column("Data", "date"),
            Column("Dal monte ore di"),
            Column("Al gruppo o équipe"),
            Column("Ore", H),
            Column("Motivo", "wide"),
            *([Column("Registrato da")] if viewer.supervisors else []),
        ],
    )
    for transfer in figures.transfers:
        table.rows.append(
            [
                transfer.created_at.date(),
                transfer.source.name,
                transfer.target.name,
                transfer.hours,
                transfer.reason,
                *([str(transfer.created_by or "")] if viewer.supervisors else []),
            ]
        )
    return table


def _plan_row(row: PlanFigures) -> list[Cell]:
    plan = row.plan
    region = plan.partnership.capofila.region.name if plan.partnership else plan.ambito.region.name  # type: ignore[union-attr]  # no partnership: an ATS's plan
    return [
        plan.tenant.name,
        region,
        plan.get_status_display(),
        row.groups,
        row.statuses.get("met", 0),
        row.statuses.get("on_track", 0),
        row.statuses.get("at_risk", 0),
        row.statuses.get("behind", 0),
        row.planned,
        row.delivered,
        row.delivered_percent,
        row.as_in_census,
        row.as_supervised,
        row.supervised_percent,
        row.people_below_threshold,
    ]


def plans_table(figures: Figures) -> Table:
    table = Table(
        "piani",
        f"Partenariati e ATS con un piano {figures.selection.year}",
        [
            Column("Partenariato o ATS"),
            Column("Regione"),
            Column("Stato del piano"),
            Column("Gruppi ed équipe LEPS", "int"),
            Column("Raggiunto", "int"),
            Column("In linea", "int"),
            Column("A rischio", "int"),
            Column("In ritardo", "int"),
            Column("Ore pianificate", H),
            Column("Ore erogate", H),
            Column("% erogate", "percent"),
            Column("AS nel censimento", "int"),
            Column("AS supervisionati", "int"),
            Column("% supervisionati", "percent"),
            Column("Persone sotto l'80 %", "int"),
        ],
        note="Ore pianificate ed erogate comprendono il monte ore A2 e le ore erogate dal suo uso.",
    )
    for row in figures.plans:
        table.rows.append(_plan_row(row))
        worst = next((status for status in ("behind", "at_risk") if row.statuses.get(status)), None)
        table.statuses.append(worst)
    return table


def status_table(figures: Figures) -> Table:
    table = Table(
        "stati",
        "Gruppi ed équipe per stato di conformità",
        [Column("Stato", "status"), Column("Gruppi ed équipe", "int")],
    )
    for status, count in figures.status_counts:
        table.rows.append([status.label, count])
        table.statuses.append(status.value)
    return table


def kinds_label(kind: str | None) -> str:
    return KINDS.get(kind or "", "tutti i tipi")
