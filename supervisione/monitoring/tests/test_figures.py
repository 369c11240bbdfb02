"""The figures of a dashboard against the hand-computed year of ``conftest`` (read on 1 October 2026)."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from supervisione.monitoring.figures import figures
from supervisione.monitoring.selection import PERIODS, YEAR, Selection, partnership_plans
from supervisione.planning import actions as planning_actions
from supervisione.planning.models import Plan, PlanGroup, PlanStatus

from .conftest import TODAY, Year

D = Decimal
ROME = ZoneInfo("Europe/Rome")


def _read(year: Year, **extra: Any) -> Any:
    selection = Selection(2026, extra.pop("period", YEAR), extra.pop("today", TODAY), (year.plan,), **extra)
    return figures(selection, with_names=True)


def test_it_reads_each_group_status_and_reason(year: Year) -> None:
    found = _read(year)
    rows = {row.group.name: row for row in found.groups}
    a1, a3 = rows["Gruppo A1 Casarano"], rows["Équipe PUA Casarano"]
    assert (a1.minimum, a1.delivered, a1.awaiting, a1.scheduled, a1.sessions_held) == (16, 10, 0, 6, 5)
    assert a1.status == "at_risk"
    assert a1.reason == (
        "Gruppo A1 Casarano: 10 di 16 h erogate, 6 h in calendario entro il 31/12: a rischio (a questa data ne "
        "servirebbero almeno 10,5)."
    )
    # Keeping up with the share due (6 x 244 / 365 = 4 h) but one hour short in the calendar: at risk.
    assert (a3.minimum, a3.delivered, a3.scheduled, a3.status) == (6, 4, 1, "at_risk")
    assert a3.reason.endswith("a rischio (mancano 1 h al minimo: prenota altri incontri).")
    assert [row.group.name for row in found.needing_attention] == ["Gruppo A1 Casarano", "Équipe PUA Casarano"]


def test_it_moves_with_the_day_of_reading(year: Year) -> None:
    # In April the A1 group had 8 h held, more than the 16 x 74 / 365 = 3 h due: on track.
    april = _read(year, today=datetime.date(2026, 4, 30))
    assert april.groups[0].status == "on_track"
    # After the year: the group met if its registers are confirmed; the équipe stays behind.
    later = _read(year, today=datetime.date(2027, 2, 1))
    assert [row.status for row in later.groups] == ["on_track", "behind"]
    assert later.groups[0].reason == (
        "Gruppo A1 Casarano: 10 di 16 h erogate, 6 h da confermare nei registri: in linea, il minimo è raggiunto "
        "quando i registri saranno confermati."
    )


def test_it_adds_up_hours_per_type_with_the_a2_pool(year: Year) -> None:
    found = _read(year)
    figures_by_kind = {
        kind: (item.minimum, item.planned, item.delivered, item.awaiting, item.scheduled, item.sessions)
        for kind, item in found.types.items()
    }
    assert figures_by_kind == {
        "A1": (16, 16, 10, 0, 6, 5),
        "A2": (15, 15, 1, 1, 1, 1),
        "A3": (6, 6, 4, 0, 1, 2),
        "extra": (0, 0, 0, 0, 0, 0),
    }
    total = found.total
    assert (total.planned, total.delivered, total.delivered_percent) == (37, 15, 41)
    [pool] = found.a1_groups
    assert (pool.pool, pool.pool_used, pool.pool_booked, pool.pool_free) == (15, 1, 3, 12)


def test_it_reads_months_and_the_cumulative_plan(year: Year) -> None:
    found = _read(year)
    january, february = found.months[0], found.months[1]
    assert january.delivered == {"A1": 2}
    assert february.delivered == {"A1": 2, "A2": 1}
    assert found.months[5].booked.get("A1", 0) == 0  # June: cancelled
    assert found.months[9].booked == {"A1": 2}
    assert found.months[9].delivered == {"A1": 0}
    cumulative = found.cumulative()
    assert cumulative[11].planned == D("37.2")  # 37 h over 12 months, each rounded to the tenth
    assert cumulative[8].delivered == 15
    assert cumulative[9].delivered == 15
    assert cumulative[10].delivered is None  # November has not
    assert cumulative[11].booked == 24  # every session not cancelled: A1 16 h, A2 3 h, A3 5 h
    assert found.months[0].label == "gennaio"


def test_it_reads_people_and_the_80_percent_threshold(year: Year) -> None:
    found = _read(year)
    people = {person.surname: person for person in found.people}
    assert people["De Santis"].figures.planned_minutes == 660
    assert people["De Santis"].figures.reaches_threshold
    anna = people["Rizzo"].figures
    assert (anna.attended_minutes, anna.planned_minutes, anna.percentage) == (600, 840, D("71.4"))
    assert not anna.reaches_threshold
    assert people["Ferrara"].figures.planned_minutes == 600  # his A2 register is still open
    assert found.people_below_threshold == 1
    assert [person.surname for person in found.below_threshold] == ["Rizzo"]


def test_it_reads_coverage_from_the_plans_census(year: Year) -> None:
    coverage = _read(year).coverage
    assert (coverage.as_in_census, coverage.as_in_groups, coverage.as_in_active_group, coverage.as_supervised) == (
        4,
        3,
        3,
        3,
    )
    assert [person.full_name for person in coverage.not_supervised] == ["Verdi Gianni"]
    assert coverage.not_supervised_count == 1
    # Without names, the same counts and nobody listed.
    anonymous = figures(Selection(2026, YEAR, TODAY, (year.plan,)))
    assert anonymous.coverage.as_supervised == 3
    assert anonymous.coverage.not_supervised == []
    assert anonymous.people == []


def test_it_reads_money_committed_planned_and_spent(year: Year) -> None:
    [line] = _read(year).spending
    assert line.label == "PNRR M5C2 1.1.4 · CUP J81H22000130006"
    # 10 h x 65 + 1 h x 60 + 4 h x 70 = 990 EUR for 15 h; planned 16 x 65 + 15 x 60 + 6 x 70 = 2,360 EUR.
    assert (line.committed, line.planned, line.spent_in_period, line.spent_to_date) == (15000, 2360, 990, 990)
    assert (line.hours_in_period, line.cost_per_hour, line.residual) == (15, D("66.00"), 14010)
    by_measure = figures(Selection(2026, YEAR, TODAY, (year.plan,)), by_measure=True)
    assert [item.key for item in by_measure.spending] == ["pnrr_114"]


def test_it_restricts_the_hours_to_a_period_but_reads_compliance_on_its_last_day(year: Year) -> None:
    found = _read(year, period=PERIODS["s1"])
    assert found.selection.as_of == datetime.date(2026, 6, 30)
    assert [month.month for month in found.months] == [1, 2, 3, 4, 5, 6]
    assert (found.types["A1"].delivered, found.types["A1"].planned_in_period) == (10, 8)
    # On 30 June: 10 h held, 16 x 151 / 365 = 6.5 h due, the calendar reaches 16: on track.
    assert found.groups[0].status == "on_track"
    assert found.groups[0].scheduled == 6


def test_it_filters_by_type(year: Year) -> None:
    found = _read(year, kind="A3")
    assert list(found.types) == ["A3"]
    assert [row.group.name for row in found.groups] == ["Équipe PUA Casarano"]
    a2 = _read(year, kind="A2")
    assert [row.group.name for row in a2.groups] == ["Gruppo A1 Casarano"]
    assert a2.types["A2"].delivered == 1


def test_it_counts_sessions_booked_on_an_earlier_version_for_the_same_group(year: Year) -> None:
    world = year.cal.world
    copy = planning_actions.new_version(year.plan, by=world.coordinator)
    copy.status, copy.submitted_at = "submitted", timezone.now()
    copy.save(update_fields=["status", "submitted_at"])
    planning_actions.approve_plan(copy, expected=copy.lock_version, by=world.coordinator)
    plans = partnership_plans(world.partnership, 2026)
    assert [plan.pk for plan in plans] == [copy.pk]
    found = figures(Selection(2026, YEAR, TODAY, tuple(plans)))
    new_group = PlanGroup.objects.get(plan=copy, name="Gruppo A1 Casarano")
    [row] = [row for row in found.groups if row.group.pk == new_group.pk]
    assert (row.delivered, row.scheduled, row.status) == (D(10), D(6), "at_risk")


def test_it_reports_compliance_against_the_approved_plan_while_a_new_version_is_a_draft(
    year: Year, client_for: Any
) -> None:
    world = year.cal.world
    draft = planning_actions.new_version(year.plan, by=world.coordinator)
    PlanGroup.objects.filter(plan=draft, name="Gruppo A1 Casarano").update(planned_hours=D(30))
    plans = partnership_plans(world.partnership, 2026)
    assert [plan.pk for plan in plans] == [year.plan.pk]
    found = figures(Selection(2026, YEAR, TODAY, tuple(plans)))
    [row] = [row for row in found.groups if row.group.name == "Gruppo A1 Casarano"]
    assert (row.plan.pk, row.group.planned_hours, row.minimum, row.delivered, row.status) == (
        year.plan.pk,
        D(16),
        D(16),
        D(10),
        "at_risk",
    )
    assert found.types["A1"].planned == 16  # not the draft's 30
    with time_machine.travel(datetime.datetime(2026, 10, 1, 10, tzinfo=ROME), tick=False):
        page = (
            client_for("coordinator")
            .get(reverse("monitoring:partnership", args=["POGGIARDO-114"]) + "?anno=2026")
            .content.decode()
        )
    assert "10 di 16 h erogate" in page


def test_it_says_when_the_only_plan_it_can_read_is_not_approved_yet(year: Year, client_for: Any) -> None:
    url = reverse("monitoring:partnership", args=["POGGIARDO-114"]) + "?anno=2026"
    with time_machine.travel(datetime.datetime(2026, 10, 1, 10, tzinfo=ROME), tick=False):
        assert "Confronto provvisorio" not in client_for("coordinator").get(url).content.decode()
        Plan.objects.filter(pk=year.plan.pk).update(status=PlanStatus.SUBMITTED)
        page = client_for("coordinator").get(url).content.decode()
    assert "Confronto provvisorio: il POA non è ancora approvato" in page
    assert "manca la registrazione dell&#x27;approvazione con il suo atto" in page


def test_it_runs_a_fixed_number_of_queries_however_many_sessions(
    year: Year, django_assert_max_num_queries: Any
) -> None:
    selection = Selection(2026, YEAR, TODAY, (year.plan,))
    with django_assert_max_num_queries(14) as before:
        figures(selection, with_names=True)
    for week in range(20):
        year.add(year.cal.group, datetime.date(2026, 7, 1) + datetime.timedelta(days=week * 7), start=datetime.time(7))
    with django_assert_max_num_queries(len(before.captured_queries)):
        found = figures(selection, with_names=True)
    assert found.groups[0].delivered == 10 + 40 - 2 * sum(
        1 for week in range(20) if datetime.date(2026, 7, 1) + datetime.timedelta(days=week * 7) > TODAY
    )


def test_it_answers_the_monitoring_command_in_json(year: Year, on_today: datetime.date) -> None:
    out = io.StringIO()
    call_command("monitoring", "--partnership", "POGGIARDO-114", "--year", "2026", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["hours"]["A1"]["planned"] == 16
    assert data["hours"]["A1"]["delivered"] == 10
    assert data["hours"]["A3"] == {
        "minimum": 6,
        "planned": 6,
        "planned_in_period": 6,
        "delivered": 4,
        "awaiting_confirmation": 0,
        "scheduled": 1,
        "sessions": 2,
    }
    group = data["groups"][0]
    assert {key: group[key] for key in ("name", "type", "minimum", "planned", "delivered", "status")} == {
        "name": "Gruppo A1 Casarano",
        "type": "A1",
        "minimum": 16,
        "planned": 16,
        "delivered": 10,
        "status": "at_risk",
    }
    assert "a rischio" in group["reason"]
    assert data["coverage"]["as_in_census"] == 4
    assert data["coverage"]["as_supervised"] == 3
    assert data["people_below_80"] == 1
    assert data["spending_by_source"]["pnrr_114:J81H22000130006"]["spent_to_date"] == 990
    text = io.StringIO()
    call_command("monitoring", "--ats", "PUG_CASARANO", "--year", "2026", stdout=text)
    assert "[a rischio] Gruppo A1 Casarano: 10 di 16 h erogate" in text.getvalue()
