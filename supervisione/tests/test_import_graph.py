"""Imports go one way (issue 14, docs/ARCHITECTURE.md "Layers"): the app-level import graph has no cycle.

Every ``import`` and ``from ... import`` of every module of an app counts, at module level or inside a function
or an ``if TYPE_CHECKING:`` block alike: an import moved into a function to dodge a circular import is still
a dependency. Tests, test helpers, browser journeys, the demo, migrations, templates and static files are left
out: they may reach across apps to build data (the same selection as /work/shared/hooks/app_cycles.py).
"""

from __future__ import annotations

import ast
import functools
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

PACKAGE = "supervisione"
ROOT = Path(__file__).resolve().parents[1]
SKIPPED = {"tests", "testing", "e2e", "demo", "static", "templates", "migrations"}

# Cycles that are allowed, each with its reason. Keep this short: a new entry needs a reason as good.
ALLOWED_CYCLES = {
    # Roles are held on a partnership, an ATS or a region, and scopes (accounts/scopes.py) decide what a user
    # sees of them; the territory pages are guarded by those scopes. Users and territory are one layer.
    frozenset({"accounts", "territory"}),
}

# The bottom layer: pure packages that import no app. leps (the LEPS rules) imports no Django either, except
# its choices module (Django TextChoices for the model fields of four apps; see its docstring).
BOTTOM = {"leps", "lib"}
DJANGO_IN_LEPS = {"choices.py"}
# Within the bottom layer, the rules write their numbers with lib's Italian formatters (one per idea).
BOTTOM_ALLOWED = {"leps": {"lib"}}


def apps() -> set[str]:
    return {path.name for path in ROOT.iterdir() if (path / "__init__.py").exists() and path.name not in SKIPPED}


def modules(app: str) -> Iterator[Path]:
    for path in sorted((ROOT / app).rglob("*.py")):
        if not SKIPPED.intersection(path.relative_to(ROOT).parts[1:]):
            yield path


def imported(path: Path) -> Iterator[str]:
    """The absolute dotted name of every module imported anywhere in a file."""
    # The package a relative import starts from: the file's folder (for __init__.py too).
    package = path.relative_to(ROOT.parent).parent.parts
    return names_in(path.read_text(encoding="utf-8"), package)


def names_in(source: str, package: tuple[str, ...]) -> Iterator[str]:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            name = ".".join([*base, node.module] if node.module else base)
            yield name
            # "from supervisione import census" imports the app census.
            yield from (f"{name}.{alias.name}" for alias in node.names)


def graph() -> dict[str, set[str]]:
    """app -> the apps it imports (a copy: the files are read and parsed once per run, for every test here)."""
    return {app: set(targets) for app, targets in _graph().items()}


@functools.cache
def _graph() -> dict[str, set[str]]:
    known = apps()
    edges: dict[str, set[str]] = defaultdict(set)
    for app in known:
        for path in modules(app):
            for name in imported(path):
                parts = name.split(".")
                if len(parts) > 1 and parts[0] == PACKAGE and parts[1] in known and parts[1] != app:
                    edges[app].add(parts[1])
    return edges


def cycles(edges: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components of more than one app (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(set(edges) | {target for targets in edges.values() for target in targets}):
        if node not in index:
            visit(node)
    return found


def test_it_finds_no_cycle_between_apps_but_the_allowed_ones() -> None:
    bad = [sorted(component) for component in cycles(graph()) if frozenset(component) not in ALLOWED_CYCLES]
    assert bad == [], f"apps importing each other (docs/ARCHITECTURE.md, Layers): {bad}"


def test_it_keeps_the_allowed_cycles_needed() -> None:
    # An allowed cycle that no longer exists is a stale excuse: remove it from ALLOWED_CYCLES.
    found = {frozenset(component) for component in cycles(graph())}
    assert found >= ALLOWED_CYCLES


def test_it_keeps_leps_and_lib_at_the_bottom() -> None:
    edges = graph()
    beyond = {app: sorted(edges.get(app, set()) - BOTTOM_ALLOWED.get(app, set())) for app in BOTTOM}
    assert beyond == {app: [] for app in BOTTOM}


def test_it_keeps_django_out_of_the_leps_rules() -> None:
    uses_django = {
        path.name for path in modules("leps") if any(name.split(".")[0] == "django" for name in imported(path))
    }
    assert uses_django <= DJANGO_IN_LEPS


def test_it_lets_home_collect_steps_without_importing_the_apps() -> None:
    # The home page asks the apps' steps through settings.HOME_STEPS; it reads only users and scopes.
    assert graph().get("home", set()) <= {"accounts", "lib"}


def test_it_keeps_the_supervisor_registry_below_procurement() -> None:
    # Contracts are bought for supervisors, not the other way round: procurement reads the registry (the reach
    # of ``supervisors.access``, the tenant and upload fields of its forms); the registry never reads contracts,
    # it is told of them (supervisors/provider_contracts.py, filled by ProcurementConfig.ready).
    edges = graph()
    assert "supervisors" in edges.get("procurement", set())
    assert "procurement" not in edges.get("supervisors", set())


def test_it_keeps_the_fnps_ledgers_above_the_calendar_and_below_monitoring() -> None:
    # An ATS's FNPS allocations and ledger (funding) read plans, contracts and the census; only monitoring (and
    # the apps above it) read them. Planning's what-if is told of the allocations (planning/fnps_allocations.py,
    # filled by FundingConfig.ready) instead of importing them.
    edges = graph()
    below = {"lib", "leps", "audit", "accounts", "territory", "census", "supervisors", "procurement", "planning"}
    below |= {"sessions"}
    assert {app for app in below if "funding" in edges.get(app, set())} == set()
    assert "funding" in edges.get("monitoring", set())
    assert "monitoring" not in edges.get("funding", set())


def test_it_keeps_meetings_above_procurement() -> None:
    # Meetings are convened by partnerships and ATS (territory, accounts) and will hold the co-design tables'
    # meetings (procurement, issue 18.5): no app from procurement down reads them.
    edges = graph()
    below = {"lib", "leps", "audit", "accounts", "territory", "census", "supervisors", "procurement"}
    assert {app for app in below if "meetings" in edges.get(app, set())} == set()
    assert edges.get("meetings", set()) <= below | {"planning"}


def test_it_sees_imports_inside_functions_and_relative_ones() -> None:
    # The checker itself: imports in a function, under TYPE_CHECKING and relative ones all count.
    source = (
        "from typing import TYPE_CHECKING\n"
        "from ..figures import figures\n"
        "if TYPE_CHECKING:\n"
        "    from supervisione.census.models import Census\n"
        "def later() -> None:\n"
        "    from supervisione.sessions.usage import a2_hours_used\n"
        "    import supervisione.planning.models\n"
    )
    names = set(names_in(source, ("supervisione", "monitoring", "views")))
    assert {
        "supervisione.monitoring.figures",
        "supervisione.census.models",
        "supervisione.sessions.usage",
        "supervisione.planning.models",
    } <= names


def test_it_keeps_wellbeing_above_the_calendar_and_below_monitoring() -> None:
    # Questionnaire waves are given to plan groups and read the hours of their sessions (sessions, planning); no app
    # below reads the answers, and monitoring (dashboards, reports) may read their suppressed results later.
    edges = graph()
    below = {"lib", "leps", "audit", "accounts", "territory", "census", "supervisors", "procurement", "planning"}
    below |= {"sessions", "meetings", "funding"}
    assert {app for app in below if "wellbeing" in edges.get(app, set())} == set()
    assert edges.get("wellbeing", set()) <= below
    assert "wellbeing" not in edges.get("home", set())
