"""The alerts of requests (kind ``request``): a reminder before the deadline and the digest of what is late.

- a request born in a meeting or a letter (``meetings.Task``), open: from ``remind_days`` before its deadline
  (reminder) and every day after it (late) up to ``LATE_DAYS`` days, as the census and the referents (the
  requests page keeps listing it until it is done or cancelled); it names its tenant, the ATS it is asked of and
  the person it is asked of, who are told;
- the census (Allegato 2) and the referent designations (Allegato 1) still missing after their deadline, up to
  ``LATE_DAYS`` days (the reminders before it are the ``deadline`` kind's).
"""

from __future__ import annotations

import datetime

from django.db.models import Q

from supervisione.census.models import OPEN_STATUSES, Census, ReferentDesignation, ReferentRequest
from supervisione.lib.italian import counted
from supervisione.meetings.models import MAX_REMIND_DAYS, Task, TaskStatus
from supervisione.territory.models import PartnershipMember

from .alerts import LATE_DAYS, Alert, Reach


def _late_text(days: int) -> str:
    return f"in ritardo di {counted(days, 'giorno', 'giorni')}"


def _due_text(deadline: datetime.date, today: datetime.date) -> str:
    days = (deadline - today).days
    if days == 0:
        return "scade oggi"
    if days == 1:
        return "scade domani"
    return f"scade tra {days} giorni, il {deadline:%d/%m/%Y}"


def _task_alerts(today: datetime.date, reach: Reach) -> list[Alert]:
    condition = reach.q() | (Q() if reach.ambito_ids is None else Q(owner_ambito_id__in=sorted(reach.ambito_ids)))
    if reach.user_id is not None:
        condition |= Q(owner_user_id=reach.user_id)
    if reach.empty and reach.user_id is None:
        return []
    tasks = (
        Task.objects.filter(condition, status=TaskStatus.OPEN)
        .filter(
            deadline__lte=today + datetime.timedelta(days=MAX_REMIND_DAYS),
            deadline__gte=today - datetime.timedelta(days=LATE_DAYS),
        )
        .select_related("partnership", "ambito", "owner_ambito", "owner_user", "meeting")
        .distinct()
    )
    alerts = []
    for task in tasks:
        if task.deadline - datetime.timedelta(days=task.remind_days) > today:
            continue
        late = (today - task.deadline).days
        when = _late_text(late) if late > 0 else _due_text(task.deadline, today)
        alerts.append(
            Alert(
                "request",
                "danger" if late > 0 else "warning",
                f"{task.title} ({task.owner_text}): {when}",
                f"Quando è fatta: {task.done_means} Origine: {task.origin_text or task.tenant_name}.",
                task.get_absolute_url(),
                partnership_id=task.partnership_id,
                ambito_id=task.owner_ambito_id or task.ambito_id,
                sort_date=task.deadline,
                user_id=task.owner_user_id,
            )
        )
    return alerts


def _census_alerts(today: datetime.date, reach: Reach) -> list[Alert]:
    censuses = Census.objects.filter(
        reach.q("campaign__partnership_id", "ambito_id"),
        status__in=OPEN_STATUSES,
        campaign__deadline__lt=today,
        campaign__deadline__gte=today - datetime.timedelta(days=LATE_DAYS),
    ).select_related("campaign", "ambito")
    return [
        Alert(
            "request",
            "danger",
            f"Censimento di {census.ambito.name}: {_late_text((today - census.campaign.deadline).days)}",
            f"{census.campaign.title}: {census.get_status_display().lower()}; scadeva il "
            f"{census.campaign.deadline:%d/%m/%Y}.",
            census.get_absolute_url(),
            partnership_id=census.campaign.partnership_id,
            ambito_id=census.ambito_id,
            sort_date=census.campaign.deadline,
        )
        for census in censuses
    ]


def _referent_alerts(today: datetime.date, reach: Reach) -> list[Alert]:
    requests = list(
        ReferentRequest.objects.filter(
            deadline__lt=today, deadline__gte=today - datetime.timedelta(days=LATE_DAYS)
        ).select_related("partnership", "partnership__capofila")
    )
    if not requests:
        return []
    answered = set(ReferentDesignation.objects.filter(request__in=requests).values_list("request_id", "ambito_id"))
    members: dict[int, dict[int, str]] = {}
    for member in (
        PartnershipMember.objects.in_force()
        .filter(partnership_id__in=[request.partnership_id for request in requests])
        .select_related("ambito")
    ):
        members.setdefault(member.partnership_id, {})[member.ambito_id] = member.ambito.name
    alerts = []
    for request in requests:
        asked = dict(members.get(request.partnership_id, {}))
        asked[request.partnership.capofila_id] = request.partnership.capofila.name
        for ambito_id, name in sorted(asked.items(), key=lambda item: item[1]):
            if (request.pk, ambito_id) in answered or not _reaches(reach, request.partnership_id, ambito_id):
                continue
            alerts.append(
                Alert(
                    "request",
                    "danger",
                    f"Referente di {name} (Allegato 1): {_late_text((today - request.deadline).days)}",
                    f"{request.title} di {request.partnership.name}: scadeva il {request.deadline:%d/%m/%Y}.",
                    request.get_absolute_url(),
                    partnership_id=request.partnership_id,
                    ambito_id=ambito_id,
                    sort_date=request.deadline,
                )
            )
    return alerts


def _reaches(reach: Reach, partnership_id: int, ambito_id: int) -> bool:
    if reach.partnership_ids is None or reach.ambito_ids is None:
        return True
    return partnership_id in reach.partnership_ids or ambito_id in reach.ambito_ids


def request_alerts(today: datetime.date, reach: Reach) -> list[Alert]:
    alerts = _task_alerts(today, reach)
    if not reach.empty:
        alerts += _census_alerts(today, reach) + _referent_alerts(today, reach)
    return alerts
