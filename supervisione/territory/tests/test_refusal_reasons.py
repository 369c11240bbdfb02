"""Registering an organisation is refused with the reason (issue 17.3): coordinators and referents register them
for the partnership or ATS that uses them; the other roles consult the list."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.html import escape

from supervisione.testing.pages import refusal
from supervisione.testing.world import World


def test_registering_an_organisation_says_who_registers_them(world: World, client_for: Any) -> None:
    url = reverse("territory:organisation_create")
    for persona in ("supervisor", "supervisee"):
        page = refusal(client_for(persona).get(url))
        assert escape("Le organizzazioni (datori di lavoro, enti fornitori, professionisti) le registrano") in page
        assert f'href="{reverse("territory:organisation_list")}"' in page
    page = refusal(client_for("observer").get(url))
    assert escape("Il tuo ruolo di osservatore è di sola consultazione") in page
    page = refusal(client_for("nobody").get(url))
    assert escape("Il tuo account non ha ancora un ruolo") in page
