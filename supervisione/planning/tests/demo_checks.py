"""What the demo must contain for the annual plans; called by demo/tests/test_demo.py (one demo load)."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from supervisione.accounts.models import User
from supervisione.audit.models import AuditEntry
from supervisione.demo.present import FIRST_YEAR, Present
from supervisione.leps.shortfalls import ShortfallKind
from supervisione.lib import clock
from supervisione.planning import actions
from supervisione.planning.ats_poa import split_plan
from supervisione.planning.models import Plan
from supervisione.planning.multifondo import MultifondoFiling
from supervisione.planning.next_year import outlook
from supervisione.planning.payers import group_checks
from supervisione.planning.plan_page import plan_page
from supervisione.planning.queries import plan_groups
from supervisione.planning.tests.split_checks import assert_adds_up
from supervisione.territory.models import Partnership


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def check_planning_payers_demo() -> None:
    """Every plan's FNPS groups are allowed by the rule of who pays (the convention's quotas share them), and the
    plans charged to the FNPS show each ATS's part of the cost."""
    poggiardo = Partnership.objects.get(code="POGGIARDO-114")
    for plan in Plan.objects.filter(partnership=poggiardo):
        page = plan_page(plan)
        assert not [row.payer_problem for row in page.rows if row.payer_problem], plan
        for line in page.costs:
            if line.key.startswith("fnps:"):
                assert set(line.by_ats) == {"Ambito di Poggiardo", "Ambito di Maglie", "Ambito di Casarano"}
                assert sum(line.by_ats.values()) == line.planned
                assert line.agreements


def check_planning_demo() -> None:
    """POA 2025 and every past year's approved, the current year's a draft, for the 56 AS of
    Poggiardo-Maglie-Casarano; the FNPS what-if of the plan page (the allocations and the FNPS page are
    funding's demo checks)."""
    poggiardo = Partnership.objects.get(code="POGGIARDO-114")
    approved = Plan.objects.get(partnership=poggiardo, year=2025)
    page = plan_page(approved)
    assert (approved.status, approved.version, approved.period_text) == ("approved", 1, "da febbraio a dicembre 2025")
    assert len(page.social_workers) == 56
    assert [row.member_count for row in page.a1_rows] == [14, 14, 14, 14]
    assert {kind: item.planned for kind, item in page.hours.items()} == {
        "A1": Decimal(96),
        "A2": Decimal(60),
        "A3": Decimal(36),
        "extra": Decimal(0),
    }
    assert page.blocking == []
    assert {str(row.group.supervisor) for row in page.a1_rows} == {"Longo Chiara"}
    assert {str(row.group.supervisor) for row in page.a3_rows} == {"Russo Davide"}
    assert page.total_cost == Decimal("12360.00")
    assert [row.moved_out for row in page.a1_rows] == [Decimal(3), 0, 0, 0]

    present = Present(clock.today())
    draft = Plan.objects.get(partnership=poggiardo, year=present.year)
    draft_page = plan_page(draft)
    assert draft.status == "draft"
    assert [(item.kind, item.group_name) for item in draft_page.shortfalls] == [
        (ShortfallKind.NO_SUPERVISOR, "Gruppo A1 n. 4"),
        (ShortfallKind.HOURS_BELOW_MINIMUM, "Équipe multidisciplinare (Ambito di Maglie)"),
    ]
    assert draft.deadline == present.today + datetime.timedelta(days=10)
    for year in range(FIRST_YEAR + 1, present.year):
        past = Plan.objects.get(partnership=poggiardo, year=year)
        assert (past.status, past.period_text) == ("approved", f"da gennaio a dicembre {year}")
        assert plan_page(past).blocking == []

    # The real builder on the demo census: 56 AS -> 4 A1 groups -> 64 A1 hours and a 60-hour A2 pool.
    with transaction.atomic():
        built = plan_page(actions.create_plan(poggiardo, present.plan_years[-1] + 1, by=None))
        assert (len(built.a1_rows), built.hours["A1"].planned, built.hours["A2"].planned) == (
            4,
            Decimal(64),
            Decimal(60),
        )
        assert (len(built.a3_rows), built.hours["A3"].planned) == (3, Decimal(18))
        transaction.set_rollback(True)  # the demo stays as loaded

    # Casarano's 2023-2024 allocation is simulated one year at a time: 14,648.66 EUR.
    what_if = {item.label: item for item in draft_page.what_ifs}
    two_years = what_if["Ambito di Casarano, FNPS 2023-2024, per anno (29.297,33 € in 2 anni)"]
    assert two_years.amount == Decimal("14648.66")
    assert two_years.result.total_hours > 0

    home = _client("coordinatore.poggiardo").get(reverse("home:home")).content.decode()
    due = f"{draft.deadline:%d/%m/%Y}"
    assert (
        f"POA {draft.year} di Supervisione Poggiardo, Maglie e Casarano da trasmettere entro il {due}: bozza, 2 carenze"
        in home
    )
    mine = _client("operatore.demo").get(approved.get_absolute_url()).content.decode()
    assert "I tuoi gruppi" in mine
    assert "supervisore Longo Chiara" in mine

    out = io.StringIO()
    call_command("export_poa", "--partnership", "POGGIARDO-114", "--year", "2025", "-o", "-", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["as_in_scope"], data["groups"]["A1"], data["equipes"], data["shortfalls"]) == (56, 4, 3, [])
    check_ats_poa_demo(approved, draft)
    check_filings_present()
    check_planning_payers_demo()
    check_next_year_present()
    # Loaded on 23/11/2026: the POA 2027 in preparation, each ATS's foreseen quota against its own minimum.
    covers = {row.ambito.code: row.cover for row in outlook(draft).ats}
    assert {code: (cover.minimum_cost, cover.left) for code, cover in covers.items() if cover} == {
        "PUG_POGGIARDO": (Decimal("4300.00"), Decimal("5915.90")),
        "PUG_MAGLIE": (Decimal("4300.00"), Decimal("7570.40")),
        "PUG_CASARANO": (Decimal("4300.00"), Decimal("10348.66")),
    }


