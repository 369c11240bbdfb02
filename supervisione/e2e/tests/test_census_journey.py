"""The coordinator of San Severo imports the staff census of a partner ATS from a spreadsheet: a file with a
wrong row is shown with its error and changes nothing; the corrected file is imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from supervisione.census.tests.factories import row, tax_code, xlsx_file, xlsx_rows
from supervisione.testing.browser import Journey

pytestmark = pytest.mark.e2e


def census_file(folder: Path, name: str, *, bad_tax_code: bool) -> Path:
    """Two social workers of San Marco in Lamis; the second has a wrong codice fiscale if asked."""
    common = {
        "Ente datore di lavoro": "Comune di San Marco in Lamis",
        "Comuni di servizio": "San Marco in Lamis",
    }
    rows = [
        row(9101, **common),
        row(9102, **common, **{"Codice fiscale": "RSSMRA80A01H501X" if bad_tax_code else tax_code(9102)}),
    ]
    path = folder / name
    path.write_bytes(xlsx_file(xlsx_rows(rows)))
    return path


def test_it_lets_the_coordinator_import_a_census_after_fixing_a_row(journey: Journey, tmp_path: Path) -> None:
    journey.login("coordinatore.sansevero")
    journey.click_link("Censimento")
    journey.click_link("Ricognizione del personale 2023 (Allegato 2)", exact=False)
    journey.click_link("Ambito di San Marco in Lamis", exact=False, step="censimento di San Marco in Lamis")
    journey.click_link("Importa da Excel o CSV", step="importazione")

    journey.field("File del censimento").set_input_files(census_file(tmp_path, "censimento.xlsx", bad_tax_code=True))
    journey.submit_import(step="file con una riga sbagliata")
    journey.expect_text("1 problema in 1 riga", "Codice fiscale")
    errors = journey.page.get_by_role("table").filter(has_text="Problema").inner_text()
    assert "3" in errors, "the error names the spreadsheet row (header is row 1, the wrong person row 3)"

    journey.click_link("Carica un altro file", step="nuovo caricamento")
    journey.field("File del censimento").set_input_files(census_file(tmp_path, "corretto.xlsx", bad_tax_code=False))
    journey.submit_import(step="file corretto")
    journey.expect_no_text("1 problema in")
    journey.submit("Conferma l'importazione", step="importazione confermata")
    journey.expect_text("Rossi9101", "Rossi9102")
