"""What the demo must contain for the annual plans; called by demo/tests/test_demo.py (one demo load)."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal

from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from supervisione.accounts.models import User
from supervisione.demo.present import FIRST_YEAR, Present
from supervisione.leps.shortfalls import ShortfallKind
from supervisione.lib import clock
from supervisione.planning import actions
from supervisione.planning.models import FnpsQuota, Plan
from supervisione.planning.plan_page import plan_page
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
    Poggiardo-Maglie-Casarano; the FNPS quotas and the San Severo what-if."""
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

    quotas = {(q.ambito.code, q.year): q.amount for q in FnpsQuota.objects.select_related("ambito")}
    assert quotas[("PUG_CASARANO", 2022)] == Decimal("14648.66")
    assert quotas[("PUG_CASARANO", 2023)] == Decimal("29297.33")
    assert "illustrativi" in FnpsQuota.objects.get(ambito__code="PUG_SANSEVERO").note
    what_if = {item.label: item.result for item in draft_page.what_ifs}
    assert what_if["Ambito di Casarano, FNPS 2023"].extra_a1_hours == Decimal("450.5")

    html = _client("coordinatore.sansevero").get(reverse("planning:fnps", args=["SANSEVERO-114"])).content.decode()
    assert "Assistenti sociali oggi senza gruppo A1: <strong>23</strong>" in html
    assert "Servono 2 nuovi gruppi per 23 assistenti sociali oggi senza gruppo" in html
    assert "(quota 3 %)" in html

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
    check_planning_payers_demo()
