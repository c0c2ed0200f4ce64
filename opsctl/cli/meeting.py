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
    from opsctl.services.meetings import find_occurrence
    from opsctl.services.meetings_views import occurrence_details

    state.tz(session)
    details = occurrence_details(session, viewer=state.actor(session), occurrence=find_occurrence(session, ref),
                                 now=state.now())
    state.render(occurrence_record(details), fmt)


def _show_any(state: AppContext, session: Any, ref: str, fmt: Any) -> None:
    """A series id shows the series; anything else one occurrence."""
    from opsctl.reports.meetings import series_record
    from opsctl.services.meetings import get_meeting, parse_ref
    from opsctl.services.meetings_views import series_details

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
    title: Annotated[str, typer.Argument(help="What the meeting is called.")],
    at: Annotated[str, typer.Option("--at", help="Start in the team timezone: 'YYYY-MM-DD HH:MM' or "
                                                 "'tomorrow 10:00'; the first one of a series.")],
    duration: Annotated[int, typer.Option("--duration", metavar="MIN", help="Length in minutes.")] = 60,
    location: Annotated[str | None, typer.Option(help="Room or link.")] = None,
    with_: Annotated[str | None, typer.Option("--with", metavar="L,L", help="Invite these logins.")] = None,
    team: Annotated[str | None, typer.Option(help="Invite every active member of this team.")] = None,
    agenda: Annotated[list[str] | None, typer.Option("--agenda", help="An agenda item (repeat for more).")] = None,
    project: Annotated[str | None, typer.Option(metavar="CODE", help="The project it belongs to.")] = None,
    every: Annotated[str | None, typer.Option(help="Repeat: weekly, biweekly or monthly.")] = None,
    until: Annotated[str | None, typer.Option(metavar="D", help="Last day of the series (with --every/--rrule).")]
    = None,
    rrule: Annotated[str | None, typer.Option("--rrule", help="Repeat by an RFC 5545 rule, e.g. "
                                                             "'FREQ=WEEKLY;BYDAY=MO,TH'.")] = None,
    fmt: FormatOption = None,
) -> None:
    """Schedule a meeting you organize; --every or --rrule makes it a series."""
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
    """Every occurrence in a period (each with its ID), the ones you may see."""
    from datetime import timedelta

    from opsctl.dates import parse_date
    from opsctl.reports.meetings import meetings_table
    from opsctl.services.meetings_views import day_bounds, list_meetings

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
    """A series (its rule and occurrences) or one occurrence in full: people, minutes, decisions, actions."""
    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        _show_any(state, session, ref, fmt)


@app.command("cancel")
def cancel(
    ctx: typer.Context,
    ref: Ref,
    reason: Annotated[str | None, typer.Option(help="Why (shown in lists and exports).")] = None,
    fmt: FormatOption = None,
) -> None:
    """Cancel one occurrence (N.K, or N for a one-off); a series id N stops the series from now on."""
    from opsctl.services.meetings import Occurrence, cancel

    state = AppContext.of(ctx)
    with state.session() as session:
        result = cancel(session, actor=state.actor(session), now=state.now(), ref=ref, reason=reason)
        _show_any(state, session, result.ref if isinstance(result, Occurrence) else str(result.id), fmt)


@app.command("move")
def move(
    ctx: typer.Context,
    ref: Ref,
    to: Annotated[str, typer.Option("--to", help="New start: 'YYYY-MM-DD HH:MM' (team timezone).")],
    fmt: FormatOption = None,
) -> None:
    """Move one occurrence to another time; the rest of the series stays. Reschedules a cancelled one."""
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
    """Record who was present, absent or excused (excused can be recorded ahead)."""
    from opsctl.services.meetings import parse_logins
    from opsctl.services.meetings_minutes import record_attendance

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
    """Print an occurrence's minutes (Markdown), or save them from --file or --edit."""
    from opsctl.errors import InvalidInput
    from opsctl.services.meetings_minutes import check_minutes, minutes_of, minutes_template, save_minutes

    state = AppContext.of(ctx)
    if file is not None and edit:
        raise InvalidInput("give either --file or --edit, not both")
    if file is None and not edit:
        with state.session(write=False) as session:
            occurrence, text = minutes_of(session, viewer=state.actor(session), ref=ref)
            return _minutes_record(state, occurrence, text, fmt)
    if edit:  # the editor runs outside any transaction: nobody waits while the minutes are written
        with state.session(write=False) as session:
            occurrence = check_minutes(session, actor=state.actor(session), now=state.now(), ref=ref)
            template = minutes_template(session, occurrence=occurrence, today=state.today(session))
        text = _run_editor(template)
        if text.strip() == template.strip():
            return state.notice(f"The minutes of meeting {occurrence.ref} are unchanged; nothing was saved.")
    else:
        assert file is not None
        text = _read_text(file)
    with state.session() as session:
        occurrence = save_minutes(session, actor=state.actor(session), now=state.now(), ref=ref, text=text)
        _minutes_record(state, occurrence, None, fmt, saved=True)


