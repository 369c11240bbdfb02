"""What each user has to do next: the list on the home page.

Each capability contributes the steps of its own domain from ``<app>/steps.py`` (a function taking the user
and their scope and returning ``lib.steps.Step`` items); this module asks those listed in
``settings.HOME_STEPS``, in that order, and imports none of them: the home page depends on no domain app.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.utils.module_loading import import_string

from supervisione.accounts.models import User
from supervisione.accounts.scopes import Scope
from supervisione.lib.steps import Onboarding, Step

StepProvider = Callable[[User, Scope], list[Step]]


@functools.cache
def providers() -> tuple[StepProvider, ...]:
    return tuple(cast("StepProvider", import_string(path)) for path in settings.HOME_STEPS)


_URGENCY = {"danger": 0, "warning": 1, "info": 2}


def steps_for(user: User, scope: Scope) -> list[Step]:
    """Every app's steps, the most urgent first (the order within a level is the apps' own)."""
    steps = [step for provider in providers() for step in provider(user, scope)]
    return sorted(steps, key=lambda step: _URGENCY[step.level])


def onboarding_for(user: User, scope: Scope) -> list[Onboarding]:
    """The "Avvio" cards of the partnerships the user is starting (``settings.HOME_ONBOARDING``)."""
    provider = cast("Callable[[User, Scope], list[Onboarding]]", import_string(settings.HOME_ONBOARDING))
    return provider(user, scope)
