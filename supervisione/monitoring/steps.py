"""The alerts of the monitoring on the home page (``settings.HOME_STEPS``): groups behind or at risk, registers
unconfirmed after 3 days and contracts nearly used up; an administrator gets a link to the country's alerts,
which the observatory links too. Deadlines are on the home page already, from the
census, planning and supervisors steps; a supervisor's own registers from the sessions steps."""

from __future__ import annotations

from django.urls import reverse

from supervisione.accounts.models import User
from supervisione.accounts.scopes import Scope
from supervisione.lib.steps import Step

from .alerts import alerts_for

LIMIT = 8


def monitoring_steps(user: User, scope: Scope) -> list[Step]:
    if scope.is_admin:
        # The country's alerts belong to the observatory: collecting them cost the home page half a second.
        return [
            Step(
                "Avvisi di tutti i partenariati e ATS",
                "Gruppi in ritardo o a rischio, registri da confermare e contratti quasi esauriti del Paese: "
                "dall'osservatorio.",
                reverse("monitoring:alerts"),
            )
        ]
    if not (scope.coordinated_partnership_ids or scope.referent_ambito_ids):
        return []
    found = [
        alert
        for alert in alerts_for(user, kinds=("group", "register", "contract"))
        if alert.kind != "register" or alert.supervisor_user_id != user.pk
    ]
    return [Step(alert.title, alert.detail, alert.url, alert.level) for alert in found[:LIMIT]]
