"""The final report of a PNRR project (CUP, issue 16.4), as PDF and Word through the half-yearly report's own
renderers (``report.report_pdf`` and ``report_docx``): the project and its dates, activities and hours per type
planned and delivered, people supervised against the target, money per contract, the LEPS minimums per year, and
the outcomes on wellbeing (the partnership's burn-out scores at the first and the last round closed within the
project's period, hidden as the wellbeing pages hide them; or a sentence saying no wave closed then).

``names``: the LEPS chapter lists the groups one by one and the dates name who closed the project; without it
(observers) the report holds counts and sums only.
"""

from __future__ import annotations

from supervisione.leps.compliance import ComplianceStatus
from supervisione.leps.rounding import ZERO
from supervisione.lib import clock
from supervisione.lib.italian import counted, euro_text, hours_text, percent_text, plural

from . import wellbeing_results
from .pnrr_figures import KindYear, LepsYear, ProjectFigures
from .report import Chapter, Report, report_docx, report_pdf
from .selection import KINDS
from .tables import Cell, Column, Table

MEASURE = "PNRR Missione 5 Componente 2, investimento 1.1, sub-investimento 1.1.4"
NO_WAVE = (
    "Nessuna rilevazione anonima sul burn-out (Copenhagen Burnout Inventory) del partenariato si è chiusa nel "
    "periodo del progetto: questa relazione non riporta esiti sul benessere degli operatori."
)


def wellbeing_chapter(data: ProjectFigures) -> Chapter:
    """Per year, the partnership's CBI results at the first and the last round closed within the project's period,
    all units pooled, hidden as on the wellbeing results page; the objectives assessed on the same rounds."""
    end = data.project.end.last_day
    found = wellbeing_results.tenant_series(partnership_id=data.partnership.pk)
    paragraphs, tables = wellbeing_results.period_results(found, data.start, end)
    objectives = wellbeing_results.period_objectives(found, end, partnership_id=data.partnership.pk)
    if not tables:
        return Chapter("6. Esiti sul benessere", [NO_WAVE], [objectives] if objectives else [])
    paragraphs.append(
        "Questionari anonimi; il gradimento degli incontri (questionario non validato) non è un esito e non è "
        "riportato."
    )
    return Chapter("6. Esiti sul benessere", paragraphs, [*tables, *([objectives] if objectives else [])])


def _dates_table(data: ProjectFigures, *, names: bool) -> Table:
    end = data.project.end
    table = Table(
        "date",
        "Date del progetto",
        [Column("Voce"), Column("Data", "date"), Column("Nota", "wide")],
        note="Ultimo giorno imputabile: la fine in deroga, se concessa, altrimenti la fine ordinaria. Nessun incontro, "
        "costo o riga di contratto è imputabile al CUP dopo quel giorno.",
    )
    table.rows = [
        ["Avvio delle attività (primo contratto)", data.start, "" if data.start else "data di inizio non indicata"],
        ["Fine ordinaria delle attività", end.end, ""],
        ["Fine in deroga", end.exception, end.exception_act if end.exception else "nessuna deroga"],
        ["Ultimo giorno imputabile al CUP", end.last_day, ""],
    ]
    if data.closed_at is not None:
        closer = f"chiuso da {data.closed_by}" if names and data.closed_by else "registri, costi e piani congelati"
        table.rows.append(["Chiusura del progetto", data.closed_on, closer])
    else:
        table.rows.append(["Chiusura del progetto", None, "non ancora chiuso"])
    return table


def _kind_row(item: KindYear, label: str) -> list[Cell]:
    return [label, KINDS[item.kind], item.sessions, item.planned, item.delivered, item.delivered_percent]


def hours_table(data: ProjectFigures) -> Table:
    table = Table(
        "ore",
        "Incontri svolti e ore per anno e tipo: pianificate per il progetto ed erogate",
        [
            Column("Anno"),
            Column("Tipo"),
            Column("Incontri svolti", "int"),
            Column("Ore pianificate", "hours"),
            Column("Ore erogate", "hours"),
            Column("% erogate sul piano", "percent"),
        ],
        note="Svolti ed erogate: incontri imputati al CUP fino alla fine delle attività, con registro confermato. "
        "Pianificate: le ore dei gruppi imputati al CUP nei POA (per l'A2 il monte ore dei gruppi A1); di un piano che "
        "va oltre la fine delle attività conta la parte dei giorni fino alla fine.",
    )
    table.rows = [_kind_row(item, str(item.year)) for item in data.kinds]
    table.rows += [_kind_row(item, "Totale") for item in data.per_kind()]
    return table


def people_table(data: ProjectFigures) -> Table:
    table = Table(
        "persone",
        "Persone supervisionate per ATS",
        [Column("ATS"), Column("Persone supervisionate", "int")],
        note="Supervisionate: presenti (anche in parte) ad almeno un incontro del progetto con registro confermato. "
        "Una persona che ha cambiato ATS conta in ciascuno, una volta sola nel totale.",
    )
    table.rows = [[name, count] for name, count in data.people_by_ambito]
    table.rows.append(["Totale", data.people])
    return table


