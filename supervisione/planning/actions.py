"""Writes to annual plans, each in one transaction with its audit entry. Views and commands call these.

Every change to a plan or its groups names the ``lock_version`` its form was built on (``expected``). The
change happens only if the plan is still a draft at that version, and moves the version on; otherwise it is
refused with an Italian message saying why (``StalePlanError``: someone else changed it meanwhile;
``LockedPlanError``: it is submitted, approved or superseded), and nothing is written.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F, Max

from supervisione.accounts.models import User
from supervisione.audit.actions import delete_audited, record, save_audited, stale_message
from supervisione.audit.models import AuditAction
from supervisione.census.models import Census
from supervisione.leps.kinds import SupervisionType
from supervisione.leps.minimums import minimum_hours, suggest_groups
from supervisione.leps.parameters import rules_at
from supervisione.lib import clock
from supervisione.lib.italian import counted
from supervisione.planning.models import (
    GroupKind,
    Plan,
    PlanGroup,
    PlanMember,
    PlanStatus,
    default_deadline,
)
from supervisione.planning.multifondo import FilingStatus, MultifondoFiling
from supervisione.planning.payers import refusal
from supervisione.planning.plan_page import plan_page
from supervisione.planning.project_end import closed_plan_refusal, closed_row_refusal, group_problem, period_split
from supervisione.planning.queries import (
    Owner,
    census_equipes_of,
    contracts_for_plan,
    owner_q,
    plan_censuses,
    scope_people,
)
from supervisione.procurement.models import Contract, ContractFunding
from supervisione.procurement.payers import about
from supervisione.territory.models import Ambito, Partnership

if TYPE_CHECKING:
    from supervisione.accounts.models import User


class PlanError(Exception):
    """A change the plan does not allow; the message is in Italian, for the user."""


class StalePlanError(PlanError):
    pass


class LockedPlanError(PlanError):
    pass


class FundingRefusedError(PlanError):
    """The group's FNPS row may not pay for its members (``planning.payers``)."""


def _require_payer(group: PlanGroup, member_ambiti: Iterable[int]) -> None:
    """Refuse a group whose FNPS row would pay for another ATS's staff without an agreement in force."""
    if group.funding_id is None:
        return
    problem = refusal(group.plan, group.funding, member_ambiti)
    if problem:
        raise FundingRefusedError(about(group.name, problem))


def _require_project_end(group: PlanGroup) -> None:
    """Refuse a group charged to a PNRR project past its end without the row that pays afterwards."""
    funding = group.funding if group.funding_id else None
    after = group.funding_after if group.funding_after_id else None
    for row in (funding, after):
        if problem := closed_row_refusal(row, "il gruppo"):
            raise FundingRefusedError(about(group.name, problem))
    if found := group_problem(group.plan, funding, after):
        raise FundingRefusedError(about(group.name, found.message))


class PlanNotReadyError(PlanError):
    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__(
            f"Il piano non si può trasmettere: {len(self.problems)} "
            + ("problema da risolvere." if len(self.problems) == 1 else "problemi da risolvere.")
        )


# A change to the plan or any of its groups moves the plan's own lock_version (the plan is locked as a whole,
# with its status), so plans keep their _claim below rather than the per-record check of save_audited; the
# refusal reads the same as every other record's.
STALE_MESSAGE = stale_message("Il piano è stato modificato")
LOCKED_MESSAGES = {
    PlanStatus.DRAFT: "Il piano è in bozza.",
    PlanStatus.SUBMITTED: "Il piano è stato trasmesso e non si modifica: per cambiarlo va prima restituito in bozza.",
    PlanStatus.APPROVED: "Il piano approvato non si modifica: crea una nuova versione, che conserva quella approvata.",
    PlanStatus.SUPERSEDED: "Questa versione è stata sostituita da una successiva e non si modifica più.",
}


def _user(by: User | None) -> User | None:
    return by if getattr(by, "is_authenticated", False) else None


