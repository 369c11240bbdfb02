"""The SIOSS export, which lists the ledger's acts, is refused with the reason to the roles that read only the
ledger's totals (issue 17.3), with a link to the funds page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.html import escape

from supervisione.testing.world import World


def test_the_sioss_export_says_who_downloads_it(world: World, client_for: Any) -> None:
    url = reverse("funding:sioss_export", args=[world.casarano.code, 2026])
    for persona in ("supervisor", "supervisee", "observer"):
        response = client_for(persona).get(url)
        assert response.status_code == 403, persona
        page = response.content.decode()
        assert escape(f"L'esportazione SIOSS elenca gli atti del fondo FNPS di {world.casarano.name}") in page
        assert f'href="{reverse("funding:ambito_funds", args=[world.casarano.code])}"' in page
