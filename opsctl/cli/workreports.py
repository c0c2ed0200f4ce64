"""`opsctl report`: daily and weekly work reports (日报/周报) — write from a prefilled draft,
submit, review, who has not reported, raise a problem as a task, export the team's week."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from opsctl.cli.base import FormatOption, group
from opsctl.cli.context import AppContext

app = group("Work reports: write a day or week report, submit, review, who is missing, export the week.")

ReportId = Annotated[int, typer.Argument(metavar="ID", help="A report's id (see `opsctl report list`).")]
FileOpt = Annotated[Path | None, typer.Option("--file", metavar="F", help="Save the report from this Markdown "
                                                                          "file ('-' reads stdin).")]
EditOpt = Annotated[bool, typer.Option("--edit", help="Write it in $VISUAL/$EDITOR, from the saved report or a "
                                                      "draft filled in from your tasks, hours and meetings.")]
SubmitOpt = Annotated[bool, typer.Option("--submit", help="Submit it too (or submit what is saved).")]
WeekOpt = Annotated[str | None, typer.Option("--week", metavar="WEEK", help="2026-W12, this, last, or a day of "
                                                                            "the week.")]
TeamOpt = Annotated[str | None, typer.Option("--team", metavar="TEAM", help="Only this team.")]


def _write(ctx: typer.Context, kind: str, when: str | None, *, edit: bool, file: Path | None, submit: bool,
           fmt: Any) -> None:
    """Print the report (or its draft), or save it from --file/--edit, or submit it."""
    from opsctl.cli.textedit import kept_on_conflict, read_text, run_editor
    from opsctl.errors import InvalidInput
    from opsctl.services.workreports import ANY, open_draft, period_named, save_report

    state = AppContext.of(ctx)
    if file is not None and edit:
        raise InvalidInput("give either --file or --edit, not both")
    based_on: Any = ANY
    text: str | None = None
    if edit or (file is None and not submit):  # the editor runs outside any transaction
        with state.session(write=False) as session:
            today = state.today(session)
            period = period_named(session, kind=kind, text=when, today=today)
            draft = open_draft(session, actor=state.actor(session), now=state.now(), today=today, period=period)
        if not edit:
            return _print(state, draft.text, fmt)
        text, based_on = run_editor(draft.text, what="the report", prefix="opsctl-report-"), draft.based_on
        if draft.report is not None and text.strip() == draft.text.strip() and not submit:
            return state.notice(f"Your {kind} report {period.label} is unchanged; nothing was saved.")
    elif file is not None:
        text = read_text(file, what="the report")
    with kept_on_conflict(text or "", keep=edit, prefix="opsctl-report-",
                          merge_with=f"opsctl report {kind} {when or ''}".rstrip()), state.session() as session:
        today = state.today(session)
        period = period_named(session, kind=kind, text=when, today=today)
        report = save_report(session, actor=state.actor(session), now=state.now(), today=today, period=period,
                             text=text, submit=submit, based_on=based_on)
        _saved(state, session, report, fmt)


def _print(state: AppContext, text: str, fmt: Any) -> None:
    from opsctl.reports.formats import OutputFormat
    from opsctl.reports.tabular import Record

    if fmt in (None, OutputFormat.table):
        from opsctl.cli.meetings_io import write_output

        return write_output(state, text if text.endswith("\n") else text + "\n", None)
    state.render(Record("Report draft", {"text": text}), fmt)
    return None


def _saved(state: AppContext, session: Any, report: Any, fmt: Any) -> None:
    from opsctl.reports.workreports import report_record
    from opsctl.services.workreports import report_details

    state.tz(session)
    details = report_details(session, viewer=state.actor(session), report_id=report.id)
    if report.status == "draft":
        told = f"Saved your {report.kind} report {details['period']} as draft {report.id}; submit it with " \
               f"`opsctl report submit {report.id}`."
    else:
        told = f"Your {report.kind} report {details['period']} ({report.id}) is submitted" + \
               (f" — late: it was due {report.deadline.astimezone(state.tz(session)):%Y-%m-%d %H:%M}." if report.late
                else ".")
    state.notice(told)
    state.render(report_record(details), fmt)


@app.command("day")
def day(ctx: typer.Context,
        when: Annotated[str | None, typer.Argument(metavar="[DATE]", help="The day (default: today).")] = None,
        edit: EditOpt = False, file: FileOpt = None, submit: SubmitOpt = False, fmt: FormatOption = None) -> None:
    """Your day report (日报): print it or its draft, or write it (--edit, --file F, --file -).

    A new report starts from a draft filled in from your data: tasks done and started, meetings
    attended, hours worked, what is due next, the tasks blocked now. Sections: Done, Planned
    next, Problems and help needed.
    """
    _write(ctx, "day", when, edit=edit, file=file, submit=submit, fmt=fmt)


@app.command("week")
def week(ctx: typer.Context,
         when: Annotated[str | None, typer.Argument(metavar="[WEEK]", help="2026-W12, this, last, or a day of "
                                                                          "the week (default: this week).")] = None,
         edit: EditOpt = False, file: FileOpt = None, submit: SubmitOpt = False, fmt: FormatOption = None) -> None:
    """Your week report (周报): print it or its draft, or write it (--edit, --file F, --file -).

    Like `report day`, for a week; it is due by the `report.week_deadline` setting after the
    week (default Monday 10:00). A submitted report may be changed until it is reviewed.
    """
    _write(ctx, "week", when, edit=edit, file=file, submit=submit, fmt=fmt)


@app.command("submit")
def submit(ctx: typer.Context, report_id: ReportId, fmt: FormatOption = None) -> None:
    """Submit your saved report; one past its deadline is marked late."""
    from opsctl.services.workreports import submit_report

    state = AppContext.of(ctx)
    with state.session() as session:
        report = submit_report(session, actor=state.actor(session), now=state.now(), report_id=report_id)
        _saved(state, session, report, fmt)


@app.command("show")
def show(ctx: typer.Context, report_id: ReportId, fmt: FormatOption = None) -> None:
    """One report: its sections, deadline, late or not, the review, the tasks raised from it."""
    from opsctl.reports.workreports import report_record
    from opsctl.services.workreports import report_details

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        state.tz(session)
        details = report_details(session, viewer=state.actor(session), report_id=report_id)
    state.render(report_record(details), fmt)


@app.command("list")
def list_(ctx: typer.Context,
          person: Annotated[str | None, typer.Option("--person", metavar="LOGIN", help="Only this person.")] = None,
          team: TeamOpt = None, week_: WeekOpt = None, fmt: FormatOption = None) -> None:
    """The reports you may see (yours, your people's), newest first; drafts are their authors' own."""
    from opsctl.reports.workreports import reports_table
    from opsctl.services.people import get_person
    from opsctl.services.workreports import list_reports, period_named

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        state.tz(session)
        period = period_named(session, kind="week", text=week_, today=state.today(session)) if week_ else None
        rows = list_reports(session, viewer=state.actor(session), person=get_person(session, person) if person
                            else None, team=team, week=period)
    state.render(reports_table(rows, title=f"Work reports, week {period.label}" if period else "Work reports"), fmt)


@app.command("review")
def review(ctx: typer.Context, report_id: ReportId,
           comment: Annotated[str | None, typer.Option("--comment", metavar="TEXT", help="What you say about it "
                                                                                        "(1–500 characters).")] = None,
           fmt: FormatOption = None) -> None:
    """Mark a submitted report reviewed, with a comment (the author's manager or team lead)."""
    from opsctl.services.workreports import review_report

    state = AppContext.of(ctx)
    with state.session() as session:
        report = review_report(session, actor=state.actor(session), now=state.now(), report_id=report_id,
                               comment=comment)
        _reviewed(state, session, report, fmt)


def _reviewed(state: AppContext, session: Any, report: Any, fmt: Any) -> None:
    from opsctl.reports.workreports import report_record
    from opsctl.services.workreports import report_details

    state.tz(session)
    details = report_details(session, viewer=state.actor(session), report_id=report.id)
    state.notice(f"Reviewed {details['login']}'s {report.kind} report {details['period']} ({report.id}).")
    state.render(report_record(details), fmt)


@app.command("raise")
def raise_(ctx: typer.Context, report_id: ReportId,
           item: Annotated[int | None, typer.Option("--item", metavar="N", help="Which problem (1…; needed when "
                                                                                "it lists several).")] = None,
           title: Annotated[str | None, typer.Option("--title", metavar="TEXT", help="The task's title (default: "
                                                                                    "the problem).")] = None,
           assignee: Annotated[str | None, typer.Option("--assignee", metavar="LOGIN", help="Who does it (default: "
                                                                                          "the report's author).")]
           = None,
           due: Annotated[str | None, typer.Option("--due", metavar="DATE", help="Due date.")] = None,
           project: Annotated[str | None, typer.Option("--project", metavar="CODE", help="Its project.")] = None,
           fmt: FormatOption = None) -> None:
    """Make a problem of a report a task (its author, their manager or team lead)."""
    from opsctl.reports.tasks import task_record
    from opsctl.services.tasks import allowed_task_steps, get_task, parse_day, task_row
    from opsctl.services.workreports import raise_problem

    state = AppContext.of(ctx)
    with state.session() as session:
        today = state.today(session)
        _, number, task_id = raise_problem(
            session, actor=state.actor(session), now=state.now(), today=today, report_id=report_id, item=item,
            title=title, assignee=assignee, due=parse_day(session, due, today=today, option="--due") if due else None,
            project=project)
        state.notice(f"Problem {number} of work report {report_id} is now task #{task_id}.")
        task = get_task(session, task_id)
        state.render(task_record(task_row(session, task, today=today), allowed_task_steps(task.status)), fmt)


@app.command("missing")
def missing(ctx: typer.Context, week_: WeekOpt = None, team: TeamOpt = None, fmt: FormatOption = None) -> None:
    """Who has not submitted the reports of a week (default: last week), of the people you see.

    Only people whose role is expected to report (`report.roles`), for the kinds expected
    (`report.kinds`); workdays, holidays and approved leave count: a week all on leave owes nothing.
    """
    from opsctl.reports.workreports import missing_table
    from opsctl.services.workreports import missing_reports, period_named

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        state.tz(session)
        today = state.today(session)
        period = period_named(session, kind="week", text=week_, today=today, weeks_back=1)
        rows = missing_reports(session, viewer=state.actor(session), now=state.now(), today=today, week=period,
                               team=team)
    state.render(missing_table(rows, week=period.label), fmt)


@app.command("export")
def export(ctx: typer.Context,
           week_: Annotated[str, typer.Option("--week", metavar="WEEK", help="2026-W12, this, last, or a day of "
                                                                            "the week.")],
           as_: Annotated[str, typer.Option("--as", metavar="md|xlsx", help="md: one Markdown document; xlsx: a "
                                                                           "workbook (needs -o).")] = "md",
           team: TeamOpt = None,
           output: Annotated[Path | None, typer.Option("-o", "--output", metavar="FILE", help="Write here "
                                                                                             "(md default: stdout).")]
           = None,
           force: Annotated[bool, typer.Option("--force", help="Replace the -o file if it exists.")] = False) -> None:
    """The team's week in one document: every submitted report, and who has not reported."""
    from opsctl.errors import InvalidInput
    from opsctl.reports.outfile import check_output
    from opsctl.services.workreports import period_named, week_export

    kind = as_.lower()
    if kind not in ("md", "xlsx"):
        raise InvalidInput(f"--as {as_!r} is not one of: md, xlsx")
    if kind == "xlsx" and output is None:
        raise InvalidInput("--as xlsx writes a workbook: give its name with -o FILE.xlsx")
    if output is not None:
        if kind == "xlsx":
            from opsctl.reports.excel import check_target

            check_target(output, force=force, example="week.xlsx")
        else:
            check_output(output, force=force, example="week.md")
    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        today = state.today(session)
        period = period_named(session, kind="week", text=week_, today=today)
        data = week_export(session, viewer=state.actor(session), now=state.now(), today=today, week=period,
                           team=team)
    _write_export(state, data, kind, output, force=force)


def _write_export(state: AppContext, data: dict[str, Any], kind: str, output: Path | None, *, force: bool) -> None:
    from opsctl.cli.meetings_io import write_output
    from opsctl.reports.workreports import week_markdown, write_week_workbook

    if kind == "md":
        return write_output(state, week_markdown(data), output, force=force)
    assert output is not None
    write_week_workbook(data, output, force=force)
    state.notice(f"Wrote {output}")
    return None
