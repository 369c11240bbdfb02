"""Sample arguments for every URL pattern of the project: the registry of the security URL matrix.

``supervisione/tests/test_url_matrix.py`` walks the URL resolver and requests every named pattern as every
persona of ``supervisione.testing.world`` and as an anonymous user, by GET and by POST, and the CSRF test
POSTs, PUTs, PATCHes and DELETEs to each without a token. A pattern without an entry here makes those tests
FAIL: when you add a URL, add one line to ``SAMPLES`` below, saying who may reach the page and how to fill
its arguments:

    "census:ambito_ratio": tenant(code=PARTNER_AMBITO),
    "supervisors:training_edit": tenant(_supervisor("training_pk", factories.training)),

The kind of an entry is what the matrix expects, beyond "never a 500, always the security headers, never
a Poggiardo ATS's name or code in a page for the outsider or a user without roles":

- ``public``: anyone, logged in or not (login, health check).
- ``shared``: every logged-in user may ask; the view's own checks decide (lists filtered by scope, reference
  data, the profile). Anonymous users are sent to the login page.
- ``admin``: administrators only; every other logged-in user gets 403.
- ``tenant``: an object of the Poggiardo partnership (POGGIARDO-114 and its ATS PUG_POGGIARDO, PUG_MAGLIE and
  PUG_CASARANO): the outsider (coordinator of TREVISO-114) and a user without roles get 404, as if it did
  not exist.

People created for a sample (staff, referents, supervisors) have the surname ``PERSON``: no page may show it
to an observer (who sees aggregates only), to the outsider or to a user without roles.

Administrators are never refused (no 403 or 404). Arguments are keyword values, or a function of the
``World`` returning them, to create an object with ``supervisione.testing.factories``. Page-by-page
expectations for each persona stay in each app's ``tests/test_access.py``; this matrix is the net that
catches the page nobody wrote such a test for.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models

from supervisione.accounts.invitations import token_hash
from supervisione.accounts.models import Invitation, Role, RoleAssignment, User
from supervisione.census.models import Census, ImportJob, ImportStatus, ReferentDesignation, ReferentRequest
from supervisione.census.tests import factories as census_factories
from supervisione.lib import clock
from supervisione.lib.uploads import check_upload
from supervisione.meetings.actions import token_hash as meeting_token_hash
from supervisione.meetings.tests import factories as meeting_factories
from supervisione.monitoring.models import DocumentJob, DocumentKind, JobStatus
from supervisione.planning.actions import create_plan
from supervisione.planning.models import Plan
from supervisione.planning.multifondo import FilingStatus, MultifondoFiling
from supervisione.procurement.models import CoDesignTable, Contract, ContractStatus, FundingAgreement
from supervisione.sessions.actions.feeds import create_feed_token
from supervisione.sessions.actions.registers import issue_register_document, store_scan
from supervisione.sessions.models import Attendance, AttendanceStatus, Modality, RegisterStatus, Session
from supervisione.supervisors.models import Supervisor
from supervisione.territory.models import AmbitoMembership, JoinRequest, JoinRequestStatus, PartnershipMember
from supervisione.testing import factories
from supervisione.testing.world import World
from supervisione.wellbeing.models import Objective
from supervisione.wellbeing.tests import factories as wellbeing_factories

Arguments = Callable[[World], dict[str, Any]]


class Access(StrEnum):
    PUBLIC = "public"
    SHARED = "shared"
    ADMIN = "admin"
    TENANT = "tenant"


@dataclass(frozen=True)
class Sample:
    access: Access
    arguments: Arguments


def _sample(access: Access, arguments: Arguments | None, fixed: dict[str, Any]) -> Sample:
    if arguments is not None and fixed:
        raise TypeError("Give either a function of the world or keyword values, not both.")
    return Sample(access, arguments or (lambda _world: dict(fixed)))


def public(arguments: Arguments | None = None, **fixed: Any) -> Sample:
    return _sample(Access.PUBLIC, arguments, fixed)


def shared(arguments: Arguments | None = None, **fixed: Any) -> Sample:
    return _sample(Access.SHARED, arguments, fixed)


def admin(arguments: Arguments | None = None, **fixed: Any) -> Sample:
    return _sample(Access.ADMIN, arguments, fixed)


def tenant(arguments: Arguments | None = None, **fixed: Any) -> Sample:
    return _sample(Access.TENANT, arguments, fixed)


# Pages and objects of the Poggiardo partnership that the outsider must never see.
PARTNER_AMBITO = "PUG_MAGLIE"
PARTNERSHIP = "POGGIARDO-114"
# The surname of every person the samples create (staff, referents, supervisors): observers, who see only
# aggregates, must never read it, and neither must the outsider or users without roles.
PERSON = "Zanzottera"
_numbers = itertools.count(1)
# Plans are one per partnership and year: each sample plan gets its own year.
_plan_years = itertools.count(2025)


def _membership(world: World) -> dict[str, Any]:
    membership = AmbitoMembership.objects.filter(ambito=world.maglie).first()
    assert membership is not None, "the world gives every ATS its municipalities"
    return {"code": PARTNER_AMBITO, "pk": membership.pk}


def _partner(world: World) -> dict[str, Any]:
    return {
        "code": PARTNERSHIP,
        "pk": PartnershipMember.objects.get(partnership=world.partnership, ambito=world.maglie).pk,
    }


def _join_request(world: World) -> dict[str, Any]:
    """The Poggiardo partnership asks San Severo's ATS to join: the request belongs to both sides."""
    join_request, _ = JoinRequest.objects.get_or_create(
        partnership=world.partnership,
        ambito=world.sansevero,
        status=JoinRequestStatus.PENDING,
        defaults={"joined_on": datetime.date(2025, 1, 1), "requested_by": world.coordinator},
    )
    return {"pk": join_request.pk}


