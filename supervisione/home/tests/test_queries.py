"""Every persona's home page runs as many queries with more of everything its steps look at (PRODUCT.md, quality
bar): one of each thing a step reports, then more of each (ATS in the partnership, censuses, procedures and
contracts, supervisors, plans and filings, sessions with open registers, requests, questionnaire waves, partnerships
and ATS the persona answers for), and the count of a request does not move."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supervisione.accounts.models import Role, RoleAssignment
from supervisione.audit.models import AuditEntry
from supervisione.census.models import Census, CensusStatus, ReferentDesignation, ReferentRequest
from supervisione.census.reopening import REOPEN_REQUESTED
from supervisione.census.tests import factories as census_factories
from supervisione.lib import clock
from supervisione.meetings.models import TaskStatus
from supervisione.meetings.tests import factories as meeting_factories
from supervisione.planning.models import GroupKind, Plan, PlanGroup, PlanMember, PlanStatus
from supervisione.planning.multifondo import FilingStatus, MultifondoFiling
from supervisione.planning.steps import LIMIT
from supervisione.procurement.models import ContractStatus, DeadlineKind, TenderDeadline
from supervisione.sessions.models import RegisterStatus, Session
from supervisione.sessions.tests.conftest import Cal
from supervisione.territory.models import Ambito, JoinRequest, Partnership, PartnershipMember
from supervisione.testing import factories
from supervisione.testing.frozen import frozen
from supervisione.testing.world import PERSONAS, World
from supervisione.wellbeing.tests import factories as wellbeing_factories

TODAY = datetime.date(2026, 11, 10)
STEP = re.compile(r'class="alert alert-(?:danger|warning|info) mb-0" role="status">\s*<a [^>]*>([^<]*)</a>')


def ambito(world: World, code: str) -> Ambito:
    return Ambito.objects.create(code=code, name=f"Ambito {code}", region=world.puglia)


def grow(world: World, cal: Cal, k: int) -> None:
    """One more of everything the home steps look at, for round ``k`` (0: the first of each)."""
    today = clock.today()
    now = clock.now()
    # Territory: a new member ATS without municipalities or contacts; a partnership asking to join the referent's
    # ATS and the coordinator's capofila.
    new = ambito(world, f"PUG_NEW{k}")
    PartnershipMember.objects.create(partnership=world.partnership, ambito=new)
    other = Partnership.objects.create(
        code=f"ALTRO-{k}", name=f"Partenariato altro {k}", capofila=ambito(world, f"PUG_CAP{k}")
    )
    for asked in (world.maglie, world.poggiardo):
        JoinRequest.objects.create(partnership=other, ambito=asked, joined_on=today)
    # Census: a late campaign (the referent's open census, one submitted to validate, the rest to chase), a
    # validated census whose reopening was asked, a request of referents half answered.
    campaign = census_factories.campaign(world.partnership, deadline=today - datetime.timedelta(days=3 + k))
    Census.objects.filter(campaign=campaign, ambito=world.casarano).update(
        status=CensusStatus.SUBMITTED, submitted_at=now
    )
    validated = Census.objects.filter(campaign=campaign, ambito=world.poggiardo)
    validated.update(status=CensusStatus.VALIDATED, submitted_at=now)
    AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Census),
        object_id=str(validated.get().pk),
        object_repr="Censimento",
        code=REOPEN_REQUESTED,
        action="action",
        user=world.referent,
        message="Richiesta: manca una persona",
    )
    request = ReferentRequest.objects.create(partnership=world.partnership, deadline=today + datetime.timedelta(days=5))
    ReferentDesignation.objects.create(
        request=request, ambito=world.poggiardo, full_name=f"Referente {k}", act_date=today, answered_on=today
    )
    # Procurement: a procedure with an expired and an upcoming term; a contract in force near its end, without
    # lines or funding source, with an FNPS row whose payer is to confirm; one nearly used up.
    procedure = factories.contract(world.partnership, title=f"Gara {k}", status=ContractStatus.PROCEDURE)
    for days in (-2, 10):
        due = now + datetime.timedelta(days=days)
        TenderDeadline.objects.create(contract=procedure, kind=DeadlineKind.OFFERS, original_due_at=due, due_at=due)
    ending = factories.contract(
        world.partnership,
        title=f"Contratto {k}",
        status=ContractStatus.ACTIVE,
        provider=cal.contract.provider,
        start_date=datetime.date(2025, 1, 1),
        end_date=today + datetime.timedelta(days=20),
    )
    factories.contract_funding(ending)
    ending.fundings.update(measure="fnps", cup="", year=2026, ambito=world.maglie, payer_to_confirm=True)
    # Supervisors without a training certificate.
    factories.supervisor(world.partnership, surname=f"Senzattestato{k}", active=True)
    # Planning: a draft of next year's POA of the partnership and of the referent's ATS (only the first: see
    # the last test); a filing to correct.
    if not k:
        drafts(world, 2027)
    MultifondoFiling.objects.create(
        ambito=world.maglie, year=2024 + k, status=FilingStatus.TO_CORRECT, status_on=today, protocol=f"P-{k}"
    )
    # Sessions and monitoring: a group of the plan behind, with a member of each ATS, sessions today and past
    # ones with their register open, and the supervisee's next one.
    group = PlanGroup.objects.create(
        plan=cal.plan, kind=GroupKind.A1, name=f"Gruppo {k}", planned_hours=Decimal(16), a2_pool_hours=Decimal(15),
        supervisor=cal.supervisor, contract=cal.contract, funding=cal.funding,
    )  # fmt: skip
    for number, where in ((10 * k + 11, world.maglie), (10 * k + 12, world.casarano), (10 * k + 13, new)):
        person = census_factories.person(number)
        PlanMember.objects.create(group=group, plan=cal.plan, kind=GroupKind.A1, person=person, ambito=where)
    # The new ATS is in another partnership too, whose plan has a group behind with one of its people.
    PartnershipMember.objects.create(partnership=other, ambito=new)
    other_plan = Plan.objects.create(
        partnership=other,
        year=2026,
        status=PlanStatus.APPROVED,
        deadline=datetime.date(2026, 3, 31),
        submitted_at=now,
        approved_at=now,
    )
    other_group = PlanGroup.objects.create(
        plan=other_plan, kind=GroupKind.A1, name=f"Gruppo altro {k}", planned_hours=Decimal(16)
    )
    PlanMember.objects.create(
        group=other_group, plan=other_plan, kind=GroupKind.A1, person=census_factories.person(10 * k + 14), ambito=new
    )
    cal.one(today, f"{8 + k:02d}:00", f"{8 + k:02d}:30")
    cal.one(today - datetime.timedelta(days=10 + k))
    cal.one(today + datetime.timedelta(days=7 + k))
    held = cal.one(today - datetime.timedelta(days=20 + k))
    Session.objects.filter(pk=held.pk).update(register_status=RegisterStatus.CONFIRMED, register_confirmed_at=now)
    # Meetings: requests of the referent's ATS and of the coordinator, one late.
    meeting = meeting_factories.meeting(world.partnership, title=f"Riunione {k}")
    meeting_factories.task(meeting, world.maglie, deadline=today + datetime.timedelta(days=2), title=f"Allegato {k}")
    meeting_factories.task(
        meeting, None, owner_user=world.coordinator, deadline=today - datetime.timedelta(days=1), title=f"Verbale {k}"
    )
    assert meeting.tasks.filter(status=TaskStatus.OPEN).count() == 2
    # Wellbeing: a wave open today with its invitations, one closed last week.
    wave = wellbeing_factories.wave(
        world.partnership,
        round=2 * k,
        opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=9),
    )
    wellbeing_factories.invitation(wave, email=f"persona{k}@example.it")
    wellbeing_factories.wave(
        world.partnership,
        round=2 * k + 1,
        opens_on=today - datetime.timedelta(days=40),
        closes_on=today - datetime.timedelta(days=7),
        closed=True,
    )
    # Growth beyond the first round: the coordinator coordinates one more partnership, the referent answers for
    # one more ATS.
    if k:
        RoleAssignment.objects.create(user=world.coordinator, role=Role.COORDINATOR, partnership=other)
        RoleAssignment.objects.create(user=world.referent, role=Role.REFERENT, ambito=new)


def drafts(world: World, year: int) -> None:
    Plan.objects.create(partnership=world.partnership, year=year, deadline=datetime.date(year, 3, 31))
    Plan.objects.create(ambito=world.maglie, year=year, deadline=datetime.date(year, 3, 31))


def counted_get(client: Client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home:home"))
        count = len(queries.captured_queries)  # read inside: every request empties the connection's log
    assert response.status_code == 200
    return count, response.content.decode()


@frozen(2026, 11, 10)
@pytest.mark.parametrize("persona", [name for name, _role, _where in PERSONAS])
def test_the_home_page_runs_as_many_queries_with_more_of_everything(
    world: World, cal: Cal, client_for: Any, settings: Any, persona: str
) -> None:
    settings.MULTIFONDO_DEADLINES = {2026: TODAY + datetime.timedelta(days=5)}
    grow(world, cal, 0)
    client = client_for(persona)
    client.get(reverse("home:home"))  # the first request may save the session
    before, page = counted_get(client)
    grow(world, cal, 1)
    grow(world, cal, 2)
    after, grown = counted_get(client)
    assert after == before, f"{persona}: {before} queries, then {after} with more data"
    # The steps did see the new data: more of them, or (a supervisor's) larger counts.
    if persona in ("admin", "coordinator", "referent"):
        assert len(STEP.findall(grown)) > len(STEP.findall(page))
    if persona == "supervisor":
        assert STEP.findall(grown) != STEP.findall(page)


@frozen(2026, 11, 10)
@pytest.mark.parametrize("persona", ["coordinator", "referent"])
def test_the_home_page_runs_as_many_queries_with_more_draft_plans_than_it_shows(
    world: World, cal: Cal, client_for: Any, persona: str
) -> None:
    """Each draft POA the home page lists is read by its own plan_page to count its shortfalls (about ten queries:
    no reading of several plans at once yet), and the page lists at most planning.steps.LIMIT open plans: the
    count grows with the drafts up to that many, never beyond."""
    for year in range(2027, 2027 + LIMIT):
        drafts(world, year)
    client = client_for(persona)
    client.get(reverse("home:home"))
    before, _page = counted_get(client)
    drafts(world, 2027 + LIMIT)
    drafts(world, 2028 + LIMIT)
    after, _grown = counted_get(client)
    assert after == before