def check_next_year_present() -> None:
    """On any day: the next year's POA of Poggiardo-Maglie-Casarano is in preparation, as "Prepara il POA" built it
    from the current year's plan: a draft at the LEPS minimum with this year's supervisors and declarations, every
    group on the convention's FNPS row of that year (allowed: the convention's quotas share it), each ATS's quota
    of that year (foreseen, before the Region's decree) against its own minimum."""
    present = Present(clock.today())
    poggiardo = Partnership.objects.get(code="POGGIARDO-114")
    current = Plan.objects.get(partnership=poggiardo, year=present.year)
    prepared = Plan.objects.get(partnership=poggiardo, year=present.next_year)
    assert (prepared.status, prepared.version, prepared.deadline) == (
        "draft",
        1,
        datetime.date(present.next_year, 3, 31),
    )
    assert prepared.notes == f"Preparato dal POA {present.year} (versione 1)."
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Plan), object_id=str(prepared.pk)
    ).values_list("code", flat=True)
    assert "planning.plan.prepared_from_previous_year" in entries  # the real builder, not rows made by hand
    page = plan_page(prepared)
    assert {kind: item.planned for kind, item in page.hours.items()} == {
        "A1": Decimal(64),
        "A2": Decimal(60),
        "A3": Decimal(18),
        "extra": Decimal(0),
    }
    assert len(page.social_workers) == 56
    assert page.problems == []  # no payer refused, every declaration covers the year
    # Group 4 waits for its supervisor next year too: the only shortfall.
    assert [(item.kind, item.group_name) for item in page.shortfalls] == [
        (ShortfallKind.NO_SUPERVISOR, "Gruppo A1 n. 4")
    ]
    rows = {row.group.funding for row in page.rows}
    assert len(rows) == 1
    (row,) = rows
    assert row is not None
    assert (row.measure, row.year, row.ambito_id) == ("fnps", present.next_year, poggiardo.capofila_id)
    assert all(check.shared for check in group_checks(prepared, plan_groups(prepared)).values())
    (fnps,) = [line for line in page.costs if line.key.startswith("fnps:")]
    assert (fnps.planned, fnps.funds) == (Decimal("9020.00"), Decimal("13000.00"))
    assert set(fnps.by_ats) == {"Ambito di Poggiardo", "Ambito di Maglie", "Ambito di Casarano"}
    assert sum(fnps.by_ats.values()) == fnps.planned
    assert_adds_up(split_plan(page))
    # "Prepara il POA" of the current plan: each ATS's quota of next year covers its own minimum, nothing flagged,
    # and the draft is there to continue from.
    view = outlook(current)
    assert view.year == present.next_year
    assert all(row.cover is not None and row.cover.covered and not row.flags for row in view.ats), view.ats
    assert view.blocking == [f"Il POA {present.next_year} esiste già (versione 1): continua da quello."]
    html = _client("coordinatore.poggiardo").get(reverse("planning:plan_next_year", args=[current.pk]))
    assert html.status_code == 200
    assert prepared.get_absolute_url() in html.content.decode()
    assert "10.348,66" in html.content.decode()  # Casarano's quota less its minimum
    assert _client("coordinatore.poggiardo").get(prepared.get_absolute_url()).status_code == 200


