"""Waves, groups and anonymous answers for tests and URL samples."""

from __future__ import annotations

import datetime
from typing import Any

from supervisione.planning.models import GroupKind, Plan, PlanGroup
from supervisione.territory.models import Ambito, Partnership
from supervisione.wellbeing.actions import token_hash
from supervisione.wellbeing.models import Answer, Invitation, Wave
from supervisione.wellbeing.scoring import scale_scores

OPENS = datetime.date(2025, 1, 13)
CLOSES = datetime.date(2025, 2, 14)


def group(partnership: Partnership, name: str = "Gruppo AS Maglie", year: int = 2025) -> PlanGroup:
    plan, _ = Plan.objects.get_or_create(
        partnership=partnership, year=year, version=1, defaults={"deadline": datetime.date(year, 3, 31)}
    )
    made, _ = PlanGroup.objects.get_or_create(plan=plan, name=name, defaults={"kind": GroupKind.A1})
    return made


def wave(
    partnership: Partnership | None = None, *, ambito: Ambito | None = None, round: int = 0, **fields: Any
) -> Wave:
    values: dict[str, Any] = {
        "instrument_key": "cbi-it",
        "instrument_version": "1",
        "opens_on": OPENS,
        "closes_on": CLOSES,
        **fields,
    }
    return Wave.objects.create(partnership=partnership, ambito=ambito, round=round, **values)


def invitation(of: Wave, email: str = "laura.bianchi@example.it", token: str = "", **fields: Any) -> Invitation:
    return Invitation.objects.create(wave=of, email=email, token_hash=token_hash(token or email), **fields)


def answers(of: Wave, scores: list[int]) -> list[Answer]:
    """One answer per score, every CBI item answered with the option giving about that score on each scale."""
    made = []
    instrument = of.instrument
    for score in scores:
        option = {100: 0, 75: 1, 50: 2, 25: 3, 0: 4}[min((100, 75, 50, 25, 0), key=lambda x: abs(x - score))]
        values: dict[str, int | None] = {
            item.key: (4 - option if item.reverse else option) if item.options[0].score == 100 else option
            for item in instrument.items
        }
        made.append(Answer.objects.create(wave=of, values=values, scores=scale_scores(instrument, values)))
    return made


def unit(partnership: Partnership, name: str, baseline: list[int], follow_up: list[int] | None = None) -> Wave:
    """A plan group of ``partnership`` with a closed baseline wave answered with ``baseline`` scores and, if given, a
    closed follow-up answered with ``follow_up``: the baseline wave."""
    of = group(partnership, name)
    first = wave(partnership, group=of, closed=True)
    answers(first, baseline)
    if follow_up is not None:
        answers(wave(partnership, group=of, round=1, closed=True), follow_up)
    return first
