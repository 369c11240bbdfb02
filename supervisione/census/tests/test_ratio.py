"""The ratio and c. 797 figures computed from the census, at and around each threshold.

The arithmetic is the rules module's (``leps.ratio.assess_ratio``, tested there); these tests check that
the census feeds it the right FTE: AS only, active at the date, and for c. 797 only permanent AS employed by
a comune or the ATS, or by another body (an ASL...) when the census says they work for the ATS.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from supervisione.census.models import Census, Contract, Profession
from supervisione.census.queries import partnership_ratio, ratios
from supervisione.census.tests.factories import census_of, organisation, person, position
from supervisione.territory.models import MunicipalityPopulation, OrganisationKind
from supervisione.testing.world import World

AT = datetime.date(2024, 9, 30)
# 50,000 inhabitants: floor 1:6,500 = 7.6923... FTE (7.69 on the Ministry's sheet, which rounds FTE to two
# decimals), LEPS 1:5,000 = 10 FTE, target 1:4,000 = 12.5 FTE.


@pytest.fixture
def census(world: World) -> Census:
    MunicipalityPopulation.objects.create(
        municipality=world.maglie.memberships.get().municipality,
        reference_date=datetime.date(2024, 1, 1),
        population=50000,
    )
    return census_of(world)


def _permanent_fte(census: Census, fte: Decimal) -> None:
    """Permanent AS at a comune adding up to ``fte`` (full-time posts plus one part-time)."""
    whole = int(fte)
    for number in range(whole):
        position(census, person(number))
    rest = (fte - whole) * 36
    if rest:
        position(census, person(500), weekly_hours=rest.quantize(Decimal("0.01")))


def _assess(census: Census) -> Any:
    return ratios({census.ambito_id: census}, [census.ambito], AT)[0]


@pytest.mark.parametrize(
    ("fte", "contribution", "sheet", "leps", "target"),
    [
        (Decimal("7.68"), Decimal("0.00"), Decimal("0.00"), False, False),  # just below 1:6,500: nothing
        (Decimal("7.69"), Decimal("0.00"), Decimal("0.00"), False, False),  # at the floor (sheet), below it (law)
        (Decimal("8"), Decimal("12307.69"), Decimal("12400.00"), False, False),  # (8 - 7.6923) x 40,000
        (Decimal("9.99"), Decimal("91907.69"), Decimal("92000.00"), False, False),
        (Decimal("10"), Decimal("92307.69"), Decimal("92400.00"), True, False),  # at LEPS: all of band 1
        (Decimal("11"), Decimal("112307.69"), Decimal("112400.00"), True, False),  # + 1 FTE x 20,000
        (Decimal("12.5"), Decimal("142307.69"), Decimal("142400.00"), True, True),  # at the target: all of band 2
        (Decimal("13"), Decimal("142307.69"), Decimal("142400.00"), True, True),  # beyond 1:4,000: nothing more
    ],
)
def test_it_assesses_the_census_at_and_around_each_threshold(
    census: Census, fte: Decimal, contribution: Decimal, sheet: Decimal, leps: bool, target: bool
) -> None:
    _permanent_fte(census, fte)
    row = _assess(census)
    assert row.assessment.population == 50000
    assert row.assessment.as_fte == fte.quantize(Decimal("0.01"))
    assert row.assessment.permanent_as_fte == fte.quantize(Decimal("0.01"))
    assert row.assessment.contribution == contribution
    assert row.assessment.other_contribution == sheet
    assert (row.assessment.leps_met, row.assessment.target_met) == (leps, target)


def test_it_counts_for_c797_only_permanent_as_of_comuni_and_ambiti(census: Census) -> None:
    asl = organisation("ASL Lecce", OrganisationKind.ASL)
    consortium = organisation("Consorzio Ambito di Maglie", OrganisationKind.ATS)
    position(census, person(1))  # permanent, comune: counts
    position(census, person(2), employer=consortium)  # permanent, ATS body: counts
    position(census, person(3), contract=Contract.FIXED_TERM)  # AS, not permanent
    position(census, person(4), employer=asl)  # AS employed by the ASL
    position(census, person(5, profession=Profession.EDUCATOR))  # not an AS at all
    position(census, person(6), end_date=datetime.date(2024, 6, 30))  # no longer in service at the date
    position(census, person(7), start_date=datetime.date(2024, 10, 1))  # not yet in service
    row = _assess(census)
    assert row.social_workers == 4
    assert row.assessment.as_fte == Decimal("4.00")
    assert row.assessment.permanent_as_fte == Decimal("2.00")


def test_it_counts_for_c797_the_permanent_as_of_another_body_in_service_for_the_ambito(census: Census) -> None:
    asl = organisation("ASL Lecce", OrganisationKind.ASL)
    company = organisation("Azienda speciale consortile", OrganisationKind.OTHER)
    counted = [
        position(census, person(1)),  # permanent, comune
        position(census, person(2), employer=asl, on_behalf_of_ambito=True),  # ASL, for the ATS
        position(census, person(3), employer=company, on_behalf_of_ambito=True, weekly_hours=Decimal(18)),
    ]
    not_counted = [
        position(census, person(4), employer=asl),  # ASL, its own services
        position(census, person(5), employer=asl, on_behalf_of_ambito=True, contract=Contract.FIXED_TERM),
        position(census, person(6, profession=Profession.EDUCATOR), employer=asl, on_behalf_of_ambito=True),
    ]
    assert [p.counts_for_c797 for p in counted] == [True, True, True]
    assert [p.counts_for_c797 for p in not_counted] == [False, False, False]
    row = _assess(census)
    assert row.social_workers == 5
    assert row.assessment.as_fte == Decimal("4.50")
    assert row.assessment.permanent_as_fte == Decimal("2.50")  # 1 + 1 + 18/36


def test_the_flag_changes_nothing_for_the_staff_of_a_comune(census: Census) -> None:
    flagged = position(census, person(1), on_behalf_of_ambito=True)
    assert flagged.counts_for_c797
    assert _assess(census).assessment.permanent_as_fte == Decimal("1.00")


def test_it_sums_the_contribution_of_each_ambito_for_the_partnership(world: World, census: Census) -> None:
    _permanent_fte(census, Decimal(10))
    result = partnership_ratio(world.partnership, census.campaign, AT)
    by_code = {row.ambito.code: row for row in result.rows}
    assert by_code["PUG_MAGLIE"].assessment.contribution == Decimal("92307.69")
    assert by_code["PUG_CASARANO"].assessment.contribution == Decimal("0.00")
    assert result.contribution == Decimal("92307.69")
    assert result.total.population == sum(row.assessment.population for row in result.rows)


def test_the_pages_show_how_each_figure_was_computed(world: World, census: Census, client_for: Any) -> None:
    _permanent_fte(census, Decimal(8))
    url = reverse("census:ambito_ratio", args=["PUG_MAGLIE"])
    page = client_for("observer").get(url, {"al": "2024-09-30", "campagna": census.campaign_id}).content.decode()
    assert "Popolazione: 50.000 abitanti" in page
    assert "(8,00 - 7,69) FTE x 40.000,00 € = 12.307,69 €" in page
    assert "Con FTE arrotondati a 2 decimali prima del confronto con le soglie: 12.400,00 €." in page
    partnership_page = client_for("supervisor").get(reverse("census:partnership_ratio", args=["POGGIARDO-114"]))
    assert "somma dei contributi dei singoli ATS" in partnership_page.content.decode()


def test_it_validates_the_filters(world: World, census: Census, client_for: Any) -> None:
    url = reverse("census:ambito_ratio", args=["PUG_MAGLIE"])
    page = client_for("coordinator").get(url, {"al": "31/31/2024", "campagna": "9999"})
    assert page.status_code == 200
    assert "Inserisci una data valida" in page.content.decode()


def test_the_partnership_page_links_only_the_ambiti_the_reader_may_open(
    world: World, census: Census, client_for: Any
) -> None:
    """A social worker of Casarano reads the partnership's figures but only Casarano's own page: a link to
    Maglie's would end on «Pagina non trovata»."""
    url = reverse("census:partnership_ratio", args=["POGGIARDO-114"])
    page = client_for("supervisee").get(url, {"campagna": census.campaign_id}).content.decode()
    assert reverse("census:ambito_ratio", args=["PUG_CASARANO"]) in page
    assert reverse("census:ambito_ratio", args=["PUG_MAGLIE"]) not in page
    assert "Ambito di Maglie" in page
    assert client_for("supervisee").get(reverse("census:ambito_ratio", args=["PUG_MAGLIE"])).status_code == 404
    coordinator_page = client_for("coordinator").get(url, {"campagna": census.campaign_id}).content.decode()
    assert reverse("census:ambito_ratio", args=["PUG_MAGLIE"]) in coordinator_page
