"""Writing, submitting and reviewing work reports, and raising a problem of one as a task."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from opsctl.errors import Conflict, InvalidInput, NotAllowed, NotFound
from opsctl.models.people import Employee
from opsctl.models.workreports import WorkReport, WorkReportTask
from opsctl.services.workreports.drafts import Sections, draft_text, gather_facts, parse_sections, sections_markdown
from opsctl.services.workreports.periods import ReportPeriod, ReportRules, check_not_future, deadlines

ANY: Any = object()  # save_report(based_on=…) not given: replace whatever is stored


def get_report(session: Session, report_id: int) -> WorkReport:
    report = session.get(WorkReport, report_id)
    if report is None:
        raise NotFound(f"no work report {report_id}; `opsctl report list` shows them")
    return report


def find_report(session: Session, person: Employee, period: ReportPeriod) -> WorkReport | None:
    return session.exec(select(WorkReport).where(
        WorkReport.employee_id == person.id, WorkReport.kind == period.kind,
        WorkReport.period_start == period.start)).first()


def period_of(report: WorkReport) -> ReportPeriod:
    return ReportPeriod(report.kind, report.period_start, report.period_end)


def _local(session: Session, instant: datetime | None, form: str = "%Y-%m-%d %H:%M") -> str:
    """An instant as the team reads it, for a message."""
    from opsctl.services.config import team_timezone

    return f"{instant.astimezone(team_timezone(session)):{form}}" if instant is not None else "?"


def _refuse_reviewed(session: Session, report: WorkReport, doing: str) -> None:
    if report.status == "reviewed":
        raise Conflict(f"work report {report.id} was reviewed on {_local(session, report.reviewed_at, '%Y-%m-%d')}, "
                       f"so {doing} is no longer possible; write what changed in your next report")


@dataclass(frozen=True)
class Draft:
    """What `report day|week` opens: the saved report as text, or a draft from the person's data."""

    period: ReportPeriod
    text: str
    report: WorkReport | None

    @property
    def based_on(self) -> datetime | None:
        return self.report.updated_at if self.report is not None else None


def open_draft(session: Session, *, actor: Employee, now: datetime, today: date, period: ReportPeriod) -> Draft:
    """``actor``'s report of ``period`` as Markdown: the saved one, or a draft prefilled from their data."""
    check_not_future(period, today)
    report = find_report(session, actor, period)
    if report is not None:
        _refuse_reviewed(session, report, "changing it")
        title = f"# {period.kind.capitalize()} report {period.label} — {actor.name} ({actor.login})\n\n"
        return Draft(period, title + sections_markdown(Sections(report.done, report.planned, report.problems)),
                     report)
    rules = ReportRules.load(session)
    facts = gather_facts(session, person=actor, period=period, today=today, now=now, tz=rules.tz)
    return Draft(period, draft_text(actor, period, facts), None)


def save_report(session: Session, *, actor: Employee, now: datetime, today: date, period: ReportPeriod,
                text: str | None, submit: bool = False, based_on: Any = ANY) -> WorkReport:
    """Save ``actor``'s report of ``period`` from Markdown (a new draft, or a change to their draft or
    submitted report), and submit it with ``submit``. ``based_on``: the `updated_at` of the report
    the text was edited from (None: there was none); if it changed meanwhile, Conflict.
    ``text`` None with ``submit``: submit what is saved."""
    check_not_future(period, today)
    report = find_report(session, actor, period)
    if based_on is not ANY and (report.updated_at if report is not None else None) != based_on:
        raise Conflict(f"your {period.kind} report {period.label} was changed meanwhile (by another opsctl)")
    if report is not None:
        _refuse_reviewed(session, report, "changing it")
        if submit and report.status == "submitted":
            raise Conflict(f"work report {report.id} was submitted on {_local(session, report.submitted_at)}; "
                           "to change it, save it again without --submit (it stays submitted)")
    if text is None:
        if report is None:
            raise InvalidInput(f"there is no {period.kind} report {period.label} to submit yet; write it with "
                               f"`opsctl report {period.kind} {period.label} --edit` (or --file F)")
    else:
        sections = parse_sections(text)
        if sections.is_empty():
            raise InvalidInput("the report is empty; write what was done, what is planned next, or the problems")
        if report is None:
            report = WorkReport(employee_id=actor.id or 0, kind=period.kind, period_start=period.start,
                                period_end=period.end, created_at=now, updated_at=now)
            session.add(report)
        report.done, report.planned, report.problems = sections.done, sections.planned, sections.problems
        report.updated_at = now
    session.flush()
    if submit:
        _submit(session, report, actor=actor, now=now)
    return report


def submit_report(session: Session, *, actor: Employee, now: datetime, report_id: int) -> WorkReport:
    """Submit ``actor``'s own draft; a report past its deadline is marked late."""
    report = get_report(session, report_id)
    if report.employee_id != actor.id:
        raise NotAllowed(f"work report {report_id} is not {actor.login}'s; everybody submits their own")
    _refuse_reviewed(session, report, "submitting it again")
    if report.status == "submitted":
        raise Conflict(f"work report {report.id} was submitted on {_local(session, report.submitted_at)}; to change "
                       f"it, `opsctl report {report.kind} {period_of(report).label} --edit` (it stays submitted)")
    _submit(session, report, actor=actor, now=now)
    return report