def money_table(data: ProjectFigures) -> Table:
    table = Table(
        "spesa",
        "Spesa per contratto",
        [
            Column("Contratto"),
            Column("CIG"),
            Column("Importo del contratto", "euro"),
            Column("Imputato al CUP", "euro"),
            Column("Ore erogate", "hours"),
            Column("Maturato", "euro"),
            Column("Residuo sul CUP", "euro"),
        ],
        note="Imputato al CUP: gli importi delle fonti PNRR del contratto con questo CUP. Maturato: ore erogate per il "
        "progetto (registri confermati) per la tariffa oraria del contratto per tipo.",
    )
    for line in data.money:
        contract = line.contract
        table.rows.append(
            [contract.title, contract.cig, contract.amount, line.charged, line.hours, line.accrued, line.residual]
        )
    return table


STATUSES = (ComplianceStatus.MET, ComplianceStatus.ON_TRACK, ComplianceStatus.AT_RISK, ComplianceStatus.BEHIND)


def leps_table(data: ProjectFigures) -> Table:
    table = Table(
        "leps",
        "Minimi LEPS per anno: gruppi ed équipe imputati al progetto",
        [Column("Anno"), Column("Letto al", "date"), Column("Con un minimo LEPS", "int")]
        + [Column(str(status.label).capitalize(), "int") for status in STATUSES],
        note="La conformità è quella del monitoraggio (LEPS 2.7.2) sul piano in vigore di ogni anno: un gruppo "
        "raggiunge il minimo con le ore erogate nell'anno, anche su altre fonti dopo la fine del progetto. Un anno "
        "non ancora concluso si legge alla data indicata.",
    )
    for year in data.leps:
        counts = year.counts
        table.rows.append([str(year.year), year.as_of, year.groups, *(counts.get(status, 0) for status in STATUSES)])
    return table


def groups_table(data: ProjectFigures) -> Table:
    table = Table(
        "leps-gruppi",
        "Minimi LEPS per gruppo ed équipe",
        [
            Column("Anno"),
            Column("Gruppo o équipe"),
            Column("Tipo"),
            Column("Minimo LEPS", "hours"),
            Column("Erogate nell'anno", "hours"),
            Column("Stato", "status"),
        ],
    )
    for year in data.leps:
        for row in year.figures.leps_groups:
            table.rows.append([str(year.year), row.group.name, row.kind, row.minimum, row.delivered, row.status_label])
            table.statuses.append(row.status)
    return table


def _target_text(data: ProjectFigures) -> str:
    reached = f"{data.target_indicator}: {counted(data.people, 'persona supervisionata', 'persone supervisionate')}"
    if data.target_value is None:
        return f"{reached}; il target del progetto non è indicato nella fonte PNRR del contratto."
    share = data.target_percent
    return f"{reached} su un target di {data.target_value} ({percent_text(share or 0)} del target)."


def _leps_text(year: LepsYear) -> str:
    met = year.counts.get(ComplianceStatus.MET, 0)
    return (
        f"{year.year}: {counted(year.groups, 'gruppo o équipe', 'gruppi ed équipe')} con un minimo LEPS, {met} lo "
        f"{plural(met, 'ha', 'hanno')} raggiunto al {year.as_of:%d/%m/%Y}."
    )


def build_final_report(data: ProjectFigures, *, names: bool) -> Report:
    partnership = data.partnership
    end = data.project.end
    project = [
        f"CUP {data.cup} · {MEASURE}.",
        f"Partenariato {partnership.name} ({partnership.code}), capofila {partnership.capofila.name}.",
        f"Il progetto ha concluso le attività {end.describe()}.",
        (
            f"Progetto chiuso il {data.closed_on:%d/%m/%Y}: registri, fogli ore, costi e piani non si modificano più."
            if data.closed_at is not None
            else "Il progetto non è ancora chiuso: le cifre possono ancora cambiare."
        ),
    ]
    activities = [
        (
            f"{counted(data.sessions, 'incontro svolto', 'incontri svolti')} con registro confermato, "
            f"{hours_text(data.delivered)} ore erogate su {hours_text(data.planned)} "
            f"{plural(data.planned, 'pianificata', 'pianificate')} per il progetto."
        )
    ]
    money = [
        (
            f"Imputato al CUP {euro_text(sum((line.charged for line in data.money), ZERO))}; maturato "
            f"sulle ore erogate {euro_text(sum((line.accrued for line in data.money), ZERO))}."
        )
    ]
    leps = [_leps_text(year) for year in data.leps] or ["Nessun gruppo dei POA è imputato al progetto."]
    chapters = [
        Chapter("1. Il progetto", project, [_dates_table(data, names=names)]),
        Chapter("2. Attività e ore per tipo", activities, [hours_table(data)]),
        Chapter("3. Persone supervisionate e target", [_target_text(data)], [people_table(data)]),
        Chapter("4. Spesa per contratto", money, [money_table(data)]),
        Chapter(
            "5. Minimi LEPS per anno",
            leps,
            [leps_table(data), groups_table(data)] if names else [leps_table(data)],
        ),
        wellbeing_chapter(data),
    ]
    return Report(
        title=f"Relazione finale del progetto PNRR · CUP {data.cup}",
        subject=partnership.name,
        period=f"CUP {data.cup}",
        generated=clock.localnow(),
        chapters=chapters,
    )


def final_report_pdf(data: ProjectFigures, *, names: bool) -> bytes:
    return report_pdf(build_final_report(data, names=names))


def final_report_docx(data: ProjectFigures, *, names: bool) -> bytes:
    return report_docx(build_final_report(data, names=names))
