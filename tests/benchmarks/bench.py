"""Whole-process timings of opsctl against their floors. Run by hand, not by pytest:

    .venv/bin/python tests/benchmarks/bench.py              # every case
    .venv/bin/python tests/benchmarks/bench.py help whoami  # cases whose name contains a word
    .venv/bin/python tests/benchmarks/bench.py --runs 21

Prints one row per case: the median of repeated runs, the baseline it is measured
against (a floor such as `python -c "import typer"`, or another measurement; the two
are run in turns, so a change of load hits both), the ratio, the peak memory of the
process (median of its runs' max RSS, from os.wait4), and the target from the issue.
Data sets are built once per run in a temp folder (tests/benchmarks/generate.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks import generate, generate_tasks

PYTHON = sys.executable
OPSCTL = [str(Path(PYTHON).parent / "opsctl")] if (Path(PYTHON).parent / "opsctl").exists() else [
    PYTHON, "-m", "opsctl"]


@dataclass
class Env:
    """The scratch folder and the data sets built so far (built on first use)."""

    folder: Path
    builders: dict[str, Callable[[Path], str]]
    built: dict[str, str] = field(default_factory=dict)

    def db(self, name: str) -> str:
        if name not in self.built:
            started = time.perf_counter()
            self.built[name] = self.builders[name](self.folder / f"{name}.db")
            print(f"  (built data set {name} in {time.perf_counter() - started:.1f} s)", file=sys.stderr)
        return self.built[name]


@dataclass(frozen=True)
class Sample:
    seconds: float
    max_rss_mib: float  # the process's peak resident memory


# A measurement takes the Env and the run number and returns one Sample.
Measure = Callable[[Env, int], Sample]


# Runs one process and writes its wall time, peak memory and exit code to the file argv[1]. A
# process forked from this script would start with this script's memory (the data sets it built)
# counted in its ru_maxrss; forked from this small launcher (posix_spawn), it starts from nothing.
LAUNCHER = """
import os, sys, time
report, argv = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
pid = os.posix_spawn(argv[0], argv, os.environ)
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - started
with open(report, "w") as out:
    out.write(f"{elapsed} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def timed(argv: list[str], env: dict[str, str] | None = None) -> Sample:
    """Run a process to its end: wall time and peak memory (ru_maxrss of that process, from os.wait4)."""
    with tempfile.NamedTemporaryFile(suffix=".report") as report:
        result = subprocess.run([PYTHON, "-I", "-c", LAUNCHER, report.name, *argv], env={**os.environ, **(env or {})},
                                capture_output=True, check=False)
        elapsed, max_rss_kib, code = report.read().decode().split()
    if result.returncode != 0 or int(code) != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({code}): {result.stderr.decode()[-500:]}")
    return Sample(float(elapsed), int(max_rss_kib) / 1024)  # Linux reports KiB


def python(code: str) -> Measure:
    return lambda env, run: timed([PYTHON, "-c", code])


def opsctl(*args: str, data: str | None = None, user: str = "ada",
           vary: Callable[[int], list[str]] | None = None) -> Measure:
    """Run opsctl; ``vary(run)`` adds arguments that must differ per run (e.g. who clocks in)."""

    def measure(env: Env, run: int) -> Sample:
        extra = {"OPSCTL_USER": user, "NO_COLOR": "1"}
        if data is not None:
            extra["OPSCTL_DB"] = env.db(data)
        return timed([*OPSCTL, *(vary(run) if vary else []), *args], extra)

    return measure


FLOORS: dict[str, Measure] = {
    "import typer": python("import typer"),
    "import typer, sqlmodel": python("import typer, sqlmodel"),
}
REFERENCE = "import typer, sqlmodel"  # the floor shown beside a target in seconds


@dataclass
class Case:
    name: str
    measure: Measure
    baseline: str | None  # a key of FLOORS or of BASELINES; None: the target is in seconds
    limit: float | None  # the highest acceptable ratio, or seconds when baseline is None
    target: str
    floor_limit: float | None = None  # a target in seconds may also have one against REFERENCE
    max_rss_mib: float | None = None  # the highest acceptable peak memory
    rss_growth_mib: float | None = None  # the highest acceptable peak memory above the baseline's


BASELINES: dict[str, Measure] = {}

DATA_SETS: dict[str, Callable[[Path], str]] = {
    "people200": lambda path: generate.create_database(path, 200),
    "people300": lambda path: generate.create_database(path, 300),
    "tasks10k": lambda path: generate_tasks.create_task_database(path, tasks=10_000),
    "training300": lambda path: __import__(
        "tests.benchmarks.generate_training", fromlist=["x"]).create_training_database(path, people=300),
    "meetings2k": lambda path: __import__(
        "tests.benchmarks.generate_meetings", fromlist=["x"]).create_meeting_database(path),
    "kpi300": lambda path: __import__(
        "tests.benchmarks.generate_kpi", fromlist=["x"]).create_kpi_database(path, people=300),
    "kpi300closed": lambda path: __import__(
        "tests.benchmarks.generate_kpi", fromlist=["x"]).create_kpi_database(path, people=300, closed=True),
}

CASES: list[Case] = [
    Case("opsctl --help", opsctl("--help"), "import typer", 1.3, "≤ 1.3 × import typer"),
    Case("opsctl --version", opsctl("--version"), "import typer", 1.3, "≤ 1.3 × import typer"),
    Case("opsctl whoami", opsctl("whoami", data="people200"), "import typer, sqlmodel", 1.1,
         "≤ 1.1 × import typer, sqlmodel"),
    Case("opsctl today", opsctl("today", data="people200", user="p0007"), "import typer, sqlmodel", 1.1,
         "≤ 1.1 × import typer, sqlmodel"),
    Case("opsctl people list (200)", opsctl("people", "list", data="people200"), "import typer, sqlmodel",
         1.25, "≤ 1.25 × import typer, sqlmodel"),
    Case("opsctl task list --mine (10k tasks)", opsctl("task", "list", "--mine", data="tasks10k", user="p0007"),
         "import typer, sqlmodel", 1.5, "≤ 1.5 × import typer, sqlmodel"),
    Case("opsctl training report (300 people, 120 sessions)",
         opsctl("training", "report", "--year", "2026", data="training300"), "import typer, sqlmodel", 2.0,
         "≤ 2 × import typer, sqlmodel"),
    Case("opsctl meeting list, 8 weeks (60 weekly series, 2k one-offs)",
         opsctl("meeting", "list", "--from", "-4w", "--to", "+4w", data="meetings2k"), "import typer, sqlmodel",
         2.0, "≤ 2 × import typer, sqlmodel"),
    Case("opsctl meeting followup (3k action items)", opsctl("meeting", "followup", data="meetings2k"),
         "import typer, sqlmodel", 2.0, "≤ 2 × import typer, sqlmodel"),
    Case("opsctl kpi quarter (300 people, 4 rater roles, open: discipline live from 36k punches)",
         opsctl("kpi", "quarter", "2026Q1", data="kpi300"), None, 2.0, "≤ 2 s and ≤ 2.2 × import typer, sqlmodel",
         floor_limit=2.2),
    Case("opsctl kpi quarter (300 people, 4 rater roles, closed: discipline frozen)",
         opsctl("kpi", "quarter", "2026Q1", data="kpi300closed"), None, 2.0, "≤ 2 s"),
]


# -- attendance --------------------------------------------------------------------------------

def _attendance() -> object:
    return __import__("tests.benchmarks.generate_attendance", fromlist=["x"])


def attendance_import(*, raw: bool, data: str = "punches100k", script: str = "RAW_IMPORT") -> Measure:
    """Import a punch file (100,000 CSV punches, or ``data``) into a fresh copy of people300:
    with opsctl, or with the raw sqlite3 baseline ``script`` (read the file, convert the
    times, one executemany in one transaction)."""

    def measure(env: Env, run: int) -> Sample:
        import shutil

        source = Path(env.db("people300").split(":///", 1)[1])
        punches = env.db(data)
        fresh = env.folder / f"import-{data}-{'raw' if raw else 'opsctl'}-{run}.db"
        shutil.copyfile(source, fresh)
        try:
            if raw:
                return timed([PYTHON, "-c", getattr(_attendance(), script), str(fresh), punches])
            return timed([*OPSCTL, "attend", "import", punches], {"OPSCTL_DB": str(fresh), "OPSCTL_USER": "ada"})
        finally:
            for leftover in (fresh, fresh.with_name(fresh.name + "-wal"), fresh.with_name(fresh.name + "-shm")):
                leftover.unlink(missing_ok=True)

    return measure


DATA_SETS.update({
    "clock300": lambda path: generate.create_database(path, 300),
    "attend300": lambda path: _attendance().create_attendance_database(path),  # type: ignore[attr-defined]
    "attend300-3y": lambda path: _attendance().create_attendance_database(path, older_years=True),  # type: ignore[attr-defined]
    "punches100k": lambda path: _attendance().write_punch_csv(path.with_suffix(".csv")),  # type: ignore[attr-defined]
    "attlog24k": lambda path: _attendance().write_zkteco_usb_log(path.with_name("1_attlog.dat")),  # type: ignore[attr-defined]
    "attlog24k-csv": lambda path: _attendance().write_usb_log_as_csv(path.with_suffix(".csv")),  # type: ignore[attr-defined]
})
BASELINES.update({
    "raw sqlite3 import (100k)": attendance_import(raw=True),
    "raw sqlite3 import (24k USB log)": attendance_import(raw=True, data="attlog24k", script="RAW_USB_IMPORT"),
    "attend import (the 24k as CSV)": attendance_import(raw=False, data="attlog24k-csv"),
    "attend month (300)": opsctl("attend", "month", "2026-05", data="attend300"),
})
CASES += [
    Case("opsctl attend in",
         opsctl("attend", "in", data="clock300", vary=lambda run: ["--as", generate.login(run + 100)]),
         "import typer, sqlmodel", 1.1, "≤ 1.1 × import typer, sqlmodel"),
    Case("opsctl attend import (100k CSV punches)", attendance_import(raw=False), "raw sqlite3 import (100k)", 3.0,
         "≤ 3 × raw sqlite3 executemany"),
    # A real device's USB download (issue 13): the parse costs no more than the CSV path's.
    Case("opsctl attend import (24,162-row ZKTeco USB log)", attendance_import(raw=False, data="attlog24k"),
         "attend import (the 24k as CSV)", 1.15, "≤ 1.15 × the same punches as CSV"),
    Case("opsctl attend import (24,162-row ZKTeco USB log, vs raw)", attendance_import(raw=False, data="attlog24k"),
         "raw sqlite3 import (24k USB log)", None, "(start-up is most of it)"),
    Case("opsctl attend month (300 people)", opsctl("attend", "month", "2026-05", data="attend300"), None, 2.0,
         "≤ 2 s"),
    Case("opsctl attend month (300 people, 3 more years)", opsctl("attend", "month", "2026-05", data="attend300-3y"),
         "attend month (300)", 1.2, "≤ 1.2 × without the older years"),
]



# -- leave ----------------------------------------------------------------------------------------

DATA_SETS["leave300"] = lambda path: __import__(
    "tests.benchmarks.generate_leave", fromlist=["x"]).create_leave_database(path)
CASES += [
    Case("opsctl attend month (300 people, approved leave in the month, 3k requests)",
         opsctl("attend", "month", "2026-05", data="leave300"), "attend month (300)", 1.15,
         "≤ 1.15 × without leave"),
    Case("opsctl leave list --pending (3k requests, as admin)", opsctl("leave", "list", "--pending", data="leave300"),
         "import typer, sqlmodel", 1.5, "≤ 1.5 × import typer, sqlmodel"),
    Case("opsctl leave balance (3 years of ledger)", opsctl("leave", "balance", data="leave300", user="p0007"),
         "import typer, sqlmodel", 1.5, "≤ 1.5 × import typer, sqlmodel"),
]


# -- overtime requests (issue 16.3) ---------------------------------------------------------------

DATA_SETS["overtime300"] = lambda path: __import__(
    "tests.benchmarks.generate_overtime", fromlist=["x"]).create_overtime_database(path)
CASES += [
    Case("opsctl attend month (300 people, 2.1k overtime requests in the month, 8k in all)",
         opsctl("attend", "month", "2026-05", data="overtime300"), "attend month (300)", 1.1,
         "≤ 1.1 × without overtime requests"),
]


# -- the HR workbook ------------------------------------------------------------------------------

def attendance_export(data: str) -> Measure:
    """`attend export` of May 2026 into the scratch folder (replacing the previous run's file)."""

    def measure(env: Env, run: int) -> Sample:
        target = env.folder / f"attendance-{data}.xlsx"
        return timed([*OPSCTL, "attend", "export", "--month", "2026-05", "-o", str(target), "--force"],
                     {"OPSCTL_DB": env.db(data), "OPSCTL_USER": "ada", "NO_COLOR": "1"})

    return measure


DATA_SETS["attend600"] = lambda path: _attendance().create_attendance_database(path, people=600)  # type: ignore[attr-defined]
BASELINES["attend export (300)"] = attendance_export("attend300")
CASES += [
    Case("opsctl attend export (300 people, 11k punches)", attendance_export("attend300"), None, 3.0, "≤ 3 s"),
    Case("opsctl attend export (600 people, 22k punches)", attendance_export("attend600"), "attend export (300)", 2.2,
         "≤ 2.2 × 300 people, ≤ 250 MiB", max_rss_mib=250),
    Case("opsctl attend export (300 people, 3 more years)", attendance_export("attend300-3y"), "attend export (300)",
         1.2, "≤ 1.2 × without the older years"),
]


# -- work reports ---------------------------------------------------------------------------------

DATA_SETS["reports300"] = lambda path: __import__(
    "tests.benchmarks.generate_workreports", fromlist=["x"]).create_workreport_database(path)
CASES += [
    Case("opsctl report missing --week (300 people, as admin)",
         opsctl("report", "missing", "--week", "2026-W22", data="reports300"), "import typer, sqlmodel", 1.3,
         "≤ 1.3 × import typer, sqlmodel"),
]


# -- projects (issue 18) --------------------------------------------------------------------------

def _projects() -> object:
    return __import__("tests.benchmarks.generate_projects", fromlist=["x"])


def doc_add(size: int) -> Measure:
    """`project doc add` of a ``size``-byte file into a fresh copy of the project data set (each run
    stores it anew: a copy that already held the content would only hash it)."""

    def measure(env: Env, run: int) -> Sample:
        import shutil

        source = Path(env.db("project500").split(":///", 1)[1])
        document = env.folder / f"document-{size}.bin"
        if not document.exists():
            _projects().write_file(document, size)  # type: ignore[attr-defined]
        fresh = env.folder / f"docs-{size}-{run}.db"
        shutil.copyfile(source, fresh)
        try:
            return timed([*OPSCTL, "project", "doc", "add", "P-BIG", str(document), "--kind", "report"],
                         {"OPSCTL_DB": str(fresh), "OPSCTL_USER": "p0001", "NO_COLOR": "1"})
        finally:
            for leftover in (fresh, fresh.with_name(fresh.name + "-wal"), fresh.with_name(fresh.name + "-shm")):
                leftover.unlink(missing_ok=True)

    return measure


DATA_SETS["project500"] = lambda path: _projects().create_project_database(path)  # type: ignore[attr-defined]
BASELINES["project doc add (1 KiB)"] = doc_add(1024)
CASES += [
    Case("opsctl project show (500 tasks, 50 milestones, 200 costs, 30 risks)",
         opsctl("project", "show", "P-BIG", data="project500", user="p0001"), "import typer, sqlmodel", 1.3,
         "≤ 1.3 × import typer, sqlmodel"),
    # Streamed a chunk at a time: its peak memory above storing a 1 KiB file stays under 2 × the file.
    Case("opsctl project doc add (20 MiB file)", doc_add(20 * 1024 * 1024), "project doc add (1 KiB)", None,
         "peak memory ≤ 1 KiB's + 40 MiB (2 × the file)", rss_growth_mib=40),
]


def paired_medians(case: Measure, baseline: Measure, env: Env, runs: int,
                   warmup: int = 2) -> tuple[float, float, float, float]:
    """Medians of the case and its baseline, run in turns so that a load change hits both alike,
    and the medians of the case's and the baseline's peak memory."""
    for run in range(warmup):
        baseline(env, -1 - run)
        case(env, -1 - run)
    cases, bases = [], []
    for run in range(runs):
        bases.append(baseline(env, run))
        cases.append(case(env, run))
    return (statistics.median(s.seconds for s in cases), statistics.median(s.seconds for s in bases),
            statistics.median(s.max_rss_mib for s in cases), statistics.median(s.max_rss_mib for s in bases))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("words", nargs="*", help="only the cases whose name contains one of these")
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    cases = [c for c in CASES if not options.words or any(w in c.name for w in options.words)]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="opsctl-bench-") as folder:
        env = Env(Path(folder), DATA_SETS)
        for case in cases:
            # A target in seconds is still run in turns with the floor, shown in brackets: the
            # ratio tells how the figure would move on a faster or slower machine.
            baseline = case.baseline or REFERENCE
            source = FLOORS.get(baseline) or BASELINES[baseline]
            value, base, rss, base_rss = paired_medians(case.measure, source, env, options.runs)
            ratio = value / base
            ok = ((case.limit is None or (ratio if case.baseline else value) <= case.limit)
                  and (case.floor_limit is None or ratio <= case.floor_limit)
                  and (case.max_rss_mib is None or rss <= case.max_rss_mib)
                  and (case.rss_growth_mib is None or rss - base_rss <= case.rss_growth_mib))
            label = baseline if case.baseline else f"({baseline})"
            rows.append((case.name, value, label, base, ratio, rss, case.target, ok))
            print(f"  {case.name}: {value * 1000:.0f} ms, {rss:.0f} MiB (baseline {base_rss:.0f} MiB)", file=sys.stderr)
    print_table(rows, options.runs)


# case, median, baseline, baseline median, ratio, max RSS (MiB), target, met
Row = tuple[str, float, str, float, float, float, str, bool]


def print_table(rows: list[Row], runs: int) -> None:
    from tabulate import tabulate

    table = [
        (name, f"{value * 1000:.0f} ms", baseline, f"{base * 1000:.0f} ms" if base else "",
         f"{ratio:.2f}×" if ratio is not None else "", f"{rss:.0f} MiB", target, "ok" if ok else "MISSED")
        for name, value, baseline, base, ratio, rss, target, ok in rows
    ]
    load = ", ".join(f"{figure:.2f}" for figure in os.getloadavg())
    print(f"\nmedians of {runs} runs, {os.cpu_count()} cores, load average {load}, Python {sys.version.split()[0]}\n")
    print(tabulate(table, headers=["case", "median", "baseline", "baseline median", "ratio", "max RSS", "target", ""],
                   tablefmt="github"))


if __name__ == "__main__":
    main()
