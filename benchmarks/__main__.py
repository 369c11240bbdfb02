"""``python -m benchmarks`` (``make bench``): every benchmark, on SQLite and on PostgreSQL, at each size.

    python -m benchmarks                                  # sizes 6 and 600, SQLite and PostgreSQL
    python -m benchmarks --sizes 6 --db sqlite            # a quick run
    python -m benchmarks --parts pages,floors --requests 20
    python -m benchmarks --sizes 600 --db postgres --parts breakdown   # where one ATS's pages spend their time

For each database and size it prepares the dataset (``manage.py generate_national``, cached in
``benchmarks/.cache/`` between runs, see ``phase.py``), runs the worker on a copy (``worker.py``: pages,
floors, documents, load, census import) and prints one combined table, also written to
``benchmarks/results/latest.md`` (the JSON figures are in ``benchmarks/results/run/``; the folder is ignored
by git, docs/PERFORMANCE.md keeps the table of the reference run). Nothing here fails on time: targets are
marked in the table.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from . import report
from .phase import CACHE, ROOT

RESULTS = report.RESULTS


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return "unknown"


def _postgres_version() -> str:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"))
    if not candidates:
        return "not installed"
    return subprocess.run(
        [str(candidates[-1]), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()


def _commit() -> str:
    found = _git("rev-parse", "--short", "HEAD")
    dirty = _git("status", "--porcelain", "--untracked-files=no")
    return found + (" (with uncommitted changes)" if dirty else "")


def machine(args: argparse.Namespace, load_before: tuple[float, float, float]) -> dict[str, Any]:
    load_after = os.getloadavg()
    return {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "commit": _commit(),
        "machine": f"{_cpu()}, {os.cpu_count()} cores, {_memory()} RAM",
        "software": f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, {_postgres_version()}",
        "load average (1, 5, 15 min) before and after": (
            f"{load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f} / "
            f"{load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}"
        ),
        "command": "python -m benchmarks " + " ".join(sys.argv[1:]),
        "settings": f"{args.requests} timed requests after {args.warmup} warm-up per page; "
        f"data: --years {args.years} --seed {args.seed}",
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["6", "600"], help="numbers of ATS (default: 6 600)")
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"])
    parser.add_argument("--years", type=int, default=4, help="years of sessions (default 4)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--today", type=datetime.date.fromisoformat, help="the data's day (default: the day it is generated)"
    )
    parser.add_argument("--fresh", action="store_true", help="generate the datasets again, ignoring the cache")
    parser.add_argument("--parts", default="pages,breakdown,floors,documents,load,servers,import")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--load-users", type=int, default=50)
    parser.add_argument("--import-rows", type=int, default=15000)
    args = parser.parse_args(argv)

    run = RESULTS / "run"
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir(parents=True)
    load_before = os.getloadavg()
    phase = [
        "-m",
        "benchmarks.phase",
        "--sizes",
        *args.sizes,
        "--years",
        str(args.years),
        "--seed",
        str(args.seed),
        "--results",
        str(run),
    ]
    if args.today:
        phase += ["--today", args.today.isoformat()]
    if args.fresh:
        phase.append("--fresh")
    worker = [
        "--",
        "--parts",
        args.parts,
        "--requests",
        str(args.requests),
        "--warmup",
        str(args.warmup),
        "--load-seconds",
        str(args.load_seconds),
        "--load-users",
        str(args.load_users),
        "--import-rows",
        str(args.import_rows),
    ]
    for db in args.db:
        command = [sys.executable, *phase[:2], "--db", db, *phase[2:], *worker]
        if db == "postgres":
            command = [str(ROOT / "scripts" / "with-postgres.sh"), "--keep", str(CACHE / "postgres"), *command]
        if subprocess.run(command, cwd=ROOT, check=False).returncode:
            sys.exit(f"The {db} benchmarks stopped on an error (above); nothing measured on {db} is reported.")
    (run / "machine.json").write_text(json.dumps(machine(args, load_before)))
    print()
    report.main()
    print(f"\n(written to {RESULTS / 'latest.md'})")


if __name__ == "__main__":
    main()