def _submit(session: Session, report: WorkReport, *, actor: Employee, now: datetime) -> None:
    if Sections(report.done, report.planned, report.problems).is_empty():
        raise InvalidInput(f"work report {report.id} is empty; write it before submitting it")
    period = period_of(report)
    due = deadlines(session, ReportRules.load(session), [actor], [period])[(actor.id or 0, period)]
    report.status, report.submitted_at, report.deadline, report.late = "submitted", now, due, now > due
    report.updated_at = now
    session.flush()


def may_review(session: Session, actor: Employee, person: Employee) -> bool:
    """The person's manager (up the chain) or the lead of their team; never the person."""
    from opsctl.services.access import OrgChart

    chart = OrgChart.load(session)
    return actor.id != person.id and (chart.manages(actor.id, person.id)
                                      or chart.lead_of(chart.team_of(person.id)) == actor.id)


def review_report(session: Session, *, actor: Employee, now: datetime, report_id: int,
                  comment: str | None) -> WorkReport:
    """Mark a submitted report reviewed, with an optional comment (manager or team lead)."""
    from opsctl.services import audit
    from opsctl.services.access import optional_reason

    report = get_report(session, report_id)
    person = session.get(Employee, report.employee_id)
    assert person is not None
    if person.id == actor.id:
        raise NotAllowed("nobody reviews their own report; your manager or team lead does")
    if not may_review(session, actor, person):
        raise NotAllowed(f"{actor.login} may not review {person.login}'s report: only their manager or their "
                         "team lead may")
    text = optional_reason(comment, "--comment")
    if report.status == "draft":
        raise Conflict(f"work report {report.id} is a draft {person.login} has not submitted yet")
    _refuse_reviewed(session, report, "reviewing it again")
    report.status, report.reviewed_by_id, report.reviewed_at, report.review_comment = "reviewed", actor.id, now, text
    session.flush()
    audit.record(session, now=now, actor=actor, action="workreport.review", entity="work_report",
                 entity_id=report.id, subject=person, details={"comment": text})
    return report


def raise_problem(session: Session, *, actor: Employee, now: datetime, today: date, report_id: int,
                  item: int | None = None, title: str | None = None, assignee: str | None = None,
                  due: date | None = None, project: str | None = None) -> tuple[WorkReport, int, int]:
    """Make problem ``item`` (1…) of a report a task: by its author, their manager or team lead.
    Returns the report, the item and the new task's id; a problem becomes one task only."""
    from opsctl.services import audit
    from opsctl.services.tasks import add_task
    from opsctl.services.workreports.drafts import problem_items

    report = get_report(session, report_id)
    person = session.get(Employee, report.employee_id)
    assert person is not None
    if actor.id != person.id and not may_review(session, actor, person):
        raise NotAllowed(f"{actor.login} may not raise the problems of {person.login}'s report: only they, their "
                         "manager or their team lead may")
    items = problem_items(report.problems)
    if not items:
        raise InvalidInput(f"work report {report.id} lists no problems")
    if item is None and len(items) > 1:
        raise InvalidInput(f"work report {report.id} lists {len(items)} problems; say which with --item 1…{len(items)}")
    number = item or 1
    if not 1 <= number <= len(items):
        raise InvalidInput(f"work report {report.id} lists {len(items)} problem(s); --item goes from 1 to "
                           f"{len(items)}")
    raised = session.exec(select(WorkReportTask.task_id).where(
        WorkReportTask.report_id == report.id, WorkReportTask.item == number)).first()
    if raised is not None:
        raise Conflict(f"problem {number} of work report {report.id} is task #{raised} already (`opsctl task show "
                       f"{raised}`)")
    name = (title or items[number - 1]).strip()
    told = f"Problem {number} of work report {report.id} ({person.login}, {report.kind} {period_of(report).label}): "
    task = add_task(session, actor=actor, now=now, today=today, title=name[:197] + "…" if len(name) > 200 else name,
                    project=project, assignee=assignee if assignee is not None else person.login, due=due,
                    description=(told + items[number - 1])[:3900])
    session.add(WorkReportTask(report_id=report.id or 0, item=number, task_id=task.id or 0, created_at=now,
                               created_by_id=actor.id or 0))
    session.flush()
    if actor.id != person.id:
        audit.record(session, now=now, actor=actor, action="workreport.raise", entity="work_report",
                     entity_id=report.id, subject=person, details={"item": number, "task": task.id})
    return report, number, task.id or 0


def raised_tasks(session: Session, report_ids: list[int]) -> dict[int, dict[int, int]]:
    """The tasks raised from each report: report id -> {item: task id}."""
    found: dict[int, dict[int, int]] = {}
    if report_ids:
        for report_id, item, task_id in session.exec(select(
                WorkReportTask.report_id, WorkReportTask.item, WorkReportTask.task_id)
                .where(col(WorkReportTask.report_id).in_(report_ids))):
            found.setdefault(report_id, {})[item] = task_id
    return found
