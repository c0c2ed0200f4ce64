"""`opsctl kpi`: templates, cycles, scores, results by month/quarter/year, one score explained."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from opsctl.cli.base import FormatOption, group
from opsctl.cli.context import AppContext

if TYPE_CHECKING:
    from sqlmodel import Session

    from opsctl.dates import Period

app = group("KPI: templates of weighted indicators, cycles, multi-rater scores, results, one score explained.")
template_app = group("KPI templates: list, show, derive one with other weights, import one from a file.")
cycle_app = group("KPI cycles (a month, quarter or year): open, close (locks the scores), list.")
app.add_typer(template_app, name="template")
app.add_typer(cycle_app, name="cycle")

CycleArg = Annotated[str, typer.Argument(metavar="CYCLE", help="A month YYYY-MM, a quarter YYYYQn or a year YYYY.")]
CycleOpt = Annotated[str, typer.Option("--cycle", metavar="CYCLE", help="YYYY-MM, YYYYQn or YYYY.")]
TeamOpt = Annotated[str | None, typer.Option("--team", help="One team only.")]
LoginArg = Annotated[str, typer.Argument(metavar="LOGIN", help="The person's login.")]
XlsxOpt = Annotated[Path | None, typer.Option("--xlsx", metavar="FILE", help="Also write an .xlsx workbook.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace the --xlsx file if it exists.")]


def _cycle(state: AppContext, session: Session, text: str) -> Period:
    from opsctl.dates import parse_cycle

    return parse_cycle(text, today=state.today(session))


# -- templates ----------------------------------------------------------------------------

@template_app.command("list")
def template_list(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Every template: indicators, weight per category, computed indicators, cycles using it."""
    from opsctl.reports.kpi.tables import template_table
    from opsctl.services.kpi import list_templates

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        rows = list_templates(session, viewer=state.actor(session))
    state.render(template_table(rows), fmt)


@template_app.command("show")
def template_show(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help="Template name.")] = "standard",
    fmt: FormatOption = None,
) -> None:
    """One template's indicators: key, name, category, weight, source."""
    from opsctl.reports.kpi.tables import template_record
    from opsctl.services.kpi import template_details

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        details = template_details(session, name, viewer=state.actor(session))
    state.render(template_record(details), fmt)


@template_app.command("add")
def template_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The new template's name.")],
    weights: Annotated[list[str] | None, typer.Argument(
        metavar="[KEY=WEIGHT]...", help="New weights (0 leaves an indicator out); they must sum to 100.")] = None,
    base: Annotated[str, typer.Option("--from", help="The template to copy.")] = "standard",
    description: Annotated[str | None, typer.Option(help="What the template is for.")] = None,
    fmt: FormatOption = None,
) -> None:
    """A new template: a copy of another with some weights changed (managers, HR, admins)."""
    from opsctl.reports.kpi.tables import template_record
    from opsctl.services.kpi import derive_template, parse_assignments, template_details

    state = AppContext.of(ctx)
    with state.session() as session:
        changes = parse_assignments(weights, what="KEY=WEIGHT", example="results=30") if weights else {}
        made = derive_template(session, actor=state.actor(session), now=state.now(), name=name, base=base,
                               weights=changes, description=description)
        state.render(template_record(template_details(session, made.name, viewer=state.actor(session))), fmt)


@template_app.command("import")
def template_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV or XLSX with columns key,name,category,weight,source.")],
    name: Annotated[str | None, typer.Option("--name", help="Template name (default: the file's name).")] = None,
    description: Annotated[str | None, typer.Option(help="What the template is for.")] = None,
    fmt: FormatOption = None,
) -> None:
    """A new template from a file; weights must sum to 100 and nothing is made if a line is bad."""
    from opsctl.reports.kpi.tables import template_record
    from opsctl.services.kpi import import_template, template_details

    state = AppContext.of(ctx)
    with state.session() as session:
        made = import_template(session, actor=state.actor(session), now=state.now(), path=file,
                               name=name or file.stem, description=description)
        state.render(template_record(template_details(session, made.name, viewer=state.actor(session))), fmt)


# -- cycles ---------------------------------------------------------------------------------

