"""Supervisor records refused with the reason (issue 17.3): a supervisor is told which parts of their own record
they update and that colleagues' records are the managers', a supervisee who keeps the registry."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.html import escape

from supervisione.testing import factories
from supervisione.testing.pages import refusal
from supervisione.testing.world import World


def test_a_supervisor_updates_some_parts_of_their_own_record(world: World, client_for: Any) -> None:
    own = factories.supervisor(world.partnership, user=world.supervisor)
    page = refusal(client_for("supervisor").get(reverse("supervisors:supervisor_edit", args=[own.pk])))
    assert escape("li aggiorna chi ti ha incaricato, il coordinatore del partenariato") in page
    assert f'href="{own.get_absolute_url()}"' in page


def test_another_supervisors_record_is_the_managers(world: World, client_for: Any) -> None:
    other = factories.supervisor(world.partnership, surname="Russo", name="Davide")
    page = refusal(client_for("supervisor").get(other.get_absolute_url()))
    assert escape("La scheda di un altro supervisore, con i suoi dati personali") in page
    page = refusal(client_for("supervisee").get(other.get_absolute_url()))
    assert escape("I supervisori li registrano e gestiscono") in page
    page = refusal(client_for("observer").get(other.get_absolute_url()))
    assert escape("Il tuo ruolo di osservatore è di sola consultazione") in page
