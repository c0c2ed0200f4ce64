"""Nothing decided twice: twelve processes decide on one thing at the same moment.

Exactly one decision is taken, the others are refused as a conflict (exit 5), and the
ledger, the limits, the history and the audit log are as one decision leaves them. Runs on
the test database: a SQLite file, or PostgreSQL when OPSCTL_TEST_DATABASE_URL is set (where
only row locks keep the decisions apart).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, func, select

from opsctl.models.attendance import CorrectionRequest, Punch
from opsctl.models.kpi import KpiCycle
from opsctl.models.leave import LeaveLedgerEntry, LeaveRequest
from opsctl.models.people import AuditEntry
from opsctl.models.project_history import ProjectEvent
from opsctl.models.projects import Project, Task
from tests.conftest import DEFAULT_NOW, Cli, People
from tests.races import RACERS, race, tally, the_winner

APPROVERS = ["mona", "hana", "ada"]  # wei's manager, HR, an admin


@pytest.fixture
def racing(db_url: str, tmp_path: Path, session: Session) -> Any:
    def run(calls: list[tuple[str, list[str]]]) -> Any:
        assert len(calls) >= RACERS
        outcomes = race(db_url, tmp_path / "race", calls, now=DEFAULT_NOW)
        session.expire_all()
        session.commit()  # a fresh look at what the racers wrote
        return outcomes

    return run


def _audited(session: Session, entity: str, entity_id: object) -> list[str]:
    return list(session.exec(select(AuditEntry.action).where(
        AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id)).order_by(col(AuditEntry.id))))


def _each(commands: list[list[str]], logins: list[str]) -> list[tuple[str, list[str]]]:
    """RACERS calls: the commands and logins taken in turn."""
    return [(logins[n % len(logins)], commands[n % len(commands)]) for n in range(RACERS)]


def _leave_request(cli: Any) -> int:
    """wei asks for two days of annual leave (quota 5)."""
    made = cli("leave", "request", "annual", "--from", "2026-03-23", "--to", "2026-03-24", "--reason", "trip",
               "-f", "json", user="wei")
    assert made.exit_code == 0, made.stderr
    return int(made.json()["id"])


def _used(cli: Any) -> Any:
    rows = cli("leave", "balance", "wei", "--year", "2026", "-f", "json", user="hana").json()
    return next(row for row in rows if row["code"] == "annual")


# -- leave -------------------------------------------------------------------------------

def test_leave_approved_by_twelve_at_once_is_approved_and_debited_once(
    people: People, cli: Cli, racing: Any, session: Session
) -> None:
    request_id = _leave_request(cli)
    outcomes = racing(_each([["leave", "approve", str(request_id)]], APPROVERS))

    the_winner(outcomes)
    assert all(f"leave #{request_id} is already approved (by " in o.stderr for o in outcomes if o.code)
    debits = session.exec(select(LeaveLedgerEntry.days).where(LeaveLedgerEntry.request_id == request_id)).all()
    assert sum(debits) == -2.0
    balance = _used(cli)
    assert (balance["used"], balance["remaining"]) == (2.0, 3.0)
    assert _audited(session, "leave_request", request_id) == ["leave.approve"]


def test_approve_reject_and_cancel_of_one_leave_request_at_once_act_in_turn(
    people: People, cli: Cli, racing: Any, session: Session
) -> None:
    """Approving and rejecting exclude each other; cancelling may follow an approval (it gives
    the days back). Whatever won, the outcome is one of those of the calls taken in turn."""
    request_id = _leave_request(cli)
    calls = [("mona", ["leave", "approve", str(request_id)]),
             ("hana", ["leave", "reject", str(request_id), "--reason", "busy week"]),
             ("wei", ["leave", "cancel", str(request_id)])] * (RACERS // 3)
    outcomes = racing(calls)

    codes = tally(outcomes)
    assert set(codes) <= {0, 5} and codes[0] in (1, 2), codes
    audited = _audited(session, "leave_request", request_id)
    assert audited in (["leave.approve"], ["leave.reject"], ["leave.cancel"], ["leave.approve", "leave.cancel"])
    assert Counter(f"leave.{o.args[1]}" for o in outcomes if o.code == 0) == Counter(audited)
    final = {"leave.approve": "approved", "leave.reject": "rejected", "leave.cancel": "cancelled"}[audited[-1]]
    request = session.get(LeaveRequest, request_id)
    assert request is not None and request.status == final
    moves = list(session.exec(select(LeaveLedgerEntry.days).where(LeaveLedgerEntry.request_id == request_id)
                              .order_by(col(LeaveLedgerEntry.id))))
    assert moves == {"approved": [-2.0], "rejected": [], "cancelled": [-2.0, 2.0] if len(audited) == 2 else []}[final]
    assert _used(cli)["used"] == (2.0 if final == "approved" else 0.0)


# -- attendance corrections ---------------------------------------------------------------

def test_one_correction_approved_and_rejected_at_once_is_decided_once(
    people: People, cli: Cli, racing: Any, session: Session
) -> None:
    made = cli("attend", "fix", "2026-03-17", "--in", "09:00", "--out", "18:00", "--reason", "badge at home",
               "-f", "json", user="wei")
    assert made.exit_code == 0, made.stderr
    fix_id = made.json()["id"]
    calls = _each([["attend", "approve", str(fix_id)], ["attend", "reject", str(fix_id), "--reason", "no"]],
                  APPROVERS)
    winner = the_winner(racing(calls))

    request = session.get(CorrectionRequest, fix_id)
    assert request is not None and request.status == {"approve": "approved", "reject": "rejected"}[winner.args[1]]
    punches = session.exec(select(Punch.kind).where(Punch.correction_id == fix_id).order_by(col(Punch.at))).all()
    assert punches == (["in", "out"] if request.status == "approved" else [])
    assert _audited(session, "attendance_correction", fix_id) == [f"attend.{winner.args[1]}"]


def test_twelve_corrections_at_once_stop_at_the_monthly_limit(
    people: People, cli: Cli, racing: Any, session: Session
) -> None:
    days = [f"2026-03-{day:02d}" for day in range(2, 2 + RACERS)]
    calls = [("wei", ["attend", "fix", day, "--in", "09:00", "--reason", "forgot"]) for day in days]
    outcomes = racing(calls)

    assert tally(outcomes) == Counter({0: 3, 1: RACERS - 3})  # correction_limit = 3
    assert all("the monthly limit (setting correction_limit = 3)" in o.stderr for o in outcomes if o.code)
    stored = session.exec(select(func.count()).select_from(CorrectionRequest)).one()
    assert stored == 3


# -- projects ----------------------------------------------------------------------------

def _project(cli: Any) -> None:
    assert cli("project", "new", "RACE", "--name", "Race", "--owner", "wei", user="wei").exit_code == 0


def _steps(session: Session) -> list[str]:
    return list(session.exec(select(ProjectEvent.step).order_by(col(ProjectEvent.id))))


def test_a_project_approved_by_twelve_at_once_is_approved_once(
    people: People, cli: Cli, racing: Any, session: Session
) -> None:
    _project(cli)
    outcomes = racing(_each([["project", "approve", "RACE"]], ["mona", "ada"]))

    the_winner(outcomes)
    assert all("cannot approve project RACE: it is approved" in o.stderr for o in outcomes if o.code)
    assert _steps(session) == ["propose", "approve"]
    assert _audited(session, "project", "RACE").count("project.approve") == 1


def test_a_project_passed_and_failed_at_once_is_reviewed_once(
    people: People, cli: Cli, racing: Any, session: Session
) -> None:
    _project(cli)
    for user, step in (("mona", ["approve"]), ("wei", ["start"]), ("wei", ["submit", "--summary", "all done"])):
        assert cli("project", *step, "RACE", user=user).exit_code == 0
    verdicts = [["project", "review", "RACE", "--pass", "--report", "fine"],
                ["project", "review", "RACE", "--fail", "--report", "redo the keys"]]
    winner = the_winner(racing(_each(verdicts, ["mona", "ada"])))

    verdict = winner.args[3].removeprefix("--")
    project = session.exec(select(Project).where(Project.code == "RACE")).one()
    assert project.status == {"pass": "accepted", "fail": "active"}[verdict]
    assert _steps(session) == ["propose", "approve", "start", "submit", verdict]
    assert [a for a in _audited(session, "project", "RACE") if a in ("project.pass", "project.fail")] == [
        f"project.{verdict}"]


# -- tasks -------------------------------------------------------------------------------

def test_done_and_cancel_of_one_task_at_once_take_one_step(
    people: People, cli: Cli, racing: Any, session: Session
) -> None:
    made = cli("task", "add", "Copy the keys", "--assignee", "wei", "-f", "json", user="leo")
    assert made.exit_code == 0, made.stderr
    task_id = made.json()["id"]
    winner = the_winner(racing(_each([["task", "done", str(task_id)], ["task", "cancel", str(task_id)]],
                                     ["wei", "leo"])))

    task = session.get(Task, task_id)
    assert task is not None and task.status == {"done": "done", "cancel": "cancelled"}[winner.args[1]]
    assert (task.done_at is not None) == (task.status == "done")


# -- KPI cycles ----------------------------------------------------------------------------

def test_a_kpi_cycle_opened_by_twelve_at_once_is_opened_once_and_can_be_closed(
    people: People, cli: Cli, racing: Any, session: Session
) -> None:
    outcomes = racing(_each([["kpi", "cycle", "open", "2026-02"]], ["ada", "hana"]))

    the_winner(outcomes)
    assert all("cycle 2026-02 is already open" in o.stderr for o in outcomes if o.code)
    assert session.exec(select(func.count()).select_from(KpiCycle)).one() == 1
    assert _audited(session, "kpi_cycle", "2026-02") == ["kpi.cycle.open"]
    closed = cli("kpi", "cycle", "close", "2026-02")
    assert closed.exit_code == 0, closed.stderr


def test_a_cycle_for_everybody_and_one_for_a_team_opened_at_once_are_not_both_stored(
    people: People, racing: Any, session: Session
) -> None:
    racing_calls = _each([["kpi", "cycle", "open", "2026-02"], ["kpi", "cycle", "open", "2026-02", "--team", "Ops"]],
                         ["ada", "hana"])
    the_winner(racing(racing_calls))

    assert session.exec(select(func.count()).select_from(KpiCycle)).one() == 1


def test_a_project_cancelled_while_its_tasks_are_done_settles_every_task_once(
    people: People, cli: Cli, racing: Any, session: Session
) -> None:
    # `project cancel` writes audit entries and then locks each open task; `task done` locks its
    # task and then writes its audit entry. Each takes the writers' lock first, so neither can
    # wait on the other in a cycle (PostgreSQL would abort one as a deadlock, exit 6).
    _project(cli)
    task_ids = []
    for n in range(6):
        made = cli("task", "add", f"Step {n}", "--project", "RACE", "--assignee", "wei", "-f", "json", user="wei")
        assert made.exit_code == 0, made.stderr
        task_ids.append(made.json()["id"])
    calls = [("mona", ["project", "cancel", "RACE", "--reason", "budget cut"])] * 6
    calls += [("wei", ["task", "done", str(task_id)]) for task_id in task_ids]
    outcomes = racing(calls)

    codes = tally(outcomes)  # no traceback, no "database is locked", no "deadlock"
    cancels = [o for o in outcomes if o.args[1] == "cancel"]
    assert sorted(o.code for o in cancels) == [0] + [5] * 5, [(o.code, o.stderr) for o in cancels]
    assert set(codes) <= {0, 5}
    tasks = [session.get(Task, task_id) for task_id in task_ids]
    done = {o.args[2] for o in outcomes if o.args[1] == "done" and o.code == 0}
    assert {str(t.id) for t in tasks if t is not None and t.status == "done"} == done
    assert all(t is not None and t.status in ("done", "cancelled") for t in tasks)
    assert _audited(session, "project", "RACE").count("project.cancel") == 1


def test_two_writers_taking_locks_in_opposite_orders_both_finish(
    people: People, cli: Cli, db_url: str, session: Session
) -> None:
    # One writer appends to the audit chain and then locks a task; the other locks the task and
    # then appends. Without the writers' lock that every writing command takes first, each would
    # wait for the other and PostgreSQL would abort one of them as a deadlock.
    import contextlib
    import threading

    from opsctl.db import open_engine, session_scope
    from opsctl.services import audit
    from opsctl.services.locks import lock_row
    from opsctl.settings import resolve_database

    made = cli("task", "add", "Shared", "--assignee", "wei", "-f", "json", user="wei")
    task_id = made.json()["id"]
    engine = open_engine(resolve_database(db_url))
    both_began = threading.Barrier(2, timeout=1)
    errors: list[BaseException] = []

    def writer(audit_first: bool) -> None:
        try:
            with session_scope(engine) as own:
                with contextlib.suppress(threading.BrokenBarrierError):
                    both_began.wait()  # meet the other writer, unless it waits for this one's lock
                steps = [lambda: audit.record(own, now=DEFAULT_NOW, actor=None, action="test.step",
                                              entity="task", entity_id=task_id),
                         lambda: lock_row(own, Task, task_id)]
                for step in steps if audit_first else reversed(steps):
                    step()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(first,)) for first in (True, False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    engine.dispose()
    assert errors == []
    session.commit()  # a fresh look at what the writers wrote
    assert _audited(session, "task", task_id).count("test.step") == 2
