"""The daily alerts: each kind at its threshold, who receives them, the e-mail digest and the home page."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from supervisione.accounts.models import Role, RoleAssignment
from supervisione.census.models import Census, CensusStatus
from supervisione.monitoring.alerts import EVERYTHING, Reach, collect, recipients
from supervisione.planning.models import Plan, PlanStatus
from supervisione.planning.multifondo import FilingStatus, MultifondoFiling
from supervisione.procurement.models import ContractLine, ContractStatus, TenderDeadline
from supervisione.sessions.models import RegisterStatus, Session

from .conftest import TODAY, Year

ROME = ZoneInfo("Europe/Rome")


def _kinds(today: datetime.date = TODAY, reach: Reach = EVERYTHING) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for alert in collect(today, reach):
        found.setdefault(alert.kind, []).append(alert.title)
    return found


def test_it_lists_groups_behind_or_at_risk(year: Year) -> None:
    assert _kinds()["group"] == [
        "Gruppo A1 Casarano (POGGIARDO-114): a rischio",
        "Équipe PUA Casarano (POGGIARDO-114): a rischio",
    ]


def test_it_lists_registers_unconfirmed_after_three_days(year: Year) -> None:
    # Luca's individual session of 24/09 is 7 days old on 1 October; on 27/09 it was 3 days old: not yet.
    [register] = [alert for alert in collect(TODAY) if alert.kind == "register"]
    assert register.title == "1 registro presenze da confermare da più di 3 giorni"
    assert "del 24/09/2026" in register.detail
    assert register.supervisor_user_id == year.cal.world.supervisor.pk
    assert "register" not in _kinds(datetime.date(2026, 9, 26))
    assert "register" in _kinds(datetime.date(2026, 9, 27))


def test_it_lists_contracts_nearly_used_up(year: Year) -> None:
    # A3: 12 h bought, 5 h booked. At 5 / 0.9 = 5.6 h bought or less the line is nearly used up.
    assert "contract" not in _kinds()
    ContractLine.objects.filter(contract=year.cal.contract, kind="A3").update(hours=Decimal("5.5"))
    [alert] = [alert for alert in collect(TODAY) if alert.kind == "contract"]
    assert alert.title == "Supervisione Raggio di Sole: ore A3 quasi esaurite"
    assert alert.detail == "91 % delle ore A3 già prenotate (5 di 5,5)."
    # Funding: 990 EUR spent of 1,000.
    year.cal.funding.amount = Decimal(1000)
    year.cal.funding.save(update_fields=["amount"])
    titles = _kinds()["contract"]
    funds = "fondi PNRR M5C2 1.1.4 (supervisione e prevenzione del burn out) · CUP J81H22000130006"
    assert f"Supervisione Raggio di Sole: {funds} quasi esauriti" in titles


def test_it_lists_deadlines_within_fourteen_days(year: Year) -> None:
    world = year.cal.world
    Plan.objects.create(
        partnership=world.partnership, year=2027, status=PlanStatus.DRAFT, deadline=TODAY + datetime.timedelta(days=14)
    )
    census = Census.objects.filter(ambito=world.casarano).first()
    assert census is not None
    assert census.status == CensusStatus.DRAFT
    census.campaign.deadline = TODAY + datetime.timedelta(days=15)
    census.campaign.save(update_fields=["deadline"])
    year.cal.contract.status = ContractStatus.PROCEDURE
    year.cal.contract.save(update_fields=["status"])
    due = datetime.datetime(2026, 10, 2, 12, 0, tzinfo=ROME)
    TenderDeadline.objects.create(contract=year.cal.contract, kind="offers", original_due_at=due, due_at=due)
    deadlines = _kinds()["deadline"]
    assert deadlines == [
        "Supervisione Raggio di Sole: presentazione delle offerte o proposte domani",
        "POA 2027 di Partenariato POGGIARDO-114: da trasmettere tra 14 giorni, il 15/10/2026",
    ]


def test_it_lists_the_filings_on_multifondo_due_within_fourteen_days_where_the_deadline_is_known(
    year: Year, settings: Any
) -> None:
    world = year.cal.world
    settings.MULTIFONDO_DEADLINES = {2026: TODAY + datetime.timedelta(days=10), 2027: datetime.date(2027, 3, 31)}
    MultifondoFiling.objects.create(
        ambito=world.maglie, year=2026, status=FilingStatus.SENT, status_on=TODAY, protocol="MF-1"
    )
    titles = [title for title in _kinds()["deadline"] if "Multifondo" in title]
    when = "da inviare su Multifondo tra 10 giorni, il 11/10/2026"
    assert sorted(titles) == sorted(
        f"POA 2026 di {name}: {when}"
        for name in ("Ambito di Casarano", "Ambito di Poggiardo", "Ambito Alto Tavoliere", "ATS VEN_09 Treviso")
    )
    mine = Reach(frozenset(), frozenset({world.casarano.pk, world.maglie.pk}))
    assert [title for title in _kinds(reach=mine)["deadline"] if "Multifondo" in title] == [
        f"POA 2026 di Ambito di Casarano: {when}"
    ]
    settings.MULTIFONDO_DEADLINES = {}
    assert not [title for title in _kinds().get("deadline", []) if "Multifondo" in title]


def test_it_sends_each_responsible_person_a_digest(year: Year, settings: Any) -> None:
    world = year.cal.world
    for user, address in (
        (world.coordinator, "coordinatrice@example.it"),
        (world.supervisor, "supervisora@example.it"),
    ):
        user.email = address
        user.save(update_fields=["email"])
    people = recipients(collect(TODAY))
    assert {user.username: sorted(alert.kind for alert in alerts) for user, alerts in people.items()} == {
        "coordinator": ["group", "group", "register"],
        "supervisor": ["register"],
    }
    out = io.StringIO()
    with mock.patch.object(timezone, "localdate", return_value=TODAY):
        call_command("monitoring_alerts", "--indirizzo", "https://supervisione.example.it/", stdout=out)
    assert "Riepiloghi inviati: 2" in out.getvalue()
    coordinator = next(message for message in mail.outbox if message.to == ["coordinatrice@example.it"])
    assert coordinator.subject == "Supervisione: 3 cose da seguire oggi"
    assert "Gruppi in ritardo o a rischio (2)" in coordinator.body
    assert f"https://supervisione.example.it/monitoraggio/gruppi/{year.cal.group.pk}/" in coordinator.body
    mail.outbox.clear()
    with mock.patch.object(timezone, "localdate", return_value=TODAY):
        call_command("monitoring_alerts", "--prova", stdout=io.StringIO())
    assert mail.outbox == []


def test_it_shows_the_alerts_on_the_home_page_and_their_page(
    year: Year, on_today: datetime.date, client_for: Any
) -> None:
    home = client_for("coordinator").get("/").content.decode()
    assert "Gruppo A1 Casarano (POGGIARDO-114): a rischio" in home
    assert "1 registro presenze da confermare da più di 3 giorni" in home
    page = client_for("coordinator").get("/monitoraggio/avvisi/").content.decode()
    assert "Équipe PUA Casarano (POGGIARDO-114): a rischio" in page
    # The supervisor gets their registers from the sessions' own step, not twice; no group alerts.
    supervisor = client_for("supervisor").get("/").content.decode()
    assert "a rischio" not in supervisor
    outsider = client_for("outsider").get("/monitoraggio/avvisi/").content.decode()
    assert "Casarano" not in outsider
    assert "Nessun avviso" in outsider


def test_it_keeps_a_fixed_number_of_queries(year: Year, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(20) as before:
        collect(TODAY)
    for week in range(10):
        year.add(
            year.cal.group,
            datetime.date(2026, 7, 6) + datetime.timedelta(days=7 * week),
            confirmed=False,
            start=datetime.time(7),
        )
    assert Session.objects.filter(register_status=RegisterStatus.OPEN).count() > 10
    with django_assert_max_num_queries(len(before.captured_queries)):
        collect(TODAY)


def test_it_tells_the_referent_of_the_ats_whose_people_are_in_a_group_behind(year: Year) -> None:
    world = year.cal.world
    casarano = _kinds(reach=Reach(frozenset(), frozenset({world.casarano.pk})))
    assert casarano["group"] == [
        "Gruppo A1 Casarano (POGGIARDO-114): a rischio",
        "Équipe PUA Casarano (POGGIARDO-114): a rischio",
    ]
    maglie = _kinds(reach=Reach(frozenset(), frozenset({world.maglie.pk})))
    assert "group" not in maglie  # no one of Maglie in those groups
    people = recipients([alert for alert in collect(TODAY) if alert.kind == "group"])
    assert "referent" not in {user.username for user in people}  # the referent of Maglie


def test_it_shows_the_referent_the_groups_behind_on_the_home_page(
    year: Year, on_today: datetime.date, client_for: Any
) -> None:
    world = year.cal.world
    assert "Gruppo A1 Casarano (POGGIARDO-114)" not in client_for("referent").get("/").content.decode()
    RoleAssignment.objects.create(user=world.user("referent"), role=Role.REFERENT, ambito=world.casarano)
    home = client_for("referent").get("/").content.decode()
    assert "Gruppo A1 Casarano (POGGIARDO-114): a rischio" in home
