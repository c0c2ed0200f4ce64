"""`opsctl project cost|doc …`, `project review-lessons` and `project lessons`: a project's money,
its documents and its lessons (registered on the `project` group by `opsctl.cli.projects`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from opsctl.cli.base import FormatOption, group, record_id
from opsctl.cli.context import AppContext
from opsctl.cli.project_plans import Code, _login, _read, _write

cost_app = group("Costs: expense claims against the budget; the owner or the manager approves.")
doc_app = group("Documents stored with the project: requirements, plan, report, minutes.")
SUBGROUPS = {"cost": cost_app, "doc": doc_app}

RecordId = Annotated[int, typer.Argument(metavar="ID", parser=record_id, help="The record number (see its list).")]


# -- costs ---------------------------------------------------------------------------------------

def _cost_shape(session: Any, cost: Any, today: Any) -> Any:
    from opsctl.models.people import Employee
    from opsctl.models.projects import Project
    from opsctl.reports.project_plans import cost_record
    from opsctl.services.projects.costs import cost_row

    project = session.get(Project, cost.project_id)
    claimant = session.get(Employee, cost.claimant_id)
    decider = session.get(Employee, cost.decided_by_id) if cost.decided_by_id else None
    return cost_record(cost_row(cost, code=project.code, login=claimant.login,
                                decided_by=decider.login if decider else None))


@cost_app.command("add")
def cost_add(
    ctx: typer.Context, code: Code, amount: Annotated[str, typer.Argument(help="How much: 1200, 1200.50.")],
    category: Annotated[str, typer.Option(metavar="WORD", help="travel, equipment, services, … (default other).")]
    = "other",
    date: Annotated[str | None, typer.Option("--date", metavar="DATE", help="When it was spent (default today).")]
    = None,
    note: Annotated[str | None, typer.Option(metavar="TEXT", help="What it was for.")] = None,
    fmt: FormatOption = None,
) -> None:
    """File an expense claim (anyone on the project); the owner or the owner's manager approves it."""
    from opsctl.services.projects import add_cost, parse_amount

    _write(ctx, fmt, add_cost, _cost_shape, dates={"spent_on": date}, with_today=True, code=code,
           amount=parse_amount(amount), category=category, note=note)


@cost_app.command("list")
def cost_list(
    ctx: typer.Context, code: Code,
    status: Annotated[str | None, typer.Option(metavar="STATUS", help="pending, approved or rejected.")] = None,
    fmt: FormatOption = None,
) -> None:
    """A project's claims with the budget: approved, pending, remaining (a warning near the limit)."""
    from opsctl.reports.project_plans import cost_table
    from opsctl.services.projects import list_costs

    _read(ctx, fmt, list_costs, cost_table, code=code, status=status)


@cost_app.command("approve")
def cost_approve(
    ctx: typer.Context, cost_id: RecordId,
    comment: Annotated[str | None, typer.Option(metavar="TEXT", help="Recorded with the decision.")] = None,
    fmt: FormatOption = None,
) -> None:
    """Approve a claim (the project's owner or the owner's manager side; never your own)."""
    from opsctl.services.projects import decide_cost

    _write(ctx, fmt, decide_cost, _cost_shape, cost_id=cost_id, approve=True, reason=comment)


@cost_app.command("reject")
def cost_reject(
    ctx: typer.Context, cost_id: RecordId,
    reason: Annotated[str, typer.Option(metavar="TEXT", help="Why (the claimant sees it).")] = "",
    fmt: FormatOption = None,
) -> None:
    """Reject a claim, saying why (the project's owner or the owner's manager side; never your own)."""
    from opsctl.services.projects import decide_cost

    _write(ctx, fmt, decide_cost, _cost_shape, cost_id=cost_id, approve=False, reason=reason)


# -- documents -----------------------------------------------------------------------------------

@doc_app.command("add")
def doc_add(
    ctx: typer.Context, code: Code, file: Annotated[str, typer.Argument(metavar="FILE", help="The file to file.")],
    kind: Annotated[str, typer.Option(metavar="KIND", help="requirements, plan, report, minutes or other.")]
    = "other",
    fmt: FormatOption = None,
) -> None:
    """Store a file with the project (in the database; the same content is kept once)."""
    from opsctl.reports.project_plans import document_record
    from opsctl.services.projects import add_document

    def shape(session: Any, document: Any, today: Any) -> Any:
        return document_record(document.data())

    _write(ctx, fmt, add_document, shape, code=code, path=Path(file).expanduser(), kind=kind)


@doc_app.command("list")
def doc_list(ctx: typer.Context, code: Code, fmt: FormatOption = None) -> None:
    """A project's documents (its members, their managers, HR and admins)."""
    from opsctl.reports.project_plans import document_table
    from opsctl.services.projects import list_documents

    _read(ctx, fmt, list_documents, lambda rows: document_table(rows, code=code.strip().upper()), code=code)


@doc_app.command("get")
def doc_get(
    ctx: typer.Context, document_id: RecordId,
    output: Annotated[str | None, typer.Option("--output", "-o", metavar="FILE",
                                               help="Write it to FILE (default: to stdout).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
) -> None:
    """The content of a document, to stdout or -o FILE (its project's members, their managers, HR, admins)."""
    import sys

    from opsctl.reports.outfile import check_output, write_whole
    from opsctl.services.projects import document_chunks, get_document

    target = check_output(Path(output).expanduser(), force=force, example="report.pdf") if output else None
    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        document = get_document(session, viewer=state.actor(session), document_id=document_id)
        if target is None:
            for chunk in document_chunks(session, document):
                sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
            return

        def write(temp: str) -> None:
            with open(temp, "wb") as out:
                for chunk in document_chunks(session, document):
                    out.write(chunk)

        write_whole(target, write, force=force)
    state.notice(f"Wrote {document.row.name} ({document.blob.size} bytes) to {target}.")


# -- lessons -------------------------------------------------------------------------------------

def review_lessons(
    ctx: typer.Context, code: Code,
    went_well: Annotated[str, typer.Option(metavar="TEXT", help="What went well.")],
    went_badly: Annotated[str, typer.Option(metavar="TEXT", help="What did not go well.")],
    actions: Annotated[str, typer.Option(metavar="TEXT", help="What to do differently next time.")],
    fmt: FormatOption = None,
) -> None:
    """Write the lessons-learned review (复盘; the owner's side); archiving asks for it."""
    from opsctl.models.projects import Project
    from opsctl.reports.project_plans import lessons_record
    from opsctl.services.projects import review_lessons as review
    from opsctl.services.projects.lessons import lesson_row

    def shape(session: Any, row: Any, today: Any) -> Any:
        project = session.get(Project, row.project_id)
        return lessons_record(lesson_row(row, code=project.code, name=project.name, status=project.status,
                                         login=_login(session, row.author_id) or ""))

    _write(ctx, fmt, review, shape, code=code, went_well=went_well, went_badly=went_badly, actions=actions)


def lessons(
    ctx: typer.Context,
    project: Annotated[str | None, typer.Option("--project", "-p", metavar="CODE", help="Only this project.")]
    = None,
    fmt: FormatOption = None,
) -> None:
    """Lessons-learned reviews across projects, the newest first."""
    from opsctl.reports.project_plans import lessons_table
    from opsctl.services.projects import list_lessons

    _read(ctx, fmt, list_lessons, lessons_table, code=project)
