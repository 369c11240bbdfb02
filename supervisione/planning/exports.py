"""The POA in the layout of the Piattaforma Multifondo: JSON, XLSX and PDF from the same figures.

The Ministry's form is not published as a field list; the sections follow what the POA asks of ATS (header,
staff base by employer and contract, A1/A2/A3 tables, supervisors, costs by funding source, timeline) and
the files say that the layout is to be checked against the form on the platform.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone
from openpyxl import Workbook

from supervisione.census.models import Census, Contract, Position, Profession
from supervisione.leps.parameters import Prorate
from supervisione.lib import clock
from supervisione.lib.exports import (
    DATE_FORMAT,
    EURO,
    EURO_FORMAT,
    HOURS,
    LABEL_FONT,
    TITLE_FONT,
    append,
    put,
    set_widths,
    workbook_bytes,
    write_table,
)
from supervisione.lib.italian import MONTHS, euro_text
from supervisione.lib.pdf import render_pdf
from supervisione.planning.ats_poa import split_plan
from supervisione.planning.models import GroupKind, PlanStatus
from supervisione.planning.plan_page import GroupRow, PlanPage
from supervisione.planning.split_table import KINDS, SplitTable, split_json, split_table
from supervisione.supervisors.models import Supervisor
from supervisione.territory.models import OrganisationKind

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LAYOUT_NOTE = (
    "Tracciato ricostruito dalle sezioni del POA sulla Piattaforma Multifondo: verificare i campi sul modulo "
    "della piattaforma prima di trascriverli."
)


@dataclass(frozen=True)
class StaffLine:
    employer: str
    employer_kind: str
    contract: str
    profession: str
    people: int
    fte: Decimal


def staff_base(censuses: list[Census], full_time_hours: Decimal) -> list[StaffLine]:
    """People and FTE of the plan's censuses by employer, contract and profession (one query)."""
    rows = (
        Position.objects.filter(census__in=censuses)
        .values("employer__name", "employer__kind", "contract", "person__profession")
        .annotate(people=Count("person", distinct=True), hours=Sum("weekly_hours"))
        .order_by("employer__name", "contract", "person__profession")
    )
    contracts = dict(Contract.choices)
    professions = dict(Profession.choices)
    kinds = dict(OrganisationKind.choices)
    return [
        StaffLine(
            employer=row["employer__name"],
            employer_kind=str(kinds.get(row["employer__kind"], row["employer__kind"])),
            contract=str(contracts.get(row["contract"], row["contract"])),
            profession=str(professions.get(row["person__profession"], row["person__profession"])),
            people=row["people"],
            fte=(row["hours"] / full_time_hours).quantize(Decimal("0.01")) if row["hours"] else Decimal(0),
        )
        for row in rows
    ]


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _supervisor_groups(page: PlanPage) -> dict[int, list[GroupRow]]:
    groups: dict[int, list[GroupRow]] = {}
    for row in page.rows:
        if row.group.supervisor_id:
            groups.setdefault(row.group.supervisor_id, []).append(row)
    return groups


def supervisees_by_profession(page: PlanPage) -> dict[str, int]:
    """Distinct people in any group of the plan, by profession."""
    seen: dict[int, str] = {}
    for row in page.rows:
        for member in row.members:
            seen.setdefault(member.person_id, member.person.profession)
    counts: dict[str, int] = {}
    for profession in seen.values():
        counts[profession] = counts.get(profession, 0) + 1
    return dict(sorted(counts.items()))


def poa_json(page: PlanPage, split: SplitTable) -> dict[str, Any]:
    """The POA as data, its sections in the order of the form: header, scope, groups, supervisors, costs, the part
    of each ATS, check."""
    return {
        **_json_header(page),
        **_json_scope(page),
        "group_list": _json_groups(page),
        "supervisors": [
            {
                "name": str(supervisor),
                "profession": supervisor.get_profession_display(),
                "albo": supervisor.albo_text,
                "provider": supervisor.provider.name if supervisor.provider else "",
                "groups": [row.group.name for row in rows],
            }
            for supervisor, rows in _supervisors_with_groups(page)
        ],
        "costs_by_source": {
            line.key: {
                "label": line.label,
                "hours": _number(line.hours),
                "planned": _number(line.planned),
                "funds": _number(line.funds),
                "other_years": _number(line.other_plans),
                "residual": _number(line.residual),
            }
            for line in page.costs
        },
        "total_cost": _number(page.total_cost),
        "budget": _number(page.budget),
        "per_ambito": split_json(split, _number),
        "shortfalls": [
            {
                "kind": item.kind.value,
                "group": item.group_name,
                "type": item.supervision_type.value if item.supervision_type else None,
                "required": _number(item.required),
                "actual": _number(item.actual),
                "text": text,
            }
            for item, text in zip(page.shortfalls, page.shortfall_texts, strict=True)
        ],
        "problems": page.problems,
        "warnings": page.warnings,
    }


