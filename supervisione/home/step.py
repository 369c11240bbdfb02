"""A step on the home page: something the user can act on now, with the link that takes them there."""

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
