"""Imports run only down, and no new cycle between the service areas.

The layers are import-linter contracts in pyproject.toml (`[tool.importlinter]`; `lint-imports`
checks them by hand). Both checks read every import, including those inside functions and
under `if TYPE_CHECKING:`, so a cycle cannot hide in a function body.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent

# Pairs of service packages that import each other today (both ways, directly or through other
# modules). Each is a debt to pay off, not a pattern: a pair that is no longer a cycle must be
# removed from here, and a new one fails the test below.
KNOWN_CYCLES = {
    # attendance.calendar/schedules recount leave when workdays change; leave reads the
    # schedules, the calendar and the attendance summary to count leave days.
    frozenset({"attendance", "leave"}),
    # projects close and summarise through their tasks; tasks check their project's state
    # and members.
    frozenset({"projects", "tasks"}),
}


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("opsctl", cache_dir=None)


def test_imports_follow_the_layers() -> None:
    run = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; "
                               "sys.exit(lint_imports(no_cache=True, no_logo=True))"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, f"an import goes the wrong way (see CONTRIBUTING):\n{run.stdout}{run.stderr}"


def _areas(graph: grimp.ImportGraph) -> list[str]:
    return sorted(name.rpartition(".")[2] for name in graph.find_children("opsctl.services")
                  if graph.find_children(name))  # the packages, not the shared modules


def _chain(graph: grimp.ImportGraph, importer: str, imported: str) -> str | None:
    chains = graph.find_shortest_chains(f"opsctl.services.{importer}", f"opsctl.services.{imported}",
                                        as_packages=True)
    if not chains:
        return None
    shortest: tuple[str, ...] = min(chains, key=len)
    return " -> ".join(shortest)


def test_no_new_import_cycle_between_service_areas(graph: grimp.ImportGraph) -> None:
    cycles = {}
    for one, other in itertools.combinations(_areas(graph), 2):
        there, back = _chain(graph, one, other), _chain(graph, other, one)
        if there and back:
            cycles[frozenset({one, other})] = f"{there}\n    {back}"
    new = {pair: chains for pair, chains in cycles.items() if pair not in KNOWN_CYCLES}
    assert not new, "new import cycle between service areas (move the shared part down or pass the data in):\n" + \
        "\n".join(f"  {' <-> '.join(sorted(pair))}:\n    {chains}" for pair, chains in new.items())
    gone = KNOWN_CYCLES - cycles.keys()
    assert not gone, f"no longer a cycle, remove from KNOWN_CYCLES: {[sorted(pair) for pair in gone]}"


def test_the_areas_are_found(graph: grimp.ImportGraph) -> None:
    # guards the test above against finding nothing to compare
    assert {"attendance", "leave", "people", "projects", "tasks", "kpi", "meetings", "training"} <= set(_areas(graph))


AREAS = ("attendance", "kpi", "leave", "meetings", "people", "projects", "tasks", "training", "workreports")


@pytest.mark.parametrize("area", AREAS)
def test_an_area_package_is_its_public_api_and_stays_cheap(area: str) -> None:
    # in a fresh interpreter: importing the package loads none of its modules, and each
    # name of __all__ is the object its module defines
    code = f"""
import importlib, pkgutil, sys
package = importlib.import_module("opsctl.services.{area}")
loaded = sorted(m for m in sys.modules if m.startswith("opsctl.services.{area}."))
assert not loaded, f"importing the package loaded {{loaded}}"
assert sorted(package.__all__) == sorted(package._API), "__all__ and _API name different things"
shadowed = sorted(set(package._API) & {{m.name for m in pkgutil.iter_modules(package.__path__)}})
assert not shadowed, f"public names that are also module names (importing the module replaces them): {{shadowed}}"
for name, module in package._API.items():
    assert getattr(package, name) is getattr(importlib.import_module(f"opsctl.services.{area}.{{module}}"), name), name
"""
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr


def test_other_layers_and_areas_import_an_area_through_its_package() -> None:
    # `from opsctl.services.<area>.<module> import name` from outside the area, for a name the
    # package offers, should say `from opsctl.services.<area> import name`
    import ast
    import importlib

    offenders = []
    for path in sorted((ROOT / "opsctl").rglob("*.py")):
        importer = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith("opsctl.services."):
                continue
            parts = (node.module or "").split(".")
            if len(parts) != 4 or parts[2] not in AREAS or importer.startswith(f"opsctl.services.{parts[2]}."):
                continue
            api = importlib.import_module(f"opsctl.services.{parts[2]}")._API
            offenders += [f"{importer}:{node.lineno} {node.module}.{a.name}" for a in node.names
                          if a.name in api and a.asname is None]
    assert not offenders, "import these from the area's package:\n" + "\n".join(offenders)
