"""The SIOSS export of an ATS for a year: the supervision quota's programming and reporting, and the c. 797
prospetto computed over the year beside the snapshot at a date.

SIOSS's own layout for the supervision quota is not published as a file specification: the sheet follows our
reading of the project (Scheda LEPS 2.7.2, Piano nazionale 2024-2026) and says so on each part that is ours.

The c. 797 prospetto filed by 28 February counts each social worker for the days of the year in service
(``leps.ratio.year_fte``): last year's actual figures and this year's forecast, from the census positions'
start and end dates and weekly hours; the snapshot is the census at a date (``census.queries.ratios``). Each
year's figures, and the snapshot, come from the census that covers it (``census.queries.census_covering``: the
latest up to the year's end, or the day), named on its row: never an older census that misses who came since,
nor a later one that has dropped who left during the year.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from supervisione.census.models import C797_Q, SOCIAL_WORKER_Q, Census, Position
from supervisione.census.queries import census_covering, ratios
from supervisione.funding.models import LedgerEntry, Stage
from supervisione.leps.choices import ProfessionChoices, SupervisionTypeChoices
from supervisione.leps.parameters import rules_at
from supervisione.leps.ratio import RatioAssessment, ServicePeriod, assess_ratio, year_fte
from supervisione.leps.shares import HOUR_HUNDREDTH, split_by_head_count
from supervisione.lib.exports import (
    EURO_FORMAT,
    HOURS_FORMAT,
    LABEL_FONT,
    NOTE_FONT,
    SUBTITLE_FONT,
    append,
    set_widths,
    style_header,
    workbook_bytes,
)
from supervisione.planning.models import PlanGroup, PlanMember, PlanStatus
from supervisione.sessions.models import Session
from supervisione.sessions.usage import CONFIRMED, minutes_to_hours
from supervisione.territory.models import Ambito
from supervisione.territory.queries import populations_at

OUR_READING = "lettura del progetto, da verificare sul tracciato SIOSS"
HOURS_NOTE = (
    "registri confermati; la parte dell'ATS: per intero gli incontri del solo personale dell'ATS, per numero di "
    f"partecipanti quelli dei gruppi con più ATS, come nel POA dell'ATS; {OUR_READING}"
)


@dataclass(frozen=True)
class YearRatio:
    """c. 797 over one year: FTE weighted by days in service."""

    label: str  # "consuntivo 2025", "previsione 2026"
    year: int
    population: int
    as_fte: Decimal
    permanent_fte: Decimal
    assessment: RatioAssessment
    census: Census  # the census its positions come from


@dataclass(frozen=True)
class Sioss:
    ambito: Ambito
    year: int
    census: Census | None  # of the snapshot
    ledger: dict[str, Decimal]  # stage -> amount of the acts dated in the year
    beneficiaries: dict[str, int]  # profession -> people in the year's plan groups
    hours: dict[str, Decimal]  # supervision type -> the ATS's part of the confirmed hours of the year
    over_year: list[YearRatio]
    snapshot: RatioAssessment | None
    snapshot_at: datetime.date


def _periods(census: Census, *filters: object) -> list[ServicePeriod]:
    rows = Position.objects.filter(*filters, census=census).values_list("weekly_hours", "start_date", "end_date")
    return [ServicePeriod(hours, start, end) for hours, start, end in rows]


def year_ratio(ambito: Ambito, census: Census, year: int, label: str) -> YearRatio:
    rules = rules_at(datetime.date(year, 12, 31))
    as_fte = year_fte(_periods(census, SOCIAL_WORKER_Q), year, rules)
    permanent = year_fte(_periods(census, C797_Q), year, rules)
    population = populations_at([ambito.pk], datetime.date(year, 12, 31))[ambito.pk].total
    assessment = assess_ratio(population, as_fte, permanent, rules)
    return YearRatio(label, year, population, as_fte, permanent, assessment, census)


def over_the_year(ambito: Ambito, year: int) -> list[YearRatio]:
    """Last year's actual figures and this year's forecast, each from the census that covers its year."""
    found = []
    for each, label in ((year - 1, f"consuntivo {year - 1}"), (year, f"previsione {year}")):
        census = census_covering(ambito, datetime.date(each, 12, 31))
        if census is not None:
            found.append(year_ratio(ambito, census, each, label))
    return found


def ambito_hours(ambito: Ambito, year: int) -> dict[str, Decimal]:
    """The ATS's own part of the confirmed hours of the year's plans, by type (four queries).

    A session of the ATS's people alone (``Session.ambito``: always so for A2 and A3) is wholly its own; a session
    of a group with members of several ATS is shared by head count, as the ATS's POA shares the group
    (``planning.ats_poa``: "3 di 8 partecipanti"), each group's hours to the hundredth by the largest remainder,
    so that the ATS's figures add up to the partnership's. A session of a group without members (no ATS yet)
    is nobody's."""
    sessions = Session.objects.filter(CONFIRMED, date__year=year, group__plan__year=year)
    hours: dict[str, Decimal] = defaultdict(Decimal)
    for row in sessions.filter(ambito=ambito).values("kind").annotate(minutes=Sum("minutes")):
        hours[row["kind"]] += minutes_to_hours(row["minutes"] or 0)
    groups = PlanGroup.objects.filter(memberships__ambito=ambito, plan__year=year).values("pk")
    shared = list(
        sessions.filter(ambito__isnull=True, group_id__in=groups)
        .values("group_id", "kind")
        .annotate(minutes=Sum("minutes"))
        .order_by("group_id", "kind")
    )
    heads = _heads_by_group([row["group_id"] for row in shared])
    for row in shared:
        parts = split_by_head_count(minutes_to_hours(row["minutes"] or 0), heads[row["group_id"]], HOUR_HUNDREDTH)
        hours[row["kind"]] += parts[ambito.pk]
    return dict(hours)