@cycle_app.command("open")
def cycle_open(
    ctx: typer.Context, cycle: CycleArg,
    template: Annotated[str | None, typer.Option("--template", help="Template (default: standard).")] = None,
    team: Annotated[str | None, typer.Option("--team", help="For this team only (default: everybody).")] = None,
    fmt: FormatOption = None,
) -> None:
    """Open a cycle for scoring (managers, HR, admins)."""
    from opsctl.reports.kpi.tables import cycle_record
    from opsctl.services.kpi import describe_cycle, open_cycle

    state = AppContext.of(ctx)
    with state.session() as session:
        made = open_cycle(session, actor=state.actor(session), now=state.now(), period=_cycle(state, session, cycle),
                          template=template, team=team)
        state.render(cycle_record(describe_cycle(session, made)), fmt)


@cycle_app.command("close")
def cycle_close(ctx: typer.Context, cycle: CycleArg, team: TeamOpt = None, fmt: FormatOption = None) -> None:
    """Close a cycle after its last day: scores are locked, members and computed indicators frozen."""
    from opsctl.reports.kpi.tables import cycle_record
    from opsctl.services.kpi import close_cycle, describe_cycle, get_cycle, incomplete

    state = AppContext.of(ctx)
    with state.session() as session:
        today = state.today(session)
        found = get_cycle(session, _cycle(state, session, cycle), team=team)
        closed = close_cycle(session, actor=state.actor(session), now=state.now(), today=today, cycle=found)
        row, lacking = describe_cycle(session, closed), incomplete(session, closed, today=today)
        state.render(cycle_record(row), fmt)
    state.notice(f"closed {row['cycle']}: {row['people']} people judged; see `opsctl kpi {row['kind']} {row['cycle']}`")
    if lacking:
        state.notice(f"{len(lacking)} stay incomplete (not ranked): "
                     + "; ".join(f"{login} ({', '.join(missing)})" for login, missing in lacking))


