"""The half-yearly report to the Coordinamento Istituzionale: state of implementation, LEPS compliance, coverage,
spending and next steps, as PDF (WeasyPrint, ``lib.pdf``) and as an editable Word file (python-docx).

The report is addressed to the mayors: it counts people, it never names them. Its tables are the dashboard's
own (``tables``), so the figures are those on the page for the same filters.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

from supervisione.leps.compliance import ComplianceStatus
from supervisione.leps.rounding import ZERO
from supervisione.lib import clock
from supervisione.lib.exports import fit_docx_table
from supervisione.lib.italian import counted, euro_text, hours_counted, hours_text, percent_with_article, plural
from supervisione.lib.pdf import render_pdf

from .dashboards import Dashboard
from .tables import Table, coverage_table, groups_table, hours_table, ledger_table, pools_table, spending_table
from .templatetags.monitoring import cell_text
from .wellbeing_results import report_part

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TABLE_FONT_POINTS = 8


@dataclass
class Chapter:
    heading: str
    paragraphs: list[str]
    tables: list[Table]
    bullets: bool = False  # the paragraphs are a list (the next steps)


@dataclass
class Report:
    title: str
    subject: str
    period: str
    generated: Any
    chapters: list[Chapter]


def next_steps(dashboard: Dashboard) -> list[str]:
    """What the Coordinamento should see done next, from the figures."""
    found = dashboard.figures
    steps = []
    for row in found.leps_groups:
        result = row.compliance
        if result is None:
            continue
        end = f"{result.period_end:%d/%m/%Y}"
        if result.status in (ComplianceStatus.BEHIND, ComplianceStatus.AT_RISK) and result.missing:
            supervisor = "" if row.group.supervisor_id else " e assegnare un supervisore"
            steps.append(
                f"{row.group.name}: programmare almeno {hours_counted(result.missing)} in più entro il {end}"
                f"{supervisor}."
            )
        elif result.status is ComplianceStatus.AT_RISK:
            steps.append(
                f"{row.group.name}: tenere tutti gli incontri in calendario (ne "
                f"{plural(result.expected, 'serve', 'servono')} {hours_counted(result.expected)} a questa data, ne "
                f"{plural(result.held, 'risulta', 'risultano')} {hours_text(result.held)})."
            )
    awaiting = found.total.awaiting
    if awaiting:
        steps.append(
            f"Far confermare ai supervisori i registri presenze di {hours_counted(awaiting)} già "
            f"{plural(awaiting, 'tenuta', 'tenute')}."
        )
    free = [row for row in found.a1_groups if row.pool_free > 0]
    if free:
        hours = sum((row.pool_free for row in free), ZERO)
        steps.append(
            f"Monte ore A2: {hours_counted(hours)} {plural(hours, 'libera', 'libere')} in "
            f"{counted(len(free), 'gruppo', 'gruppi')}; se non servono alla supervisione "
            "individuale si possono spostare su gruppi A1 o équipe A3 prima della fine dell'anno."
        )
    coverage = found.coverage
    if coverage.not_supervised_count:
        steps.append(
            f"{counted(coverage.not_supervised_count, 'assistente sociale', 'assistenti sociali')} del censimento non "
            f"{plural(coverage.not_supervised_count, 'ha', 'hanno')} ancora partecipato a un "
            "incontro quest'anno: verificare l'inserimento nei gruppi e le assenze."
        )
    if found.people_below_threshold:
        steps.append(
            f"{counted(found.people_below_threshold, 'persona è', 'persone sono')} sotto "
            f"{percent_with_article(found.threshold_percent)} delle ore previste: "
            f"senza recupero non {plural(found.people_below_threshold, 'otterrà', 'otterranno')} i crediti formativi."
        )
    steps += [
        f"{line.label}: maturato {percent_with_article(line.used_percent or 0)} dei fondi del contratto, valutare "
        "l'integrazione."
        for line in found.spending
        if line.committed and line.spent_to_date >= line.committed * 9 / 10
    ]
    if not steps:
        steps.append("Nessuna criticità: proseguire secondo il calendario.")
    return steps


def build_report(dashboard: Dashboard) -> Report:
    found = dashboard.figures
    selection = found.selection
    total = found.total
    plans = ", ".join(
        f"POA {plan.year} versione {plan.version} ({plan.get_status_display().lower()})" for plan in selection.plans
    )
    state = [
        (f"Piano di riferimento: {plans}." if plans else f"Nessun piano annuale per il {selection.year}."),
        f"Situazione al {selection.as_of:%d/%m/%Y}, periodo: {selection.period.label.lower()} {selection.year}.",
        (
            f"Ore erogate nel periodo (registri confermati): {hours_text(total.delivered)} su "
            f"{hours_text(total.planned_in_period)} "
            f"{plural(total.planned_in_period, 'pianificata', 'pianificate')} per "
            f"il periodo, in {counted(total.sessions, 'incontro', 'incontri')}; "
            f"{hours_counted(total.awaiting)} "
            f"{plural(total.awaiting, 'tenuta attende', 'tenute attendono')} la conferma del registro e "
            f"{hours_text(total.scheduled)} {plural(total.scheduled, 'è', 'sono')} in calendario."
        ),
    ]
    counts = ", ".join(f"{count} {status.label}" for status, count in found.status_counts if count)
    compliance = [
        (
            f"{counted(len(found.leps_groups), 'gruppo o équipe', 'gruppi ed équipe')} con un minimo LEPS: "
            f"{counts or 'nessuno'}."
        ),
        (
            "In ritardo: anche con gli incontri in calendario il minimo non si raggiunge. A rischio: il calendario lo "
            "raggiunge ma le ore tenute sono sotto la quota dovuta a questa data."
        ),
    ]
    coverage = found.coverage
    people = [
        (
            f"Assistenti sociali nei censimenti: {coverage.as_in_census}; in un gruppo A1 attivo: "
            f"{coverage.as_in_active_group}; supervisionati nell'anno: {coverage.as_supervised}; sotto la soglia "
            f"{percent_with_article(found.threshold_percent, 'di')} di frequenza: {found.people_below_threshold}."
        ),
    ]
    chapters = [
        Chapter("1. Stato di attuazione", state, [hours_table(found)]),
        Chapter(
            "2. Conformità LEPS per gruppo ed équipe",
            compliance,
            [groups_table(found, replace(dashboard.viewer, supervisors=False))],
        ),
        Chapter("3. Copertura degli assistenti sociali", people, [coverage_table(found)]),
    ]
    if dashboard.viewer.money:
        cost = found.cost_per_hour
        money = [
            f"Maturato nel periodo (ore erogate per tariffa): {euro_text(found.spent_in_period)}"
            + (f", {euro_text(cost)} per ora erogata." if cost is not None else ".")
        ]
        money_tables = [spending_table(found)]
        ledger = dashboard.ledger
        if ledger is not None and ledger.lines:
            books = ledger.total
            money.insert(
                0,
                f"Contabilità FNPS al {selection.as_of:%d/%m/%Y}: stanziati {euro_text(books.amount)}, impegnati "
                f"{euro_text(books.committed)}, liquidati {euro_text(books.liquidated)}, pagati "
                f"{euro_text(books.paid)}; residuo da impegnare {euro_text(books.residual)}.",
            )
            money_tables.insert(0, ledger_table(ledger))
        chapters.append(Chapter("4. Spesa per fonte di finanziamento", money, money_tables))
    if found.a1_groups:
        chapters.append(Chapter(f"{len(chapters) + 1}. Monte ore A2 e spostamenti", [], [pools_table(found)]))
    if dashboard.tenant:
        wellbeing = report_part(
            dashboard.viewer.scope,
            selection.year,
            selection.start,
            selection.end,
            f"{selection.period.label} {selection.year}",
            **dashboard.tenant,
        )
        if wellbeing is not None:
            chapters.append(Chapter(f"{len(chapters) + 1}. Benessere degli operatori", *wellbeing))
    chapters.append(Chapter(f"{len(chapters) + 1}. Prossimi passi", next_steps(dashboard), [], bullets=True))
    subject = dashboard.title.removeprefix("Monitoraggio di ")
    return Report(
        title="Relazione al Coordinamento Istituzionale sulla supervisione professionale (LEPS 2.7.2)",
        subject=subject,
        period=f"{selection.period.label} {selection.year}",
        generated=clock.localnow(),
        chapters=chapters,
    )


def rendered_rows(table: Table) -> list[list[str]]:
    """The table's cells as the page writes them (Italian numbers, a dash for none, a status in words: never the
    page's HTML badge, which a PDF would print escaped and Word as it is)."""
    return [[cell_text(column, value) for column, value, _status in row] for row in table.cells()]