def _heads_by_group(group_ids: list[int]) -> dict[int, dict[int, int]]:
    """Members per ATS of each group, the ATS in the order of their names as the ATS's POA takes them (a
    hundredth left over goes to the first)."""
    heads: dict[int, dict[int, int]] = defaultdict(dict)
    rows = (
        PlanMember.objects.filter(group_id__in=group_ids)
        .values("group_id", "ambito_id", "ambito__name")
        .annotate(members=Count("pk"))
        .order_by("group_id", "ambito__name", "ambito_id")
    )
    for row in rows:
        heads[row["group_id"]][row["ambito_id"]] = row["members"]
    return heads


def sioss(ambito: Ambito, year: int, at: datetime.date) -> Sioss:
    """The figures of the export; ``at`` the day of the snapshot (today)."""
    census = census_covering(ambito, at)
    ledger = {
        row["stage"]: row["total"]
        for row in LedgerEntry.objects.filter(ambito=ambito, date__year=year)
        .values("stage")
        .annotate(total=Sum("amount"))
    }
    beneficiaries = {
        row["person__profession"]: row["people"]
        for row in PlanMember.objects.filter(ambito=ambito, plan__year=year)
        .exclude(plan__status=PlanStatus.SUPERSEDED)
        .values("person__profession")
        .annotate(people=Count("person", distinct=True))
    }
    hours = ambito_hours(ambito, year)
    snapshot = ratios({ambito.pk: census}, [ambito], at)[0].assessment if census is not None else None
    return Sioss(ambito, year, census, ledger, beneficiaries, hours, over_the_year(ambito, year), snapshot, at)


def _money(sheet: Worksheet, row: int, column: int) -> None:
    sheet.cell(row=row, column=column).number_format = EURO_FORMAT


def sioss_xlsx(data: Sioss) -> bytes:
    workbook = Workbook()
    sheet = workbook.create_sheet("Quota supervisione")
    workbook.remove(workbook.worksheets[0])
    _quota_sheet(sheet, data)
    _prospetto_sheet(workbook.create_sheet("Prospetto c.797"), data)
    return workbook_bytes(workbook, title=f"SIOSS {data.year} · {data.ambito.name}")


def _title(sheet: Worksheet, title: str, note: str) -> None:
    append(sheet, [title])
    sheet.cell(row=1, column=1).font = SUBTITLE_FONT
    append(sheet, [note])
    sheet.cell(row=2, column=1).font = NOTE_FONT
    append(sheet, [])


