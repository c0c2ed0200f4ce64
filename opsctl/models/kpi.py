"""KPI: templates of weighted indicators, cycles (a month, quarter or year), the scores
raters give, and what a closed cycle keeps of the people it judged."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field

from opsctl.models.base import Table, UTCDateTime

CATEGORIES = ("performance", "ability", "attitude")
SOURCES = ("rated", "attendance", "tasks")
RATER_ROLES = ("self", "supervisor", "peer", "customer")
CYCLE_STATUSES = ("open", "closed")


class KpiTemplate(Table, table=True):
    """A named set of indicators; never changed once made (cycles keep pointing at it)."""

    __tablename__ = "kpi_template"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=40)
    description: str | None = Field(default=None, max_length=200)
    created_by_id: int | None = Field(default=None, foreign_key="employee.id")
    created_at: datetime = Field(sa_type=UTCDateTime)


class KpiIndicator(Table, table=True):
    __tablename__ = "kpi_indicator"
    __table_args__ = (UniqueConstraint("template_id", "key", name="uq_kpi_indicator_key"),)

    id: int | None = Field(default=None, primary_key=True)
    template_id: int = Field(foreign_key="kpi_template.id")
    position: int
    key: str = Field(max_length=40)
    name: str = Field(max_length=120)
    category: str = Field(max_length=16)
    weight: float  # points out of 100
    source: str = Field(default="rated", max_length=16)


class KpiCycle(Table, table=True):
    """One scoring period, for everybody or for one team, on one template."""

    __tablename__ = "kpi_cycle"
    # One cycle per period and team; NULLs are distinct, so the cycle for everybody (no team)
    # has its own partial index (migration 0008), declared with its WHERE as the migration makes
    # it: Alembic's comparison leaves an index's WHERE out, tests/test_migrations.py compares it.
    # (Naming PostgreSQL's option imports that dialect wherever this model is loaded, ~25 ms on
    # SQLite.) A period with both kinds is refused by the service.
    __table_args__ = (
        UniqueConstraint("name", "team_id", name="uq_kpi_cycle_name_team"),
        Index("uq_kpi_cycle_name_everybody", "name", unique=True, sqlite_where=text("team_id IS NULL"),
              postgresql_where=text("team_id IS NULL")),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=10)  # 2026-03, 2026Q1 or 2026
    kind: str = Field(max_length=8)  # month, quarter, year
    start: date
    end: date
    template_id: int = Field(foreign_key="kpi_template.id")
    team_id: int | None = Field(default=None, foreign_key="team.id")  # None: every team
    status: str = Field(default="open", max_length=8)
    opened_by_id: int = Field(foreign_key="employee.id")
    opened_at: datetime = Field(sa_type=UTCDateTime)
    closed_by_id: int | None = Field(default=None, foreign_key="employee.id")
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class KpiScore(Table, table=True):
    """One rater's score of one indicator of one person; scoring again replaces it."""

    __tablename__ = "kpi_score"
    # The unique key (cycle first) also serves the cycle's lookups.
    __table_args__ = (
        UniqueConstraint("cycle_id", "employee_id", "indicator", "role", "rater_id", name="uq_kpi_score_rater"),
    )

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="kpi_cycle.id")
    employee_id: int = Field(foreign_key="employee.id")
    indicator: str = Field(max_length=40)
    role: str = Field(max_length=16)
    rater_id: int = Field(foreign_key="employee.id")  # for `customer`: who entered it
    score: float
    comment: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class KpiMember(Table, table=True):
    """Who a cycle judged and their computed indicators, frozen when the cycle closes,
    so its results do not drift when people move teams or attendance is corrected."""

    __tablename__ = "kpi_member"
    __table_args__ = (UniqueConstraint("cycle_id", "employee_id", name="uq_kpi_member"),)

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="kpi_cycle.id")
    employee_id: int = Field(foreign_key="employee.id", index=True)
    computed: str = "{}"  # JSON: key -> {"value": number | null, "detail": text}


# -- what follows from a score: the appraisal talk and the improvement plan -----------------

TALK_STATUSES = ("unconfirmed", "confirmed", "disagreed")
PLAN_STATUSES = ("open", "closed")
PLAN_OUTCOMES = ("met", "extended", "not_met")


class KpiTalk(Table, table=True):
    """The appraisal talk (绩效面谈) about one person's result of one period, and whether
    they confirmed reading it or disagreed (a disagreement goes to HR)."""

    __tablename__ = "kpi_talk"
    __table_args__ = (UniqueConstraint("employee_id", "cycle", name="uq_kpi_talk"),)

    id: int | None = Field(default=None, primary_key=True)
    employee_id: int = Field(foreign_key="employee.id")
    cycle: str = Field(max_length=10, index=True)  # the period's label: 2026-03, 2026Q1 or 2026
    held_on: date
    reviewer_id: int = Field(foreign_key="employee.id")
    participants: str = Field(default="", max_length=400)  # logins besides the person and reviewer, comma-separated
    strengths: str = Field(max_length=2000)
    gaps: str = Field(max_length=2000)
    goals: str = Field(max_length=2000)
    own_comment: str | None = Field(default=None, max_length=2000)
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    disagreement: str | None = Field(default=None, max_length=500)


class KpiPlan(Table, table=True):
    """An improvement plan (改进计划) after a weak result: a goal, a due date, items tracked
    as tasks (`KpiPlanItem`), and the outcome it was closed with."""

    __tablename__ = "kpi_plan"
    __table_args__ = (UniqueConstraint("employee_id", "cycle", name="uq_kpi_plan"),)

    id: int | None = Field(default=None, primary_key=True)
    employee_id: int = Field(foreign_key="employee.id")
    cycle: str = Field(max_length=10, index=True)
    grade: str | None = Field(default=None, max_length=8)  # the grade that called for it, when there was one
    goal: str = Field(max_length=500)
    due: date = Field(index=True)
    status: str = Field(default="open", max_length=8)
    flagged: bool = False  # the person had `kpi.plan_flag_after` such grades in a row: HR was told
    extensions: int = 0
    outcome: str | None = Field(default=None, max_length=12)
    outcome_note: str | None = Field(default=None, max_length=500)
    created_by_id: int = Field(foreign_key="employee.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    closed_by_id: int | None = Field(default=None, foreign_key="employee.id")
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class KpiPlanItem(Table, table=True):
    """One item of a plan: a task (owner, due date, status) of the tasks area."""

    __tablename__ = "kpi_plan_item"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="kpi_plan.id", index=True)
    task_id: int = Field(foreign_key="task.id", unique=True)
