"""Populations pasted as a list at one date (issue 17.2): the preview, every line's error in Italian, nothing
saved on any error, a figure at the same date replaced, and who may load them."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from supervisione.audit.models import AuditEntry
from supervisione.territory.models import MunicipalityPopulation
from supervisione.territory.populations import read_populations
from supervisione.testing.world import World

DAY = datetime.date(2025, 1, 1)


def _url(world: World) -> str:
    return reverse("territory:population_bulk", args=[world.casarano.code])


def _post(client: Any, world: World, rows: str, *, save: bool = False) -> Any:
    data = {"reference_date": "01/01/2025", "source": "ISTAT, popolazione residente al 1° gennaio 2025", "rows": rows}
    data["salva" if save else "controlla"] = ""
    return client.post(_url(world), data, follow=True)


def _figures() -> set[tuple[str, int]]:
    return set(
        MunicipalityPopulation.objects.filter(reference_date=DAY).values_list("municipality__name", "population")
    )


def test_it_previews_then_saves_the_figures_with_their_date_and_source(world: World, client_for: Any) -> None:
    rows = "Comune;Popolazione\nCasarano; 19.001\n075042\t10.998\n"
    preview = _post(client_for("referent"), world, rows)
    assert preview.status_code == 404  # Maglie's referent: Casarano is not his
    preview = _post(client_for("coordinator"), world, rows).content.decode()
    assert "Anteprima" in preview
    assert "19.001" in preview
    assert "10.998" in preview
    assert "Salva le popolazioni" in preview
    assert _figures() == set()

    saved = _post(client_for("coordinator"), world, rows, save=True).content.decode()
    assert "Popolazione di 2 comuni registrata al 01/01/2025." in saved
    assert _figures() == {("Casarano", 19001), ("Matino", 10998)}
    figure = MunicipalityPopulation.objects.get(municipality__name="Casarano", reference_date=DAY)
    assert figure.source == "ISTAT, popolazione residente al 1° gennaio 2025"
    assert AuditEntry.objects.filter(code="territory.municipalitypopulation.created").count() == 2


def test_it_refuses_the_whole_list_for_one_wrong_line(world: World, client_for: Any) -> None:
    rows = "Casarano; 19001\nMaglie; 14000\nMatino; diecimila\nCasarano; 19002\nsolo testo senza numero\n"
    page = _post(client_for("coordinator"), world, rows, save=True).content.decode()
    assert "4 righe da correggere: nulla è stato salvato." in page
    assert "Riga 2: «Maglie» non è un comune di Ambito di Casarano" in page
    assert "Riga 3 (Matino): «diecimila» non è un numero" in page
    assert "Riga 4: Casarano compare già alla riga 1" in page
    assert "Riga 5: scrivi il comune" in page
    assert "Salva le popolazioni" not in page
    assert _figures() == set()


def test_it_says_one_line_in_the_singular(world: World, client_for: Any) -> None:
    page = _post(client_for("coordinator"), world, "Casarano; 19,5\n", save=True).content.decode()
    assert "1 riga da correggere" in page
    assert "non è un numero intero di residenti" in page


def test_it_replaces_a_figure_at_the_same_date_and_names_the_members_left_out(world: World) -> None:
    casarano = world.casarano
    matino = casarano.memberships.get(municipality__name="Matino").municipality
    MunicipalityPopulation.objects.create(municipality=matino, reference_date=DAY, population=11000)
    checked = read_populations(casarano, "matino;10998", DAY)
    assert checked.errors == []
    (row,) = checked.rows
    assert (row.municipality.name, row.population, row.previous) == ("Matino", 10998, 11000)
    assert [municipality.name for municipality in checked.missing] == ["Casarano"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("coordinator", 200),
        ("referent", 404),
        ("supervisee", 403),
        ("observer", 403),
        ("outsider", 404),
    ],
)
def test_it_lets_only_who_edits_the_ats_load_populations(
    world: World, client_for: Any, persona: str, status: int
) -> None:
    client = client_for(persona)
    assert client.get(_url(world)).status_code == status
    _post(client, world, "Casarano; 19001", save=True)
    assert bool(_figures()) == (status == 200)
