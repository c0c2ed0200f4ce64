"""A closed KPI month for the tests of talks, plans and merits: 2026-02 on a rated-only template,
scored by mona (wei 95 → A, na 65 → D, sam 50 → E; leo unscored, incomplete) and closed on
2026-03-18 (the test clock's day)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from opsctl.clock import FixedClock
from opsctl.dates import Period, parse_cycle
from tests.conftest import People

RATED = ("results", "projects", "customer", "skills", "communication", "learning", "problem_solving",
         "responsibility", "teamwork", "initiative")
TODAY = date(2026, 3, 18)
SCORES = {"wei": 95, "na": 65, "sam": 50}


def month(label: str = "2026-02") -> Period:
    return parse_cycle(label, today=TODAY)


def closed_month(session: Session, people: People, clock: FixedClock, label: str = "2026-02", *,
                 scores: dict[str, int] | None = None, close: bool = True) -> Period:
    """``label`` scored (``scores``, default `SCORES`) by mona and closed; the template made once."""
    from sqlmodel import select

    from opsctl.models.kpi import KpiTemplate
    from opsctl.services.kpi import close_cycle, derive_template, get_cycle, open_cycle, score_person

    session.commit()  # a fresh snapshot: the commands run meanwhile (`cli`) wrote on other connections
    now = clock.now()
    if session.exec(select(KpiTemplate.id).where(KpiTemplate.name == "rated")).first() is None:
        derive_template(session, actor=people.ada, now=now, name="rated", weights={"discipline": "0",
                                                                                    "initiative": "4"})
    period = month(label)
    open_cycle(session, actor=people.ada, now=now, period=period, template="rated")
    for login, value in (scores or SCORES).items():
        score_person(session, actor=people.mona, now=now, period=period, person=people.by_login[login],
                     role="supervisor", scores={key: str(value) for key in RATED})
    if close:
        close_cycle(session, actor=people.ada, now=now, today=TODAY, cycle=get_cycle(session, period))
    session.commit()
    return period
