"""The combined table of a run, as Markdown: printed, and written to ``benchmarks/results/latest.md``.

``python -m benchmarks.report`` re-renders it from the JSON files of the last run
(``benchmarks/results/run/*.json``) without measuring anything again.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
DB_LABELS = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
# Targets at the largest size (issue 7), server time medians in ms.
PAGE_TARGETS = {
    "ATS dashboard": 80.0,
    "calendar month (ATS)": 80.0,
    "partnership dashboard": 150.0,
    "observatory (national)": 400.0,
    "observatory (national), no cache": 400.0,
    "observatory figures, no cache": 300.0,  # issue 20.4: the figures alone, read from the summary of hours
    "home: admin": 100.0,  # issue 20.4: the country's alerts are the observatory's
}
# Issue 20.5: one ATS's pages under 50 ms of server time at 600 ATS on PostgreSQL (the breakdown's table).
BREAKDOWN_TARGETS = {"ATS dashboard": 50.0, "calendar month (ATS)": 50.0}
IMPORT_TARGET_SECONDS = 10.0
NONE = "-"
ONE_ATS_LIMIT = 1.25


def _size_key(size: str) -> tuple[int, str]:
    return (int(size), size) if size.isdigit() else (10**9, size)


def _ms(value: float | None) -> str:
    if value is None:
        return NONE
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _by(results: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    grouped: dict[str, dict[str, dict[str, Any]]] = {}
    for result in results:
        grouped.setdefault(result["db"], {})[result["size"]] = result
    return grouped


def dataset_table(results: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| database | ATS | partnerships | people | plans | sessions | attendance rows | data as of | generated in |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for result in results:
        data = result["dataset"]
        generation = result.get("generation", {})
        lines.append(
            f"| {DB_LABELS[result['db']]} | {data['ambiti']:,} | {data['partnerships']:,} | {data['people']:,} "
            f"| {data['plans']:,} | {data['sessions']:,} | {data['attendance']:,} | {result['today']} "
            f"| {generation.get('generation_seconds', NONE)} s |"
        )
    lines += [
        "",
        "| database | ATS measured | its people | its sessions in the year | partnership | year |",
        "|---|---|---:|---:|---|---:|",
    ]
    for result in results:
        subjects = result["subjects"]
        lines.append(
            f"| {DB_LABELS[result['db']]} {result['size']} | {subjects['ambito']} | {subjects['ambito_people']:,} "
            f"| {subjects['ambito_sessions_in_year']:,} | {subjects['partnership']} | {subjects['year']} |"
        )
    return lines


def pages_table(db: str, by_size: dict[str, dict[str, Any]]) -> list[str]:
    sizes = sorted(by_size, key=_size_key)
    smallest, largest = sizes[0], sizes[-1]
    header = ["page", "queries"]
    for size in sizes:
        header += [f"{size}: median (CPU)", f"{size}: p95"]
    if len(sizes) > 1:
        header.append(f"{largest}/{smallest}")
    header += [f"floor ({largest})", "page/floor", "target"]
    lines = [f"**{DB_LABELS[db]}**, server time in ms", "", "| " + " | ".join(header) + " |"]
    lines.append("|---|---:|" + "---:|" * (len(header) - 3) + "---|")
    pages = [page["name"] for page in by_size[largest].get("pages", [])]
    floors = {floor["page"]: floor for floor in by_size[largest].get("floors", [])}
    for name in pages:
        found = {size: next((p for p in by_size[size].get("pages", []) if p["name"] == name), None) for size in sizes}
        queries = sorted({page["queries"] for page in found.values() if page})
        cells = [name, "/".join(str(q) for q in queries)]
        for size in sizes:
            page = found[size]
            median = f"{_ms(page['median_ms'])} ({_ms(page.get('cpu_median_ms'))})" if page else NONE
            cells += [median, _ms(page["p95_ms"]) if page else NONE]
        last = found[largest]
        first = found[smallest]
        if len(sizes) > 1:
            ratio = last["median_ms"] / first["median_ms"] if last and first and first["median_ms"] else None
            flag = " ⚠" if ratio is not None and last and last["one_ats"] and ratio > ONE_ATS_LIMIT else ""
            cells.append(f"{ratio:.2f}x{flag}" if ratio is not None else NONE)
        floor = floors.get(name.removesuffix(", no cache"))
        cells.append(_ms(floor["median_ms"]) if floor else NONE)
        cells.append(
            f"{last['median_ms'] / floor['median_ms']:.0f}x" if floor and last and floor["median_ms"] else NONE
        )
        target = PAGE_TARGETS.get(name)
        if target is None or last is None:
            cells.append("")
        else:
            cells.append(f"< {target:.0f} {'✓' if last['median_ms'] < target else '✗ missed'}")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def breakdown_table(results: list[dict[str, Any]]) -> list[str]:
    """Where the time of one ATS's pages goes (``breakdown.py``): medians in ms, CPU time of the process in brackets."""
    rows = [(result, item) for result in results for item in result.get("breakdown", [])]
    if not rows:
        return []
    lines = [
        (
            "| database | ATS | page | queries | median (CPU) | p95 | SQL | template | session | view and middleware "
            "| load before / after |"
        ),
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for result, item in rows:
        target = BREAKDOWN_TARGETS.get(item["name"])
        mark = f" {'✓' if item['median_ms'] < target else '✗'}" if target is not None else ""
        phases = " | ".join(
            f"{_ms(item[f'{phase}_ms'])} ({_ms(item[f'{phase}_cpu_ms'])})" for phase in ("sql", "template", "session")
        )
        lines.append(
            f"| {DB_LABELS[result['db']]} | {result['size']} | {item['name']} | {item['queries']} "
            f"| {_ms(item['median_ms'])} ({_ms(item['cpu_median_ms'])}){mark} | {_ms(item['p95_ms'])} | {phases} "
            f"| {_ms(item['view_ms'])} ({_ms(item['view_cpu_ms'])}) | {item['load_before']} / {item['load_after']} |"
        )
    return lines


def documents_table(grouped: dict[str, dict[str, dict[str, Any]]]) -> list[str]:
    columns = [(db, size) for db in grouped for size in sorted(grouped[db], key=_size_key)]
    names: list[str] = []
    values: dict[tuple[str, str, str], str] = {}
    for db, size in columns:
        result = grouped[db][size]
        for item in [*result.get("documents", []), *result.get("import", [])]:
            name = item["name"]
            if name not in names:
                names.append(name)
            text = f"{item['seconds']:.2f}"
            if name.startswith("census import") and "first import" in name:
                text += " ✓" if item["seconds"] < IMPORT_TARGET_SECONDS else " ✗"
            if item.get("errors"):
                text += f" ({item['errors']} errors)"
            values[(db, size, name)] = text
    if not names:
        return []
    header = ["seconds"] + [f"{DB_LABELS[db]} {size}" for db, size in columns]
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * len(columns)]
    lines += [
        "| " + " | ".join([name] + [values.get((db, size, name), NONE) for db, size in columns]) + " |"
        for name in names
    ]
    return lines


