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
    from opsctl.services.kpi import default_period
    from opsctl.services.kpi.views import results

    state = AppContext.of(ctx)
    if xlsx is not None:  # before the work, as every output file
        from opsctl.reports.excel import check_target

        check_target(xlsx, force=force, option="--xlsx", example=f"kpi-{kind}.xlsx")
    parse = {"month": parse_month, "quarter": parse_quarter, "year": parse_year}[kind]
    with state.session(write=False) as session:
        today = state.today(session)
        period = parse(text, today=today) if text else default_period(session, kind=kind, today=today)
        data = results(session, viewer=state.actor(session), period=period, today=today, team=team)
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
    from opsctl.services.kpi.explain import explain
    from opsctl.services.people import get_person

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        data = explain(session, viewer=state.actor(session), person=get_person(session, login),
                       period=_cycle(state, session, cycle), today=state.today(session))
    state.render(explain_record(data), fmt)
