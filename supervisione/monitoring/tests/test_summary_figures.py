"""The observatory's figures read from the summary of hours are those read from every session and register: on
the hand-computed year (``conftest``) read on every kind of day (before the year, in each month, on a month's
first and last day, after the year), for every period and type and for one ATS, and again after random series
of confirmations, corrections, reopenings, cancellations and moves."""

from __future__ import annotations

import datetime
import random
from typing import Any

import pytest

from supervisione.monitoring.figures import Figures, figures
from supervisione.monitoring.selection import PERIODS, YEAR, Selection
from supervisione.monitoring.tests.demo_checks import digest
from supervisione.sessions import hours_summary
from supervisione.sessions.tests.test_hours_summary import OPERATIONS, _apply

from .conftest import Year

D = datetime.date
pytestmark = pytest.mark.django_db

DAYS = (D(2025, 12, 31), D(2026, 1, 1), D(2026, 2, 10), D(2026, 3, 31), D(2026, 6, 11), D(2026, 10, 1), D(2027, 2, 1))


def assert_same(selection: Selection, *, with_names: bool = False) -> Figures:
    from_sessions = figures(selection, by_measure=True, with_names=with_names)
    from_summary = figures(selection, by_measure=True, with_names=with_names, from_summary=True)
    assert digest(from_summary) == digest(from_sessions), selection
    return from_sessions


def test_the_summary_gives_the_figures_of_the_registers_on_any_day_period_and_filter(year: Year) -> None:
    hours_summary.rebuild()
    plans = (year.plan,)
    for day in DAYS:
        for period in PERIODS.values():
            assert_same(Selection(2026, period, day, plans))
    found = assert_same(Selection(2026, YEAR, D(2026, 10, 1), plans), with_names=True)
    assert found.total.delivered == 15  # as conftest computes by hand: 10 h of A1, 4 h of A3, 1 h of A2
    for kind in ("A1", "A2", "A3", "extra"):
        assert_same(Selection(2026, YEAR, D(2026, 10, 1), plans, kind=kind))
    assert_same(Selection(2026, YEAR, D(2026, 10, 1), plans, ambito=year.cal.world.casarano))


def test_the_summary_gives_the_figures_of_the_registers_after_random_changes(year: Year) -> None:
    hours_summary.rebuild()
    rng = random.Random(20)  # noqa: S311  (reproducible test data)
    for _step in range(6):
        for _change in range(5):
            _apply(rng.choice(year.sessions), rng.choice(OPERATIONS), rng)
        assert_same(Selection(2026, YEAR, rng.choice(DAYS), (year.plan,)))


def test_the_administrator_finds_the_country_s_alerts_from_the_home_page_and_the_observatory(
    year: Year, on_today: datetime.date, client_for: Any
) -> None:
    admin = client_for("admin")
    home = admin.get("/").content.decode()
    assert "Avvisi di tutti i partenariati e ATS" in home
    assert 'href="/monitoraggio/avvisi/"' in home
    assert "Gruppo A1 Casarano (POGGIARDO-114)" not in home  # no longer every alert of the country
    observatory = admin.get("/monitoraggio/osservatorio/?anno=2026").content.decode()
    assert 'href="/monitoraggio/avvisi/">Avvisi di tutti i partenariati e ATS' in observatory
    alerts = admin.get("/monitoraggio/avvisi/").content.decode()
    assert "Gruppo A1 Casarano (POGGIARDO-114): a rischio" in alerts
    # Observers see the figures, never the alerts (they name groups and people).
    observer = client_for("observer").get("/monitoraggio/osservatorio/?anno=2026").content.decode()
    assert "/monitoraggio/avvisi/" not in observer