def _role(world: World) -> dict[str, Any]:
    return {"pk": world.referent.pk, "role_pk": RoleAssignment.objects.get(user=world.referent).pk}


def _supervisor(key: str = "", part: Callable[[Supervisor], models.Model] | None = None) -> Arguments:
    """A supervisor of the Poggiardo partnership (``pk``) and, if asked, one of its parts (``key``)."""

    def arguments(world: World) -> dict[str, Any]:
        record = factories.supervisor(world.partnership, surname=PERSON)
        made = part(record) if part else None
        return {"pk": record.pk, key: made.pk} if key and made else {"pk": record.pk}

    return arguments


def _supervisor_document(world: World) -> dict[str, Any]:
    return {"pk": factories.document(factories.supervisor(world.partnership)).pk}


def _contract(key: str = "", part: Callable[[Contract], models.Model] | None = None) -> Arguments:
    """A contract of the Poggiardo partnership (``pk``) and, if asked, one of its parts (``key``, or no
    argument when the page only needs the part to exist)."""

    def arguments(world: World) -> dict[str, Any]:
        record = factories.contract(world.partnership)
        made = part(record) if part else None
        return {"pk": record.pk, key: made.pk} if key and made else {"pk": record.pk}

    return arguments


def _agreement(world: World) -> dict[str, Any]:
    """An agreement of the Poggiardo partnership on its FNPS quotas (Poggiardo and Casarano, 50 % each): one, for
    every sample that needs it (two for the same contracts and period would be refused)."""
    found = FundingAgreement.objects.filter(partnership=world.partnership).first()
    return {"code": PARTNERSHIP, "pk": (found or factories.agreement(world.partnership)).pk}


def _table(contract: Contract) -> CoDesignTable:
    return factories.codesign_table(contract)


def _meeting(key: str = "") -> Arguments:
    """A meeting of the Poggiardo partnership with Maglie's head of the Ufficio di Piano invited (``pk``), its
    minutes and, for ``key``, the invitee, a decision or an ATS's row of a per-ATS decision."""

    def arguments(world: World) -> dict[str, Any]:
        meeting = meeting_factories.meeting(world.partnership, invite=world.maglie)
        minutes = meeting_factories.minutes(meeting)
        decision = minutes.decisions.create(text="Co-finanzia con la quota FNPS", per_ambito=True)
        row = decision.ambito_decisions.create(ambito=world.maglie)
        parts = {"invitee_pk": meeting.invitees.get().pk, "decision_pk": decision.pk, "row_pk": row.pk}
        return {"pk": meeting.pk, key: parts[key]} if key else {"pk": meeting.pk}

    return arguments


def _task(world: World) -> dict[str, Any]:
    """A request of a Poggiardo meeting asked of Maglie."""
    meeting = meeting_factories.meeting(world.partnership, invite=world.maglie)
    return {"pk": meeting_factories.task(meeting, world.maglie).pk}


def _wave(world: World) -> dict[str, Any]:
    """A wellbeing wave of the Poggiardo partnership (its own round, one per sample)."""
    return {"pk": wellbeing_factories.wave(world.partnership, round=next(_numbers)).pk}


