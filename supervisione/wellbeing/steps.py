"""Questionnaire waves on the home page (``settings.HOME_STEPS``): for those who run them, each wave open today
with its response rate (to remind those who have not answered) and each wave closed in the last 30 days (its
results are ready). The main menu has no room left for a section of its own: this and the list page
(``/benessere/``) are the way in."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.urls import reverse

from supervisione.accounts.models import User
from supervisione.accounts.scopes import Scope
from supervisione.lib import clock
from supervisione.lib.italian import counted
from supervisione.lib.steps import Step
from supervisione.wellbeing.access import editable_q, visible_waves

LIMIT = 5
RECENT_DAYS = 30


def wellbeing_steps(user: User, scope: Scope) -> list[Step]:
    if not (scope.is_admin or scope.editable_partnership_ids or scope.editable_ambito_ids):
        return []
    today = clock.today()
    waves = (
        visible_waves(user)
        .filter(Q() if scope.is_admin else editable_q(scope))
        .filter(
            Q(closed=False, opens_on__lte=today, closes_on__gte=today)
            | Q(closed=True, closes_on__gte=today - datetime.timedelta(days=RECENT_DAYS))
        )
        .annotate(invited=Count("invitations"), answered=Count("invitations", filter=Q(invitations__answered=True)))
        .order_by("closes_on", "pk")[:LIMIT]
    )
    steps = []
    for wave in waves:
        if wave.closed:
            steps.append(
                Step(
                    f"Risultati del questionario: {wave.unit_name}",
                    f"{wave.round_label} chiusa il {wave.closes_on:%d/%m/%Y} con "
                    f"{counted(wave.answered_count, 'risposta', 'risposte')}.",
                    reverse("wellbeing:results", args=[wave.pk]),
                )
            )
        else:
            steps.append(
                Step(
                    f"Questionario aperto: {wave.unit_name}",
                    f"{wave.round_label} fino al {wave.closes_on:%d/%m/%Y}: "
                    f"{counted(wave.answered, 'risposta', 'risposte')} su "
                    f"{counted(wave.invited, 'invitato', 'invitati')}.",
                    wave.get_absolute_url(),
                )
            )
    return steps
