"""The hand-over of what was charged to a PNRR project after the end of its activities: one audited action.

For one contract at a time (a session or a group can only be charged to a row of its own contract), the
coordinator, with a reason:

- moves the sessions to another row of the contract (the ATS's FNPS quota, or another source), or cancels those
  whose register is not confirmed (a confirmed one happened: it can only be moved);
- charges the groups to another row after the end (``PlanGroup.funding_after``; a group whose plan lies wholly
  after the end is charged to it altogether);
- turns the PNRR rows of a contract that starts after the end into "other source" rows (the CUP kept in the note).

Every check comes first (the FNPS rule of who pays, on each session's date and for each group's members): one
refusal and nothing changes. Each object changed gets its audit entry (``funding.pnrr.handed_over``, or
``sessions.session.cancelled``), and the partnership one that sums the action up.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F

from supervisione.audit.actions import record, save_audited
from supervisione.audit.models import AuditAction
from supervisione.funding.pnrr.queries import AfterEnd, Project, after_end
from supervisione.lib.italian import duration_text
from supervisione.planning.models import Plan
from supervisione.planning.payers import refusal as group_refusal
from supervisione.planning.project_end import after_end_since
from supervisione.procurement.models import Contract, ContractFunding
from supervisione.procurement.payers import Payers, about
from supervisione.sessions import hours_summary
from supervisione.sessions.actions.scheduling import cancel_session
from supervisione.sessions.models import Attendance
from supervisione.territory.models import FundingMeasure, Partnership

if TYPE_CHECKING:
    from supervisione.accounts.models import User

CODE = "funding.pnrr.handed_over"


class HandOverError(Exception):
    """The hand-over was refused with these Italian messages; nothing was changed."""

    def __init__(self, *messages: str) -> None:
        super().__init__(" ".join(messages))
        self.messages = list(messages)


@dataclass(frozen=True)
class HandedOver:
    moved: int = 0
    cancelled: int = 0
    groups: int = 0
    rows: int = 0

    def text(self) -> str:
        parts = []
        if self.moved:
            parts.append(f"{self.moved} {'incontro spostato' if self.moved == 1 else 'incontri spostati'}")
        if self.cancelled:
            parts.append(f"{self.cancelled} {'incontro annullato' if self.cancelled == 1 else 'incontri annullati'}")
        if self.groups:
            parts.append(f"{self.groups} {'gruppo imputato' if self.groups == 1 else 'gruppi imputati'}")
        if self.rows:
            parts.append(f"{self.rows} {'fonte del contratto convertita' if self.rows == 1 else 'fonti convertite'}")
        return ", ".join(parts) or "nulla da consegnare"


def hand_over(
    partnership: Partnership,
    project: Project,
    contract: Contract,
    *,
    sessions_to: ContractFunding | None,
    cancel_sessions: bool,
    costs_to: ContractFunding | None,
    reason: str,
    by: User,
) -> HandedOver:
    """Hand over what the project still has after its end on ``contract`` (see the module)."""
    reason = " ".join(reason.split())
    if not reason:
        raise HandOverError("Indica il motivo: resta nel registro delle modifiche di ogni incontro e gruppo.")
    if closed := next((row for row in project.rows if row.is_closed), None):
        raise HandOverError(closed.closed_refusal("quanto è imputato al progetto"))
    with transaction.atomic():
        items = after_end(project, contract_id=contract.pk, lock=True)
        if items.is_empty:
            raise HandOverError(
                f"Non c'è più nulla imputato al CUP {project.cup} dopo la fine delle attività per il contratto "
                f"«{contract}»: forse qualcun altro l'ha già consegnato. Ricarica la pagina."
            )
        _check(partnership, project, contract, items, sessions_to, cancel_sessions, costs_to)
        ending = f"dopo la fine del progetto PNRR (CUP {project.cup}): {reason}"
        moved = cancelled = 0
        for session in items.sessions:
            if cancel_sessions:
                cancel_session(session, reason=f"Progetto PNRR concluso: {reason}", version=session.version, by=by)
                cancelled += 1
                continue
            if sessions_to is None:  # refused by _check: never reached
                raise HandOverError("Indica dove imputare gli incontri.")
            old = str(session.funding)
            session.funding = sessions_to
            session.version += 1
            session.save(update_fields=["funding", "version", "updated_at"])
            hours_summary.refresh_sessions(session)
            record(
                session,
                by=by,
                action=AuditAction.UPDATE,
                changes={"funding": {"label": "fonte di finanziamento", "old": old, "new": str(sessions_to)}},
                message=f"Imputato a {sessions_to} {ending}",
                code=CODE,
            )
            moved += 1
        for item in items.groups:
            group = item.group
            if costs_to is None:  # refused by _check: never reached
                raise HandOverError("Indica la fonte che paga le ore dei gruppi.")
            if item.wholly_after:
                group.funding, group.funding_after = costs_to, None
            else:
                group.funding_after = costs_to
            save_audited(group, by=by, message=f"Ore imputate a {costs_to} {ending}", code=CODE)
            # A group's change moves its plan's version: a page opened before is outdated.
            Plan.objects.filter(pk=group.plan_id).update(lock_version=F("lock_version") + 1)
        for row in items.rows:
            row.note = f"Già PNRR, CUP {project.cup}. {row.note}".strip()[:250]
            row.measure, row.cup = FundingMeasure.OTHER, ""
            row.activities_end = row.exception_end = None
            row.exception_act = row.target_indicator = ""
            row.target_value = None
            save_audited(row, by=by, message=f"Convertita in altra fonte {ending}", code=CODE)
        done = HandedOver(moved, cancelled, len(items.groups), len(items.rows))
        record(
            partnership,
            by=by,
            action=AuditAction.ACTION,
            message=f"CUP {project.cup}, contratto «{contract}»: {done.text()} {ending}",
            code=CODE,
        )
    return done


def _check(
    partnership: Partnership,
    project: Project,
    contract: Contract,
    items: AfterEnd,
    sessions_to: ContractFunding | None,
    cancel_sessions: bool,
    costs_to: ContractFunding | None,
) -> None:
    problems: list[str] = []
    for target in (sessions_to, costs_to):
        if target is not None and target.contract_id != contract.pk:
            problems.append(f"La fonte «{target}» non è del contratto «{contract}»: scegline una del contratto.")
        elif target is not None and target.is_pnrr:
            problems.append("Dopo la fine del progetto PNRR scegli la quota FNPS dell'ATS o un'altra fonte.")
    if items.sessions and cancel_sessions and sessions_to is not None:
        problems.append("Scegli se spostare gli incontri su un'altra fonte o annullarli, non entrambe le cose.")
    elif items.sessions and not cancel_sessions and sessions_to is None:
        problems.append(
            f"Indica dove imputare {_sessions_text(items)} dopo la fine del progetto, o annulla quelli non svolti."
        )
    if items.groups and costs_to is None:
        problems.append("Indica la fonte che paga le ore dei gruppi dopo la fine del progetto.")
    if problems:
        raise HandOverError(*problems)
    if cancel_sessions and (confirmed := [s for s in items.sessions if s.is_confirmed]):
        dates = ", ".join(f"{s.date:%d/%m/%Y}" for s in confirmed[:5]) + ("…" if len(confirmed) > 5 else "")
        have = "incontro ha" if len(confirmed) == 1 else "incontri hanno"
        problems.append(
            f"{len(confirmed)} {have} il registro confermato ({dates}): si sono svolti, non si annullano. "
            "Spostali su un'altra fonte."
        )
    if sessions_to is not None and sessions_to.is_fnps:
        problems += _session_payer_problems(partnership, items, sessions_to)
    if costs_to is not None and costs_to.is_fnps:
        for item in items.groups:
            members = item.group.memberships.values_list("ambito_id", flat=True)
            since = None if item.wholly_after else after_end_since(item.group.funding)
            if message := group_refusal(item.group.plan, costs_to, members, since=since):
                problems.append(about(item.group.name, message))
    if problems:
        raise HandOverError(*problems)


def _session_payer_problems(partnership: Partnership, items: AfterEnd, target: ContractFunding) -> list[str]:
    """An ATS's FNPS row pays for its own staff, for another ATS's only under an agreement in force that day."""
    ambiti: dict[int, Counter[int]] = {session.pk: Counter() for session in items.sessions}
    for session_id, ambito_id in Attendance.objects.filter(session_id__in=ambiti).values_list(
        "session_id", "ambito_id"
    ):
        ambiti[session_id][ambito_id] += 1
    payers = Payers([partnership.pk], {a for counts in ambiti.values() for a in counts})
    problems = []
    for session in items.sessions:
        check = payers.check(target, ambiti[session.pk], session.date, session.date)
        if not check.allowed:
            problems.append(about(f"Incontro del {session.date:%d/%m/%Y}", check.message))
    return problems


def _sessions_text(items: AfterEnd) -> str:
    count = len(items.sessions)
    what = "l'incontro" if count == 1 else f"i {count} incontri"
    return f"{what} ({duration_text(items.minutes)})"
