"""Benchmark: import a census file of 15,000 rows (XLSX and CSV) into one ATS, then import it again.

Run with ``python -m benchmarks.census_import`` (or ``make bench``). It builds a throw-away SQLite database
in a temporary folder, so it never touches the project's database. It prints figures and never fails on
time; the target is under 10 seconds per import.
"""

from __future__ import annotations

import datetime
import io
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROWS = int(os.environ.get("BENCH_ROWS", "15000"))


def main() -> None:
    folder = tempfile.mkdtemp(prefix="supervisione-bench-")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supervisione.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django  # noqa: PLC0415

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415
    from openpyxl import Workbook  # noqa: PLC0415
    from stdnum.it import codicefiscale  # noqa: PLC0415

    from supervisione.census.importing import HEADERS, run_import  # noqa: PLC0415
    from supervisione.census.models import Census, CensusCampaign, Position  # noqa: PLC0415
    from supervisione.territory.loaders import ensure_regions  # noqa: PLC0415
    from supervisione.territory.models import (  # noqa: PLC0415
        Ambito,
        AmbitoMembership,
        Municipality,
        Partnership,
        PartnershipMember,
    )

    call_command("migrate", verbosity=0)
    regions, _ = ensure_regions()
    puglia = regions["Puglia"]
    ambiti = []
    for code in ("PUG_BENCH_XLSX", "PUG_BENCH_CSV"):
        ambito = Ambito.objects.create(code=code, name=f"Ambito {code}", region=puglia)
        for index in range(10):
            municipality, _ = Municipality.objects.get_or_create(
                istat_code=f"0759{index:02d}",
                defaults={"name": f"Comune{index}", "province": "Lecce", "province_code": "LE", "region": puglia},
            )
            AmbitoMembership.objects.create(
                ambito=ambito, municipality=municipality, valid_from=datetime.date(2021, 1, 1)
            )
        ambiti.append(ambito)
    partnership = Partnership.objects.create(code="BENCH", name="Bench", capofila=ambiti[0])
    campaign = CensusCampaign.objects.create(
        partnership=partnership,
        title="Bench",
        reference_date=datetime.date(2024, 9, 30),
        deadline=datetime.date(2024, 10, 31),
    )
    censuses = []
    for ambito in ambiti:
        PartnershipMember.objects.create(partnership=partnership, ambito=ambito)
        censuses.append(Census.objects.create(campaign=campaign, ambito=ambito))

    letters = "BCDFGHLMNPRSTVZ"
    professions = ["Assistente sociale", "Educatore professionale", "Psicologo", "Amministrativo", "AS"]
    rows = []
    for number in range(ROWS):
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
    assert sheet is not None  # noqa: S101
    sheet.append(HEADERS)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    files = {"xlsx": buffer.getvalue(), "csv": "\r\n".join(";".join(r) for r in [HEADERS, *rows]).encode("utf-8")}

    load = os.getloadavg()[0]
    print(f"Census import benchmark: {ROWS:,} rows into one ATS (SQLite in {folder}), load average {load:.1f}")
    for census, (kind, content) in zip(censuses, files.items(), strict=True):
        for attempt in ("first import", "same file again"):
            started, cpu = time.perf_counter(), time.process_time()
            report = run_import(census, content, filename=f"bench.{kind}", full_time_hours=Decimal(36), by=None)
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            print(
                f"  {kind:4} {attempt:16} {elapsed:6.2f} s (CPU {cpu:5.2f} s)  created {report.created:>6,}"
                f"  updated {report.updated:>4,}  unchanged {report.unchanged:>6,}  errors {len(report.errors)}"
            )
        assert Position.objects.filter(census=census).count() == ROWS  # noqa: S101


if __name__ == "__main__":
    main()
