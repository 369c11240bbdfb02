"""A supervisor who reads a wave's results and asks to run it is told who runs it (issue 17.3)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.html import escape

from supervisione.testing.world import World
from supervisione.wellbeing.tests import factories


def test_a_supervisor_is_told_who_runs_a_wave(world: World, client_for: Any) -> None:
    wave = factories.wave(world.partnership)
    for name in ("wellbeing:invite", "wellbeing:remind", "wellbeing:close"):
        response = client_for("supervisor").post(reverse(name, args=[wave.pk]))
        assert response.status_code == 403
        page = response.content.decode()
        assert escape(f"Le rilevazioni di {world.partnership.name} le avviano, le sollecitano e le chiudono") in page
        assert f'href="{wave.get_absolute_url()}"' in page
    wave.refresh_from_db()
    assert not wave.closed