def _claim(plan: Plan, expected: int, status: str = PlanStatus.DRAFT) -> None:
    """Move the plan's lock_version on if it is still ``expected`` and the plan is in ``status``; else raise. A plan
    charged to a closed PNRR project is frozen (``planning.project_end``)."""
    if problem := closed_plan_refusal(plan):
        raise LockedPlanError(problem)
    updated = Plan.objects.filter(pk=plan.pk, lock_version=expected, status=status).update(
        lock_version=F("lock_version") + 1
    )
    if updated:
        plan.lock_version = expected + 1
        return
    current = Plan.objects.filter(pk=plan.pk).values_list("status", flat=True).first()
    if current is None:
        raise PlanError("Il piano non esiste più.")
    if current != status:
        raise LockedPlanError(LOCKED_MESSAGES[PlanStatus(current)])
    raise StalePlanError(STALE_MESSAGE)


# --- Creating a plan from the census -----------------------------------------------------------------------


def create_plan(
    owner: Owner,
    year: int,
    *,
    by: User | None,
    first_month: int = 1,
    last_month: int = 12,
    deadline: datetime.date | None = None,
    notes: str = "",
    censuses: list[Census] | None = None,
) -> Plan:
    """A new draft POA with the groups the census suggests: A1 groups of at most 15 AS (balanced, keeping an
    ATS together where possible) with their A2 pool, one A3 group per census équipe, all at the LEPS minimum
    for the months covered. Contract and funding are filled in when only one contract of the period fits.
    ``censuses``: the ones to build from, when not every ATS of the owner's (next year's POA leaves out an ATS
    that has left the partnership); by default ``plan_censuses``."""
    with transaction.atomic():
        existing = Plan.objects.filter(owner_q(owner), year=year)
        if existing.filter(status__in=[PlanStatus.DRAFT, PlanStatus.SUBMITTED]).exists():
            raise PlanError(f"Il POA {year} è già in lavorazione: continua a modificare quello.")
        if existing.filter(status=PlanStatus.APPROVED).exists():
            raise PlanError(f"Il POA {year} è già approvato: per cambiarlo crea una nuova versione dalla sua pagina.")
        version = (existing.aggregate(last=Max("version"))["last"] or 0) + 1
        plan = Plan(
            year=year,
            version=version,
            first_month=first_month,
            last_month=last_month,
            deadline=deadline or default_deadline(year),
            notes=notes,
            created_by=_user(by),
        )
        if isinstance(owner, Partnership):
            plan.partnership = owner
        else:
            plan.ambito = owner
        try:
            with transaction.atomic():
                save_audited(plan, by=by, message=f"POA {year} creato")
        except IntegrityError:
            # Someone else created it a moment ago.
            raise PlanError(f"Il POA {year} è già in lavorazione: continua a modificare quello.") from None
        if censuses is None:
            censuses = plan_censuses(owner)
        plan.censuses.set(censuses)
        a1, a3 = _build_groups(plan, censuses)
        record(
            plan,
            by=by,
            action=AuditAction.ACTION,
            message=(
                f"Gruppi proposti dal censimento: {counted(a1, 'gruppo A1 con il suo', 'gruppi A1 con il loro')} "
                f"monte ore A2, {a3} équipe A3"
            ),
            code="planning.plan.groups_proposed",
        )
    return plan


def _default_contract(contracts: list[Contract], kind: str) -> tuple[Contract | None, ContractFunding | None]:
    fitting = [contract for contract in contracts if any(line.kind == kind for line in contract.lines.all())]
    if len(fitting) != 1:
        return None, None
    fundings = list(fitting[0].fundings.all())
    return fitting[0], fundings[0] if len(fundings) == 1 else None


def _payable(plan: Plan, funding: ContractFunding | None, member_ambiti: list[int]) -> ContractFunding | None:
    """The contract's only funding row, unless the rule of who pays refuses it for these members: then none, and
    the plan page asks for one."""
    split = period_split(plan, funding)
    if split is not None and split.within == 0:
        return None  # a PNRR project whose activities ended before the plan
    return None if refusal(plan, funding, member_ambiti) else funding


