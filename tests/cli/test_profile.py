"""`people profile` (the development record) and `people note`."""

from __future__ import annotations

import pytest

from tests.conftest import Cli, People


@pytest.fixture
def trained(cli: Cli, people: People) -> None:
    """wei: a drill failed then passed on retake (3h attended), a CCNA expiring in 14 days;
    moved from Ops to Dev by HR."""
    cli("training", "plan", "add", "Incident drill", "--quarter", "Q1", "--hours", "3", user="mona")
    cli("training", "session", "add", "1", "--on", "2026-03-10", user="mona")
    cli("training", "enroll", "1", "wei", "na", user="mona")
    cli("training", "attend", "1", "--present", "wei", user="mona")
    cli("training", "result", "1", "wei", "--score", "52", user="mona")
    cli("training", "retake", "1", "wei", "--on", "2026-03-16", user="mona")
    cli("training", "result", "1", "wei", "--score", "77", user="mona")
    cli("training", "cert", "add", "wei", "CCNA", "--issued", "2024-04-01", "--expires", "2026-04-01", user="hana")
    cli("training", "cert", "add", "wei", "ITIL", "--issued", "2025-01-10", user="wei")
    assert cli("people", "edit", "wei", "--team", "Dev", user="hana").exit_code == 0


def test_the_profile_is_the_whole_development_record(cli: Cli, trained: None) -> None:
    assert cli("people", "note", "wei", "Wants to lead the on-call rota", user="mona").exit_code == 0
    shown = cli("people", "profile", "wei", "-f", "json", user="wei")
    assert shown.exit_code == 0, shown.error
    profile = shown.json()
    assert profile | {"login": "wei", "name": "张伟", "role": "member", "team": "Dev", "manager": "mona",
                      "manager_name": "Mona Manager", "training_hours": 3.0, "sessions_attended": 1,
                      "courses_passed": 1, "to_retake": 0, "certificates_expiring": 1} == profile
    assert any(h["change"] == "team Ops → Dev" and h["by"] == "hana" for h in profile["history"])
    assert profile["history"][0]["change"] == "added as member in team Ops, manager mona"
    assert [t["result"] for t in profile["training"]] == ["1: 52 failed · 2: 77 passed"]
    assert {c["certificate"]: c["status"] for c in profile["certificates"]} == {
        "CCNA": "expires in 14 days", "ITIL": "no expiry"}
    assert [(n["author"], n["text"]) for n in profile["notes"]] == [("mona", "Wants to lead the on-call rota")]
    assert all("id" in row and row["login"] == "wei" for key in ("training", "certificates", "notes")
               for row in profile[key])
    table = cli("people", "profile", "wei", user="mona").stdout
    for heading in ("Development record of 张伟 (wei)", "Role and team history", "Training (3 hours attended)",
                    "Certificates", "KPI history", "Development notes", "expires in 14 days"):
        assert heading in table


@pytest.mark.parametrize(("viewer", "allowed"), [("wei", True), ("mona", True), ("hana", True), ("ada", True),
                                                 ("na", False), ("leo", False), ("sam", False)])
def test_who_may_see_a_profile(cli: Cli, trained: None, viewer: str, allowed: bool) -> None:
    result = cli("people", "profile", "wei", user=viewer)
    if allowed:
        assert result.exit_code == 0, result.error
    else:
        assert result.exit_code == 4 and result.stdout == ""
        assert result.error.startswith("Error: ") and "only they, their manager, HR or an admin" in result.error


def test_notes_by_the_person_their_manager_hr_or_admin_and_audited_when_about_someone_else(
    cli: Cli, people: People
) -> None:
    own = cli("people", "note", "wei", "Learning Go this year", "-f", "json", user="wei")
    assert own.exit_code == 0, own.error
    assert own.json() | {"login": "wei", "author": "wei", "text": "Learning Go this year"} == own.json()
    assert cli("people", "note", "wei", "Ready for on-call", user="mona").exit_code == 0
    refused = cli("people", "note", "wei", "Gossip", user="na")
    assert refused.exit_code == 4 and "may not" in refused.error
    empty = cli("people", "note", "wei", "   ", user="mona")
    assert empty.exit_code == 1 and "empty" in empty.error
    too_long = cli("people", "note", "wei", "x" * 2001, user="mona")
    assert too_long.exit_code == 1 and "2000" in too_long.error
    unknown = cli("people", "note", "ghost", "Hello", user="mona")
    assert unknown.exit_code == 3
    notes = cli("people", "profile", "wei", "-f", "json", user="wei").json()["notes"]
    assert [n["text"] for n in notes] == ["Learning Go this year", "Ready for on-call"]
    audited = cli("audit", "list", "--action", "people.note", "-f", "json").json()
    assert [(e["actor"], e["login"]) for e in audited] == [("mona", "wei")]  # one's own note is not audited


def test_a_profile_of_someone_unknown_or_by_someone_unknown(cli: Cli, people: People) -> None:
    assert cli("people", "profile", "ghost").exit_code == 3
    stranger = cli("people", "profile", "wei", user="stranger")
    assert stranger.exit_code == 4 and "--as" in stranger.error


RATED = ("results", "projects", "customer", "skills", "communication", "learning", "problem_solving",
         "responsibility", "teamwork", "initiative")


def test_the_kpi_history_is_each_cycle_as_kpi_reports_it(cli: Cli, people: People) -> None:
    for month, score in (("2026-01", "92"), ("2026-02", "71")):
        assert cli("kpi", "cycle", "open", month, "--team", "Ops", user="mona").exit_code == 0
        scored = cli("kpi", "score", "wei", *(f"{key}={score}" for key in RATED), "--cycle", month,
                     "--role", "supervisor", user="mona")
        assert scored.exit_code == 0, scored.error
    assert cli("kpi", "cycle", "close", "2026-01", user="mona").exit_code == 0
    assert cli("kpi", "cycle", "close", "2026-02", user="mona").exit_code == 0
    cli("kpi", "cycle", "open", "2026-03", "--team", "Ops", user="mona")  # open: shown as results so far
    everything = cli("people", "profile", "wei", "-f", "json", user="wei").json()["kpi"]
    assert [(h["cycle"], h["status"]) for h in everything] == [
        ("2026-01", "closed"), ("2026-02", "closed"), ("2026-03", "open (so far)")]
    history = everything[:2]
    for entry in history:
        reported = next(p for p in cli("kpi", "month", entry["cycle"], "-f", "json", user="mona").json()
                        if p["login"] == "wei")
        assert entry == entry | {key: reported[key] for key in ("final_score", "grade", "rank", "complete")}
        assert entry["login"] == "wei"
    assert history[0]["final_score"] > history[1]["final_score"]
    table = cli("people", "profile", "wei", user="wei").stdout
    assert "KPI history" in table and "2026-02" in table
