"""A new ATS has no provider yet: the contract and supervisor forms say where to register one (issue 17, seen
in the journey of a new ATS, where the form refused «In esecuzione» with an empty list of providers)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from supervisione.testing.world import World


def test_the_provider_fields_link_the_organisation_form(world: World, client_for: Any) -> None:
    link = f'<a href="{reverse("territory:organisation_create")}">registralo tra le organizzazioni</a>'
    for url in (reverse("procurement:contract_create"), reverse("supervisors:supervisor_create")):
        page = client_for("coordinator").get(url).content.decode()
        assert link in page, url