def _build_groups(plan: Plan, censuses: list[Census]) -> tuple[int, int]:
    rules = rules_at(plan.starts_on)
    months = plan.months_covered
    people = scope_people(censuses)
    contracts = list(contracts_for_plan(plan.tenant, plan.year, plan.first_month, plan.last_month))
    by_id = {person.person_id: person for person in people}
    a1_contract, a1_funding = _default_contract(contracts, GroupKind.A1)
    split = suggest_groups([(p.person_id, p.ambito_name) for p in people if p.is_social_worker], rules)
    members: list[PlanMember] = []
    for number, keys in enumerate(split, start=1):
        group = PlanGroup.objects.create(
            plan=plan,
            kind=GroupKind.A1,
            name=f"Gruppo A1 n. {number}",
            planned_hours=minimum_hours(SupervisionType.A1, months, rules),
            a2_pool_hours=minimum_hours(SupervisionType.A2, months, rules),
            contract=a1_contract,
            funding=_payable(plan, a1_funding, [by_id[key].ambito_id for key in keys]),
        )
        members += [
            PlanMember(group=group, plan=plan, kind=group.kind, person_id=key, ambito_id=by_id[key].ambito_id)
            for key in keys
        ]
    a3_contract, a3_funding = _default_contract(contracts, GroupKind.A3)
    equipes = census_equipes_of(censuses)
    for equipe in equipes:
        group = PlanGroup.objects.create(
            plan=plan,
            kind=GroupKind.A3,
            name=f"{equipe.name} ({equipe.ambito.name})"[:120],
            planned_hours=minimum_hours(SupervisionType.A3, months, rules),
            equipe=equipe,
            contract=a3_contract,
            funding=_payable(plan, a3_funding, [p.ambito_id for p in people if equipe.pk in p.equipe_ids]),
        )
        members += [
            PlanMember(group=group, plan=plan, kind=group.kind, person_id=p.person_id, ambito_id=p.ambito_id)
            for p in people
            if equipe.pk in p.equipe_ids
        ]
    PlanMember.objects.bulk_create(members)
    return len(split), len(equipes)


# --- Editing a draft -------------------------------------------------------------------------------------


def update_plan(plan: Plan, *, expected: int, by: User) -> Plan:
    """Save the plan's own fields (period, deadline, notes) as a form changed them."""
    with transaction.atomic():
        _claim(plan, expected)
        save_audited(plan, by=by)
    return plan


def save_group(group: PlanGroup, *, expected: int, by: User, message: str = "") -> PlanGroup:
    """Save a new or changed group of a draft plan."""
    plan = group.plan
    with transaction.atomic():
        # Checked before the plan is claimed, so that a refusal leaves it (and its version) as it was.
        if group.pk is not None:
            _require_payer(group, PlanMember.objects.filter(group=group).values_list("ambito_id", flat=True))
        _require_project_end(group)
        _claim(plan, expected)
        save_audited(group, by=by, message=message or f"Gruppo del POA {plan.year}", **plan.tenant_keys)
    return group


def add_group(
    group: PlanGroup, person_ids: Iterable[int], ambito_of: dict[int, int], *, expected: int, by: User
) -> PlanGroup:
    """A new group of a draft plan with its first members (an A3 group: the people of its census équipe)."""
    plan = group.plan
    with transaction.atomic():
        wanted = set(person_ids)
        if group.kind == GroupKind.A1:
            wanted -= set(PlanMember.objects.filter(plan=plan, kind=GroupKind.A1).values_list("person_id", flat=True))
        _require_payer(group, [ambito_of[pk] for pk in wanted])
        _require_project_end(group)
        _claim(plan, expected)
        save_audited(group, by=by, message=f"Nuovo gruppo del POA {plan.year}", **plan.tenant_keys)
        PlanMember.objects.bulk_create(
            PlanMember(group=group, plan=plan, kind=group.kind, person_id=pk, ambito_id=ambito_of[pk])
            for pk in sorted(wanted)
        )
    return group


