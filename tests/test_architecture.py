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
    return " -> ".join(min(chains, key=len)) if chains else None


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
