"""What each user has to do next: the list on the home page.

Each capability contributes the steps of its own domain from ``<app>/steps.py`` (a function taking the user
and their scope and returning ``home.step.Step`` items); this module only asks them, in this order.
"""

from __future__ import annotations

from collections.abc import Callable

from supervisione.accounts.models import User
from supervisione.accounts.scopes import Scope
from supervisione.census.steps import census_steps
from supervisione.home.step import Step
from supervisione.monitoring.steps import monitoring_steps
from supervisione.planning.steps import planning_steps
from supervisione.sessions.steps import sessions_steps
from supervisione.supervisors.steps import supervisors_steps
from supervisione.territory.steps import territory_steps

PROVIDERS: tuple[Callable[[User, Scope], list[Step]], ...] = (
    territory_steps,
    census_steps,
    supervisors_steps,
    planning_steps,
    sessions_steps,
    monitoring_steps,
)


_URGENCY = {"danger": 0, "warning": 1, "info": 2}


def steps_for(user: User, scope: Scope) -> list[Step]:
    """Every app's steps, the most urgent first (the order within a level is the apps' own)."""
    steps = [step for provider in PROVIDERS for step in provider(user, scope)]
    return sorted(steps, key=lambda step: _URGENCY[step.level])
