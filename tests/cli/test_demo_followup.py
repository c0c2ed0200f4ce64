"""The demo's follow-up of a score: a closed month with talks, a plan for a D grade, and
suggested rewards and penalties accepted by HR, one approved."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from opsctl.cli.main import app


def test_the_demo_month_is_closed_with_talks_a_plan_and_merits(tmp_path: Path) -> None:
    assert CliRunner().invoke(app, ["demo", "--dir", str(tmp_path)]).exit_code == 0

    def run(user: str, *args: str) -> Any:
        result = CliRunner().invoke(app, ["--db", str(tmp_path / "demo.db"), "--as", user, *args, "-f", "json"])
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    month = run("zhaomin", "kpi", "month", "2026-03")
    omar = next(row for row in month if row["login"] == "omar")
    assert (omar["grade"], omar["plan"]) == ("D", "#1 open")
    talks = run("zhaomin", "kpi", "review", "list", "--cycle", "2026-03")
    assert {(t["login"], t["status"]) for t in talks} == {("omar", "unconfirmed"), ("zhangwei", "confirmed")}
    plan = run("omar", "kpi", "plan", "show", "1")
    assert plan["grade"] == "D" and plan["items"] == 2
    merits = run("zhaomin", "merit", "list")
    assert {m["status"] for m in merits} == {"approved", "pending"}
    assert {(m["login"], m["kind"], m["status"], bool(m["suggestion"])) for m in merits} == {
        ("zhangwei", "reward", "approved", True), ("lina", "reward", "pending", True),
        ("omar", "penalty", "approved", False)}
    today = run("omar", "today")
    assert today["kpi_followup"][0]["what"] == "talk to confirm"