def _json_header(page: PlanPage) -> dict[str, Any]:
    """Who the plan is of, its period and where it stands."""
    plan = page.plan
    owner = plan.tenant
    partnership = plan.partnership
    return {
        "layout_note": LAYOUT_NOTE,
        "year": plan.year,
        "version": plan.version,
        "status": plan.status,
        "partnership": partnership.code if partnership else None,
        "ambito": plan.ambito.code if plan.ambito else None,
        "owner": {"code": owner.code, "name": owner.name},
        "capofila": partnership.capofila.code if partnership else (plan.ambito.code if plan.ambito else None),
        "cup": partnership.cup if partnership else "",
        "ambiti": [ambito.code for ambito in page.ambiti],
        "period": {"first_month": plan.first_month, "last_month": plan.last_month, "months": plan.months_covered},
        "prorate": page.rules.prorate.value,
        "deadline": plan.deadline.isoformat(),
        "submitted_at": timezone.localtime(plan.submitted_at).isoformat() if plan.submitted_at else None,
        "approved_at": timezone.localtime(plan.approved_at).isoformat() if plan.approved_at else None,
        "approval_act": plan.approval_act,
    }


def _json_scope(page: PlanPage) -> dict[str, Any]:
    """The censuses the plan reads, who is in its groups, and its hours per type against the minimums."""
    a1_people = {member.person_id for row in page.a1_rows for member in row.members}
    social_workers = {person.person_id for person in page.social_workers}
    return {
        "censuses": [
            {"ambito": census.ambito.code, "campaign": census.campaign.title, "status": census.status}
            for census in page.censuses
        ],
        "as_in_scope": len(social_workers),
        "as_in_groups": len(social_workers & a1_people),
        "groups": {"A1": len(page.a1_rows), "A3": len(page.a3_rows), "extra": len(page.extra_rows)},
        "equipes": len(page.a3_rows),
        "hours": {
            kind: {"minimum": _number(item.minimum), "planned": _number(item.planned)}
            for kind, item in page.hours.items()
        },
        "supervisees_by_profession": supervisees_by_profession(page),
    }


def _json_groups(page: PlanPage) -> list[dict[str, Any]]:
    return [
        {
            "name": row.group.name,
            "type": row.kind,
            "members": row.member_count,
            "by_ambito": dict(row.by_ambito),
            "minimum": _number(row.minimum),
            "planned": _number(row.group.planned_hours),
            "a2_pool": _number(row.group.a2_pool_hours) if row.kind == GroupKind.A1 else None,
            "supervisor": str(row.group.supervisor) if row.group.supervisor else None,
            "cost": _number(row.total_cost),
        }
        for row in page.rows
    ]


def _supervisors_with_groups(page: PlanPage) -> list[tuple[Supervisor, list[GroupRow]]]:
    groups = _supervisor_groups(page)
    return [(supervisor, groups.get(supervisor.pk, [])) for supervisor in page.supervisors]


# --- XLSX --------------------------------------------------------------------------------------------------