@cycle_app.command("list")
def cycle_list(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Every cycle, newest first: period, team, template, status, people judged and scored."""
    from opsctl.reports.kpi.tables import cycle_table
    from opsctl.services.kpi import list_cycles

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        rows = list_cycles(session, viewer=state.actor(session))
    state.render(cycle_table(rows), fmt)


# -- scores ---------------------------------------------------------------------------------

@app.command("score")
def score(
    ctx: typer.Context, login: LoginArg, cycle: CycleOpt,
    role: Annotated[str, typer.Option("--role", help="self, supervisor, peer or customer.")],
    scores: Annotated[list[str], typer.Argument(metavar="KEY=SCORE...", help="Scores 0–100, e.g. results=85.")],
    comment: Annotated[str | None, typer.Option("--comment", help="Why (kept with each score).")] = None,
    fmt: FormatOption = None,
) -> None:
    """Score a person on some indicators in one rater role; scoring again replaces your score."""
    from opsctl.reports.kpi.tables import score_table
    from opsctl.services.kpi import parse_assignments, score_person
    from opsctl.services.people import get_person

    state = AppContext.of(ctx)
    with state.session() as session:
        rows = score_person(session, actor=state.actor(session), now=state.now(), period=_cycle(state, session, cycle),
                            person=get_person(session, login), role=role, scores=parse_assignments(scores),
                            comment=comment)
    state.render(score_table(rows, title=f"Scores of {login} ({role})"), fmt)


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV or XLSX with columns login,role,rater,key,score,comment.")],
    cycle: CycleOpt, fmt: FormatOption = None,
) -> None:
    """Scores from a sheet (empty rater: you); if any row is bad, nothing is imported."""
    from opsctl.reports.kpi.tables import score_table
    from opsctl.services.kpi import import_scores

    state = AppContext.of(ctx)
    with state.session() as session:
        rows = import_scores(session, actor=state.actor(session), now=state.now(), path=file,
                             period=_cycle(state, session, cycle))
    state.render(score_table(rows, title=f"Imported scores, {rows[0]['cycle']}"), fmt)
    state.notice(f"{len(rows)} scores of {len({r['login'] for r in rows})} people imported from {file}")


# -- results ------------------------------------------------------------------------------------

def _results(ctx: typer.Context, kind: str, text: str | None, team: str | None, xlsx: Path | None,
             force: bool, fmt: FormatOption) -> None:
    from opsctl.dates import parse_month, parse_quarter, parse_year
    from opsctl.reports.kpi.tables import results_table
    from opsctl.services.kpi import default_period, results

    state = AppContext.of(ctx)
    if xlsx is not None:  # before the work, as every output file
        from opsctl.reports.excel import check_target

        check_target(xlsx, force=force, option="--xlsx", example=f"kpi-{kind}.xlsx")
    parse = {"month": parse_month, "quarter": parse_quarter, "year": parse_year}[kind]
    with state.session(write=False) as session:
        today = state.today(session)
        period = parse(text, today=today) if text else default_period(session, kind=kind, today=today)
        data = results(session, viewer=state.actor(session), period=period, today=today, team=team)
        from opsctl.services.kpi import plan_marks

        data = plan_marks(session, data, today=today)  # who needs an improvement plan and has none
        if xlsx is not None:  # the workbook has each person's rewards and penalties
            from opsctl.services.merits import add_merit_totals

            add_merit_totals(session, viewer=state.actor(session), rows=data["rows"])
    if xlsx is not None:
        from opsctl.reports.kpi.xlsx import write_results

        write_results(data, xlsx, force=force)
        state.notice(f"wrote {xlsx}")
    state.render(results_table(data), fmt)


PeriodHelp = "(default: the current one, else the latest one with results)"


@app.command("month")
def month(
    ctx: typer.Context,
    period: Annotated[str | None, typer.Argument(metavar="[YYYY-MM]", help=f"The month {PeriodHelp}.")] = None,
    team: TeamOpt = None, xlsx: XlsxOpt = None, force: ForceOpt = False, fmt: FormatOption = None,
) -> None:
    """Final score, grade and rank per person for a month."""
    _results(ctx, "month", period, team, xlsx, force, fmt)


@app.command("quarter")
def quarter(
    ctx: typer.Context,
    period: Annotated[str | None, typer.Argument(metavar="[YYYYQn]", help=f"The quarter {PeriodHelp}.")] = None,
    team: TeamOpt = None, xlsx: XlsxOpt = None, force: ForceOpt = False, fmt: FormatOption = None,
) -> None:
    """Final score, grade and rank per person for a quarter (without a quarter cycle: the mean of its months)."""
    _results(ctx, "quarter", period, team, xlsx, force, fmt)


@app.command("year")
def year(
    ctx: typer.Context,
    period: Annotated[str | None, typer.Argument(metavar="[YYYY]", help=f"The year {PeriodHelp}.")] = None,
    team: TeamOpt = None, xlsx: XlsxOpt = None, force: ForceOpt = False, fmt: FormatOption = None,
) -> None:
    """Final score, grade and rank per person for a year (without a year cycle: the mean of its quarters)."""
    _results(ctx, "year", period, team, xlsx, force, fmt)


@app.command("show")
def show(ctx: typer.Context, login: LoginArg, cycle: CycleOpt, fmt: FormatOption = None) -> None:
    """Why a final score is what it is: every indicator, every rater role, the weights."""
    from opsctl.reports.kpi.tables import explain_record
    from opsctl.services.kpi import explain
    from opsctl.services.people import get_person

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        data = explain(session, viewer=state.actor(session), person=get_person(session, login),
                       period=_cycle(state, session, cycle), today=state.today(session))
    state.render(explain_record(data), fmt)


# -- what follows from a score: appraisal talks, improvement plans -----------------------------

review_app = group("Appraisal talks: `kpi review LOGIN --cycle C …` records one; confirm, missing, list, show.",
                   default="add")
plan_app = group("Improvement plans after a weak result: add, item, close, list, show.")
app.add_typer(review_app, name="review")
app.add_typer(plan_app, name="plan")
TextOpt = Annotated[str, typer.Option(help="Free text (at most 2000 characters).")]
PlanIdArg = Annotated[int, typer.Argument(metavar="PLAN", help="The plan's number (`kpi plan list`).")]
CycleFilter = Annotated[str | None, typer.Option("--cycle", metavar="CYCLE", help="One cycle only.")]


@review_app.command("add")
def review_add(
    ctx: typer.Context, login: LoginArg, cycle: CycleOpt, strengths: TextOpt, gaps: TextOpt, goals: TextOpt,
    held_on: Annotated[str | None, typer.Option("--on", metavar="DATE", help="When it was held (default today).")]
    = None,
    with_: Annotated[list[str] | None, typer.Option("--with", metavar="LOGIN", help="Who else took part.")] = None,
    comment: Annotated[str | None, typer.Option("--comment", help="The person's own comment.")] = None,
    fmt: FormatOption = None,
) -> None:
    """Record the appraisal talk about a final result (`kpi review LOGIN …` for short): manager, HR, admins."""
    from opsctl.dates import parse_date
    from opsctl.reports.kpi.followup import talk_record
    from opsctl.services.kpi import record_talk, show_talk
    from opsctl.services.people import get_person

    state = AppContext.of(ctx)
    with state.session() as session:
        actor, today, person = state.actor(session), state.today(session), get_person(session, login)
        period = _cycle(state, session, cycle)
        record_talk(session, actor=actor, now=state.now(), today=today, person=person, period=period,
                    strengths=strengths, gaps=gaps, goals=goals, participants=with_, own_comment=comment,
                    held_on=parse_date(held_on, today=today) if held_on else None)
        row = show_talk(session, viewer=actor, person=person, period=period)
    state.render(talk_record(row), fmt)
    state.notice(f"{login} confirms reading it with `opsctl kpi review confirm --cycle {period.label}`")


@review_app.command("confirm")
def review_confirm(
    ctx: typer.Context, cycle: CycleOpt,
    login: Annotated[str | None, typer.Argument(metavar="[LOGIN]", help="Whose talk (only your own).")] = None,
    disagree: Annotated[str | None, typer.Option("--disagree", metavar="TEXT",
                                                 help="What you disagree with (goes to HR).")] = None,
    fmt: FormatOption = None,
) -> None:
    """Confirm you read your appraisal talk, or say what you disagree with (--disagree)."""
    from opsctl.reports.kpi.followup import talk_record
    from opsctl.services.kpi import confirm_talk, show_talk
    from opsctl.services.people import get_person

    state = AppContext.of(ctx)
    with state.session() as session:
        actor = state.actor(session)
        person, period = get_person(session, login) if login else actor, _cycle(state, session, cycle)
        confirm_talk(session, actor=actor, now=state.now(), person=person, period=period, disagree=disagree)
        row = show_talk(session, viewer=actor, person=person, period=period)
    state.render(talk_record(row), fmt)


@review_app.command("missing")
def review_missing(ctx: typer.Context, cycle: CycleOpt, fmt: FormatOption = None) -> None:
    """Whose final result of a cycle has no appraisal talk yet (among the people you may see)."""
    from opsctl.reports.kpi.followup import missing_talk_table
    from opsctl.services.kpi import missing_talks

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        period = _cycle(state, session, cycle)
        rows = missing_talks(session, viewer=state.actor(session), period=period, today=state.today(session))
    state.render(missing_talk_table(rows, cycle=period.label), fmt)


@review_app.command("list")
def review_list(
    ctx: typer.Context, cycle: CycleFilter = None,
    status: Annotated[str | None, typer.Option(help="unconfirmed, confirmed or disagreed.")] = None,
    disagreed: Annotated[bool, typer.Option("--disagreed", help="Only the disagreements (for HR).")] = False,
    fmt: FormatOption = None,
) -> None:
    """The appraisal talks you may see: yours, your reports', everybody's for HR."""
    from opsctl.reports.kpi.followup import talk_table
    from opsctl.services.kpi import list_talks

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        period = _cycle(state, session, cycle) if cycle else None
        rows = list_talks(session, viewer=state.actor(session), period=period,
                          status="disagreed" if disagreed else status)
    state.render(talk_table(rows), fmt)


@review_app.command("show")
def review_show(ctx: typer.Context, login: LoginArg, cycle: CycleOpt, fmt: FormatOption = None) -> None:
    """One appraisal talk: strengths, gaps, goals, the person's comment and confirmation."""
    from opsctl.reports.kpi.followup import talk_record
    from opsctl.services.kpi import show_talk
    from opsctl.services.people import get_person

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        row = show_talk(session, viewer=state.actor(session), person=get_person(session, login),
                        period=_cycle(state, session, cycle))
    state.render(talk_record(row), fmt)


@plan_app.command("add")
def plan_add(
    ctx: typer.Context, login: LoginArg, cycle: CycleOpt,
    goal: Annotated[str, typer.Option(help="What is to be reached (at most 500 characters).")],
    due: Annotated[str, typer.Option(metavar="DATE", help="By when.")],
    item: Annotated[list[str] | None, typer.Option("--item", metavar="TEXT",
                                                   help="An item, a task of the person due with the plan.")] = None,
    fmt: FormatOption = None,
) -> None:
    """An improvement plan after a final result (manager, HR, admins); its items become tasks."""
    from opsctl.dates import parse_date
    from opsctl.reports.kpi.followup import plan_record
    from opsctl.services.kpi import add_plan, show_plan
    from opsctl.services.people import get_person

    state = AppContext.of(ctx)
    with state.session() as session:
        actor, today = state.actor(session), state.today(session)
        made = add_plan(session, actor=actor, now=state.now(), today=today, person=get_person(session, login),
                        period=_cycle(state, session, cycle), goal=goal, due=parse_date(due, today=today),
                        items=item)
        row = show_plan(session, viewer=actor, today=today, plan_id=made.id or 0)
    state.render(plan_record(row), fmt)
    if row["flagged"]:
        state.notice(f"flagged to HR: {login}'s grades called for a plan this many times in a row "
                     "(setting kpi.plan_flag_after)")


@plan_app.command("item")
def plan_item(
    ctx: typer.Context, plan: PlanIdArg, text: Annotated[str, typer.Argument(help="What is to be done.")],
    owner: Annotated[str | None, typer.Option(help="Who does it (default: the person).")] = None,
    due: Annotated[str | None, typer.Option(metavar="DATE", help="By when (default: the plan's due date).")]
    = None,
    fmt: FormatOption = None,
) -> None:
    """Add an item to an open plan: a task with an owner and a due date."""
    from opsctl.dates import parse_date
    from opsctl.reports.kpi.followup import plan_record
    from opsctl.services.kpi import add_plan_item, show_plan

    state = AppContext.of(ctx)
    with state.session() as session:
        actor, today = state.actor(session), state.today(session)
        add_plan_item(session, actor=actor, now=state.now(), today=today, plan_id=plan, text=text, owner=owner,
                      due=parse_date(due, today=today) if due else None)
        row = show_plan(session, viewer=actor, today=today, plan_id=plan)
    state.render(plan_record(row), fmt)


@plan_app.command("close")
def plan_close(
    ctx: typer.Context, plan: PlanIdArg,
    outcome: Annotated[str, typer.Option(help="met, not-met, or extended (with --until).")],
    note: Annotated[str | None, typer.Option(help="How it went.")] = None,
    until: Annotated[str | None, typer.Option(metavar="DATE", help="Extended: the new due date.")] = None,
    fmt: FormatOption = None,
) -> None:
    """Close a plan with its outcome (met, not met), or extend it to a new due date."""
    from opsctl.dates import parse_date
    from opsctl.reports.kpi.followup import plan_record
    from opsctl.services.kpi import close_plan, show_plan

    state = AppContext.of(ctx)
    with state.session() as session:
        actor, today = state.actor(session), state.today(session)
        close_plan(session, actor=actor, now=state.now(), today=today, plan_id=plan, outcome=outcome, note=note,
                   until=parse_date(until, today=today) if until else None)
        row = show_plan(session, viewer=actor, today=today, plan_id=plan)
    state.render(plan_record(row), fmt)


@plan_app.command("list")
def plan_list(
    ctx: typer.Context, cycle: CycleFilter = None,
    status: Annotated[str | None, typer.Option(help="open (overdue included), overdue or closed.")] = None,
    flagged: Annotated[bool, typer.Option("--flagged", help="Only the plans flagged to HR.")] = False,
    login: Annotated[str | None, typer.Option("--person", metavar="LOGIN", help="One person's only.")] = None,
    fmt: FormatOption = None,
) -> None:
    """The improvement plans you may see, soonest due first."""
    from opsctl.reports.kpi.followup import plan_table
    from opsctl.services.kpi import list_plans
    from opsctl.services.people import get_person

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        rows = list_plans(session, viewer=state.actor(session), today=state.today(session),
                          period=_cycle(state, session, cycle) if cycle else None, status=status, flagged=flagged,
                          person=get_person(session, login) if login else None)
    state.render(plan_table(rows), fmt)


@plan_app.command("show")
def plan_show(ctx: typer.Context, plan: PlanIdArg, fmt: FormatOption = None) -> None:
    """One plan: goal, due date, outcome, and its items (tasks) with their status."""
    from opsctl.reports.kpi.followup import plan_record
    from opsctl.services.kpi import show_plan

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        row = show_plan(session, viewer=state.actor(session), today=state.today(session), plan_id=plan)
    state.render(plan_record(row), fmt)