def check_ats_poa_demo(approved: Plan, draft: Plan) -> None:
    """Each ATS's POA of every Poggiardo plan adds up to the partnership's; the pages and exports of one ATS."""
    for plan in Plan.objects.filter(partnership__code="POGGIARDO-114"):
        assert_adds_up(split_plan(plan_page(plan)))
    split = split_plan(plan_page(approved))
    assert [part.ambito.code for part in split.parts] == ["PUG_CASARANO", "PUG_MAGLIE", "PUG_POGGIARDO"]
    assert sum((part.total_cost for part in split.parts), Decimal(0)) == Decimal("12360.00")
    assert [len(part.social_workers) for part in split.parts] == [18, 18, 20]
    maglie = _client("referente.maglie")
    page = maglie.get(reverse("planning:ats_poa", args=[approved.pk, "PUG_MAGLIE"])).content.decode()
    assert "POA 2025 di Ambito di Maglie" in page
    assert "4 di 14 partecipanti: 28,6 %" in page
    assert "Validato" in page
    assert maglie.get(reverse("planning:ats_poa", args=[approved.pk, "PUG_CASARANO"])).status_code == 404
    xlsx = maglie.get(reverse("planning:ats_poa_export", args=[draft.pk, "PUG_MAGLIE", "xlsx"]))
    assert xlsx.status_code == 200
    header = {
        row[0]: row[1]
        for row in load_workbook(io.BytesIO(xlsx.getvalue()))["Intestazione"].iter_rows(min_row=3, values_only=True)
    }
    assert header["Stato del piano"] == "Bozza"
    assert header["Scadenza Multifondo"] == "scadenza non ancora fissata dal Ministero"
    table = _client("coordinatore.poggiardo").get(reverse("planning:partnership_filings", args=["POGGIARDO-114"]))
    assert "POA 2023 di Ambito di Casarano" in table.content.decode()


def check_filings_present() -> None:
    """Every Puglia ATS's filing from 2023 to the present: past years validated (Troia's last one sent back for a
    correction), the current year's as the partnership's draft plan allows; whatever the day of loading."""
    present = Present(clock.today())
    filings = {
        (filing.ambito.code, filing.year): filing for filing in MultifondoFiling.objects.select_related("ambito")
    }
    codes = {code for code, _year in filings}
    assert codes == {
        "PUG_POGGIARDO",
        "PUG_MAGLIE",
        "PUG_CASARANO",
        "PUG_SANSEVERO",
        "PUG_LUCERA",
        "PUG_SANMARCO",
        "PUG_TROIA",
    }
    assert {year for _code, year in filings} == set(range(2023, present.year + 1))
    for (code, year), filing in filings.items():
        assert filing.status_on <= present.today, (code, year)
        if year < present.year:
            expected = "da_rettificare" if (code, year) == ("PUG_TROIA", present.year - 1) else "validato"
            assert (filing.status, bool(filing.protocol)) == (expected, True), (code, year)
        elif code == "PUG_POGGIARDO" and present.today >= datetime.date(year, 2, 15):
            assert filing.status == "compilato"
        else:
            assert filing.status == "da_compilare", (code, year)
    assert filings[("PUG_CASARANO", 2023)].deadline == datetime.date(2023, 11, 30)
    assert filings[("PUG_CASARANO", 2023)].status_on > datetime.date(2023, 11, 30)  # validated after sending in time
    assert filings[("PUG_MAGLIE", 2025)].start_declaration_on == datetime.date(2025, 2, 3)
    home = _client("coordinatore.sansevero").get(reverse("home:home")).content.decode()
    assert f"POA {present.year - 1} di Ambito di Troia: da rettificare su Multifondo" in home
    page = _client("referente.casarano").get(reverse("planning:filing_detail", args=["PUG_CASARANO", 2024]))
    assert "Scadenza del Ministero" in page.content.decode()
    assert "31/03/2024" in page.content.decode()
    # The current year's plan is a draft: its sessions are provisional, and the calendar says what is missing.
    calendar = _client("referente.casarano").get(
        reverse("sessions:ambito_calendar", args=["PUG_CASARANO"]) + f"?vista=elenco&giorno={present.year}-01-01"
    )
    assert "Incontri provvisori: il POA non è ancora approvato" in calendar.content.decode()