def _money(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"))


def _hours(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"))


def header_rows(page: PlanPage) -> list[tuple[str, Any]]:
    plan = page.plan
    partnership = plan.partnership
    owner = plan.tenant
    rows: list[tuple[str, Any]] = [
        ("Anno", plan.year),
        ("Versione", plan.version),
        ("Stato", plan.get_status_display()),
        ("Titolare", f"{owner.name} ({owner.code})"),
    ]
    if partnership is not None:
        rows += [
            ("ATS capofila", f"{partnership.capofila.name} ({partnership.capofila.code})"),
            ("Misura", partnership.get_measure_display()),
            ("CUP", partnership.cup or "non indicato"),
        ]
    rows += [
        ("ATS coinvolti", ", ".join(f"{a.name} ({a.code})" for a in page.ambiti)),
        ("Periodo", plan.period_text),
        (
            "Riproporzionamento dei minimi",
            "in proporzione ai mesi coperti" if page.rules.prorate == Prorate.BY_MONTHS else "nessuno",
        ),
        ("Da trasmettere entro", plan.deadline),
        ("Trasmesso il", timezone.localtime(plan.submitted_at).date() if plan.submitted_at else "non ancora"),
        ("Approvato il", timezone.localtime(plan.approved_at).date() if plan.approved_at else "non ancora"),
        ("Atto di approvazione", plan.approval_act or ""),
        ("Importo programmato (EUR)", _money(page.total_cost)),
        ("Assistenti sociali nel piano", len(page.social_workers)),
        ("Note", LAYOUT_NOTE),
    ]
    return rows


def poa_xlsx(page: PlanPage, staff: list[StaffLine], split: SplitTable) -> bytes:
    """The POA as a workbook, a sheet per section of the form."""
    workbook = Workbook()
    _header_sheet(workbook, page)
    _staff_sheet(workbook, staff)
    _a1_sheet(workbook, page)
    _a2_sheet(workbook, page)
    _a3_sheet(workbook, page)
    if page.extra_rows:
        _extra_sheet(workbook, page)
    _supervisors_sheet(workbook, page)
    _costs_sheet(workbook, page)
    _split_sheet(workbook, split)
    _timeline_sheet(workbook, page)
    _check_sheet(workbook, page)
    return workbook_bytes(workbook, title=str(page.plan))


def _header_sheet(workbook: Workbook, page: PlanPage) -> None:
    """The plan's identity, period and state, a label and a value a row."""
    sheet = workbook.active
    assert sheet is not None  # noqa: S101  (a new workbook has one sheet)
    sheet.title = "Intestazione"
    append(sheet, [f"Piano Operativo Analitico (POA) {page.plan.year} - supervisione del personale (LEPS 2.7.2)"])
    sheet["A1"].font = TITLE_FONT
    sheet.append([])
    for label, value in header_rows(page):
        append(sheet, [label, value])
        cell = sheet.cell(row=sheet.max_row, column=2)
        if isinstance(value, datetime.date):
            cell.number_format = DATE_FORMAT
        elif isinstance(value, Decimal):
            cell.number_format = EURO_FORMAT
        sheet.cell(row=sheet.max_row, column=1).font = LABEL_FONT
    set_widths(sheet, [32, 90])


def _staff_sheet(workbook: Workbook, staff: list[StaffLine]) -> None:
    """The staff of the plan's censuses by employer, contract and profession."""
    write_table(
        workbook.create_sheet("Personale"),
        ["Ente datore di lavoro", "Tipo di ente", "Contratto", "Profilo professionale", "Persone", "FTE"],
        [[s.employer, s.employer_kind, s.contract, s.profession, s.people, s.fte] for s in staff],
        [40, 30, 28, 30, 10, 10],
        formats=[None, None, None, None, None, HOURS],  # FTE with two decimals, not euro
    )


def _a1_sheet(workbook: Workbook, page: PlanPage) -> None:
    """The A1 groups: participants by ATS, hours against the minimum, supervisor, contract, cost."""
    write_table(
        workbook.create_sheet("A1"),
        [
            "Gruppo",
            "ATS dei partecipanti",
            "Partecipanti",
            "Ore minime",
            "Ore pianificate",
            "Supervisore",
            "Contratto",
            "Fonte",
            "Costo (EUR)",
        ],
        [
            [
                row.group.name,
                ", ".join(f"{name} {count}" for name, count in row.by_ambito),
                row.member_count,
                _hours(row.minimum),
                _hours(row.group.planned_hours),
                str(row.group.supervisor or "da assegnare"),
                row.group.contract.title if row.group.contract else "",
                str(row.group.funding or ""),
                _money(row.cost),
            ]
            for row in page.a1_rows
        ],
        [18, 40, 12, 11, 13, 24, 40, 40, 14],
    )


def _a2_sheet(workbook: Workbook, page: PlanPage) -> None:
    """The A2 pool of each A1 group: its minimum, what is planned and moved, its cost."""
    write_table(
        workbook.create_sheet("A2"),
        [
            "Gruppo A1",
            "Beneficiari potenziali",
            "Monte ore minimo",
            "Monte ore pianificato",
            "Ore spostate",
            "Supervisore",
            "Costo (EUR)",
        ],
        [
            [
                row.group.name,
                row.member_count,
                _hours(row.a2_minimum),
                _hours(row.group.a2_pool_hours),
                _hours(row.moved_out),
                str(row.group.supervisor or "da assegnare"),
                _money(row.a2_cost),
            ]
            for row in page.a1_rows
        ],
        [18, 14, 14, 16, 12, 24, 14],
    )


def _a3_sheet(workbook: Workbook, page: PlanPage) -> None:
    """The équipes (A3): their composition, hours against the minimum, supervisor, cost."""
    write_table(
        workbook.create_sheet("A3"),
        ["Équipe", "ATS", "Composizione", "Ore minime", "Ore pianificate", "Supervisore", "Costo (EUR)"],
        [
            [
                row.group.name,
                row.group.equipe.ambito.name if row.group.equipe else "",
                ", ".join(f"{name} {count}" for name, count in row.by_profession),
                _hours(row.minimum),
                _hours(row.group.planned_hours),
                str(row.group.supervisor or "da assegnare"),
                _money(row.cost),
            ]
            for row in page.a3_rows
        ],
        [40, 24, 50, 11, 13, 24, 14],
    )


def _extra_sheet(workbook: Workbook, page: PlanPage) -> None:
    """The groups beyond the LEPS (only for a plan that has some)."""
    write_table(
        workbook.create_sheet("Extra-LEPS"),
        ["Gruppo", "Professione", "Partecipanti", "Ore pianificate", "Supervisore", "Costo (EUR)"],
        [
            [
                row.group.name,
                row.group.get_profession_display(),
                row.member_count,
                _hours(row.group.planned_hours),
                str(row.group.supervisor or "da assegnare"),
                _money(row.cost),
            ]
            for row in page.extra_rows
        ],
        [30, 26, 12, 13, 24, 14],
    )


def _supervisors_sheet(workbook: Workbook, page: PlanPage) -> None:
    """Each supervisor, their groups and the dates of their declarations."""
    write_table(
        workbook.create_sheet("Supervisori"),
        ["Supervisore", "Codice fiscale", "Professione", "Albo", "Esterno", "Ente", "Gruppi", "Dichiarazione"],
        [
            [
                str(supervisor),
                supervisor.tax_code,
                supervisor.get_profession_display(),
                supervisor.albo_text,
                "sì" if supervisor.external else "no",
                supervisor.provider.name if supervisor.provider else "",
                ", ".join(row.group.name for row in rows),
                ", ".join(
                    sorted(
                        {
                            f"firmata il {row.group.declaration.signed_on:%d/%m/%Y}"
                            for row in rows
                            if row.group.declaration
                        }
                    )
                ),
            ]
            for supervisor, rows in _supervisors_with_groups(page)
        ],
        [24, 20, 28, 36, 9, 28, 50, 24],
    )


def _costs_sheet(workbook: Workbook, page: PlanPage) -> None:
    """Costs by funding source against the contracts' funds, with a total."""
    write_table(
        workbook.create_sheet("Costi"),
        [
            "Fonte di finanziamento",
            "Ore",
            "Costo pianificato (EUR)",
            "Fondi dei contratti (EUR)",
            "Già in altri POA approvati (EUR)",
            "Residuo (EUR)",
            "Quote FNPS degli ATS",
        ],
        [
            [
                line.label,
                _hours(line.hours),
                _money(line.planned),
                _money(line.funds),
                _money(line.other_plans),
                _money(line.residual),
                "; ".join(f"{name} {euro_text(amount)}" for name, amount in line.fnps_quotas),
            ]
            for line in page.costs
        ]
        + [["Totale", _hours(sum((line.hours for line in page.costs), Decimal(0))), _money(page.total_cost)]],
        [44, 10, 20, 20, 24, 16, 22],
    )


def _split_sheet(workbook: Workbook, split: SplitTable) -> None:
    """Each ATS's part of the plan (what it files as its own POA), then its cost per funding source. Hours to the
    hundredth, as they are split, so that the parts visibly add up to the plan's."""
    sheet = workbook.create_sheet("Per ATS")
    put(sheet, 1, 1, split.note)
    headers = ["ATS", "Codice", "Assistenti sociali", *(f"Ore {kind}" for kind in ("A1", "A2", "A3"))]
    headers += ["Ore extra-LEPS", "Ore totali", "Minimo LEPS (ore)", "Costo (EUR)"]
    rows = [
        [
            line.label,
            line.code,
            line.social_workers,
            *(line.hours[kind] for kind in KINDS),
            line.total_hours,
            line.minimum,
            _money(line.cost),
        ]
        for line in split.lines
    ]
    widths = [44, 16, 12, 10, 10, 10, 12, 12, 14, 16]
    end = write_table(sheet, headers, rows, widths, start=3, formats=[None, None, None, *[HOURS] * 6, EURO])
    sources = [
        [line.label, source.label, source.hours, _money(source.planned)]
        for line in split.lines
        for source in line.sources
    ]
    # The first table's code column is as wide as a source's name.
    write_table(
        sheet,
        ["ATS", "Fonte di finanziamento", "Ore", "Costo (EUR)"],
        sources,
        [44, 44, 12, 14],
        start=end + 2,
        formats=[None, None, HOURS, EURO],
    )


def _timeline_sheet(workbook: Workbook, page: PlanPage) -> None:
    """The indicative schedule: planned hours per month and type."""
    write_table(
        workbook.create_sheet("Cronoprogramma"),
        ["Mese", "Ore A1", "Ore A2 (monte)", "Ore A3", "Ore extra-LEPS"],
        timeline(page),
        [14, 10, 14, 10, 14],
    )


def _check_sheet(workbook: Workbook, page: PlanPage) -> None:
    """The shortfalls, problems and warnings of the plan, or that it meets the minimums."""
    write_table(
        workbook.create_sheet("Verifica"),
        ["Esito", "Descrizione"],
        [["Carenza LEPS", text] for text in page.shortfall_texts]
        + [["Da risolvere", text] for text in page.problems]
        + [["Avviso", text] for text in page.warnings]
        or [["Conforme", "Il piano raggiunge i minimi LEPS 2.7.2 in ogni gruppo."]],
        [16, 120],
    )


def timeline(page: PlanPage) -> list[list[Any]]:
    """Planned hours spread evenly over the months covered: an indicative schedule, as the POA asks for one."""
    plan = page.plan
    months = plan.months_covered
    per_month = {
        kind: (item.planned / months).quantize(Decimal("0.1")) if months else Decimal(0)
        for kind, item in page.hours.items()
    }
    return [
        [MONTHS[number - 1].capitalize(), per_month["A1"], per_month["A2"], per_month["A3"], per_month["extra"]]
        for number in range(plan.first_month, plan.last_month + 1)
    ]


# --- PDF ---------------------------------------------------------------------------------------------------


def poa_pdf(page: PlanPage, staff: list[StaffLine], split: SplitTable) -> bytes:
    return render_pdf(
        "planning/poa_pdf.html",
        {
            "page": page,
            "split": split,
            "plan": page.plan,
            "header": header_rows(page),
            "staff": staff,
            "supervisors": _supervisors_with_groups(page),
            "timeline": timeline(page),
            "generated": clock.localnow(),
            "layout_note": LAYOUT_NOTE,
            "is_draft": page.plan.status in (PlanStatus.DRAFT, PlanStatus.SUBMITTED),
        },
    )


def export(page: PlanPage, fmt: str, visible: Callable[[int], bool] | None = None) -> tuple[bytes, str]:
    """The file and its content type, for the web and for ``manage.py export_poa``; the part of each ATS only for
    the ATS ``visible`` accepts (every ATS when it is None)."""
    split = split_table(split_plan(page), visible)
    if fmt == "json":
        return json.dumps(poa_json(page, split), ensure_ascii=False, indent=2).encode(), "application/json"
    staff = staff_base(page.censuses, page.rules.full_time_hours)
    if fmt == "xlsx":
        return poa_xlsx(page, staff, split), XLSX_CONTENT_TYPE
    if fmt == "pdf":
        return poa_pdf(page, staff, split), "application/pdf"
    raise ValueError(fmt)


def filename(page: PlanPage, fmt: str) -> str:
    plan = page.plan
    return f"POA-{plan.year}-{plan.owner_code}-v{plan.version}.{fmt}"
