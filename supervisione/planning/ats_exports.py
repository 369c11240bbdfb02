"""One ATS's POA in the Multifondo layout (XLSX and PDF): the sections of the partnership's export
(``planning.exports``), each with the ATS's part of the plan (``planning.ats_poa``) and how it was shared."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook

from supervisione.lib import clock
from supervisione.lib.exports import (
    DATE_FORMAT,
    EURO,
    EURO_FORMAT,
    HOURS,
    HOURS_FORMAT,
    LABEL_FONT,
    TITLE_FONT,
    append,
    set_widths,
    workbook_bytes,
    write_table,
)
from supervisione.lib.italian import MONTHS
from supervisione.lib.pdf import render_pdf
from supervisione.planning.ats_poa import AtsPoa, GroupShare
from supervisione.planning.exports import LAYOUT_NOTE, XLSX_CONTENT_TYPE, StaffLine, staff_base
from supervisione.planning.models import PlanStatus
from supervisione.planning.multifondo import NO_DEADLINE, MultifondoFiling

SPLIT_NOTE = (
    "I gruppi con partecipanti di più ATS sono ripartiti per numero di partecipanti (es. 3 di 12: 25 %): ore al "
    "centesimo e costi al centesimo di euro, arrotondati con il metodo dei resti maggiori, così che le parti di "
    "ogni ATS sommino esattamente le cifre del piano del partenariato."
)
CENT = Decimal("0.01")


def _money(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT)


def filing_text(filing: MultifondoFiling) -> str:
    if not filing.is_recorded:
        return "da compilare (nessuno stato registrato)"
    return f"{filing.get_status_display().lower()} dal {filing.status_on:%d/%m/%Y}"


def header_rows(poa: AtsPoa, filing: MultifondoFiling) -> list[tuple[str, Any]]:
    plan = poa.plan
    partnership = plan.partnership
    ambito = poa.ambito
    rows: list[tuple[str, Any]] = [
        ("Anno", plan.year),
        ("ATS", f"{ambito.name} ({ambito.code})"),
    ]
    if poa.is_own_plan or partnership is None:
        rows.append(("Piano", f"Piano dell'ATS, versione {plan.version}"))
    else:
        rows += [
            ("Piano del partenariato", f"{partnership.name} ({partnership.code}), versione {plan.version}"),
            ("ATS capofila", f"{partnership.capofila.name} ({partnership.capofila.code})"),
            ("Misura", partnership.get_measure_display()),
            ("CUP", partnership.cup or "non indicato"),
        ]
    rows += [
        ("Stato del piano", plan.get_status_display()),
        ("Periodo", plan.period_text),
        ("Approvato il", timezone.localtime(plan.approved_at).date() if plan.approved_at else "non ancora"),
        ("Atto di approvazione", plan.approval_act or ""),
        ("Scadenza Multifondo", filing.deadline or NO_DEADLINE),
        ("Invio su Multifondo", filing_text(filing)),
        ("Protocollo dell'invio", filing.protocol or ""),
        (
            "Dichiarazione di avvio attività",
            (
                f"{filing.start_declaration_on:%d/%m/%Y}"
                + (f", protocollo {filing.start_declaration_protocol}" if filing.start_declaration_protocol else "")
            )
            if filing.start_declaration_on
            else "",
        ),
        ("Importo programmato (EUR)", _money(poa.total_cost)),
        ("Ore pianificate", poa.total_hours),
        ("Assistenti sociali dell'ATS nel piano", len(poa.social_workers)),
        ("Ripartizione", "Piano dell'ATS: nessuna ripartizione." if poa.is_own_plan else SPLIT_NOTE),
        ("Note", LAYOUT_NOTE),
    ]
    return rows


def ats_xlsx(poa: AtsPoa, filing: MultifondoFiling, staff: list[StaffLine]) -> bytes:
    """The ATS's POA as a workbook, a sheet per section, like the partnership's."""
    workbook = Workbook()
    _header_sheet(workbook, poa, filing)
    write_table(
        workbook.create_sheet("Personale"),
        ["Ente datore di lavoro", "Tipo di ente", "Contratto", "Profilo professionale", "Persone", "FTE"],
        [[s.employer, s.employer_kind, s.contract, s.profession, s.people, s.fte] for s in staff],
        [40, 30, 28, 30, 10, 10],
        formats=[None, None, None, None, None, HOURS],
    )
    _a1_sheet(workbook, poa.a1_shares)
    _a2_sheet(workbook, poa.a1_shares)
    _a3_sheet(workbook, poa.a3_shares)
    if poa.extra_shares:
        _extra_sheet(workbook, poa.extra_shares)
    _supervisors_sheet(workbook, poa)
    _costs_sheet(workbook, poa)
    write_table(
        workbook.create_sheet("Cronoprogramma"),
        ["Mese", "Ore A1", "Ore A2 (monte)", "Ore A3", "Ore extra-LEPS"],
        timeline(poa),
        [14, 10, 14, 10, 14],
        formats=[None, HOURS, HOURS, HOURS, HOURS],
    )
    write_table(
        workbook.create_sheet("Verifica"),
        ["Esito", "Descrizione"],
        [["Da verificare", text] for text in poa.checks]
        or [["Conforme", "La parte dell'ATS raggiunge i minimi LEPS 2.7.2 in ogni gruppo."]],
        [16, 120],
        formats=[],
    )
    return workbook_bytes(workbook, title=f"POA {poa.plan.year} di {poa.ambito.name}")


def _header_sheet(workbook: Workbook, poa: AtsPoa, filing: MultifondoFiling) -> None:
    sheet = workbook.active
    assert sheet is not None  # noqa: S101  (a new workbook has one sheet)
    sheet.title = "Intestazione"
    append(
        sheet,
        [f"POA {poa.plan.year} di {poa.ambito.name} ({poa.ambito.code}) - supervisione del personale (LEPS 2.7.2)"],
    )
    sheet["A1"].font = TITLE_FONT
    sheet.append([])
    for label, value in header_rows(poa, filing):
        append(sheet, [label, value])
        cell = sheet.cell(row=sheet.max_row, column=2)
        if isinstance(value, datetime.date):
            cell.number_format = DATE_FORMAT
        elif isinstance(value, Decimal):
            cell.number_format = EURO_FORMAT if label.endswith("(EUR)") else HOURS_FORMAT
        sheet.cell(row=sheet.max_row, column=1).font = LABEL_FONT
    set_widths(sheet, [36, 90])


def _supervisor(share: GroupShare) -> str:
    return str(share.group.supervisor or "da assegnare")


def _a1_sheet(workbook: Workbook, shares: list[GroupShare]) -> None:
    write_table(
        workbook.create_sheet("A1"),
        [
            "Gruppo",
            "Partecipanti dell'ATS",
            "Partecipanti del gruppo",
            "Quota dell'ATS",
            "Ore minime (quota)",
            "Ore pianificate (quota)",
            "Ore del gruppo",
            "Supervisore",
            "Contratto",
            "Fonte",
            "Costo (EUR, quota)",
        ],
        [
            [
                s.group.name,
                s.member_count,
                s.total_members,
                s.share_text,
                s.minimum,
                s.hours,
                s.group.planned_hours,
                _supervisor(s),
                s.group.contract.title if s.group.contract else "",
                str(s.group.funding or ""),
                _money(s.cost),
            ]
            for s in shares
        ],
        [18, 12, 12, 30, 12, 14, 11, 24, 36, 36, 14],
        formats=[None, None, None, None, HOURS, HOURS, HOURS, None, None, None, EURO],
    )


def _a2_sheet(workbook: Workbook, shares: list[GroupShare]) -> None:
    write_table(
        workbook.create_sheet("A2"),
        [
            "Gruppo A1",
            "Beneficiari potenziali dell'ATS",
            "Quota dell'ATS",
            "Monte ore minimo (quota)",
            "Monte ore pianificato (quota)",
            "Monte ore del gruppo",
            "Supervisore",
            "Costo (EUR, quota)",
        ],
        [
            [
                s.group.name,
                s.member_count,
                s.share_text,
                s.a2_minimum,
                s.a2_hours,
                s.group.a2_pool_hours,
                _supervisor(s),
                _money(s.a2_cost),
            ]
            for s in shares
        ],
        [18, 14, 30, 14, 16, 14, 24, 14],
        formats=[None, None, None, HOURS, HOURS, HOURS, None, EURO],
    )


def _a3_sheet(workbook: Workbook, shares: list[GroupShare]) -> None:
    write_table(
        workbook.create_sheet("A3"),
        [
            "Équipe",
            "Composizione (del gruppo)",
            "Quota dell'ATS",
            "Ore minime (quota)",
            "Ore pianificate (quota)",
            "Supervisore",
            "Costo (EUR, quota)",
        ],
        [
            [
                s.group.name,
                ", ".join(f"{name} {count}" for name, count in s.row.by_profession),
                s.share_text,
                s.minimum,
                s.hours,
                _supervisor(s),
                _money(s.cost),
            ]
            for s in shares
        ],
        [40, 44, 30, 12, 14, 24, 14],
        formats=[None, None, None, HOURS, HOURS, None, EURO],
    )


def _extra_sheet(workbook: Workbook, shares: list[GroupShare]) -> None:
    write_table(
        workbook.create_sheet("Extra-LEPS"),
        ["Gruppo", "Professione", "Quota dell'ATS", "Ore pianificate (quota)", "Supervisore", "Costo (EUR, quota)"],
        [
            [s.group.name, s.group.get_profession_display(), s.share_text, s.hours, _supervisor(s), _money(s.cost)]
            for s in shares
        ],
        [30, 26, 30, 14, 24, 14],
        formats=[None, None, None, HOURS, None, EURO],
    )


def _supervisors_sheet(workbook: Workbook, poa: AtsPoa) -> None:
    groups: dict[int, list[str]] = {}
    for share in poa.shares:
        if share.group.supervisor_id:
            groups.setdefault(share.group.supervisor_id, []).append(share.group.name)
    write_table(
        workbook.create_sheet("Supervisori"),
        ["Supervisore", "Codice fiscale", "Professione", "Albo", "Esterno", "Ente", "Gruppi dell'ATS"],
        [
            [
                str(supervisor),
                supervisor.tax_code,
                supervisor.get_profession_display(),
                supervisor.albo_text,
                "sì" if supervisor.external else "no",
                supervisor.provider.name if supervisor.provider else "",
                ", ".join(groups.get(supervisor.pk, [])),
            ]
            for supervisor in poa.supervisors
        ],
        [24, 20, 28, 36, 9, 28, 50],
        formats=[],
    )


def _costs_sheet(workbook: Workbook, poa: AtsPoa) -> None:
    write_table(
        workbook.create_sheet("Costi"),
        ["Fonte di finanziamento", "Ore (quota)", "Costo pianificato (EUR, quota)"],
        [[line.label, line.hours, _money(line.planned)] for line in poa.costs]
        + [["Totale", poa.total_hours, _money(poa.total_cost)]],
        [44, 14, 24],
        formats=[None, HOURS, EURO],
    )


def timeline(poa: AtsPoa) -> list[list[Any]]:
    """The ATS's hours spread evenly over the months covered (indicative, as the partnership's)."""
    plan = poa.plan
    months = plan.months_covered
    per_month = {kind: (item.planned / months).quantize(CENT) for kind, item in poa.hours.items()}
    return [
        [MONTHS[number - 1].capitalize(), per_month["A1"], per_month["A2"], per_month["A3"], per_month["extra"]]
        for number in range(plan.first_month, plan.last_month + 1)
    ]


def ats_pdf(poa: AtsPoa, filing: MultifondoFiling, staff: list[StaffLine]) -> bytes:
    return render_pdf(
        "planning/ats_poa_pdf.html",
        {
            "poa": poa,
            "plan": poa.plan,
            "filing": filing,
            "header": header_rows(poa, filing),
            "staff": staff,
            "timeline": timeline(poa),
            "generated": clock.localnow(),
            "layout_note": LAYOUT_NOTE,
            "split_note": SPLIT_NOTE,
            "is_draft": poa.plan.status in (PlanStatus.DRAFT, PlanStatus.SUBMITTED),
        },
    )


def export(poa: AtsPoa, filing: MultifondoFiling, fmt: str) -> tuple[bytes, str]:
    census = poa.census
    staff = staff_base([census] if census is not None else [], poa.page.rules.full_time_hours)
    if fmt == "xlsx":
        return ats_xlsx(poa, filing, staff), XLSX_CONTENT_TYPE
    if fmt == "pdf":
        return ats_pdf(poa, filing, staff), "application/pdf"
    raise ValueError(fmt)


def filename(poa: AtsPoa, fmt: str) -> str:
    plan = poa.plan
    source = "" if poa.is_own_plan else f"-{plan.owner_code}"
    return f"POA-{plan.year}-{poa.ambito.code}{source}-v{plan.version}.{fmt}"
