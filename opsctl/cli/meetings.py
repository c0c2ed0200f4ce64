"""`opsctl meeting`: schedule meetings (one-off or recurring), take attendance, keep minutes,
record decisions and action items, follow them up, export .md and .ics."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from opsctl.cli.base import FormatOption, group
from opsctl.cli.context import AppContext

app = group("Meetings: schedule, attendance, minutes, decisions, action items, follow-up, export.")

Ref = Annotated[str, typer.Argument(metavar="ID", help="A meeting (N) or one occurrence of a series (N.K).")]
Logins = Annotated[str | None, typer.Option(metavar="L,L", help="Logins, comma-separated.")]


def _show_occurrence(state: AppContext, session: Any, ref: str, fmt: Any) -> None:
    from opsctl.reports.meetings import occurrence_record
    from opsctl.services.meetings import find_occurrence, occurrence_details

    state.tz(session)
    details = occurrence_details(session, viewer=state.actor(session), occurrence=find_occurrence(session, ref),
                                 now=state.now())
    state.render(occurrence_record(details), fmt)


def _show_any(state: AppContext, session: Any, ref: str, fmt: Any) -> None:
    """A series id shows the series; anything else one occurrence."""
    from opsctl.reports.meetings import series_record
    from opsctl.services.meetings import get_meeting, parse_ref, series_details

    meeting_id, seq = parse_ref(ref)
    meeting = get_meeting(session, meeting_id)
    if seq is None and meeting.rule:
        state.tz(session)
        data = series_details(session, viewer=state.actor(session), meeting=meeting, now=state.now())
        state.render(series_record(data), fmt)
    else:
        _show_occurrence(state, session, ref, fmt)


@app.command("new")
def new(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(metavar="TITLE", help="What the meeting is called.")],
    at: Annotated[str, typer.Option("--at", metavar="WHEN", help="Start in the team timezone: 'YYYY-MM-DD HH:MM' or "
                                                 "'tomorrow 10:00'; the first one of a series.")],
    duration: Annotated[int, typer.Option("--duration", metavar="MIN", help="Length in minutes.")] = 60,
    location: Annotated[str | None, typer.Option(metavar="TEXT", help="Room or link.")] = None,
    with_: Annotated[str | None, typer.Option("--with", metavar="L,L", help="Invite these logins.")] = None,
    team: Annotated[str | None, typer.Option(metavar="T", help="Invite every active member of this team.")] = None,
    agenda: Annotated[list[str] | None, typer.Option("--agenda", metavar="TEXT",
                                                     help="An agenda item (repeat for more).")] = None,
    project: Annotated[str | None, typer.Option(metavar="CODE", help="The project it belongs to.")] = None,
    every: Annotated[str | None, typer.Option(metavar="weekly|biweekly|monthly", help="Repeat.")] = None,
    until: Annotated[str | None, typer.Option(metavar="D", help="Last day of the series (with --every/--rrule).")]
    = None,
    rrule: Annotated[str | None, typer.Option("--rrule", metavar="RRULE", help="Repeat by an RFC 5545 rule, e.g. "
                                                             "'FREQ=WEEKLY;BYDAY=MO,TH'.")] = None,
    fmt: FormatOption = None,
) -> None:
    """Schedule a meeting (a series with --every or --rrule).

    You organize it and are invited; times are in the team timezone. IDs: N for the
    meeting, N.K for occurrence K of a series (see `meeting list`).
    """
    from opsctl.dates import parse_date
    from opsctl.services.meetings import new_meeting, parse_logins, parse_when

    state = AppContext.of(ctx)
    with state.session() as session:
        tz, today = state.tz(session), state.today(session)
        meeting = new_meeting(
            session, actor=state.actor(session), now=state.now(), tz=tz, title=title,
            start=parse_when(at, today=today, tz=tz), duration_min=duration, location=location,
            with_logins=parse_logins(with_), team=team, agenda=agenda, project=project, every=every,
            until=parse_date(until, today=today) if until else None, rule=rrule,
        )
        _show_any(state, session, str(meeting.id), fmt)


@app.command("list")
def list_(
    ctx: typer.Context,
    from_: Annotated[str | None, typer.Option("--from", metavar="D", help="First day (default: today).")] = None,
    to: Annotated[str | None, typer.Option("--to", metavar="D", help="Last day (default: two weeks on).")] = None,
    mine: Annotated[bool, typer.Option("--mine", help="Only meetings you organize or are invited to.")] = False,
    fmt: FormatOption = None,
) -> None:
    """The occurrences in a period, each with its ID.

    Cancelled and moved occurrences are marked; you see the meetings you organize or are
    invited to, and those of the people you manage (HR and admins see all).
    """
    from datetime import timedelta

    from opsctl.dates import parse_date
    from opsctl.reports.meetings import meetings_table
    from opsctl.services.meetings import day_bounds, list_meetings

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        viewer, today, tz = state.actor(session), state.today(session), state.tz(session)
        start = parse_date(from_, today=today) if from_ else today
        end = parse_date(to, today=today) if to else start + timedelta(days=13)
        low, high = day_bounds(start, end, tz)
        rows = list_meetings(session, viewer=viewer, low=low, high=high, mine=mine)
    state.render(meetings_table(rows, title=f"Meetings {start:%a %Y-%m-%d} – {end:%a %Y-%m-%d}"), fmt)


@app.command("show")
def show(ctx: typer.Context, ref: Ref, fmt: FormatOption = None) -> None:
    """A series, or one occurrence in full.

    A series id N shows its rule, people and occurrences; N.K (or N for a one-off) shows
    the agenda, attendance, minutes, decisions, action items and what is still open from
    earlier occurrences.
    """
    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        _show_any(state, session, ref, fmt)


@app.command("cancel")
def cancel(
    ctx: typer.Context,
    ref: Ref,
    reason: Annotated[str | None, typer.Option(metavar="TEXT", help="Why (shown in lists and exports).")] = None,
    fmt: FormatOption = None,
) -> None:
    """Cancel one occurrence, or a series from now on.

    N.K (or N for a one-off) cancels that occurrence only; a series id N ends the series:
    what took place stays, nothing is scheduled from now on.
    """
    from opsctl.services.meetings import Occurrence, cancel

    state = AppContext.of(ctx)
    with state.session() as session:
        result = cancel(session, actor=state.actor(session), now=state.now(), ref=ref, reason=reason)
        _show_any(state, session, result.ref if isinstance(result, Occurrence) else str(result.id), fmt)


@app.command("move")
def move(
    ctx: typer.Context,
    ref: Ref,
    to: Annotated[str, typer.Option("--to", metavar="WHEN", help="New start: 'YYYY-MM-DD HH:MM' (team timezone).")],
    fmt: FormatOption = None,
) -> None:
    """Move one occurrence; the rest of the series stays.

    Moving a cancelled occurrence reschedules it.
    """
    from opsctl.services.meetings import move, parse_when

    state = AppContext.of(ctx)
    with state.session() as session:
        tz = state.tz(session)
        occurrence = move(session, actor=state.actor(session), now=state.now(), ref=ref,
                          to=parse_when(to, today=state.today(session), tz=tz))
        _show_occurrence(state, session, occurrence.ref, fmt)


@app.command("attend")
def attend(
    ctx: typer.Context,
    ref: Ref,
    present: Logins = None,
    absent: Logins = None,
    excused: Logins = None,
    fmt: FormatOption = None,
) -> None:
    """Record who was present, absent or excused.

    Run it again to correct a mark. Excused absences may be recorded before the meeting.
    """
    from opsctl.services.meetings import parse_logins, record_attendance

    state = AppContext.of(ctx)
    with state.session() as session:
        occurrence = record_attendance(
            session, actor=state.actor(session), now=state.now(), ref=ref, present=parse_logins(present),
            absent=parse_logins(absent), excused=parse_logins(excused),
        )
        _show_occurrence(state, session, occurrence.ref, fmt)


@app.command("minutes")
def minutes(
    ctx: typer.Context,
    ref: Ref,
    file: Annotated[Path | None, typer.Option("--file", metavar="F", help="Save the minutes from this Markdown "
                                                                          "file ('-' reads stdin).")] = None,
    edit: Annotated[bool, typer.Option("--edit", help="Write them in $VISUAL/$EDITOR, from a template with "
                                                      "the agenda and attendees.")] = False,
    fmt: FormatOption = None,
) -> None:
    """Print the minutes, or save them (--file or --edit).

    Minutes are Markdown. --edit opens $VISUAL or $EDITOR on the saved minutes, or on a
    template with the agenda, the attendees and the actions still open.
    """
    from opsctl.cli.meetings_io import keep_on_conflict, minutes_record, read_text, run_editor
    from opsctl.errors import InvalidInput
    from opsctl.services.meetings import ANY, check_minutes, minutes_of, minutes_template, save_minutes

    state = AppContext.of(ctx)
    if file is not None and edit:
        raise InvalidInput("give either --file or --edit, not both")
    if file is None and not edit:
        with state.session(write=False) as session:
            state.tz(session)  # timestamps in the team's offset
            occurrence, text = minutes_of(session, viewer=state.actor(session), ref=ref)
            return minutes_record(state, occurrence, text, fmt)
    based_on: Any = ANY
    if edit:  # the editor runs outside any transaction: nobody waits while the minutes are written
        with state.session(write=False) as session:
            occurrence = check_minutes(session, actor=state.actor(session), now=state.now(), ref=ref)
            template = minutes_template(session, occurrence=occurrence, today=state.today(session))
            based_on = occurrence.row.minutes if occurrence.row is not None else None
        text = run_editor(template)
        if text.strip() == template.strip():
            return state.notice(f"The minutes of meeting {occurrence.ref} are unchanged; nothing was saved.")
    else:
        assert file is not None
        text = read_text(file)
    with keep_on_conflict(text, ref, keep=edit), state.session() as session:
        state.tz(session)
        occurrence = save_minutes(session, actor=state.actor(session), now=state.now(), ref=ref, text=text,
                                  based_on=based_on)
        minutes_record(state, occurrence, None, fmt, saved=True)


@app.command("decide")
def decide(
    ctx: typer.Context,
    ref: Ref,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="What was decided.")],
    fmt: FormatOption = None,
) -> None:
    """Record a decision taken at an occurrence."""
    from opsctl.reports.meetings import decision_record
    from opsctl.services.meetings import decide

    state = AppContext.of(ctx)
    with state.session() as session:
        state.tz(session)
        decision = decide(session, actor=state.actor(session), now=state.now(), ref=ref, text=text)
        row = {"id": decision.id, "meeting": ref, "text": decision.text, "at": decision.created_at}
        state.render(decision_record(row), fmt)


@app.command("action")
def action(
    ctx: typer.Context,
    ref: Ref,
    title: Annotated[str, typer.Argument(metavar="TITLE", help="What has to be done.")],
    owner: Annotated[str, typer.Option(metavar="L", help="Who does it (an active employee).")],
    due: Annotated[str, typer.Option(metavar="D", help="By when.")],
    fmt: FormatOption = None,
) -> None:
    """Add an action item: a task for its owner.

    The task lives in `opsctl task list`, due when given, in the meeting's project; the
    meeting keeps the link and `meeting followup` tracks it.
    """
    from opsctl.dates import parse_date
    from opsctl.reports.meetings import action_record
    from opsctl.services.meetings import add_action

    state = AppContext.of(ctx)
    with state.session() as session:
        today = state.today(session)
        row = add_action(session, actor=state.actor(session), now=state.now(), today=today, ref=ref, title=title,
                         owner=owner, due=parse_date(due, today=today))
    state.render(action_record(row), fmt)


@app.command("followup")
def followup(
    ctx: typer.Context,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only the ones past their due date.")] = False,
    mine: Annotated[bool, typer.Option("--mine", help="Only the ones you own.")] = False,
    meeting: Annotated[str | None, typer.Option(metavar="ID", help="Only from this meeting or series.")] = None,
    fmt: FormatOption = None,
) -> None:
    """Open action items of past meetings.

    Who owns each, what, when it is due, how late, and which meeting it came from,
    overdue first: where the next meeting starts.
    """
    from opsctl.reports.meetings import followup_table
    from opsctl.services.meetings import followup

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        rows = followup(session, viewer=state.actor(session), now=state.now(), today=state.today(session),
                        overdue_only=overdue, mine=mine, meeting=meeting)
    state.render(followup_table(rows, title="Overdue action items" if overdue else "Open action items"), fmt)


@app.command("export")
def export(
    ctx: typer.Context,
    ref: Ref,
    as_: Annotated[str, typer.Option("--as", metavar="md|ics", help="md: the record (agenda, attendance, "
                                                                   "minutes, decisions, actions); ics: an "
                                                                   "invitation.")] = "md",
    output: Annotated[Path | None, typer.Option("-o", "--output", metavar="FILE", help="Write here "
                                                                                      "(default: stdout).")]
    = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the -o file if it exists.")] = False,
) -> None:
    """Export as Markdown or an .ics invitation.

    md: agenda, attendance, minutes, decisions and action items with their current status
    (a series id: every occurrence so far). ics: an invitation for any calendar (a series
    id: the whole series with its rule, cancellations and moves).
    """
    from opsctl.cli.meetings_io import write_output
    from opsctl.errors import InvalidInput
    from opsctl.reports.outfile import check_output
    from opsctl.services.meetings import export_ics, export_markdown

    kinds = {"md": export_markdown, "ics": export_ics}
    kind = as_.lower()
    if kind not in kinds:
        raise InvalidInput(f"--as {as_!r} is not one of: md, ics")
    if output is not None:
        check_output(output, force=force, example=f"meeting-{ref}.{kind}")
    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        text = kinds[kind](session, viewer=state.actor(session), ref=ref, now=state.now())
    write_output(state, text, output, force=force)

