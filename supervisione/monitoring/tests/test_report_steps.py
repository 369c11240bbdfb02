"""The report's next steps in words: counts of one and of two agree with their nouns and verbs."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from supervisione.leps.compliance import ComplianceStatus
from supervisione.monitoring.report import next_steps


def _dashboard(count: int) -> Any:
    behind = SimpleNamespace(
        status=ComplianceStatus.BEHIND,
        missing=Decimal(count),
        expected=Decimal(count),
        held=Decimal(0),
        period_end=datetime.date(2026, 12, 31),
    )
    group = SimpleNamespace(name="Gruppo A1 Maglie", supervisor_id=1)
    figures = SimpleNamespace(
        leps_groups=[SimpleNamespace(compliance=behind, group=group)],
        total=SimpleNamespace(awaiting=Decimal(count)),
        a1_groups=[SimpleNamespace(pool_free=Decimal(1)) for _ in range(count)],
        coverage=SimpleNamespace(not_supervised_count=count),
        people_below_threshold=count,
        threshold_percent=80,
        spending=[],
    )
    return SimpleNamespace(figures=figures)


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (
            1,
            [
                "Gruppo A1 Maglie: programmare almeno 1 ora in più entro il 31/12/2026.",
                "Far confermare ai supervisori i registri presenze di 1 ora già tenuta.",
                "Monte ore A2: 1 ora libera in 1 gruppo;",
                "1 assistente sociale del censimento non ha ancora partecipato",
                "1 persona è sotto l'80 % delle ore previste: senza recupero non otterrà",
            ],
        ),
        (
            2,
            [
                "Gruppo A1 Maglie: programmare almeno 2 ore in più entro il 31/12/2026.",
                "Far confermare ai supervisori i registri presenze di 2 ore già tenute.",
                "Monte ore A2: 2 ore libere in 2 gruppi;",
                "2 assistenti sociali del censimento non hanno ancora partecipato",
                "2 persone sono sotto l'80 % delle ore previste: senza recupero non otterranno",
            ],
        ),
    ],
)
def test_it_writes_the_next_steps_in_the_singular_or_the_plural(count: int, expected: list[str]) -> None:
    steps = next_steps(_dashboard(count))
    assert len(steps) == len(expected)
    for step, start in zip(steps, expected, strict=True):
        assert step.startswith(start), step