def set_members(
    group: PlanGroup, person_ids: Iterable[int], ambito_of: dict[int, int], *, expected: int, by: User
) -> None:
    """Make these people the group's members. An AS put in an A1 group leaves the A1 group they were in."""
    plan = group.plan
    wanted = set(person_ids)
    with transaction.atomic():
        current = set(PlanMember.objects.filter(group=group).values_list("person_id", flat=True))
        added, removed = wanted - current, current - wanted
        kept = PlanMember.objects.filter(group=group, person_id__in=wanted & current).values_list(
            "ambito_id", flat=True
        )
        _require_payer(group, [*kept, *(ambito_of[pk] for pk in added)])
        _claim(plan, expected)
        moved_from: list[str] = []
        if group.kind == GroupKind.A1 and added:
            taken = PlanMember.objects.filter(plan=plan, kind=GroupKind.A1, person_id__in=added).exclude(group=group)
            moved_from = sorted(set(taken.values_list("group__name", flat=True)))
            taken.delete()
        PlanMember.objects.filter(group=group, person_id__in=removed).delete()
        PlanMember.objects.bulk_create(
            PlanMember(group=group, plan=plan, kind=group.kind, person_id=pk, ambito_id=ambito_of[pk])
            for pk in sorted(added)
        )
        if added or removed:
            changes = {
                "members": {
                    "label": "partecipanti",
                    "old": f"{len(current)}",
                    "new": f"{len(wanted)} (+{len(added)}, -{len(removed)})",
                }
            }
            note = f"; spostati da {', '.join(moved_from)}" if moved_from else ""
            record(
                group,
                by=by,
                action=AuditAction.UPDATE,
                changes=changes,
                message=f"Partecipanti di {group.name}{note}",
                code="planning.plangroup.members_changed",
                **plan.tenant_keys,
            )


def delete_group(group: PlanGroup, *, expected: int, by: User) -> None:
    plan = group.plan
    with transaction.atomic():
        _claim(plan, expected)
        delete_audited(group, by=by, message=f"Gruppo eliminato dal POA {plan.year}", **plan.tenant_keys)


def delete_plan(plan: Plan, *, expected: int, by: User) -> None:
    """Only a draft is deleted (with its groups); an approved version stays in force."""
    with transaction.atomic():
        _claim(plan, expected)
        delete_audited(plan, by=by, message=f"POA {plan.year} versione {plan.version} eliminato")


# --- Workflow --------------------------------------------------------------------------------------------


def submit_plan(plan: Plan, *, expected: int, by: User) -> Plan:
    """Draft -> submitted, only when nothing keeps the plan below the LEPS minimum."""
    with transaction.atomic():
        _claim(plan, expected)
        problems = plan_page(plan).blocking
        if problems:
            raise PlanNotReadyError(problems)
        plan.status = PlanStatus.SUBMITTED
        plan.submitted_at = clock.now()
        plan.submitted_by = _user(by)
        plan.save(update_fields=["status", "submitted_at", "submitted_by"])
        late = clock.today() > plan.deadline
        record(
            plan,
            by=by,
            action=AuditAction.ACTION,
            changes={"status": {"label": "stato", "old": "Bozza", "new": plan.get_status_display()}},
            message="POA trasmesso" + (f" oltre la scadenza del {plan.deadline:%d/%m/%Y}" if late else ""),
            code="planning.plan.submitted",
        )
    return plan


def return_plan(plan: Plan, *, expected: int, by: User, reason: str = "") -> Plan:
    """Submitted -> draft, to correct it."""
    with transaction.atomic():
        _claim(plan, expected, PlanStatus.SUBMITTED)
        plan.status = PlanStatus.DRAFT
        plan.save(update_fields=["status"])
        record(
            plan,
            by=by,
            action=AuditAction.ACTION,
            changes={"status": {"label": "stato", "old": "Trasmesso, da approvare", "new": "Bozza"}},
            message=("Restituito in bozza: " + reason) if reason else "Restituito in bozza",
            code="planning.plan.returned",
        )
    return plan