def _objective(world: World) -> dict[str, Any]:
    """A burn-out objective of the Poggiardo partnership."""
    made = Objective.objects.create(
        partnership=world.partnership, title="Prevenire il burn-out", year=2025, scale_key="work", kind="mean_falls"
    )
    return {"pk": made.pk}


def _questionnaire_link(world: World) -> dict[str, Any]:
    """The personal link of someone invited to an open wave of a group (a wrong or spent one answers 404); the
    page names the group, as the e-mail does, not the partnership."""
    wave = wellbeing_factories.wave(
        world.partnership,
        group=wellbeing_factories.group(world.partnership),
        round=next(_numbers),
        opens_on=clock.today(),
        closes_on=clock.today(),
    )
    token = f"questionario-di-prova-{next(_numbers)}"
    wellbeing_factories.invitation(wave, f"invitato{next(_numbers)}@example.it", token=token)
    return {"token": token}


def _answer_link(world: World) -> dict[str, Any]:
    """The personal link of an invitee (a wrong one answers 404, see meetings/tests/test_answers.py)."""
    meeting = meeting_factories.meeting(world.partnership)
    token = f"link-di-prova-{next(_numbers)}"
    meeting_factories.invitee(meeting, world.maglie, token_hash=meeting_token_hash(token))
    return {"token": token}


def _census(world: World) -> Census:
    """The census of Maglie in a new campaign of the Poggiardo partnership, with one person in it."""
    campaign = census_factories.campaign(world.partnership)
    census = Census.objects.get(campaign=campaign, ambito=world.maglie)
    census_factories.position(census, census_factories.person(next(_numbers), surname=PERSON))
    return census


def _census_page(**extra: str) -> Arguments:
    def arguments(world: World) -> dict[str, Any]:
        return {"pk": _census(world).campaign_id, "code": PARTNER_AMBITO, **extra}

    return arguments


def _campaign_page(**extra: str) -> Arguments:
    return lambda world: {"pk": _census(world).campaign_id, **extra}


def _position(world: World) -> dict[str, Any]:
    return {"pk": _census(world).positions.get().pk}


def _import_job(world: World) -> dict[str, Any]:
    job = ImportJob.objects.create(census=_census(world), filename="f.csv", kind="csv", status=ImportStatus.CANCELLED)
    return {"pk": job.pk}


def _person(world: World) -> dict[str, Any]:
    return {"pk": _census(world).positions.get().person_id}


def _evidence_pack(world: World) -> dict[str, Any]:
    """A PNRR evidence pack of the partnership, ready (its file stored)."""
    job = DocumentJob.objects.create(
        kind=DocumentKind.EVIDENCE_PACK,
        partnership=world.partnership,
        params={"cup": "J81H22000130006", "start": "2026-01-01", "end": "2026-06-30"},
        title="Pacchetto di evidenze PNRR · CUP J81H22000130006",
        filename="evidenze-pnrr-J81H22000130006-20260101-20260630.zip",
        content_type="application/zip",
        status=JobStatus.READY,
        file=default_storage.save("pacchetti-pnrr/campione.zip", ContentFile(b"PK\x05\x06" + bytes(18))),
    )
    return {"code": PARTNERSHIP, "pk": job.pk}


def _report_job(world: World) -> dict[str, Any]:
    """A report of the partnership asked by the administrator, ready: only its requester finds it."""
    job = DocumentJob.objects.create(
        kind=DocumentKind.REPORT,
        partnership=world.partnership,
        params={"filters": {"anno": "2026", "periodo": "anno"}, "today": "2026-11-10", "format": "pdf"},
        title="Relazione al Coordinamento Istituzionale",
        filename="relazione.pdf",
        content_type="application/pdf",
        status=JobStatus.READY,
        created_by=world.admin,
        file=default_storage.save("relazioni/campione.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n")),
    )
    return {"pk": job.pk}


def _invitation(world: World) -> dict[str, Any]:
    """An invitation, not accepted yet, of an operatore of Maglie (named ``PERSON``) by its referent."""
    number = next(_numbers)
    user = User.objects.create_user(username=f"invitato-{number}", email=f"invitato{number}@example.it")
    user.last_name = PERSON
    user.save(update_fields=["last_name"])
    now = clock.now()
    invitation = Invitation.objects.create(
        user=user,
        email=user.email,
        role=Role.SUPERVISEE,
        ambito=world.maglie,
        invited_by=world.referent,
        new_account=True,
        token_hash=token_hash(f"campione-{number}"),
        sent_at=now,
        expires_at=now + datetime.timedelta(days=7),
    )
    return {"pk": invitation.pk}


