"""Census import of 15,000 rows (XLSX, then CSV) into a new ATS in the country's data.

Each file is imported twice: the first time every row creates a position (and its person, unless the
codice fiscale is already known), the second time every row is unchanged. Target: under 10 seconds per
import at ``--ambiti 600``.
"""

from __future__ import annotations

import datetime
import io
import time
from decimal import Decimal
from typing import Any


def build_files(count: int) -> dict[str, bytes]:
    """The same ``count`` rows as an XLSX workbook and as a semicolon-separated CSV file."""
    from openpyxl import Workbook
    from stdnum.it import codicefiscale

    from supervisione.census.importing.columns import HEADERS

    letters = "BCDFGHLMNPRSTVZ"
    professions = ["Assistente sociale", "Educatore professionale", "Psicologo", "Amministrativo", "AS"]
    rows = []
    for number in range(count):
        body = (
            letters[number % 15]
            + letters[(number // 15) % 15]
            + letters[(number // 225) % 15]
            + letters[(number // 3375) % 15]
            + "RC"
            + f"{60 + number % 40:02d}{'ABCDEHLMPRST'[number % 12]}{1 + number % 28:02d}E506"
        )
        profession = professions[number % 5]
        social_worker = profession in ("Assistente sociale", "AS")
        rows.append(
            [
                f"Cognome{number}",
                f"Nome{number}",
                body + codicefiscale.calc_check_digit(body),
                profession,
                "Puglia" if social_worker else "",
                "B" if social_worker else "",
                str(10000 + number) if social_worker else "",
                f"Comune{number % 10}" if number % 3 else "Cooperativa Sociale Bench",
                "Servizio sociale professionale" if number % 4 else "Équipe multidisciplinare",
                "T.I." if number % 2 else "T.D.",
                "36" if number % 3 else "18,5",
                "01/09/2020",
                "",
                "Bilancio comunale",
                f"Comune{number % 10}, Comune{(number + 1) % 10}",
                f"persona{number}@example.it",
            ]
        )

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101  (a new workbook has one sheet)
    sheet.append(HEADERS)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return {"xlsx": buffer.getvalue(), "csv": "\r\n".join(";".join(r) for r in [HEADERS, *rows]).encode("utf-8")}


def measure(rows: int) -> list[dict[str, Any]]:
    from supervisione.census.importing.run import run_import
    from supervisione.census.models import Census, CensusCampaign, Position
    from supervisione.territory.models import (
        Ambito,
        AmbitoMembership,
        Municipality,
        Partnership,
        PartnershipMember,
        Region,
    )

    # A new ATS of ten municipalities named as the file names them ("Comune0".."Comune9"), in the country's
    # data: the import looks people up among everyone already there.
    region = Region.objects.order_by("pk")[0]
    ambito = Ambito.objects.create(code="BEN_IMPORT", name="Ambito del benchmark", region=region)
    for index in range(10):
        municipality = Municipality.objects.create(
            istat_code=f"99{index:04d}", name=f"Comune{index}", province="Bench", province_code="BE", region=region
        )
        AmbitoMembership.objects.create(ambito=ambito, municipality=municipality, valid_from=datetime.date(2021, 1, 1))
    partnership = Partnership.objects.create(code="BENCH-IMPORT", name="Benchmark import", capofila=ambito)
    PartnershipMember.objects.create(partnership=partnership, ambito=ambito)
    files = build_files(rows)
    results = []
    for kind, content in files.items():
        campaign = CensusCampaign.objects.create(
            partnership=partnership,
            title=f"Benchmark import {kind}",
            reference_date=datetime.date(2024, 9, 30),
            deadline=datetime.date(2024, 10, 31),
        )
        census = Census.objects.create(campaign=campaign, ambito=ambito)
        for attempt in ("first import", "same file again"):
            started, cpu = time.perf_counter(), time.process_time()
            report = run_import(census, content, filename=f"bench.{kind}", full_time_hours=Decimal(36), by=None)
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            results.append(
                {
                    "name": f"census import {rows:,} rows {kind.upper()}, {attempt}",
                    "seconds": elapsed,
                    "cpu_seconds": cpu,
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "errors": len(report.errors),
                }
            )
            print(f"    {results[-1]['name']:44} {elapsed:6.2f} s  errors {len(report.errors)}")
        if Position.objects.filter(census=census).count() != rows:
            raise SystemExit(f"census import {kind}: {rows} rows, but not as many positions")
    return results