def approve_plan(plan: Plan, *, expected: int, by: User, act: str = "") -> Plan:
    """Submitted -> approved and locked; the version it replaces, if any, becomes superseded and is kept."""
    with transaction.atomic():
        _claim(plan, expected, PlanStatus.SUBMITTED)
        replaced = list(
            Plan.objects.filter(owner_q(plan.tenant), year=plan.year, status=PlanStatus.APPROVED).exclude(pk=plan.pk)
        )
        for old in replaced:
            old.status = PlanStatus.SUPERSEDED
            old.lock_version += 1
            old.save(update_fields=["status", "lock_version"])
            record(
                old,
                by=by,
                action=AuditAction.ACTION,
                changes={"status": {"label": "stato", "old": "Approvato", "new": old.get_status_display()}},
                message=f"Sostituito dalla versione {plan.version}",
                code="planning.plan.superseded",
            )
        plan.status = PlanStatus.APPROVED
        plan.approved_at = clock.now()
        plan.approved_by = _user(by)
        plan.approval_act = act
        plan.save(update_fields=["status", "approved_at", "approved_by", "approval_act"])
        record(
            plan,
            by=by,
            action=AuditAction.ACTION,
            changes={"status": {"label": "stato", "old": "Trasmesso, da approvare", "new": "Approvato"}},
            message=f"POA approvato{': ' + act if act else ''}",
            code="planning.plan.approved",
        )
    return plan


def new_version(plan: Plan, *, by: User) -> Plan:
    """A draft copy of an approved plan, to change it; the approved version stays in force until the copy is
    approved."""
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        if locked.status != PlanStatus.APPROVED:
            raise PlanError("Si crea una nuova versione solo da un piano approvato.")
        siblings = Plan.objects.filter(owner_q(plan.tenant), year=plan.year)
        if siblings.filter(status__in=[PlanStatus.DRAFT, PlanStatus.SUBMITTED]).exists():
            raise PlanError(f"Una nuova versione del POA {plan.year} è già in lavorazione.")
        copy = Plan(
            partnership=plan.partnership,
            ambito=plan.ambito,
            year=plan.year,
            version=(siblings.aggregate(last=Max("version"))["last"] or 0) + 1,
            first_month=plan.first_month,
            last_month=plan.last_month,
            deadline=plan.deadline,
            notes=plan.notes,
            created_by=_user(by),
        )
        try:
            with transaction.atomic():
                save_audited(
                    copy,
                    by=by,
                    message=f"Nuova versione del POA {plan.year} dalla versione {plan.version}",
                    code="planning.plan.version_created",
                )
        except IntegrityError:
            raise PlanError(f"Una nuova versione del POA {plan.year} è già in lavorazione.") from None
        copy.censuses.set(plan.censuses.all())
        members: list[PlanMember] = []
        for group in PlanGroup.objects.filter(plan=plan).prefetch_related("memberships"):
            old_pk = group.pk
            old_members = list(group.memberships.all())
            group.pk = None
            group._state.adding = True
            group.plan = copy
            group.copied_from_id = old_pk
            group.save()
            members += [
                PlanMember(group=group, plan=copy, kind=m.kind, person_id=m.person_id, ambito_id=m.ambito_id)
                for m in old_members
            ]
        PlanMember.objects.bulk_create(members)
    return copy


# --- Filing on the Piattaforma Multifondo -----------------------------------------------------------------


class FilingError(Exception):
    """A change the filing does not allow; the message is in Italian, for the user."""


FILING_STALE = stale_message("L'invio su Multifondo è stato modificato")
# The action code of each move, by the status it reaches (docs/ARCHITECTURE.md, action codes).
FILING_CODES = {
    FilingStatus.TO_FILL: "planning.multifondofiling.reopened",
    FilingStatus.FILLED: "planning.multifondofiling.filled",
    FilingStatus.SENT: "planning.multifondofiling.sent",
    FilingStatus.VALIDATED: "planning.multifondofiling.validated",
    FilingStatus.TO_CORRECT: "planning.multifondofiling.correction_requested",
}


