"""A new ATS's capofila is picked among the comuni of the region chosen first, not among every comune of Italy."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from supervisione.territory.models import Ambito
from supervisione.testing.world import World


def test_it_offers_the_capofila_among_the_comuni_of_the_chosen_region(world: World, client_for: Any) -> None:
    admin = client_for("admin")
    everything = admin.get(reverse("territory:ambito_create")).content.decode()
    assert "Treviso (TV)" in everything
    assert "Scegli prima la regione" in everything
    url = reverse("territory:ambito_create") + "?regione=16"
    puglia = admin.get(url).content.decode()
    assert "Casarano (LE)" in puglia
    assert "Treviso (TV)" not in puglia
    assert "tra i comuni della regione Puglia" in puglia
    data = {"code": "PUG_NUOVO", "name": "Ambito nuovo", "region": world.puglia.pk}
    created = admin.post(url, data | {"capofila_municipality": world.casarano.capofila_municipality_id})
    assert created.status_code == 302
    assert Ambito.objects.get(code="PUG_NUOVO").capofila_municipality_id == world.casarano.capofila_municipality_id


def test_it_ignores_an_unknown_region(world: World, client_for: Any) -> None:
    page = client_for("admin").get(reverse("territory:ambito_create") + "?regione=99").content.decode()
    assert "Treviso (TV)" in page


def test_a_new_ats_is_not_said_to_have_a_verified_composition_until_someone_says_so(
    world: World, client_for: Any
) -> None:
    admin = client_for("admin")
    url = reverse("territory:ambito_create") + "?regione=16"
    form = admin.get(url).context["form"]
    assert form["composition_verified"].value() is False
    assert 'name="composition_verified"' in admin.get(url).content.decode()
    data = {"code": "PUG_NUOVO", "name": "Ambito nuovo", "region": world.puglia.pk}
    admin.post(url, data | {"capofila_municipality": world.casarano.capofila_municipality_id})
    assert Ambito.objects.get(code="PUG_NUOVO").composition_verified is False
    # An existing ATS keeps what it has.
    edit = admin.get(reverse("territory:ambito_edit", args=[world.casarano.code])).context["form"]
    assert edit["composition_verified"].value() == world.casarano.composition_verified
