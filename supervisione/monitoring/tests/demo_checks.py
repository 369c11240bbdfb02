"""What the monitoring shows of the demo; called by demo/tests/test_demo.py (one demo load, clock frozen)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from supervisione.demo.present import FIRST_YEAR
from supervisione.lib import clock
from supervisione.monitoring.alerts import collect
from supervisione.monitoring.figures import Figures, figures
from supervisione.monitoring.selection import PERIODS, YEAR, Selection, partnership_plans, plans_of_year
from supervisione.territory.models import Ambito, Partnership


def check_monitoring_demo() -> None:
    """2025 met in full, one AS (or a few) below 80 %; the current year to date: group 4 behind with the
    reason, group 2 at risk while its calendar is short, the AS of Maglie's group without supervision, money
    spent from the FNPS quota after the PNRR; the alerts name the late group, the open registers, the contract
    and the deadline."""
    today = clock.today()
    poggiardo = Partnership.objects.get(code="POGGIARDO-114")
    first = figures(Selection(FIRST_YEAR, YEAR, today, tuple(partnership_plans(poggiardo, FIRST_YEAR))))
    assert {row.status for row in first.groups} == {"met"}
    assert 1 <= first.people_below_threshold <= 3  # one AS misses many sessions; one or two miss a few
    assert first.coverage.as_in_census == first.coverage.as_supervised == 56
    this_year = figures(
        Selection(today.year, YEAR, today, tuple(partnership_plans(poggiardo, today.year))), with_names=True
    )
    statuses = {row.group.name: row.status for row in this_year.groups}
    assert statuses.pop("Gruppo A1 n. 4") == "behind"
    assert statuses.pop("Gruppo A1 n. 2") == "at_risk"
    assert set(statuses.values()) <= {"met", "on_track"}
    late = next(row for row in this_year.groups if row.group.name == "Gruppo A1 n. 4")
    assert late.reason.startswith("Gruppo A1 n. 4: 0 di 16 h erogate, nessun incontro in calendario entro il 31/12")
    assert this_year.coverage.not_supervised_count == len(this_year.coverage.not_supervised) > 0
    spent = {(source.label, source.spent_to_date > 0) for source in this_year.spending}
    assert any(label.startswith("FNPS") and spent for label, spent in spent), spent
    assert this_year.total.awaiting > 0  # the week's registers
    # The region's observatory reads the same plan; the alerts name the late group.
    puglia = plans_of_year(today.year, Q(partnership__capofila__region__name="Puglia"))
    assert [plan.partnership_id for plan in puglia] == [poggiardo.pk]
    alerts = collect(today)
    assert [a.title for a in alerts if a.kind == "group" and a.level == "danger"] == [
        "Gruppo A1 n. 4 (POGGIARDO-114): in ritardo"
    ]
    assert {a.kind for a in alerts} == {"group", "register", "contract", "deadline", "request"}


def digest(found: Figures) -> dict[str, Any]:
    """Every figure the observatory shows, in a comparable form."""
    return {
        "groups": [
            (
                row.group.pk,
                row.members,
                row.delivered,
                row.awaiting,
                row.scheduled,
                row.sessions_held,
                row.sessions_to_come,
                row.period_delivered,
                row.pool_used,
                row.pool_booked,
                row.status,
                row.reason,
            )
            for row in found.groups
        ],
        "types": found.types,
        "months": found.months,
        "people": found.people,
        "coverage": found.coverage,
        "spending": found.spending,
        "contracts": found.contracts,
        "plans": found.plans,
        "below": found.people_below_threshold,
    }


def check_observatory_summary_demo() -> None:
    """The national observatory's figures read from the summary of hours are those read from the registers, on the
    demo (each year of it, the whole year and its first half, and one ATS)."""
    today = clock.today()
    casarano = Ambito.objects.get(code="PUG_CASARANO")
    for year in range(FIRST_YEAR, today.year + 1):
        plans = tuple(plans_of_year(year, Q()))
        assert plans
        for selection in (
            Selection(year, YEAR, today, plans),
            Selection(year, PERIODS["s1"], today, plans),
            Selection(year, YEAR, today, plans, ambito=casarano),
        ):
            from_registers = figures(selection, by_measure=True)
            assert digest(figures(selection, by_measure=True, from_summary=True)) == digest(from_registers)
            assert from_registers.total.delivered > 0
