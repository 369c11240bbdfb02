"""Requests and tasks born in a meeting or in a letter, and the one list of everything asked of an ATS or a person.

``Task`` rows are this app's; the referent requests (Allegato 1) and the census campaigns (Allegato 2) are
requests too but keep their models in census: ``request_rows`` reads them and shows one row per ATS asked, next
to the tasks, without copying them. The writes here are audited (``meetings.task.*``); recording an ATS's
decision closes the request it answers (``close_for_decision``). Reminders before the deadline and the digest of
what is late are the alerts' (``monitoring/alerts.py``), which read ``open_tasks``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q, QuerySet

from supervisione.accounts.scopes import Scope, scope_for
from supervisione.audit.actions import claim_version, record, save_audited
from supervisione.audit.models import AuditAction, TenantKeys
from supervisione.census.models import Census, CensusStatus, ReferentDesignation, ReferentRequest
from supervisione.lib import clock
from supervisione.meetings.actions import MeetingError
from supervisione.meetings.models import AmbitoDecision, Decision, Outcome, Task, TaskStatus
from supervisione.territory.models import PartnershipMember

if TYPE_CHECKING:
    from supervisione.accounts.models import User


def _keys(task: Task) -> TenantKeys:
    return {"ambito_id": task.ambito_id, "partnership_id": task.partnership_id}


def save_task(task: Task, *, by: User) -> Task:
    with transaction.atomic():
        if not task._state.adding:
            stored = Task.objects.select_for_update().get(pk=task.pk)
            if not stored.is_open:
                raise MeetingError("La richiesta è chiusa: non si può più modificare.")
        else:
            task.created_by = by
        save_audited(task, by=by, **_keys(task))
    return task


def close_task(task: Task, status: TaskStatus, note: str, *, by: User | None, on: datetime.date | None = None) -> Task:
    """Mark the request done (or cancelled) today, on the version the page showed."""
    with transaction.atomic():
        stored = Task.objects.select_for_update().get(pk=task.pk)
        if not stored.is_open:
            raise MeetingError("La richiesta è già chiusa.")
        if status == TaskStatus.OPEN:
            raise MeetingError("Scegli se la richiesta è fatta o annullata.")
        if by is not None:
            claim_version(task)
        task.status = status
        task.done_on = on or clock.today()
        task.outcome_note = note[:500]
        task.save(update_fields=["status", "done_on", "outcome_note"])
        verb = "done" if status == TaskStatus.DONE else "cancelled"
        record(
            task,
            by=by,
            action=AuditAction.ACTION,
            message=f"{task.title} ({task.owner_text}): {task.get_status_display()}" + (f". {note}" if note else ""),
            code=f"meetings.task.{verb}",
            **_keys(task),
        )
    return task


def ask_each_ambito(decision: Decision, deadline: datetime.date, done_means: str, *, by: User) -> list[Task]:
    """One request per ATS still to decide on a per-ATS decision: recording its decision closes it."""
    if not decision.per_ambito:
        raise MeetingError("La decisione non è presa da ogni ATS per sé: non c'è nulla da chiedere agli ATS.")
    meeting = decision.minutes.meeting
    with transaction.atomic():
        asked = set(
            Task.objects.filter(decision=decision, status=TaskStatus.OPEN).values_list("owner_ambito_id", flat=True)
        )
        rows = decision.ambito_decisions.select_related("ambito").filter(outcome=Outcome.PENDING)
        tasks = []
        for row in rows.exclude(ambito_id__in=asked):
            task = Task(
                partnership=meeting.partnership,
                ambito=meeting.ambito,
                meeting=meeting,
                title=f"Decisione: {decision.text[:200]}",
                done_means=done_means,
                owner_ambito=row.ambito,
                deadline=deadline,
                decision=decision,
            )
            tasks.append(save_task(task, by=by))
    return tasks


def close_for_decision(row: AmbitoDecision, *, by: User) -> list[str]:
    """The ATS decided: its open requests for this decision are done."""
    if row.outcome == Outcome.PENDING:
        return []
    tasks = Task.objects.filter(decision_id=row.decision_id, owner_ambito_id=row.ambito_id, status=TaskStatus.OPEN)
    closed = []
    for task in tasks:
        close_task(task, TaskStatus.DONE, f"Deciso: {row.get_outcome_display()}", by=None)
        closed.append(f"Richiesta «{task.title}» a {row.ambito.name}: fatta.")
    return closed


# --- Who sees what --------------------------------------------------------------------------------------------


def _task_q(user: User, scope: Scope) -> Q:
    return (
        Q(partnership_id__in=scope.editable_partnership_ids or ())
        | Q(ambito_id__in=scope.editable_ambito_ids or ())
        | Q(owner_ambito_id__in=scope.editable_ambito_ids or ())
        | Q(owner_user_id=user.pk)
    )


def visible_tasks(user: User) -> QuerySet[Task]:
    """The tasks the user may read: those of the tenants they edit, those asked of their ATS or of them."""
    scope = scope_for(user)
    tasks = Task.objects.select_related("partnership", "ambito", "meeting", "owner_ambito", "owner_user")
    return tasks if scope.is_admin else tasks.filter(_task_q(user, scope))


def can_edit_task(user: User, task: Task) -> bool:
    scope = scope_for(user)
    if task.partnership_id is not None:
        return scope.can_edit_partnership(task.partnership_id)
    return task.ambito_id is not None and scope.can_edit_ambito(task.ambito_id)


def open_tasks(partnership_ids: Iterable[int] | None, ambito_ids: Iterable[int] | None) -> QuerySet[Task]:
    """Open tasks of these tenants or asked of these ATS (``None``: all), for the alerts."""
    tasks = Task.objects.filter(status=TaskStatus.OPEN).select_related("partnership", "ambito", "owner_ambito")
    if partnership_ids is None or ambito_ids is None:
        return tasks
    ambiti = sorted(ambito_ids)
    return tasks.filter(
        Q(partnership_id__in=sorted(partnership_ids)) | Q(ambito_id__in=ambiti) | Q(owner_ambito_id__in=ambiti)
    )


# --- The one list ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestRow:
    """One thing asked of someone, whatever model keeps it."""

    kind: str
    title: str
    origin: str
    owner: str
    deadline: datetime.date
    done_means: str
    done: bool
    status: str
    url: str

    def is_late(self, today: datetime.date) -> bool:
        return not self.done and today > self.deadline


def _task_rows(user: User) -> list[RequestRow]:
    return [
        RequestRow(
            "Richiesta",
            task.title,
            task.origin_text or task.tenant_name,
            task.owner_text,
            task.deadline,
            task.done_means,
            not task.is_open,
            task.get_status_display() + (f" il {task.done_on:%d/%m/%Y}" if task.done_on else ""),
            task.get_absolute_url(),
        )
        for task in visible_tasks(user)
    ]


def _referent_rows(scope: Scope) -> list[RequestRow]:
    requests = ReferentRequest.objects.select_related("partnership", "partnership__capofila")
    members = PartnershipMember.objects.in_force().select_related("ambito")
    if not scope.is_admin:
        partnerships = set(scope.editable_partnership_ids or ())
        ambiti = set(scope.editable_ambito_ids or ())
        requests = requests.filter(
            Q(partnership_id__in=partnerships)
            | Q(partnership__memberships__ambito_id__in=ambiti)
            | Q(partnership__capofila_id__in=ambiti)
        ).distinct()
    requests_list = list(requests)
    ids = [request.partnership_id for request in requests_list]
    asked: dict[int, dict[int, str]] = {}
    for member in members.filter(partnership_id__in=ids):
        asked.setdefault(member.partnership_id, {})[member.ambito_id] = member.ambito.name
    designations = {
        (designation.request_id, designation.ambito_id): designation
        for designation in ReferentDesignation.objects.filter(request__in=requests_list)
    }
    rows = []
    for request in requests_list:
        asked_here = dict(asked.get(request.partnership_id, {}))
        asked_here[request.partnership.capofila_id] = request.partnership.capofila.name
        for ambito_id, name in sorted(asked_here.items(), key=lambda item: item[1]):
            if not (
                scope.is_admin or scope.can_edit_partnership(request.partnership_id) or scope.can_edit_ambito(ambito_id)
            ):
                continue
            designation = designations.get((request.pk, ambito_id))
            rows.append(
                RequestRow(
                    "Referente (Allegato 1)",
                    request.title,
                    request.partnership.name,
                    name,
                    request.deadline,
                    "L'ATS designa il suo referente con un atto.",
                    designation is not None,
                    f"designato il {designation.answered_on:%d/%m/%Y}" if designation else "da designare",
                    request.get_absolute_url(),
                )
            )
    return rows


def _census_rows(scope: Scope) -> list[RequestRow]:
    censuses = Census.objects.select_related("campaign", "campaign__partnership", "ambito")
    if not scope.is_admin:
        censuses = censuses.filter(
            Q(campaign__partnership_id__in=scope.editable_partnership_ids or ())
            | Q(ambito_id__in=scope.editable_ambito_ids or ())
        )
    return [
        RequestRow(
            "Censimento (Allegato 2)",
            census.campaign.title,
            census.campaign.partnership.name,
            census.ambito.name,
            census.campaign.deadline,
            "L'ATS trasmette il censimento del personale e il capofila lo valida.",
            census.status == CensusStatus.VALIDATED,
            census.get_status_display().lower(),
            census.get_absolute_url(),
        )
        for census in censuses
    ]


def request_rows(user: User) -> list[RequestRow]:
    """Everything asked that the user may see, open first and by deadline (a constant number of queries)."""
    scope = scope_for(user)
    rows = _task_rows(user) + _referent_rows(scope) + _census_rows(scope)
    return sorted(rows, key=lambda row: (row.done, row.deadline, row.owner, row.title))


def asked_text(count: int) -> str:
    if count == 0:
        return "Nessuna richiesta creata: ogni ATS ha già deciso o ha già una richiesta aperta."
    return "Creata 1 richiesta." if count == 1 else f"Create {count} richieste."
