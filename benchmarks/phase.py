"""One database engine, every size: prepare (or reuse) each dataset, then run the worker on a copy of it.

Called by ``python -m benchmarks`` (``__main__.py``): directly for SQLite, and through
``scripts/with-postgres.sh --keep benchmarks/.cache/postgres`` for PostgreSQL, whose ``DATABASE_URL`` then
names the kept server's maintenance database.

Datasets are cached, keyed by size, years, seed and a hash of the generator's code and of the migrations:

- SQLite: ``benchmarks/.cache/sqlite/<key>.sqlite3``; the worker runs on a copy (it writes: sessions,
  census imports), so the cached file stays as generated;
- PostgreSQL: a database ``bench_<key>`` in the kept server; the worker runs on ``bench_work``, created from
  it with ``CREATE DATABASE ... TEMPLATE`` (a file copy).

The generator runs ``ANALYZE`` on both; PostgreSQL then gets ``VACUUM ANALYZE`` too (the visibility map that
index-only scans need, as autovacuum would set soon after a bulk load).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".cache"
PYTHON = sys.executable


def code_hash() -> str:
    """What the data depends on: the generator (supervisione/demo) and the schema (every migration)."""
    digest = hashlib.sha256()
    files = sorted(
        [*(ROOT / "supervisione" / "demo").rglob("*.py"), *(ROOT / "supervisione").glob("*/migrations/*.py")]
    )
    for path in files:
        if "/tests/" in str(path):
            continue
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def dataset_key(size: str, years: int, seed: int) -> str:
    return f"n{size}_y{years}_s{seed}_{code_hash()}"


def generate_command(size: str, years: int, seed: int, today: datetime.date | None) -> list[str]:
    if size == "demo":
        return [PYTHON, "manage.py", "demo", "--force"]
    command = [
        PYTHON,
        "manage.py",
        "generate_national",
        "--ambiti",
        size,
        "--years",
        str(years),
        "--seed",
        str(seed),
        "--force",
    ]
    if today is not None:
        command += ["--today", today.isoformat()]
    return command


def run(command: list[str], url: str, log: Path | None = None) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0"}
    started = time.perf_counter()
    if log is None:
        subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603
    else:
        with log.open("ab") as handle:
            done = subprocess.run(command, cwd=ROOT, env=env, check=False, stdout=handle, stderr=subprocess.STDOUT)  # noqa: S603
        if done.returncode:
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
            raise SystemExit(f"{' '.join(command[1:])} failed (exit {done.returncode}); the end of {log}:\n{tail}")
    print(f"    ({' '.join(command[1:4])}: {time.perf_counter() - started:.0f} s)")


def build(url: str, size: str, years: int, seed: int, today: datetime.date | None, log: Path) -> dict[str, Any]:
    print(f"  generating the {size} dataset (log in {log})")
    started = time.perf_counter()
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], url, log)
    run(generate_command(size, years, seed, today), url, log)
    return {
        "generated_on": datetime.date.today().isoformat(),  # noqa: DTZ011  (the machine's date, as the generator's)
        "today": (today or datetime.date.today()).isoformat(),  # noqa: DTZ011
        "generation_seconds": round(time.perf_counter() - started),
        "size": size,
        "years": years,
        "seed": seed,
    }


# --- SQLite --------------------------------------------------------------------------------------------------


def sqlite_dataset(args: argparse.Namespace, size: str) -> tuple[str, dict[str, Any]]:
    folder = CACHE / "sqlite"
    folder.mkdir(parents=True, exist_ok=True)
    key = dataset_key(size, args.years, args.seed)
    cached = folder / f"{key}.sqlite3"
    meta_file = folder / f"{key}.json"
    if not cached.exists() or not meta_file.exists() or args.fresh:
        building = folder / "building.sqlite3"
        for stale in folder.glob("building.sqlite3*"):
            stale.unlink()
        meta = build(f"sqlite:///{building}", size, args.years, args.seed, args.today, folder / f"{key}.log")
        connection = sqlite3.connect(building)
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.commit()
        finally:
            connection.close()
        building.replace(cached)
        for stale in folder.glob("building.sqlite3-*"):
            stale.unlink()
        meta_file.write_text(json.dumps(meta))
    else:
        print(f"  reusing the cached {size} dataset {cached.name}")
    work = folder / "work.sqlite3"
    for stale in folder.glob("work.sqlite3*"):
        stale.unlink()
    shutil.copyfile(cached, work)
    return f"sqlite:///{work}", json.loads(meta_file.read_text())


# --- PostgreSQL ----------------------------------------------------------------------------------------------


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _admin(url: str, *statements: str) -> list[tuple[Any, ...]]:
    import psycopg  # noqa: PLC0415

    rows: list[tuple[Any, ...]] = []
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as connection:
        for statement in statements:
            cursor = connection.execute(statement.encode())
            if cursor.description:
                rows.extend(cursor.fetchall())
    return rows


def postgres_dataset(args: argparse.Namespace, size: str) -> tuple[str, dict[str, Any]]:
    base = os.environ["DATABASE_URL"]
    key = dataset_key(size, args.years, args.seed)
    name = f"bench_{key}".lower()
    meta_file = CACHE / "postgres-meta" / f"{key}.json"
    meta_file.parent.mkdir(parents=True, exist_ok=True)
    exists = bool(_admin(base, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"))  # noqa: S608
    if not exists or not meta_file.exists() or args.fresh:
        _admin(base, "DROP DATABASE IF EXISTS bench_building", f'DROP DATABASE IF EXISTS "{name}"')
        _admin(base, "CREATE DATABASE bench_building")
        building = _with_database(base, "bench_building")
        meta = build(building, size, args.years, args.seed, args.today, meta_file.with_suffix(".log"))
        started = time.perf_counter()
        _admin(building, "VACUUM ANALYZE")
        print(f"    (VACUUM ANALYZE: {time.perf_counter() - started:.0f} s)")
        _admin(base, f'ALTER DATABASE bench_building RENAME TO "{name}"')
        meta_file.write_text(json.dumps(meta))
    else:
        print(f"  reusing the cached {size} dataset {name}")
    _admin(base, "DROP DATABASE IF EXISTS bench_work", f'CREATE DATABASE bench_work TEMPLATE "{name}"')
    return _with_database(base, "bench_work"), json.loads(meta_file.read_text())


# --- Both ----------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="One database engine, every size (see benchmarks/__main__.py).")
    parser.add_argument("--db", required=True, choices=["sqlite", "postgres"])
    parser.add_argument("--sizes", nargs="+", required=True)
    parser.add_argument("--years", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--today", type=datetime.date.fromisoformat, default=None)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--results", type=Path, required=True)
    parser.add_argument("worker_args", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    args.results.mkdir(parents=True, exist_ok=True)
    for size in args.sizes:
        print(f"{args.db}, {size} ATS:")
        url, meta = (sqlite_dataset if args.db == "sqlite" else postgres_dataset)(args, size)
        out = args.results / f"{args.db}-{size}.json"
        extra = [item for item in args.worker_args if item != "--"]
        command = [
            PYTHON,
            "-m",
            "benchmarks.worker",
            "--db",
            args.db,
            "--size",
            size,
            "--today",
            meta["today"],
            "--out",
            str(out),
            *extra,
        ]
        if subprocess.run(command, cwd=ROOT, env={**os.environ, "DATABASE_URL": url}, check=False).returncode:  # noqa: S603
            raise SystemExit(f"The worker stopped on an error at {size} ATS ({args.db}).")
        result = json.loads(out.read_text())
        result["generation"] = meta
        out.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
