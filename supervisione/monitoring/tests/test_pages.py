"""The dashboard pages: a fixed number of queries whatever the number of sessions, filters validated and kept."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.cache import cache

from supervisione.planning.actions import create_plan

from .conftest import TODAY, Year

PAGES = [
    ("coordinator", "/monitoraggio/partenariati/POGGIARDO-114/"),
    ("coordinator", "/monitoraggio/ats/PUG_CASARANO/"),
    ("observer", "/monitoraggio/osservatorio/"),
    ("national_observer", "/monitoraggio/osservatorio/"),
    ("supervisor", "/monitoraggio/supervisori/{supervisor}/"),
    ("supervisee", "/monitoraggio/persone/{marco}/"),
    ("coordinator", "/monitoraggio/gruppi/{group}/"),
]


@pytest.mark.parametrize(("persona", "path"), PAGES)
def test_it_reads_a_dashboard_in_a_fixed_number_of_queries(
    persona: str,
    path: str,
    year: Year,
    on_today: datetime.date,
    client_for: Any,
    django_assert_max_num_queries: Any,
) -> None:
    url = path.format(supervisor=year.cal.supervisor.pk, marco=year.cal.marco.pk, group=year.cal.group.pk)
    client = client_for(persona)
    client.get(url)  # sessions, caches
    with django_assert_max_num_queries(60) as first:
        assert client.get(url).status_code == 200
    for week in range(15):
        day = datetime.date(2026, 7, 1) + datetime.timedelta(days=7 * week)
        year.add(year.cal.group, day, start=datetime.time(7))
        year.add(year.cal.equipe_group, day, kind="A3", start=datetime.time(16))
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200


def test_it_reports_wrong_filters_and_uses_the_defaults(year: Year, on_today: datetime.date, client_for: Any) -> None:
    page = client_for("coordinator").get(
        "/monitoraggio/partenariati/POGGIARDO-114/", {"anno": "1999", "periodo": "mai", "tipo": "A9", "ats": "X"}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Alcuni filtri non sono validi" in text
    assert "Assicurati che questo valore sia maggiore o uguale a 2021" in text
    assert "Gruppo A1 Casarano" in text  # the defaults: this year, every type and ATS


def test_it_keeps_the_filters_in_the_export_links(year: Year, on_today: datetime.date, client_for: Any) -> None:
    text = (
        client_for("coordinator")
        .get(
            "/monitoraggio/partenariati/POGGIARDO-114/",
            {"anno": "2026", "periodo": "s2", "tipo": "A3", "ats": "PUG_CASARANO"},
        )
        .content.decode()
    )
    assert "anno=2026&amp;periodo=s2&amp;ats=PUG_CASARANO&amp;tipo=A3&amp;tabella=gruppi&amp;formato=csv" in text
    assert "Équipe PUA Casarano" in text
    assert "Gruppo A1 Casarano</th>" not in text  # the type filter leaves the A1 group out of the tables


def test_it_reads_the_observatory_in_a_fixed_number_of_queries_whatever_the_number_of_plans(
    year: Year, on_today: datetime.date, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    world = year.cal.world
    client = client_for("national_observer")
    client.get("/monitoraggio/osservatorio/")
    with django_assert_max_num_queries(60) as first:
        assert client.get("/monitoraggio/osservatorio/").status_code == 200
    for partnership in (world.sansevero_partnership, world.treviso_partnership):
        create_plan(partnership, TODAY.year, by=world.coordinator)
    create_plan(world.maglie, TODAY.year, by=world.coordinator)
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = client.get("/monitoraggio/osservatorio/")
    assert page.status_code == 200
    assert world.sansevero_partnership.name in page.content.decode()


def test_it_keeps_the_observatorys_figures_for_a_while_but_not_across_a_change_of_plans(
    year: Year, on_today: datetime.date, client_for: Any, settings: Any, django_assert_max_num_queries: Any
) -> None:
    settings.OBSERVATORY_CACHE_SECONDS = 600
    cache.clear()
    world = year.cal.world
    client = client_for("national_observer")
    with django_assert_max_num_queries(60) as first:
        page = client.get("/monitoraggio/osservatorio/")
    assert "Cifre calcolate alle" in page.content.decode()
    assert "si aggiornano al più ogni 10 minuti" in page.content.decode()
    with django_assert_max_num_queries(len(first.captured_queries) - 10):  # the figures come from the cache
        assert client.get("/monitoraggio/osservatorio/").status_code == 200
    create_plan(world.sansevero_partnership, TODAY.year, by=world.coordinator)
    page = client.get("/monitoraggio/osservatorio/")
    assert world.sansevero_partnership.name in page.content.decode()  # a new plan: computed again at once
    cache.clear()


def test_it_counts_one_group_in_the_singular(year: Year, on_today: datetime.date, client_for: Any) -> None:
    text = client_for("coordinator").get(f"/monitoraggio/gruppi/{year.cal.group.pk}/").content.decode()
    assert '<p class="stat-value mb-0">1</p>\n    <p class="mb-0">gruppo o équipe LEPS:' in text
    assert "gruppi ed équipe LEPS" not in text


def test_the_groups_to_follow_link_only_to_the_pages_the_reader_may_open(
    year: Year, on_today: datetime.date, client_for: Any
) -> None:
    """A supervisor reads the partnership's figures, but opens only their own groups' pages: another supervisor's
    group is named among those to follow without a link that would end on a refusal."""
    equipe = year.cal.equipe_group
    equipe.supervisor = year.cal.other_supervisor
    equipe.save(update_fields=["supervisor"])
    url = "/monitoraggio/partenariati/POGGIARDO-114/"
    own, other = f'href="/monitoraggio/gruppi/{year.cal.group.pk}/', f'href="/monitoraggio/gruppi/{equipe.pk}/'
    page = client_for("supervisor").get(url).content.decode()
    assert "Da seguire: 2 gruppi" in page
    assert own in page
    assert other not in page
    assert "Équipe PUA Casarano: 4 di 6 h erogate" in page
    assert client_for("supervisor").get(f"/monitoraggio/gruppi/{equipe.pk}/").status_code == 403
    coordinator = client_for("coordinator").get(url).content.decode()
    assert own in coordinator
    assert other in coordinator
