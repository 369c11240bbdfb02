"""A step on the home page: something the user can act on now, with the link that takes them there.

Each app says what its users have to do next in ``<app>/steps.py``, a function of the user and their scope
returning ``Step`` items; the home page asks the functions listed in ``settings.HOME_STEPS``. The type sits
here, at the bottom, so that the apps and the home page share it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["danger", "warning", "info"]


@dataclass(frozen=True)
class Step:
    title: str
    detail: str
    url: str
    level: Level = "info"


@dataclass(frozen=True)
class Milestone:
    """One numbered step of a partnership's start (the home page's "Avvio" card): done, next, or still ahead."""

    number: int
    title: str
    detail: str
    url: str
    done: bool = False
    is_next: bool = False


@dataclass(frozen=True)
class Onboarding:
    """The start of one partnership, its steps in order."""

    partnership: str
    steps: list[Milestone]

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)
