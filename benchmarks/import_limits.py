"""Hostile and large census files: time and peak memory of each, by the command and by the web job (issue 13).

    python -m benchmarks.import_limits               # every file, 50,000 valid rows
    python -m benchmarks.import_limits --rows 15000  # a smaller valid file
    python -m benchmarks.import_limits --only valid  # the files whose description says "valid"

Each file is imported in a fresh process (``--one``) on a fresh copy of a small SQLite database, so that the
peak resident memory it reports (``ru_maxrss``) is that import's alone, Django and the file included:

- ``command``: what ``manage.py import_census`` does (read, check, plan, write);
- ``job``: what the worker does with the upload's file (``jobs.read_job``: read, check, preview), then
  ``confirm``, in another process as in the web server, what the user's confirmation does (``jobs.confirm``:
  plan again and write the valid rows).

The target is issue 13's bound: any file the upload limit (MAX_REQUEST_MB, 25 MB) accepts is refused or
imported within 30 s and 300 MB. Figures are printed, never checked: the machine is shared.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _django(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["DEBUG"] = "0"  # as in production: DEBUG keeps every query's SQL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supervisione.settings")
    import django

    django.setup()


def _prepare(folder: Path) -> Path:
    """A migrated SQLite database with one ATS of ten municipalities ("Comune0".."Comune9") and its census."""
    database = folder / "base.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    script = """
import datetime
from supervisione.census.models import Census, CensusCampaign
from supervisione.territory.models import Ambito, AmbitoMembership, Municipality, Partnership, PartnershipMember, Region
region = Region.objects.create(name="Puglia", istat_code="16", ministry_prefix="PUG")
ambito = Ambito.objects.create(code="BEN_LIMITS", name="Ambito del benchmark", region=region)
for index in range(10):
    m = Municipality.objects.create(
        istat_code=f"99{index:04d}", name=f"Comune{index}", province="Bench", province_code="BE", region=region
    )
    AmbitoMembership.objects.create(ambito=ambito, municipality=m, valid_from=datetime.date(2021, 1, 1))