def _referent_request(**extra: str) -> Arguments:
    def arguments(world: World) -> dict[str, Any]:
        request = ReferentRequest.objects.create(partnership=world.partnership, deadline=datetime.date(2024, 9, 30))
        ReferentDesignation.objects.create(
            request=request,
            ambito=world.maglie,
            full_name=f"Ugo {PERSON}",
            role="Referente",
            email="ugo@example.it",
            act_number="Determina 1",
            act_date=datetime.date(2024, 9, 1),
            answered_on=datetime.date(2024, 9, 2),
        )
        return {"pk": request.pk, **extra}

    return arguments


def _plan_record(world: World) -> Plan:
    """A draft POA of the Poggiardo partnership from a census of Maglie with one AS, whose A1 group is led by a
    supervisor: both people are named ``PERSON``."""
    _census(world)
    plan = create_plan(world.partnership, next(_plan_years), by=world.coordinator)
    plan.groups.update(supervisor=factories.supervisor(world.partnership, surname=PERSON))
    return plan


def _plan(**extra: str) -> Arguments:
    return lambda world: {"pk": _plan_record(world).pk, **extra}


def _plan_group(world: World) -> dict[str, Any]:
    plan = _plan_record(world)
    return {"pk": plan.pk, "group_pk": plan.groups.get().pk}


