"""Codes that name records in addresses (ATS, partnerships, regions) match a strict pattern before any write:
a code holding "/" was saved and then every page linking to the record answered 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from supervisione.audit.models import AuditEntry
from supervisione.territory.models import Ambito, Partnership, Region
from supervisione.testing.world import World

HOSTILE_CODES = [
    "PUG_A/B",
    "PUG/MAGLIE",
    "../PUG_X",
    "PUG_A%2FB",
    "PUG_A\\B",
    "PUG_À",
    "\uff30\uff35\uff27_\uff2d\uff21\uff27\uff2c\uff29\uff25",  # PUG_MAGLIE in full-width letters: not A-Z
    "PUG_A<b>",
    "PUG_A?x=1",
    "PUG_A#1",
    "PUG_" + "X" * 40,
    "",
]


def _refused(response: Any, before: dict[str, int]) -> None:
    assert response.status_code == 200, response.status_code
    assert 'aria-invalid="true"' in response.content.decode() or "invalid-feedback" in response.content.decode()
    assert _counts() == before


def _counts() -> dict[str, int]:
    return {
        "ambiti": Ambito.objects.count(),
        "partnerships": Partnership.objects.count(),
        "regions": Region.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


@pytest.mark.parametrize("code", HOSTILE_CODES)
def test_it_refuses_an_ambito_code_that_could_not_be_routed(world: World, client_for: Any, code: str) -> None:
    admin = client_for("admin")
    before = _counts()
    created = admin.post(reverse("territory:ambito_create"), {"code": code, "name": "X", "region": world.puglia.pk})
    _refused(created, before)
    edit = reverse("territory:ambito_edit", args=["PUG_MAGLIE"])
    changed = admin.post(edit, {"code": code, "name": world.maglie.name, "region": world.puglia.pk})
    _refused(changed, before)
    assert Ambito.objects.get(pk=world.maglie.pk).code == "PUG_MAGLIE"
    assert admin.get(reverse("territory:ambito_list")).status_code == 200


@pytest.mark.parametrize("code", [*HOSTILE_CODES, "POGGIARDO_114", "-114"])
def test_it_refuses_a_partnership_code_that_could_not_be_routed(world: World, client_for: Any, code: str) -> None:
    admin = client_for("admin")
    before = _counts()
    data = {"code": code, "name": "X", "capofila": world.sansevero.pk, "measure": "fnps", "cup": "", "budget": ""}
    _refused(admin.post(reverse("territory:partnership_create"), data), before)
    edit = reverse("territory:partnership_edit", args=["POGGIARDO-114"])
    _refused(admin.post(edit, {**data, "capofila": world.poggiardo.pk}), before)
    assert Partnership.objects.get(pk=world.partnership.pk).code == "POGGIARDO-114"
    assert admin.get(reverse("territory:partnership_list")).status_code == 200


@pytest.mark.parametrize(
    ("istat_code", "prefix"),
    # "\u0661\u0666" is 16 in Arabic-Indic digits, which a regular expression's \d takes for digits.
    [("1/", "ABC"), ("\u0661\u0666", "ABC"), ("99", "A/B"), ("99", "ab1")],
)
def test_it_refuses_a_region_code_that_could_not_be_routed(
    world: World, client_for: Any, istat_code: str, prefix: str
) -> None:
    admin = client_for("admin")
    before = _counts()
    data = {"istat_code": istat_code, "name": "Regione nuova", "ministry_prefix": prefix}
    _refused(admin.post(reverse("territory:region_create"), data), before)
    assert admin.get(reverse("territory:region_list")).status_code == 200


def test_it_still_accepts_codes_written_in_lower_case_or_with_spaces(world: World, client_for: Any) -> None:
    admin = client_for("admin")
    data = {"code": " pug_gallipoli ", "name": "Ambito di Gallipoli", "region": world.puglia.pk}
    assert admin.post(reverse("territory:ambito_create"), data).status_code == 302
    assert Ambito.objects.filter(code="PUG_GALLIPOLI").exists()


@pytest.mark.parametrize("code", ["PUG_A/B", "PUG_A\n", "pug_a"])
def test_no_write_saves_a_bad_code_even_without_a_form(world: World, code: str) -> None:
    """Commands, imports and future code save through the model: the check is there too."""
    with pytest.raises(ValidationError):
        Ambito(code=code, name="X", region=world.puglia).save()
    with pytest.raises(ValidationError):
        Partnership(code=code.replace("_", "-"), name="X", capofila=world.sansevero).save()
    with pytest.raises(ValidationError):
        Region(istat_code="1/", name="X", ministry_prefix="XYZ").save()
    assert not Ambito.objects.filter(name="X").exists()
