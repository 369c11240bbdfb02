"""The SIOSS export of an ATS and year, parsed back: the ledger's stages, beneficiaries, hours, and the c. 797
prospetto over the year beside the snapshot."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from supervisione.census.models import Census, CensusStatus, Person
from supervisione.census.tests import factories as census_factories
from supervisione.funding.models import FnpsAllocation, LedgerEntry, Stage
from supervisione.funding.sioss import OUR_READING, sioss, sioss_xlsx, year_ratio
from supervisione.leps.parameters import rules_at
from supervisione.leps.ratio import assess_ratio
from supervisione.leps.rounding import ZERO
from supervisione.planning import actions
from supervisione.planning.models import PlanGroup
from supervisione.planning.tests import factories
from supervisione.sessions.models import Modality, RegisterStatus, Session
from supervisione.sessions.usage import CONFIRMED, minutes_to_hours
from supervisione.territory.models import Ambito, OrganisationKind
from supervisione.testing.frozen import frozen
from supervisione.testing.world import PERSONAS, World

URL_YEAR = 2026
D = Decimal


def url(world: World) -> str:
    return reverse("funding:sioss_export", args=[world.maglie.code, URL_YEAR])


def setup(world: World) -> None:
    """Maglie: a full-time permanent AS all year, another from 1 July 2026; a plan of 2026; FNPS acts."""
    census = factories.census_of(world, {"PUG_MAGLIE": 1}, equipes={"PUG_MAGLIE": 1})[0]
    census = next(c for c in [census, *census.campaign.censuses.all()] if c.ambito == world.maglie)
    census_factories.position(census, census_factories.person(90), start_date=datetime.date(2026, 7, 1))
    deal = factories.contract(world, end=datetime.date(2026, 12, 31))
    actions.create_plan(world.partnership, 2026, by=world.coordinator)
    allocation = FnpsAllocation.objects.create(
        ambito=world.maglie, first_year=2026, last_year=2026, amount=Decimal("14648.66")
    )
    for stage, amount, number in ((Stage.PROGRAMMED, "14000", ""), (Stage.COMMITTED, "9000.50", "IMP-1")):
        LedgerEntry.objects.create(
            ambito=world.maglie,
            allocation=allocation,
            stage=stage,
            amount=Decimal(amount),
            date=datetime.date(2026, 3, 1),
            act_number=number,
            contract=deal.contract if number else None,
        )


def test_it_counts_each_social_worker_for_the_days_in_service(world: World) -> None:
    setup(world)
    data = sioss(world.maglie, 2026, datetime.date(2026, 12, 6))
    last, this = data.over_year
    assert (last.label, last.as_fte) == ("consuntivo 2025", Decimal(1))
    assert this.label == "previsione 2026"
    assert round(this.as_fte, 4) == Decimal("1.5041")  # 1 + 184 of 365 days
    assert this.assessment == assess_ratio(
        this.population, this.as_fte, this.permanent_fte, rules_at(datetime.date(2026, 12, 31))
    )
    assert data.snapshot is not None
    assert data.snapshot.as_fte == Decimal(2)  # both in service on 6 December
    census = data.census
    assert census is not None
    assert year_ratio(world.maglie, census, 2027, "x").as_fte == Decimal(2)


def test_each_year_comes_from_the_census_that_covers_it(world: World) -> None:
    """A validated census of 2024, a submitted one of mid-2025 (someone hired in January 2025, someone who left
    on 31 October 2025), a draft of March 2026 (someone hired in February 2026), an empty one just opened."""
    people = {number: census_factories.person(number) for number in (1, 2, 3, 4)}
    position = census_factories.position

    def person(number: int) -> Person:
        return people[number]

    def census(title: str, day: datetime.date) -> Census:
        return census_factories.census_of(world, title=title, reference_date=day, deadline=day)

    of_2024 = census("Ricognizione 2024", datetime.date(2024, 9, 30))
    Census.objects.filter(pk=of_2024.pk).update(status=CensusStatus.VALIDATED, submitted_at=timezone_aware(2024))
    position(of_2024, person(1))
    of_2025 = census("Ricognizione 2025", datetime.date(2025, 6, 30))
    Census.objects.filter(pk=of_2025.pk).update(status=CensusStatus.SUBMITTED, submitted_at=timezone_aware(2025))
    position(of_2025, person(1))
    position(of_2025, person(2), start_date=datetime.date(2025, 1, 1))
    position(of_2025, person(3), end_date=datetime.date(2025, 10, 31))
    of_2026 = census("Ricognizione 2026", datetime.date(2026, 3, 31))
    position(of_2026, person(1))
    position(of_2026, person(2), start_date=datetime.date(2025, 1, 1))
    position(of_2026, person(4), start_date=datetime.date(2026, 2, 1))  # who left in 2025 is not copied
    census("Ricognizione 2026 bis", datetime.date(2026, 6, 30))  # opened, no position yet

    data = sioss(world.maglie, 2026, datetime.date(2026, 12, 6))
    last, this = data.over_year
    assert (last.census, this.census, data.census) == (of_2025, of_2026, of_2026)
    assert round(last.as_fte, 4) == round(2 + Decimal(304) / 365, 4)  # 1, 2 all year; 3 to 31 October
    assert round(this.as_fte, 4) == round(2 + Decimal(334) / 365, 4)  # 1, 2 all year; 4 from 1 February
    rows = list(load_workbook(io.BytesIO(sioss_xlsx(data)))["Prospetto c.797"].iter_rows(min_row=5, values_only=True))
    assert [row[8] for row in rows] == [
        "Ricognizione 2025 (al 30/06/2025, trasmesso)",
        "Ricognizione 2026 (al 31/03/2026, in compilazione)",
        "Ricognizione 2026 (al 31/03/2026, in compilazione)",
    ]
    # Last year's export, made now: 2024 from the census of 2024, not from a later one.
    earlier = sioss(world.maglie, 2025, datetime.date(2026, 12, 6))
    assert [ratio.census for ratio in earlier.over_year] == [of_2024, of_2025]
    # Before its first census, a year is read from the first census after it.
    assert [ratio.census for ratio in sioss(world.maglie, 2024, datetime.date(2026, 12, 6)).over_year] == [
        of_2024,
        of_2024,
    ]


def timezone_aware(year: int) -> datetime.datetime:
    return datetime.datetime(year, 10, 1, tzinfo=datetime.UTC)


def test_the_prospetto_counts_the_asl_social_workers_in_service_for_the_ambito(world: World) -> None:
    setup(world)
    before = sioss(world.maglie, 2026, datetime.date(2026, 12, 6))
    assert before.census is not None
    asl = census_factories.organisation("ASL Lecce", OrganisationKind.ASL)
    census_factories.position(before.census, census_factories.person(91), employer=asl, on_behalf_of_ambito=True)
    census_factories.position(before.census, census_factories.person(92), employer=asl)  # the ASL's own services
    after = sioss(world.maglie, 2026, datetime.date(2026, 12, 6))
    for old, new in zip(before.over_year, after.over_year, strict=True):
        assert (new.as_fte - old.as_fte, new.permanent_fte - old.permanent_fte) == (Decimal(2), Decimal(1))
    assert before.snapshot is not None
    assert after.snapshot is not None
    assert after.snapshot.as_fte - before.snapshot.as_fte == 2
    assert after.snapshot.permanent_as_fte - before.snapshot.permanent_as_fte == 1
    workbook = load_workbook(io.BytesIO(sioss_xlsx(after)))
    prospetto = list(workbook["Prospetto c.797"].iter_rows(min_row=5, values_only=True))
    assert [Decimal(str(row[3])) for row in prospetto] == [
        round(after.over_year[0].permanent_fte, 4),
        round(after.over_year[1].permanent_fte, 4),
        after.snapshot.permanent_as_fte,
    ]


def test_the_export_reads_back_with_the_ledger_and_the_prospetto(world: World) -> None:
    setup(world)
    workbook = load_workbook(io.BytesIO(sioss_xlsx(sioss(world.maglie, 2026, datetime.date(2026, 12, 6)))))
    assert workbook.sheetnames == ["Quota supervisione", "Prospetto c.797"]
    quota = {row[0]: row[1:] for row in workbook["Quota supervisione"].iter_rows(values_only=True) if row[0]}
    assert OUR_READING in workbook["Quota supervisione"]["A2"].value
    assert quota["Programmazione"][0] == 14000
    assert quota["Impegno"][0] == 9000.5
    assert quota["Liquidazione"][0] == 0
    assert quota["Mandato di pagamento"][0] == 0
    assert quota["Assistente sociale"][0] == 2
    assert OUR_READING in str(quota["Assistente sociale"][1])
    prospetto = list(workbook["Prospetto c.797"].iter_rows(min_row=5, values_only=True))
    assert [row[0] for row in prospetto] == ["consuntivo 2025", "previsione 2026", "fotografia al 06/12/2026"]
    for row in prospetto:
        assert str(row[5]).startswith("FTE")  # the rule of the contribution, and of the other figure beside it
        assert str(row[7]).startswith("FTE")
        assert row[5] != row[7]


def test_the_hours_by_type_are_each_ats_share_and_add_up_to_the_partnership(world: World) -> None:
    """The plan of test_ats_poa: group 1 of 8 AS of Casarano, group 2 of 1 of Casarano, 3 of Maglie and 4 of
    Poggiardo, an équipe of Maglie; confirmed sessions of 2026 (one more left open)."""
    factories.census_of(world, {"PUG_CASARANO": 9, "PUG_POGGIARDO": 4, "PUG_MAGLIE": 3}, equipes={"PUG_MAGLIE": 2})
    deal = factories.contract(world)
    plan = actions.create_plan(world.partnership, 2026, by=world.coordinator)
    supervisor = factories.supervisor(world)
    groups = {group.name: group for group in plan.groups.all()}
    first, second = groups["Gruppo A1 n. 1"], groups["Gruppo A1 n. 2"]
    equipe = next(group for group in groups.values() if group.kind == "A3")
    maglie_member = second.memberships.filter(ambito=world.maglie).first()
    assert maglie_member is not None

    def held(group: PlanGroup, kind: str, day: int, end: datetime.time, ambito: Ambito | None, **more: Any) -> None:
        Session.objects.create(
            kind=kind,
            group=group,
            partnership=world.partnership,
            ambito=ambito,
            date=datetime.date(2026, 3, day),
            start_time=datetime.time(9),
            end_time=end,
            modality=Modality.IN_PERSON,
            supervisor=supervisor,
            contract=deal.contract,
            funding=deal.pnrr,
            register_status=more.get("register_status", RegisterStatus.CONFIRMED),
            register_confirmed_at=None if "register_status" in more else timezone.now(),
            checkin_code=f"CODE{day:04d}",
            supervisee=more.get("supervisee"),
        )

    held(first, "A1", 2, datetime.time(12), world.casarano)  # 3 h, Casarano's people alone
    for day, end in ((3, datetime.time(11)), (4, datetime.time(11)), (5, datetime.time(10, 30))):
        held(second, "A1", day, end, None)  # 5.5 h of a group of three ATS
    held(second, "A1", 6, datetime.time(11), None, register_status=RegisterStatus.OPEN)  # not confirmed
    held(second, "A2", 9, datetime.time(10), world.maglie, supervisee=maglie_member.person)  # 1 h, Maglie's AS
    held(equipe, "A3", 10, datetime.time(11), world.maglie)  # 2 h, Maglie's équipe

    by_ats = {
        ambito.code: sioss(ambito, 2026, datetime.date(2026, 12, 6)).hours
        for ambito in (world.casarano, world.maglie, world.poggiardo)
    }
    # 5.5 h by 1, 3 and 4 of 8: 0.6875, 2.0625 and 2.75, the hundredth left over to the largest remainder.
    assert by_ats == {
        "PUG_CASARANO": {"A1": D("3.69")},
        "PUG_MAGLIE": {"A1": D("2.06"), "A2": D("1.00"), "A3": D("2.00")},
        "PUG_POGGIARDO": {"A1": D("2.75")},
    }
    partnership = Session.objects.filter(CONFIRMED, group__plan=plan).values("kind").annotate(m=Sum("minutes"))
    whole = {row["kind"]: minutes_to_hours(row["m"]) for row in partnership}
    for kind, hours in whole.items():
        assert sum(figures.get(kind, ZERO) for figures in by_ats.values()) == hours
    workbook = load_workbook(io.BytesIO(sioss_xlsx(sioss(world.maglie, 2026, datetime.date(2026, 12, 6)))))
    rows = {row[0]: row[1:] for row in workbook["Quota supervisione"].iter_rows(values_only=True) if row[0]}
    assert rows["A1 - gruppo monoprofessionale"][0] == 2.06


@frozen(2026, 12, 6)  # the funds page offers the exports of this year and the last
def test_only_who_reads_the_ledgers_acts_downloads_it(world: World, client_for: Callable[[str], Client]) -> None:
    setup(world)
    answers = {name: client_for(name).get(url(world)).status_code for name, _role, _where in PERSONAS}
    assert answers["coordinator"] == 200
    assert answers["referent"] == 200
    assert answers["observer"] == 403
    assert answers["outsider"] == 404
    page = client_for("referent").get(reverse("funding:ambito_funds", args=[world.maglie.code])).content.decode()
    assert url(world) in page
    response = client_for("referent").get(url(world))
    assert response["Content-Disposition"].endswith('SIOSS_PUG_MAGLIE_2026.xlsx"')


def test_an_ats_without_census_gets_the_sheet_saying_so(world: World) -> None:
    workbook = load_workbook(io.BytesIO(sioss_xlsx(sioss(world.casarano, 2026, datetime.date(2026, 12, 6)))))
    values = [row[0] for row in workbook["Prospetto c.797"].iter_rows(values_only=True)]
    assert "Nessun censimento dell'ATS: il prospetto non si può calcolare." in values
