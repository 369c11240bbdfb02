"""The requests asked of the user, or of the ATS they answer for, on the home page (``settings.HOME_STEPS``):
from ``remind_days`` before the deadline, and in red once late. Those of the tenants they convene for reach them
in the daily digest (``monitoring/request_alerts.py``) and on the requests page."""

from __future__ import annotations

import datetime

from django.db.models import Q

from supervisione.accounts.models import User
from supervisione.accounts.scopes import Scope
from supervisione.lib import clock
from supervisione.lib.steps import Step
from supervisione.meetings.models import Task, TaskStatus

LIMIT = 10
HORIZON_DAYS = 60  # the most a request's reminder may come before its deadline


def meetings_steps(user: User, scope: Scope) -> list[Step]:
    today = clock.today()
    mine = Q(owner_user_id=user.pk) | Q(owner_ambito_id__in=sorted(scope.referent_ambito_ids))
    steps = []
    for task in (
        Task.objects.filter(mine, status=TaskStatus.OPEN, deadline__lte=today + datetime.timedelta(days=HORIZON_DAYS))
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
    return steps
