"""``manage.py import_census``: the same import from the command line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from supervisione.census.models import Census, CensusStatus, Position
from supervisione.census.tests.factories import census_of, csv_file, organisation, row
from supervisione.testing.world import World


@pytest.fixture
def census(world: World) -> Census:
    organisation()
    return census_of(world)


def _run(path: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("import_census", str(path), *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_it_imports_and_prints_the_report_as_json(census: Census, tmp_path: Path) -> None:
    path = tmp_path / "maglie.csv"
    path.write_bytes(csv_file([row(1), row(2)]))
    code, out = _run(path, "--ambito", "PUG_MAGLIE", "--json")
    assert code == 0
    assert json.loads(out) == {"rows": 2, "valid": 2, "created": 2, "updated": 0, "unchanged": 0, "errors": []}
    assert Position.objects.filter(census=census).count() == 2
    code, out = _run(path, "--ambito", "PUG_MAGLIE", "--json", "--campaign", str(census.campaign_id))
    assert json.loads(out)["unchanged"] == 2


def test_it_exits_with_one_and_writes_nothing_when_the_file_has_errors(census: Census, tmp_path: Path) -> None:
    path = tmp_path / "maglie.csv"
    path.write_bytes(csv_file([row(1), row(2, **{"Codice fiscale": "XYZ"})]))
    code, out = _run(path, "--ambito", "PUG_MAGLIE", "--json")
    assert code == 1
    report = json.loads(out)
    assert report["valid"] == 1
    assert report["errors"] == [
        {
            "row": 3,
            "column": "Codice fiscale",
            "message": "Il codice fiscale di una persona ha 16 caratteri (ne sono stati indicati 3).",
        }
    ]
    assert not Position.objects.exists()
    code, out = _run(path, "--ambito", "PUG_MAGLIE")
    assert "Riga 3, «Codice fiscale»" in out
    assert "nulla è stato scritto" in out
    code, _out = _run(path, "--ambito", "PUG_MAGLIE", "--only-valid")
    assert code == 1
    assert Position.objects.count() == 1


def test_it_writes_nothing_on_a_dry_run(census: Census, tmp_path: Path) -> None:
    path = tmp_path / "maglie.csv"
    path.write_bytes(csv_file([row(1)]))
    code, out = _run(path, "--ambito", "PUG_MAGLIE", "--dry-run")
    assert code == 0
    assert "Posizioni create: 1" in out
    assert "nulla è stato scritto" in out
    assert not Position.objects.exists()


def test_it_explains_what_it_cannot_do(census: Census, tmp_path: Path) -> None:
    path = tmp_path / "maglie.csv"
    path.write_bytes(csv_file([row(1)]))
    with pytest.raises(CommandError, match="non esiste"):
        call_command("import_census", str(tmp_path / "nessuno.csv"), "--ambito", "PUG_MAGLIE")
    with pytest.raises(CommandError, match="Nessun ATS ha il codice PUG_ATLANTIDE"):
        call_command("import_census", str(path), "--ambito", "PUG_ATLANTIDE")
    with pytest.raises(CommandError, match="non ha censimenti aperti"):
        call_command("import_census", str(path), "--ambito", "VEN_09")
    with pytest.raises(CommandError, match="non ha un censimento nella campagna 999"):
        call_command("import_census", str(path), "--ambito", "PUG_MAGLIE", "--campaign", "999")
    Census.objects.filter(pk=census.pk).update(status=CensusStatus.SUBMITTED, submitted_at="2024-10-01T10:00:00Z")
    with pytest.raises(CommandError, match="è trasmesso: non si può importare"):
        call_command("import_census", str(path), "--ambito", "PUG_MAGLIE", "--campaign", str(census.campaign_id))
    empty = tmp_path / "vuoto.csv"
    empty.write_bytes(csv_file([]))
    Census.objects.filter(pk=census.pk).update(status=CensusStatus.DRAFT)
    with pytest.raises(CommandError, match="non contiene righe di dati"):
        call_command("import_census", str(empty), "--ambito", "PUG_MAGLIE")


def test_it_tells_how_far_it_is_on_standard_error_unless_silenced(census: Census, tmp_path: Path) -> None:
    path = tmp_path / "maglie.csv"
    path.write_bytes(csv_file([row(1), row(2)]))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_census", str(path), "--ambito", "PUG_MAGLIE", "--json", stdout=out, stderr=err)
    assert json.loads(out.getvalue())["created"] == 2  # the report alone on standard output
    assert err.getvalue().splitlines() == [
        "File letto: 2 righe.",
        "Righe controllate: 2, valide 2.",
        "Persone scritte: 2 nuove, 0 aggiornate.",
        "Posizioni nuove scritte: 2 di 2.",
        "Comuni di servizio scritti; ora il registro delle modifiche.",
    ]
    out, err = io.StringIO(), io.StringIO()
    call_command("import_census", str(path), "--ambito", "PUG_MAGLIE", "-v", "0", stdout=out, stderr=err)
    assert "invariate: 2" in out.getvalue()
    assert err.getvalue() == ""