def filing_of(ambito: Ambito, year: int) -> MultifondoFiling:
    """The filing of an ATS's POA of a year as recorded, or a new one "da compilare" (not saved: pages show it,
    the first change stores it)."""
    found = MultifondoFiling.objects.select_related("ambito", "status_by").filter(ambito=ambito, year=year).first()
    return found or MultifondoFiling(ambito=ambito, year=year, status=FilingStatus.TO_FILL)


def _status_label(status: str) -> str:
    return str(FilingStatus(status).label)


def change_filing_status(
    filing: MultifondoFiling,
    status: FilingStatus,
    *,
    on: datetime.date,
    by: User,
    expected: int,
    protocol: str = "",
    reason: str = "",
) -> MultifondoFiling:
    """Move a filing to the next status the platform allows, from the day ``on``; the first move stores it.

    Refused, with nothing written: a move the platform does not make (validato -> compilato), a day in the future
    or before the current status's, a sending without its protocol number, a page built on an older version."""
    with transaction.atomic():
        current = (
            MultifondoFiling.objects.select_for_update().filter(ambito_id=filing.ambito_id, year=filing.year).first()
        )
        creating = current is None
        if current is None:
            current = MultifondoFiling(ambito_id=filing.ambito_id, year=filing.year, status=FilingStatus.TO_FILL)
        if current.lock_version != expected:
            raise FilingError(FILING_STALE)
        old = current.status
        if status not in current.next_statuses:
            allowed = " o ".join(f"«{_status_label(s)}»" for s in current.next_statuses)
            raise FilingError(
                f"Da «{_status_label(old)}» l'invio passa solo a {allowed}, non a «{_status_label(status)}»."
            )
        if on > clock.today():
            raise FilingError("La data del nuovo stato non può essere futura.")
        if current.status_on is not None and on < current.status_on:
            raise FilingError(
                f"La data del nuovo stato non può precedere quella dello stato attuale ({current.status_on:%d/%m/%Y})."
            )
        protocol = protocol.strip()
        if status == FilingStatus.SENT and not protocol and not current.protocol:
            raise FilingError("Per registrare l'invio indica il numero di protocollo che la piattaforma ha assegnato.")
        changes = {
            "status": {"label": "stato", "old": "" if creating else _status_label(old), "new": _status_label(status)},
            "status_on": {
                "label": "stato dal",
                "old": f"{current.status_on:%d/%m/%Y}" if current.status_on else "",
                "new": f"{on:%d/%m/%Y}",
            },
        }
        if protocol and protocol != current.protocol:
            changes["protocol"] = {"label": "protocollo dell'invio", "old": current.protocol, "new": protocol}
            current.protocol = protocol
        current.status, current.status_on, current.status_by = status, on, _user(by)
        if creating:
            # Version 1 from the start: a page built before the filing was stored carries 0 and is refused.
            current.lock_version = 1
            try:
                with transaction.atomic():
                    current.save()
            except IntegrityError:
                raise FilingError(FILING_STALE) from None
        else:
            current.lock_version += 1
            current.save(update_fields=["status", "status_on", "status_by", "protocol", "lock_version"])
        message = f"POA {current.year} su Multifondo: {_status_label(status).lower()} dal {on:%d/%m/%Y}"
        record(
            current,
            by=by,
            action=AuditAction.ACTION,
            changes=changes,
            message=message + (f". {reason.strip()}" if reason.strip() else ""),
            code=FILING_CODES[status],
            ambito_id=current.ambito_id,
        )
    return current


def save_filing(filing: MultifondoFiling, *, by: User) -> MultifondoFiling:
    """The protocol, the note and the dichiarazione di avvio attività of a filing (its status moves only with
    ``change_filing_status``); the first save stores it "da compilare" from today."""
    if not filing.is_recorded:
        filing.status, filing.status_on, filing.status_by = FilingStatus.TO_FILL, clock.today(), _user(by)
        filing.lock_version = 1  # as change_filing_status stores it: a status form built before is refused
    try:
        with transaction.atomic():
            save_audited(filing, by=by, message=f"POA {filing.year} su Multifondo: dati dell'invio")
    except IntegrityError:
        raise FilingError(FILING_STALE) from None
    return filing
