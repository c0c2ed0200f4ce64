"""The demo's follow-up of a score: a cycle of the Operations team for the month 2026-03 (`MONTH`:
inside the open quarter 2026Q1, so `kpi quarter` still shows that quarter, and of one team, so the
others' latest result stays the quarter's) scored by each person's manager and closed (discipline
from the quarter's punches); the appraisal talks with Zhang Wei (confirmed) and Omar (still to
confirm); an improvement plan for Omar's D, its items as tasks; the month's suggested rewards
accepted by HR (one approved by the manager, one waiting) and a warning added by the lead and
approved. And the overview: where that stands, with the commands to follow it."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlmodel import Session

from opsctl.demo.build import DemoInfo
from opsctl.models.people import Employee
from opsctl.reports.tabular import Column, Tabular

RATED = ("results", "projects", "customer", "skills", "communication", "learning", "problem_solving",
         "responsibility", "teamwork", "initiative")
# each person's supervisor score, the same on every rated indicator (their manager rates them)
SCORES = {"zhangwei": 93, "lina": 84, "omar": 62, "liuyang": 88}
MONTH = "2026-03"


def load_merits(session: Session, *, sample: Path, demo: DemoInfo, admin: Employee) -> None:
    from opsctl.dates import parse_month
    from opsctl.services.kpi import (
        add_plan,
        close_cycle,
        confirm_talk,
        get_cycle,
        open_cycle,
        record_talk,
        score_person,
    )
    from opsctl.services.merits import accept_suggestions, add_merit, approve_merit, suggest_merits
    from opsctl.services.people import get_person

    month = parse_month(MONTH, today=demo.today)
    person = {login: get_person(session, login) for login in (*SCORES, "wangfang", "zhaomin")}
    held, now = demo.today - timedelta(days=1), demo.now
    open_cycle(session, actor=person["wangfang"], now=now, period=month, team="Operations")
    for login, score in SCORES.items():
        manager = session.get(Employee, person[login].manager_id)
        assert manager is not None
        score_person(session, actor=manager, now=now, period=month, person=person[login], role="supervisor",
                     scores={key: str(score) for key in RATED})
    close_cycle(session, actor=person["wangfang"], now=now, today=demo.today, cycle=get_cycle(session, month))
    lead = person["liuyang"]
    record_talk(session, actor=lead, now=now, today=demo.today, person=person["zhangwei"], period=month,
                held_on=held, strengths="Incident reviews written the same day; the on-call runbook rewritten",
                gaps="Estimates of larger tasks", goals="Lead the June alerting review", participants=["zhaomin"])
    confirm_talk(session, actor=person["zhangwei"], now=now, person=person["zhangwei"], period=month)
    record_talk(session, actor=lead, now=now, today=demo.today, person=person["omar"], period=month, held_on=held,
                strengths="Calm with customers on the phone", gaps="Tickets left open for days; late four times",
                goals="Close tickets within two days; be on time", own_comment="May was a hard month at home")
    add_plan(session, actor=lead, now=now, today=demo.today, person=person["omar"], period=month,
             goal="Close tickets within two days and be on time through July", due=date(2026, 7, 31),
             items=["Daily ticket review with Liu Yang", "Pair with Zhang Wei on two incident reviews"])
    lines = suggest_merits(session, viewer=person["zhaomin"], period=month, today=demo.today)
    wanted = [line["id"] for line in lines if line["id"].endswith((":grade_a", "lina:clean"))]
    made = accept_suggestions(session, actor=person["zhaomin"], now=now, today=demo.today, ids=wanted)
    first = next(m for m in made if m.employee_id == person["zhangwei"].id)  # lina's waits
    approve_merit(session, actor=lead, now=now, merit_id=first.id or 0)
    warning = add_merit(session, actor=lead, now=now, person=person["omar"], kind="penalty", category="warning",
                        points="2", reason="Customer tickets left open for over a week", cycle=month)
    approve_merit(session, actor=person["wangfang"], now=now, merit_id=warning.id or 0)


def merits_overview(session: Session, *, demo: DemoInfo) -> Tabular:
    from opsctl.dates import parse_month
    from opsctl.services.kpi import list_plans, list_talks
    from opsctl.services.merits import list_merits
    from opsctl.services.people import get_person

    month = parse_month(MONTH, today=demo.today)
    hr = get_person(session, "zhaomin")
    rows = [{"what": "appraisal talk", "login": t["login"], "detail": f"with {t['reviewer']} on {t['held_on']}",
             "status": t["status"]} for t in list_talks(session, viewer=hr, period=month)]
    rows += [{"what": "improvement plan", "login": p["login"], "detail": f"#{p['id']} grade {p['grade']}, "
              f"due {p['due']}, {p['items']} items", "status": p["status"]}
             for p in list_plans(session, viewer=hr, today=demo.today, period=month)]
    rows += [{"what": m["kind"], "login": m["login"], "detail": f"{m['category']}, {m['points']:+d} points",
              "status": m["status"]} for m in reversed(list_merits(session, viewer=hr, cycle=month))]
    notes = [
        demo.hint("Whose talk is still due", f"kpi review missing --cycle {MONTH}", login="liuyang"),
        demo.hint("Omar's plan and its tasks", "kpi plan show 1", login="omar"),
        demo.hint("Omar's day: a talk to confirm", "today", login="omar"),
        demo.hint("Rewards and penalties the month calls for", f"merit suggest --cycle {MONTH}",
                  login="zhaomin"),
    ]
    return Tabular(f"After the {MONTH} results: talks, plans, rewards and penalties",
                   [Column("what", "What", kind="code"), Column("login", "Who", kind="login"),
                    Column("detail", "Detail"), Column("status", "Status", kind="code")], rows, notes=notes)