def report_pdf(report: Report) -> bytes:
    chapters = [
        {
            "heading": chapter.heading,
            "paragraphs": chapter.paragraphs,
            "bullets": chapter.bullets,
            "tables": [
                {
                    "table": table,
                    "rows": [
                        list(zip(row, [column.numeric for column in table.columns], strict=True))
                        for row in rendered_rows(table)
                    ],
                }
                for table in chapter.tables
            ],
        }
        for chapter in report.chapters
    ]
    return render_pdf("monitoring/report_pdf.html", {"report": report, "chapters": chapters})


def report_docx(report: Report) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4, as the ATS print it (python-docx: Letter)
    section.left_margin = section.right_margin = Cm(2)
    available = (section.page_width - section.left_margin - section.right_margin) / 12700  # EMU to points
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10)
    document.add_heading(report.title, level=0)
    meta = document.add_paragraph(
        f"{report.subject} · {report.period} · generata il {report.generated:%d/%m/%Y alle %H:%M}"
    )
    meta.runs[0].font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    for chapter in report.chapters:
        document.add_heading(chapter.heading, level=1)
        for text in chapter.paragraphs:
            document.add_paragraph(text, style="List Bullet" if chapter.bullets else None)
        for table in chapter.tables:
            caption = document.add_paragraph(table.title)
            caption.runs[0].bold = True
            grid = document.add_table(rows=1, cols=len(table.columns))
            grid.style = "Light Grid Accent 1"
            for index, column in enumerate(table.columns):
                grid.rows[0].cells[index].text = column.header
            for row in rendered_rows(table):
                cells = grid.add_row().cells
                for index, (column, text) in enumerate(zip(table.columns, row, strict=True)):
                    cells[index].text = text
                    if column.numeric:
                        cells[index].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            for cells in grid.rows:
                for cell in cells.cells:
                    for run in cell.paragraphs[0].runs:
                        run.font.size = Pt(TABLE_FONT_POINTS)
            fit_docx_table(grid, [column.numeric for column in table.columns], available, TABLE_FONT_POINTS)
            if table.note:
                note = document.add_paragraph(table.note)
                note.runs[0].font.size = Pt(8)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