partnership = Partnership.objects.create(code="BENCH-LIMITS", name="Benchmark", capofila=ambito)
PartnershipMember.objects.create(partnership=partnership, ambito=ambito)
campaign = CensusCampaign.objects.create(
    partnership=partnership, title="Benchmark", reference_date=datetime.date(2024, 9, 30),
    deadline=datetime.date(2024, 10, 31),
)
Census.objects.create(campaign=campaign, ambito=ambito)
"""
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    return database


def _files(folder: Path, rows: int) -> list[tuple[str, Path]]:
    """The files, written to ``folder``: the hostile ones of the issue, and valid ones of ``rows`` rows."""
    _django(folder / "unused.sqlite3")
    from benchmarks.census_import import build_files
    from supervisione.census.importing.columns import HEADERS
    from supervisione.testing import hostile_files

    made: list[tuple[str, Path]] = []

    def write(name: str, filename: str, content: bytes) -> None:
        path = folder / filename
        path.write_bytes(content)
        made.append((name, path))

    valid = build_files(rows)
    write(f"valid, {rows:,} rows (XLSX)", "valid.xlsx", valid["xlsx"])
    write(f"valid, {rows:,} rows (CSV)", "valid.csv", valid["csv"])
    first_row = valid["csv"].split(b"\r\n")[1].decode().split(";")
    del valid
    write(
        "sheet declaring 1,048,576 x 16,384 cells",
        "dimension.xlsx",
        hostile_files.declared_maximal_dimension(first_row),
    )
    write("one cell of 1.5 GB (zip bomb)", "bomb.xlsx", hostile_files.huge_cell(1_500_000_000, column=1))
    write("one cell of 1,000,000 formatting runs", "runs.xlsx", hostile_files.rich_runs(1_000_000))
    write("5,000,000 shared strings (90 MB)", "strings.xlsx", hostile_files.many_shared_strings(5_000_000))
    write(
        "XLSX of 60,000 rows (over the limit)",
        "rows.xlsx",
        hostile_files.workbook(
            hostile_files.header_and(*(hostile_files.cells(number, first_row) for number in range(2, 60_002)))
        ),
    )
    header = ";".join(HEADERS).encode()
    write("CSV, one cell of 25 MB", "cell.csv", header + b"\r\nRossi;" + b"a" * 25_000_000 + b"\r\n")
    write("CSV, 12,500,000 empty lines", "lines.csv", header + b"\r\n" * 12_500_000)
    path = folder / "three-million.csv"
    with path.open("wb") as out:
        for chunk in hostile_files.csv_rows(3_000_000):
            out.write(chunk)
    made.append(("CSV of 3,000,000 rows (command only)", path))
    return made


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM): ru_maxrss would count the parent's, inherited at fork."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _one(path: Path, mode: str, database: Path) -> dict[str, Any]:
    """Import ``path`` as ``mode`` says, in this process; the figures of this process."""
    _django(database)
    from supervisione.census import jobs
    from supervisione.census.importing.problems import ImportFileError
    from supervisione.census.importing.run import run_import
    from supervisione.census.models import Census, ImportJob

    census = Census.objects.select_related("campaign", "ambito").get()
    started, cpu = time.perf_counter(), time.process_time()
    outcome = ""
    if mode == "command":
        try:
            with path.open("rb") as source:
                report = run_import(census, source, filename=path.name, full_time_hours=Decimal(36), by=None)
            outcome = f"{report.created} created, {len(report.errors)} problems listed"
        except ImportFileError as error:
            outcome = f"refused: {str(error)[:70]}"
    elif mode == "job":
        content = path.read_bytes()
        kind = "xlsx" if path.suffix == ".xlsx" else "csv"
        job = ImportJob.objects.create(census=census, filename=path.name, kind=kind, content=content)
        del content
        started, cpu = time.perf_counter(), time.process_time()  # the upload's insert is not the worker's
        jobs.read_job(job.pk)
        job = ImportJob.objects.defer("parsed", "content").get(pk=job.pk)
        message = job.errors[0]["message"] if job.status == "failed" else f"{job.report['valid']} valid rows"
        outcome = f"{job.status}: {message[:70]}"
    else:  # confirm, as the web request does, the job that the worker read
        job = ImportJob.objects.defer("parsed", "content").get()
        result = jobs.confirm(job, only_valid=True, by=None)
        outcome = f"{result.created} created"
    return {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,
        "peak_mb": _peak_mb(),
        "outcome": outcome,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=50_000, help="rows of the valid files")
    parser.add_argument("--only", default="", help="only the files whose description contains this")
    parser.add_argument("--one", nargs=3, metavar=("PATH", "MODE", "DATABASE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        path, mode, database = args.one
        print(json.dumps(_one(Path(path), mode, Path(database))))
        return
    upload_limit = 25 * 1024 * 1024
    with tempfile.TemporaryDirectory(prefix="import-limits-") as name:
        folder = Path(name)
        database = _prepare(folder)
        files = _files(folder, args.rows)
        print(
            f"Census import limits, {datetime.datetime.now(tz=datetime.UTC):%Y-%m-%d %H:%M} UTC, load {os.getloadavg()}"
        )
        print(f"{'file':42} {'size':>10} {'mode':8} {'wall s':>7} {'cpu s':>6} {'peak MB':>8}  outcome")
        for label, path in files:
            if args.only not in label:
                continue
            size = path.stat().st_size
            modes = ["command", "job"] if size <= upload_limit else ["command"]
            for mode in modes:
                copy = folder / "run.sqlite3"
                shutil.copy(database, copy)  # each mode on the census as it was; confirm on the job's
                figures = _child(path, mode, copy)
                print(
                    f"{label:42} {size:>10,} {mode:8} {figures['seconds']:7.1f} {figures['cpu_seconds']:6.1f} "
                    f"{figures['peak_mb']:8.0f}  {figures['outcome']}"
                )
                if mode == "job" and figures["outcome"].startswith("ready") and " 0 valid" not in figures["outcome"]:
                    figures = _child(path, "confirm", copy)
                    print(
                        f"{'':42} {'':>10} {'confirm':8} {figures['seconds']:7.1f} {figures['cpu_seconds']:6.1f} "
                        f"{figures['peak_mb']:8.0f}  {figures['outcome']}"
                    )


def _child(path: Path, mode: str, database: Path) -> dict[str, Any]:
    """``_one`` in a fresh process (each import's own peak memory)."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.import_limits", "--one", str(path), mode, str(database)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        return {"seconds": 0, "cpu_seconds": 0, "peak_mb": 0, "outcome": f"crashed: {done.stderr[-200:]}"}
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


if __name__ == "__main__":
    main()