def _session_record(world: World, *, confirmed: bool = False) -> Session:
    """A session of the A1 group of a sample plan (its supervisor and its one AS are named ``PERSON``)."""
    group = _plan_record(world).groups.get()
    contract = factories.contract(
        world.partnership,
        status=ContractStatus.ACTIVE,
        provider=factories.organisation(),
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    assert group.supervisor is not None, "the sample plan's group has a supervisor"
    session = Session.objects.create(
        kind="A1",
        group=group,
        partnership=world.partnership,
        ambito=world.maglie,
        date=datetime.date(2026, 3, 3),
        start_time=datetime.time(9),
        end_time=datetime.time(11),
        modality=Modality.IN_PERSON,
        place="Sala riunioni",
        supervisor=group.supervisor,
        contract=contract,
        funding=factories.contract_funding(contract),
        checkin_code="ABCDEF",
        register_status=RegisterStatus.CONFIRMED if confirmed else RegisterStatus.OPEN,
        register_confirmed_at=clock.now() if confirmed else None,
    )
    for member in group.memberships.all():
        Attendance.objects.create(
            session=session,
            person_id=member.person_id,
            ambito_id=member.ambito_id,
            status=AttendanceStatus.PRESENT if confirmed else AttendanceStatus.UNRECORDED,
            minutes=session.minutes if confirmed else 0,
        )
    return session


def _session(**extra: Any) -> Arguments:
    return lambda world: {"pk": _session_record(world).pk, **extra}


def _register_document(world: World) -> dict[str, Any]:
    session = _session_record(world, confirmed=True)
    document = issue_register_document(session, by=world.supervisor)
    return {"pk": session.pk, "version": document.version}


def _scan(world: World) -> dict[str, Any]:
    session = _session_record(world)
    png = b"\x89PNG\r\n\x1a\n" + bytes(64)
    checked = check_upload(ContentFile(png), name="firme.png", size=len(png), allowed={"png"}, max_bytes=10_000)
    scan = store_scan(session, ContentFile(png), checked, by=world.supervisor)
    return {"pk": session.pk, "scan_pk": scan.pk}


def _group_feed(world: World) -> dict[str, Any]:
    """The coordinator's token on a group whose supervisor is not named ``PERSON``: the feed is what the
    token's owner sees, and an anonymous client holding the token reads it."""
    group = _session_record(world).group
    group.supervisor = factories.supervisor(world.partnership, surname="Bianchi")
    group.save(update_fields=["supervisor"])
    Session.objects.filter(group=group).update(supervisor=group.supervisor)
    return {"token": create_feed_token(world.coordinator), "pk": group.pk}


def _allocation(world: World) -> dict[str, Any]:
    return {"code": PARTNER_AMBITO, "pk": factories.fnps_allocation(world.maglie).pk}


def _pnrr_project(world: World) -> dict[str, Any]:
    """A PNRR row (with its CUP) of a contract of the partnership."""
    return {"code": PARTNERSHIP, "cup": factories.contract_funding(factories.contract(world.partnership)).cup}


def _ledger_entry(world: World) -> dict[str, Any]:
    """A commitment of Maglie's allocation, on a contract of its partnership."""
    return {"code": PARTNER_AMBITO, "pk": factories.commitment(world.maglie, world.partnership).pk}


def _new_entry(world: World) -> dict[str, Any]:
    return {"code": PARTNER_AMBITO, "pk": factories.fnps_allocation(world.maglie).pk, "stage": "impegno"}


def _filing(world: World) -> dict[str, Any]:
    """Maglie's POA 2024, compiled on Multifondo and waiting to be sent (once: the CSRF test asks every sample in
    one transaction)."""
    MultifondoFiling.objects.get_or_create(
        ambito=world.maglie,
        year=2024,
        defaults={"status": FilingStatus.FILLED, "status_on": datetime.date(2024, 3, 20)},
    )
    return {"code": PARTNER_AMBITO, "year": 2024}


SAMPLES: dict[str, Sample] = {
    # project
    "healthz": public(),
    # home
    "home:home": shared(),
    # accounts
    "accounts:login": public(),
    "accounts:login_code": public(),
    "accounts:logout": public(),
    "accounts:password_reset": public(),
    "accounts:password_reset_done": public(),
    "accounts:password_reset_confirm": public(uidb64="MQ", token="scaduto-0000"),  # noqa: S106  (a link's token, no password)
    "accounts:password_reset_complete": public(),
    "accounts:invitation_accept": public(token="un-link-che-non-esiste"),  # noqa: S106  (a link's token, no password)
    "accounts:partnership_invitations": tenant(code=PARTNERSHIP),
    "accounts:ambito_invitations": tenant(code=PARTNER_AMBITO),
    "accounts:invite_coordinator": tenant(code=PARTNERSHIP),
    "territory:population_bulk": tenant(code=PARTNER_AMBITO),
    "accounts:invite_referent": tenant(code=PARTNER_AMBITO),
    "accounts:invitation_resend": tenant(_invitation),
    "accounts:invitation_revoke": tenant(_invitation),
    "accounts:profile": shared(),
    "accounts:password_change": shared(),
    "accounts:two_factor": shared(),
    "accounts:two_factor_start": shared(),
    "accounts:two_factor_confirm": shared(),
    "accounts:two_factor_disable": shared(),
    "accounts:two_factor_reset": admin(lambda w: {"pk": w.coordinator.pk}),
    "accounts:user_list": admin(),
    "accounts:user_create": admin(),
    "accounts:user_detail": admin(lambda w: {"pk": w.referent.pk}),
    "accounts:role_add": admin(lambda w: {"pk": w.referent.pk}),
    "accounts:role_remove": admin(_role),
    # territory
    "territory:region_list": shared(),
    "territory:region_create": admin(),
    "territory:region_detail": shared(istat_code="16"),
    "territory:region_edit": admin(istat_code="16"),
    "territory:municipality_list": shared(),
    "territory:municipality_create": admin(),
    "territory:municipality_detail": shared(istat_code="075039"),
    "territory:municipality_edit": admin(istat_code="075039"),
    "territory:population_add": admin(istat_code="075039"),
    "territory:ambito_list": shared(),
    "territory:ambito_create": admin(),
    "territory:ambito_detail": tenant(code=PARTNER_AMBITO),
    "territory:ambito_edit": tenant(code=PARTNER_AMBITO),
    "territory:membership_add": tenant(code=PARTNER_AMBITO),
    "territory:membership_bulk_add": tenant(code=PARTNER_AMBITO),
    "territory:membership_end": tenant(_membership),
    "territory:partnership_list": shared(),
    "territory:partnership_create": admin(),
    "territory:partnership_detail": tenant(code=PARTNERSHIP),
    "territory:partnership_edit": tenant(code=PARTNERSHIP),
    "territory:member_add": tenant(code=PARTNERSHIP),
    "territory:member_remove": tenant(_partner),
    "territory:join_request_detail": tenant(_join_request),
    "territory:join_request_accept": tenant(_join_request),
    "territory:join_request_refuse": tenant(_join_request),
    "territory:join_request_withdraw": tenant(_join_request),
    "territory:organisation_list": shared(),
    "territory:organisation_create": shared(),
    "territory:organisation_detail": shared(lambda _w: {"pk": factories.organisation().pk}),
    "territory:organisation_edit": shared(lambda _w: {"pk": factories.organisation().pk}),
    # census
    "census:index": shared(),
    "census:import_template": shared(),
    "census:campaign_create": tenant(code=PARTNERSHIP),
    "census:referent_request_create": tenant(code=PARTNERSHIP),
    "census:partnership_ratio": tenant(code=PARTNERSHIP),
    "census:ambito_ratio": tenant(code=PARTNER_AMBITO),
    "census:campaign_detail": tenant(_campaign_page()),
    "census:campaign_edit": tenant(_campaign_page()),
    "census:campaign_add_missing": tenant(_campaign_page()),
    "census:campaign_export": tenant(_campaign_page(fmt="xlsx")),
    "census:census_detail": tenant(_census_page()),
    "census:census_submit": tenant(_census_page()),
    "census:census_validate": tenant(_census_page()),
    "census:census_return": tenant(_census_page()),
    "census:census_remind": tenant(_census_page()),
    "census:census_ask_reopen": tenant(_census_page()),
    "census:position_create": tenant(_census_page()),
    "census:census_invite": tenant(_census_page()),
    "census:person_account": admin(_person),
    "census:census_export": tenant(_census_page(fmt="csv")),
    "census:import_start": tenant(_census_page()),
    "census:position_edit": tenant(_position),
    "census:position_delete": tenant(_position),
    "census:import_detail": tenant(_import_job),
    "census:import_progress": tenant(_import_job),
    "census:import_confirm": tenant(_import_job),
    "census:import_cancel": tenant(_import_job),
    "census:referent_request_detail": tenant(_referent_request()),
    "census:referent_export": tenant(_referent_request(fmt="xlsx")),
    "census:referent_designate": tenant(_referent_request(code=PARTNER_AMBITO)),
    "census:referent_invite": tenant(_referent_request(code=PARTNER_AMBITO)),
    # supervisors
    "supervisors:supervisor_list": shared(),
    "supervisors:supervisor_create": shared(),
    "supervisors:supervisor_detail": tenant(_supervisor()),
    "supervisors:supervisor_edit": tenant(_supervisor()),
    "supervisors:supervisor_invite": tenant(_supervisor()),
    "supervisors:training_add": tenant(_supervisor()),
    "supervisors:training_edit": tenant(_supervisor("training_pk", factories.training)),
    "supervisors:training_delete": tenant(_supervisor("training_pk", factories.training)),
    "supervisors:slot_add": tenant(_supervisor()),
    "supervisors:slot_delete": tenant(_supervisor("slot_pk", factories.weekly_slot)),
    "supervisors:absence_add": tenant(_supervisor()),
    "supervisors:absence_delete": tenant(_supervisor("absence_pk", factories.absence)),
    "supervisors:document_add": tenant(_supervisor()),
    "supervisors:declaration_add": tenant(_supervisor()),
    "supervisors:document_download": tenant(_supervisor_document),
    "supervisors:document_delete": tenant(_supervisor_document),
    # procurement
    "procurement:contract_list": shared(),
    "procurement:contract_create": shared(),
    "procurement:contract_detail": tenant(_contract()),
    "procurement:contract_edit": tenant(_contract()),
    "procurement:line_add": tenant(_contract()),
    "procurement:line_edit": tenant(_contract("line_pk", factories.contract_line)),
    "procurement:line_delete": tenant(_contract("line_pk", factories.contract_line)),
    "procurement:funding_add": tenant(_contract()),
    "procurement:funding_edit": tenant(_contract("funding_pk", factories.contract_funding)),
    "procurement:funding_delete": tenant(_contract("funding_pk", factories.contract_funding)),
    "procurement:deadline_add": tenant(_contract()),
    "procurement:deadline_postpone": tenant(_contract("deadline_pk", factories.tender_deadline)),
    "procurement:contract_document_add": tenant(_contract()),
    "procurement:contract_document_download": tenant(_contract("document_pk", factories.contract_document)),
    "procurement:contract_document_delete": tenant(_contract("document_pk", factories.contract_document)),
    "procurement:codesign_edit": tenant(_contract()),
    "procurement:member_add": tenant(_contract(part=_table)),
    "procurement:member_delete": tenant(_contract("member_pk", lambda c: factories.codesign_member(_table(c)))),
    "procurement:agreement_list": tenant(code=PARTNERSHIP),
    "procurement:agreement_create": tenant(code=PARTNERSHIP),
    "procurement:agreement_detail": tenant(_agreement),
    "procurement:agreement_edit": tenant(_agreement),
    "procurement:agreement_delete": tenant(_agreement),
    # planning
    "planning:parameters": shared(),
    "planning:parameters_create": admin(),
    "planning:parameters_edit": admin(lambda _w: {"pk": factories.future_rule_set().pk}),
    "planning:plan_list": shared(),
    "planning:plan_create": shared(),
    "planning:plan_detail": tenant(_plan()),
    "planning:plan_edit": tenant(_plan()),
    "planning:plan_submit": tenant(_plan()),
    "planning:plan_return": tenant(_plan()),
    "planning:plan_approve": tenant(_plan()),
    "planning:plan_new_version": tenant(_plan()),
    "planning:plan_delete": tenant(_plan()),
    "planning:plan_next_year": tenant(_plan()),
    "planning:plan_export": tenant(_plan(fmt="xlsx")),
    "planning:group_create": tenant(_plan(kind="extra")),
    "planning:group_detail": tenant(_plan_group),
    "planning:group_edit": tenant(_plan_group),
    "planning:group_members": tenant(_plan_group),
    "planning:group_delete": tenant(_plan_group),
    "planning:ats_poa": tenant(_plan(code=PARTNER_AMBITO)),
    "planning:ats_poa_export": tenant(_plan(code=PARTNER_AMBITO, fmt="xlsx")),
    "planning:partnership_filings": tenant(code=PARTNERSHIP),
    "planning:filing_detail": tenant(_filing),
    "planning:filing_status": tenant(_filing),
    "planning:filing_edit": tenant(_filing),
    # sessions
    "sessions:home": shared(),
    "sessions:partnership_calendar": tenant(code=PARTNERSHIP),
    "sessions:ambito_calendar": tenant(code=PARTNER_AMBITO),
    "sessions:group_calendar": tenant(lambda w: {"pk": _session_record(w).group_id}),
    "sessions:session_create": tenant(lambda w: {"group_pk": _plan_record(w).groups.get().pk}),
    "sessions:supervisor_calendar": tenant(lambda w: {"pk": _session_record(w).supervisor_id}),
    "sessions:person_calendar": tenant(lambda w: {"pk": _session_record(w).attendances.get().person_id}),
    "meetings:meeting_list": shared(),
    "meetings:meeting_create_partnership": tenant(code=PARTNERSHIP),
    "meetings:meeting_create_ambito": tenant(code=PARTNER_AMBITO),
    "meetings:codesign_sitting_create": tenant(_contract(part=_table)),
    "meetings:meeting_detail": tenant(_meeting()),
    "meetings:meeting_edit": tenant(_meeting()),
    "meetings:invitee_add": tenant(_meeting()),
    "meetings:invitee_delete": tenant(_meeting("invitee_pk")),
    "meetings:letter": tenant(_meeting()),
    "meetings:convene": tenant(_meeting()),
    "meetings:cancel": tenant(_meeting()),
    "meetings:answer": public(_answer_link),
    "meetings:minutes_edit": tenant(_meeting()),
    "meetings:minutes_approve": tenant(_meeting()),
    "meetings:decision_add": tenant(_meeting()),
    "meetings:decision_delete": tenant(_meeting("decision_pk")),
    "meetings:ambito_decision_edit": tenant(_meeting("row_pk")),
    "meetings:minutes_pdf": tenant(_meeting()),
    "meetings:minutes_docx": tenant(_meeting()),
    "meetings:task_list": shared(),
    "meetings:task_detail": tenant(_task),
    "meetings:task_edit": tenant(_task),
    "meetings:task_create_meeting": tenant(_meeting()),
    "meetings:task_create_partnership": tenant(code=PARTNERSHIP),
    "meetings:task_create_ambito": tenant(code=PARTNER_AMBITO),
    "meetings:decision_ask": tenant(_meeting("decision_pk")),
    "wellbeing:wave_list": shared(),
    "wellbeing:wave_create_partnership": tenant(code=PARTNERSHIP),
    "wellbeing:wave_create_ambito": tenant(code=PARTNER_AMBITO),
    "wellbeing:wave_detail": tenant(_wave),
    "wellbeing:wave_participation": tenant(_wave),
    "wellbeing:invite": tenant(_wave),
    "wellbeing:remind": tenant(_wave),
    "wellbeing:close": tenant(_wave),
    "wellbeing:results": tenant(_wave),
    "wellbeing:results_csv": tenant(_wave),
    "wellbeing:observatory": shared(),
    "wellbeing:objectives_partnership": tenant(code=PARTNERSHIP),
    "wellbeing:objectives_ambito": tenant(code=PARTNER_AMBITO),
    "wellbeing:objective_remove": tenant(_objective),
    "wellbeing:api_results": tenant(_wave),
    "wellbeing:api_observatory": shared(),
    "wellbeing:answer": public(_questionnaire_link),
    "sessions:feed_settings": shared(),
    # The token is the credential: the feed of a user with no sessions of their own.
    "sessions:feed": public(lambda w: {"token": create_feed_token(w.supervisor)}),
    "sessions:group_feed": public(_group_feed),
    "sessions:today": shared(),
    "sessions:checkin": shared(),
    "sessions:verify": shared(),
    "sessions:session_detail": tenant(_session()),
    "sessions:session_reschedule": tenant(_session()),
    "sessions:session_cancel": tenant(_session()),
    "sessions:register": tenant(_session()),
    "sessions:register_confirm": tenant(_session()),
    "sessions:checkin_code": tenant(_session()),
    "sessions:topics_save": tenant(_session()),
    "sessions:note_save": tenant(_session()),
    "sessions:signin_sheet": tenant(_session()),
    "sessions:register_issue": tenant(lambda w: {"pk": _session_record(w, confirmed=True).pk}),
    "sessions:register_download": tenant(_register_document),
    "sessions:scan_upload": tenant(_session()),
    "sessions:scan_download": tenant(_scan),
    "sessions:certificate": tenant(lambda w: {"pk": _session_record(w).attendances.get().person_id}),
    "sessions:timesheet": tenant(lambda w: {"pk": _session_record(w).supervisor_id}),
    # funding
    "funding:fnps": tenant(code=PARTNERSHIP),
    "funding:ambito_funds": tenant(code=PARTNER_AMBITO),
    "funding:allocation_create": tenant(code=PARTNER_AMBITO),
    "funding:allocation_edit": tenant(_allocation),
    "funding:allocation_delete": tenant(_allocation),
    "funding:entry_create": tenant(_new_entry),
    "funding:entry_edit": tenant(_ledger_entry),
    "funding:entry_delete": tenant(_ledger_entry),
    "funding:ledger_import": tenant(code=PARTNER_AMBITO),
    "funding:sioss_export": tenant(code=PARTNER_AMBITO, year=2026),
    "funding:ledger_import_confirm": tenant(code=PARTNER_AMBITO),
    "funding:import_template": shared(),
    "funding:pnrr_projects": tenant(code=PARTNERSHIP),
    "funding:pnrr_after_end": tenant(_pnrr_project),
    "funding:pnrr_closeout": tenant(_pnrr_project),
    "monitoring:pnrr_final_report": tenant(lambda world: {**_pnrr_project(world), "extension": "pdf"}),
    "monitoring:pnrr_regis": tenant(lambda world: {**_pnrr_project(world), "extension": "csv"}),
    # monitoring
    "monitoring:index": shared(),
    "monitoring:observatory": shared(),
    "monitoring:alerts": shared(),
    "monitoring:partnership": tenant(code=PARTNERSHIP),
    "monitoring:partnership_report": tenant(code=PARTNERSHIP),
    "monitoring:evidence_pack": tenant(code=PARTNERSHIP),
    "monitoring:evidence_pack_job": tenant(_evidence_pack),
    "monitoring:evidence_pack_progress": tenant(_evidence_pack),
    "monitoring:evidence_pack_download": tenant(_evidence_pack),
    "monitoring:document_job": tenant(_report_job),
    "monitoring:document_job_progress": tenant(_report_job),
    "monitoring:document_job_download": tenant(_report_job),
    "monitoring:pnrr_final_report_page": tenant(_pnrr_project),
    "monitoring:ambito": tenant(code=PARTNER_AMBITO),
    "monitoring:ambito_report": tenant(code=PARTNER_AMBITO),
    "monitoring:group": tenant(lambda w: {"pk": _session_record(w, confirmed=True).group_id}),
    "monitoring:supervisor": tenant(lambda w: {"pk": _session_record(w, confirmed=True).supervisor_id}),
    "monitoring:person": tenant(lambda w: {"pk": _session_record(w, confirmed=True).attendances.get().person_id}),
    "monitoring:poa_monitoring": tenant(_plan()),
    "monitoring:a2_pools": tenant(_plan()),
}