@app.command("decide")
def decide(
    ctx: typer.Context,
    ref: Ref,
    text: Annotated[str, typer.Argument(help="What was decided.")],
    fmt: FormatOption = None,
) -> None:
    """Record a decision of an occurrence."""
    from opsctl.reports.meetings import decision_record
    from opsctl.services.meetings_minutes import decide

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
    title: Annotated[str, typer.Argument(help="What has to be done.")],
    owner: Annotated[str, typer.Option(metavar="L", help="Who does it (an active employee).")],
    due: Annotated[str, typer.Option(metavar="D", help="By when.")],
    fmt: FormatOption = None,
) -> None:
    """Add an action item: a task for its owner (in `task list`), linked to the meeting and its project."""
    from opsctl.dates import parse_date
    from opsctl.reports.meetings import action_record
    from opsctl.services.meetings_minutes import add_action

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
    """Every open action item of past meetings: who, what, due, how late, from which meeting."""
    from opsctl.reports.meetings import followup_table
    from opsctl.services.meetings_minutes import followup

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
) -> None:
    """Export a meeting: a series id exports the series, N.K one occurrence."""
    from opsctl.errors import InvalidInput
    from opsctl.services.meetings_export import export_ics, export_markdown

    kinds = {"md": export_markdown, "ics": export_ics}
    if as_.lower() not in kinds:
        raise InvalidInput(f"--as {as_!r} is not one of: md, ics")
    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        text = kinds[as_.lower()](session, viewer=state.actor(session), ref=ref, now=state.now())
    _write_output(state, text, output)


# -- helpers: files, the editor, output ---------------------------------------------------

def _minutes_record(state: AppContext, occurrence: Any, text: str | None, fmt: Any, *, saved: bool = False) -> None:
    """Saved: a short record of what was written. Read: the Markdown itself (or a JSON record)."""
    from opsctl.reports.formats import OutputFormat
    from opsctl.reports.tabular import Record

    row = occurrence.row
    data = {"id": occurrence.ref, "title": occurrence.meeting.title, "start": occurrence.starts_at,
            "minutes": row.minutes if row is not None else None,
            "minutes_at": row.minutes_at if row is not None else None}
    if saved and fmt in (None, OutputFormat.table):
        lines = len((data["minutes"] or "").splitlines())
        return state.notice(f"Saved the minutes of meeting {occurrence.ref} ({lines} lines); "
                            f"`opsctl meeting export {occurrence.ref}` shows the whole record.")
    if fmt in (None, OutputFormat.table) and not saved:
        if text is None:
            return state.notice(f"Meeting {occurrence.ref} has no minutes yet; write them with "
                                f"`opsctl meeting minutes {occurrence.ref} --edit` or --file F.")
        typer.echo(text, nl=not text.endswith("\n"))
        return None
    state.render(Record(f"Minutes of meeting {occurrence.ref}", data), fmt)
    return None


def _read_text(file: Path) -> str:
    import sys

    from opsctl.errors import InvalidInput, NotFound

    if str(file) == "-":
        return sys.stdin.read()
    if not file.is_file():
        raise NotFound(f"no such file: {file}")
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"{file} is not UTF-8 text; save the minutes as UTF-8 Markdown") from None


def _run_editor(template: str) -> str:
    """Open $VISUAL (else $EDITOR) on a temporary .md file holding ``template``; return what was saved."""
    import os
    import shlex
    import subprocess
    import tempfile

    from opsctl.errors import InvalidInput

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise InvalidInput("--edit needs an editor: set EDITOR (e.g. `export EDITOR=nano`) or VISUAL, "
                           "or give the minutes with --file F")
    handle, name = tempfile.mkstemp(prefix="opsctl-minutes-", suffix=".md")
    path = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(template)
        try:
            status = subprocess.run([*shlex.split(editor), str(path)], check=False).returncode
        except (OSError, ValueError) as exc:
            raise InvalidInput(f"cannot run the editor {editor!r} ({exc}); set EDITOR to an installed "
                               "editor") from None
        if status != 0:
            raise InvalidInput(f"the editor {editor!r} exited with status {status}; nothing was saved")
        return _read_text(path)
    finally:
        path.unlink(missing_ok=True)


def _write_output(state: AppContext, text: str, output: Path | None) -> None:
    """stdout, or a file written whole (a temporary file renamed into place)."""
    import os
    import sys
    import tempfile

    from opsctl.errors import NotFound

    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    if not output.parent.is_dir():
        raise NotFound(f"the folder {output.parent} does not exist; create it or choose another -o")
    handle, name = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.")
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
        out.write(text)
    os.replace(name, output)
    state.notice(f"Wrote {output}")
