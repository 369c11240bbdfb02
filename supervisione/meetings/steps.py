"""The requests asked of the user, or of the ATS they answer for, on the home page (``settings.HOME_STEPS``):
from ``remind_days`` before the deadline, and in red once late. Those of the tenants they convene for reach them
in the daily digest (``monitoring/request_alerts.py``) and on the requests page; here, one step counts those
already late."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse

from supervisione.accounts.models import User
from supervisione.accounts.scopes import Scope
from supervisione.lib import clock
from supervisione.lib.italian import counted
from supervisione.lib.steps import Step
from supervisione.meetings.models import MAX_REMIND_DAYS, Task, TaskStatus

LIMIT = 10


def meetings_steps(user: User, scope: Scope) -> list[Step]:
    today = clock.today()
    mine = Q(owner_user_id=user.pk) | Q(owner_ambito_id__in=sorted(scope.referent_ambito_ids))
    steps = []
    for task in (
        Task.objects.filter(
            mine, status=TaskStatus.OPEN, deadline__lte=today + datetime.timedelta(days=MAX_REMIND_DAYS)
        )
        .select_related("owner_ambito", "owner_user")
        .order_by("deadline", "pk")
    ):
        if task.deadline - datetime.timedelta(days=task.remind_days) > today:
            continue
        late = today > task.deadline
        when = "scaduta il" if late else "entro il"
        steps.append(
            Step(
                f"{task.title} ({task.owner_text})",
                f"{when.capitalize()} {task.deadline:%d/%m/%Y}. Quando è fatta: {task.done_means}",
                task.get_absolute_url(),
                "danger" if late else "warning",
            )
        )
        if len(steps) == LIMIT:
            break
    return steps + _late_of_tenants(scope, today)


def _late_of_tenants(scope: Scope, today: datetime.date) -> list[Step]:
    """The convenor's summary: how many requests of their partnerships (or ATS) are late, one step."""
    if scope.is_admin or not (scope.editable_partnership_ids or scope.coordinated_partnership_ids):
        return []
    late = Task.objects.filter(
        Q(partnership_id__in=sorted(scope.editable_partnership_ids or ())), status=TaskStatus.OPEN, deadline__lt=today
    ).count()
    if not late:
        return []
    return [
        Step(
            f"{counted(late, 'richiesta in ritardo', 'richieste in ritardo')} agli ATS o alle persone",
            "Chiesta in una riunione o in una lettera e non ancora fatta: sollecita o chiudi.",
            reverse("meetings:task_list"),
            "danger",
        )
    ]
