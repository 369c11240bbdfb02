"""Every kind of export the product writes, opened in LibreOffice as ATS staff open it and printed to PDF: a
sensible number of pages, and the labels of a table on the same sheet of paper as one another (without a page
setup LibreOffice printed the POA as 26 pages, a table's first columns on one page and its last on another, and
squeezed the Word report's columns to a few letters).

Needs LibreOffice (Debian's libreoffice-calc-nogui and libreoffice-writer-nogui), which `make e2e` installs."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from supervisione.lib.exports import HEADER_FILL
from supervisione.testing.browser import Journey

pytestmark = pytest.mark.e2e

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
PARTNERSHIP = "/monitoraggio/partenariati/POGGIARDO-114/"


def _links(journey: Journey, path: str, pattern: str) -> list[str]:
    html = journey.page.request.get(journey.url(path)).text()
    links = {link.replace("&amp;", "&") for link in re.findall(r'href="([^"]+)"', html)}
    return sorted(link for link in links if re.search(pattern, link))


def _prepared_report(journey: Journey) -> str:
    """The report as Word, prepared by the server's worker: «Prepara il documento», then the download's address once
    the job's page shows it (it reloads itself when the worker is done)."""
    page = journey.page
    page.goto(journey.url(f"{PARTNERSHIP}relazione/"))
    page.get_by_role("button", name="Prepara il documento Word (modificabile)").click()
    link = page.get_by_role("link", name="Scarica il documento")
    link.wait_for(timeout=120_000)
    href = link.get_attribute("href")
    assert href is not None
    return href


def _exports(journey: Journey) -> dict[str, str]:
    """One address of each kind of export, found on the pages that link to them."""
    plan = _links(journey, "/poa/", r"^/poa/\d+/$")[-1]
    found = {
        "POA": f"{plan}esporta/xlsx/",
        "POA dell'ATS": f"{plan}ats/PUG_MAGLIE/esporta/xlsx/",
        "tabella del monitoraggio": _links(journey, PARTNERSHIP, r"tabella=gruppi&formato=xlsx")[0],
        "monitoraggio del POA": _links(journey, PARTNERSHIP, r"/poa\.xlsx")[0],
        "relazione (Word)": _prepared_report(journey),
        "SIOSS": _links(journey, "/ambiti/PUG_MAGLIE/fondi/", r"/fondi/sioss/\d+/")[-1],
        "modello del censimento": "/censimento/modello.xlsx",
        "modello degli atti contabili": "/fondi/modello-atti-contabili.xlsx",
    }
    campaign = _links(journey, "/censimento/", r"^/censimento/campagne/\d+/$")
    if campaign:
        found["censimento"] = _links(journey, campaign[0], r"esporta\.xlsx$")[0]
    return found


def _pdf_pages(content: bytes, suffix: str, folder: Path) -> list[str]:
    source = folder / f"export{suffix}"
    source.write_bytes(content)
    profile = (folder / "profile").as_uri()
    subprocess.run(  # noqa: S603  (LibreOffice on a file this test wrote)
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = folder / "export.pdf"
    return [page.extract_text() or "" for page in PdfReader(pdf).pages]


def _first_word(text: str) -> str:
    return text.split(maxsplit=1)[0]


def _on_one_page(pages: list[str], *texts: str) -> bool:
    words = [_first_word(text) for text in texts]
    return any(all(word in page for word in words) for page in pages)


def test_it_prints_every_export_on_few_pages_with_each_table_together(journey: Journey, tmp_path: Path) -> None:
    if not Path(SOFFICE).exists():
        pytest.fail("LibreOffice is missing: run `make e2e`, which installs libreoffice-calc-nogui and -writer-nogui")
    journey.login("coordinatore.poggiardo")
    for kind, path in _exports(journey).items():
        response = journey.page.request.get(journey.url(path))
        assert response.ok, f"{kind}: {path} answered {response.status}"
        content = response.body()
        folder = tmp_path / re.sub(r"\W+", "-", kind)
        folder.mkdir()
        if kind.endswith("(Word)"):
            pages = _pdf_pages(content, ".docx", folder)
            document = Document(io.BytesIO(content))
            assert 1 <= len(pages) <= 8, f"{kind}: {len(pages)} pages"
            for table in document.tables:
                headers = [cell.text for cell in table.rows[0].cells]
                assert _on_one_page(pages, headers[0], headers[-1]), f"{kind}: {headers} split across pages"
            assert "Prossimi passi" in pages[-1] or "Prossimi passi" in "".join(pages[-2:])
            continue
        pages = _pdf_pages(content, ".xlsx", folder)
        workbook = load_workbook(io.BytesIO(content))
        # At most two pages a sheet for the demo's data: a wide table shrinks to the width of the page instead of
        # spreading its columns over several.
        assert 1 <= len(pages) <= 2 * len(workbook.worksheets), f"{kind}: {len(pages)} pages"
        for sheet in workbook.worksheets:
            for cells in sheet.iter_rows():
                if cells[0].fill != HEADER_FILL:
                    continue
                headers = [str(cell.value) for cell in cells if cell.value not in (None, "")]
                assert _on_one_page(pages, headers[0], headers[-1]), f"{kind}, {sheet.title}: {headers} split"
                below = [
                    cell.value for cell in sheet[(cells[0].row or 0) + 1] if isinstance(cell.value, str) and cell.value
                ]
                if len(below) > 1:
                    assert _on_one_page(pages, below[0], below[-1]), f"{kind}, {sheet.title}: {below} split"