def _section(sheet: Worksheet, header: list[str]) -> None:
    append(sheet, header)
    style_header(sheet, sheet.max_row, len(header))


def _quota_sheet(sheet: Worksheet, data: Sioss) -> None:
    """The ledger's stages, the beneficiaries by profession and the hours by type."""
    ambito = data.ambito
    _title(
        sheet,
        f"SIOSS · quota FNPS per la supervisione · {ambito.name} ({ambito.code}) · {data.year}",
        f"Tracciato: {OUR_READING}.",
    )
    _section(sheet, ["Programmazione e rendicontazione", "Importo (EUR)", "Nota"])
    for stage in (Stage.PROGRAMMED, Stage.COMMITTED, Stage.LIQUIDATED, Stage.PAID):
        row = append(
            sheet, [str(stage.label).capitalize(), data.ledger.get(stage.value, Decimal(0)), "atti datati nell'anno"]
        )
        _money(sheet, row, 2)
    append(sheet, [])
    _section(sheet, ["Beneficiari per professione", "Persone", "Nota"])
    for profession in ProfessionChoices:
        if count := data.beneficiaries.get(profession.value):
            append(sheet, [str(profession.label), count, f"nei gruppi dei POA {data.year}; {OUR_READING}"])
    append(sheet, [])
    _section(sheet, ["Ore svolte per tipo", "Ore", "Nota"])
    for kind in SupervisionTypeChoices:
        row = append(
            sheet,
            [
                str(kind.label),
                data.hours.get(kind.value, Decimal(0)),
                HOURS_NOTE,
            ],
        )
        sheet.cell(row=row, column=2).number_format = HOURS_FORMAT
    set_widths(sheet, [42, 18, 80])


PROSPETTO_HEADER = [
    "Calcolo",
    "Popolazione",
    "FTE AS",
    "FTE AS c.797",
    "Contributo",
    "Regola",
    "Contributo (altra regola)",
    "Altra regola",
    "Censimento",
]


def _census_text(census: Census) -> str:
    reference = census.campaign.reference_date
    return f"{census.campaign.title} (al {reference:%d/%m/%Y}, {census.get_status_display().lower()})"


def _prospetto_rows(data: Sioss) -> list[tuple[str, int, Decimal, Decimal, RatioAssessment, str]]:
    """The year's calculations, then the snapshot at a date: label, population, FTE, c. 797 FTE, assessment and
    the census they come from."""
    rows = [
        (r.label, r.population, r.as_fte, r.permanent_fte, r.assessment, _census_text(r.census)) for r in data.over_year
    ]
    if data.snapshot is not None and data.census is not None:
        s = data.snapshot
        label = f"fotografia al {data.snapshot_at:%d/%m/%Y}"
        rows.append((label, s.population, s.as_fte, s.permanent_as_fte, s, _census_text(data.census)))
    return rows


def _prospetto_sheet(prospetto: Worksheet, data: Sioss) -> None:
    _title(
        prospetto,
        f"c. 797 L. 178/2020 · {data.ambito.name} · {data.year}",
        "FTE pesati sui giorni di servizio nell'anno, accanto alla fotografia a una data; ogni riga dal censimento "
        "più recente fino al 31/12 dell'anno (o alla data), indicato nell'ultima colonna.",
    )
    _section(prospetto, PROSPETTO_HEADER)
    rows = _prospetto_rows(data)
    for label, population, as_fte, permanent, assessment, census in rows:
        row = append(
            prospetto,
            [
                label,
                population,
                round(as_fte, 4),
                round(permanent, 4),
                assessment.contribution,
                assessment.rule,
                assessment.other_contribution,
                assessment.other_rule,
                census,
            ],
        )
        _money(prospetto, row, 5)
        _money(prospetto, row, 7)
    if not rows:
        append(prospetto, ["Nessun censimento dell'ATS: il prospetto non si può calcolare."])
        prospetto.cell(row=prospetto.max_row, column=1).font = LABEL_FONT
    set_widths(prospetto, [28, 14, 12, 14, 16, 60, 22, 60, 44])


def filename(data: Sioss) -> str:
    return f"SIOSS_{data.ambito.code}_{data.year}.xlsx"
