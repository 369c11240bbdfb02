"""What each user has to do next: the list on the home page.

Each capability contributes the steps of its own domain from ``<app>/steps.py`` (a function taking the user
and their scope and returning ``home.step.Step`` items); this module only asks them, in this order.
"""

from __future__ import annotations

from collections.abc import Callable

from supervisione.accounts.models import User
from supervisione.accounts.scopes import Scope
from supervisione.home.step import Step
from supervisione.supervisors.steps import supervisors_steps
from supervisione.territory.steps import territory_steps

PROVIDERS: tuple[Callable[[User, Scope], list[Step]], ...] = (
    territory_steps,
    supervisors_steps,
)


def steps_for(user: User, scope: Scope) -> list[Step]:
    return [step for provider in PROVIDERS for step in provider(user, scope)]
