"""What the monitoring shows of the demo; called by demo/tests/test_demo.py (one demo load)."""

from __future__ import annotations

from django.db.models import Q

from supervisione.demo.sessions import DEMO_TODAY
from supervisione.monitoring.alerts import collect
from supervisione.monitoring.figures import figures
from supervisione.monitoring.selection import YEAR, Selection, partnership_plans, plans_of_year
from supervisione.territory.models import Partnership


def check_monitoring_demo() -> None:
    """2025 met in full, one AS below 80 %; 2026 to date: group 4 behind with the reason, the AS of Maglie's
    group without supervision, money spent from the PNRR funding; the alerts name the late group."""
    poggiardo = Partnership.objects.get(code="POGGIARDO-114")
    last_year = figures(Selection(2025, YEAR, DEMO_TODAY, tuple(partnership_plans(poggiardo, 2025))))
    assert {row.status for row in last_year.groups} == {"met"}
    assert last_year.people_below_threshold == 1
    assert last_year.coverage.as_in_census == last_year.coverage.as_supervised == 56
    this_year = figures(Selection(2026, YEAR, DEMO_TODAY, tuple(partnership_plans(poggiardo, 2026))), with_names=True)
    statuses = {row.group.name: row.status for row in this_year.groups}
    assert statuses.pop("Gruppo A1 n. 4") == "behind"
    assert set(statuses.values()) == {"met"}
    late = next(row for row in this_year.groups if row.group.name == "Gruppo A1 n. 4")
    assert late.reason.startswith("Gruppo A1 n. 4: 0 di 16 h erogate, nessun incontro in calendario entro il 31/12")
    assert this_year.coverage.not_supervised_count == len(this_year.coverage.not_supervised) > 0
    [source] = this_year.spending
    assert source.committed == 27000
    assert 0 < source.spent_to_date < source.committed
    assert this_year.total.awaiting > 0  # the registers of the last week
    # The region's observatory reads the same plan; the alerts name the late group.
    puglia = plans_of_year(2026, Q(partnership__capofila__region__name="Puglia"))
    assert [plan.partnership_id for plan in puglia] == [poggiardo.pk]
    titles = [alert.title for alert in collect(DEMO_TODAY) if alert.kind == "group"]
    assert titles == ["Gruppo A1 n. 4 (POGGIARDO-114): in ritardo"]