def load_table(results: list[dict[str, Any]]) -> list[str]:
    """One server (``load``) and two behind HAProxy (``servers``), side by side."""
    rows = [("1", result, item) for result in results for item in result.get("load", [])]
    rows += [("2", result, item) for result in results for item in result.get("servers", {}).get("load", [])]
    if not rows:
        return []
    lines = [
        "| database | ATS | servers | requests | users | seconds | req/s | p50 ms | p95 ms | errors |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for servers, result, item in rows:
        lines.append(
            f"| {DB_LABELS[result['db']]} | {result['size']} | {servers} | {item['name']} | {item['users']} "
            f"| {item['seconds']} | {item['rps']:.1f} | {item['p50_ms']:.0f} | {item['p95_ms']:.0f} "
            f"| {item['failures']} |"
        )
    return lines


def servers_checks(results: list[dict[str, Any]]) -> list[str]:
    """What two servers must agree on: the observatory's figures, and a task one starts that the other runs."""
    lines = []
    for result in results:
        found = result.get("servers")
        if not found:
            continue
        figures, task = found.get("figures", {}), found.get("task")
        same = "identical" if figures.get("same") else "DIFFERENT"
        lines.append(
            f"- {DB_LABELS[result['db']]}, {result['size']} ATS: the observatory is {same} on both servers "
            f"(computed at {', '.join(figures.get('computed_at', []))})"
            + (
                f"; a register asked on server A was issued by the worker of server B in {task['seconds']} s"
                if task and task.get("done")
                else ("; the register asked on server A was NOT issued" if task else "")
            )
        )
    return lines


def render(results: list[dict[str, Any]], machine: dict[str, Any]) -> str:
    results = sorted(results, key=lambda r: (r["db"] != "sqlite", _size_key(r["size"])))
    grouped = _by(results)
    lines = ["## Benchmark run", ""]
    lines += [f"- {key}: {value}" for key, value in machine.items()]
    lines += ["", "### Data", "", *dataset_table(results), "", "### Pages (server time, Django test client)", ""]
    for db, by_size in grouped.items():
        if any(result.get("pages") for result in by_size.values()):
            lines += [*pages_table(db, by_size), ""]
    breakdown = breakdown_table(results)
    if breakdown:
        lines += ["### Where the time of one ATS's pages goes (ms, CPU of the process in brackets)", ""]
        lines += [*breakdown, ""]
    documents = documents_table(grouped)
    if documents:
        lines += ["### Documents and census import", "", *documents, ""]
    load = load_table(results)
    if load:
        lines += ["### Under load (gunicorn, 2 workers per server, locust on loopback)", "", *load, ""]
    checks = servers_checks(results)
    if checks:
        lines += ["### Two servers behind HAProxy (Redis, PostgreSQL and documents shared)", "", *checks, ""]
    return "\n".join(lines)


def main() -> None:
    run = RESULTS / "run"
    results = [json.loads(path.read_text()) for path in sorted(run.glob("*.json")) if path.name != "machine.json"]
    machine_file = run / "machine.json"
    machine = json.loads(machine_file.read_text()) if machine_file.exists() else {}
    if not results:
        sys.exit(f"No results in {run}: run `make bench` first.")
    text = render(results, machine)
    (RESULTS / "latest.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
