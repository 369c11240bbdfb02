"""Creating a plan is refused with the reason (issue 17.3): the coordinators and the referents prepare plans, the
other roles read them; an observer is sent to the observatory, a user without a role told to ask for one."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.html import escape

from supervisione.testing.pages import refusal
from supervisione.testing.world import World


def test_creating_a_plan_says_who_prepares_plans(world: World, client_for: Any) -> None:
    url = reverse("planning:plan_create")
    for persona in ("supervisor", "supervisee"):
        page = refusal(client_for(persona).get(url))
        assert escape("I POA li preparano i coordinatori dei partenariati e i referenti degli ATS") in page
        assert f'href="{reverse("planning:plan_list")}"' in page
    page = refusal(client_for("observer").get(url))
    assert escape("Il tuo ruolo di osservatore è di sola consultazione") in page
    assert f'href="{reverse("monitoring:observatory")}"' in page
    page = refusal(client_for("nobody").get(url))
    assert escape("Il tuo account non ha ancora un ruolo") in page
