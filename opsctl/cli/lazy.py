"""A root group that imports a command module only when that command runs.

`opsctl --help` lists every group from the table below without importing any of
them, and `opsctl attend in` imports the attendance commands alone. It is also the
one place where errors become ``Error: …`` lines and exit codes.
"""

from __future__ import annotations

import gc
import importlib
import sys
from dataclasses import dataclass
from difflib import get_close_matches
from functools import cache
from typing import Annotated, Any, ClassVar

import typer
from typer.core import TyperGroup

from opsctl.errors import OpsctlError


@dataclass(frozen=True)
class LazyCommand:
    module: str
    attribute: str
    help: str


class LazyGroup(TyperGroup):
    lazy: ClassVar[dict[str, LazyCommand]] = {}

    def list_commands(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        return [*super().list_commands(ctx), *self.lazy]

    def get_command(self, ctx: typer.Context, cmd_name: str) -> Any:  # type: ignore[override]
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        entry = self.lazy.get(cmd_name)
        if entry is None:
            return None
        module = importlib.import_module(entry.module)
        # What is loaded by now (typer, SQLAlchemy, the models) lives as long as the process:
        # moved out of the collector's sight, the full collections that a report's tens of
        # thousands of new objects set off no longer walk the whole import graph each time.
        gc.freeze()
        command = with_output_options(_build(getattr(module, entry.attribute)))
        command.name = cmd_name
        self.commands[cmd_name] = command
        return command

    def format_commands(self, ctx: typer.Context, formatter: Any) -> None:  # type: ignore[override]
        rows = [(name, entry.help) for name, entry in self.lazy.items()]
        rows += [(name, cmd.get_short_help_str(80)) for name, cmd in self.commands.items() if not cmd.hidden]
        with formatter.section("Commands"):
            formatter.write_dl(sorted(rows))

    def resolve_command(self, ctx: typer.Context, args: list[str]) -> Any:  # type: ignore[override]
        from typer._click.exceptions import UsageError

        try:
            return super().resolve_command(ctx, args)
        except UsageError as exc:
            matches = get_close_matches(args[0], self.list_commands(ctx)) if args else []
            if matches and "Did you mean" not in exc.message:
                exc.message = f"{exc.message.rstrip('.')}. Did you mean {', '.join(map(repr, matches))}?"
            raise

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        from opsctl.cli.context import AppContext, debug_requested, silence_stdout

        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a reader that went away (`| head`) shows here, not at exit
            return result
        except OpsctlError as exc:
            _print_error(exc.message)
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            # The reader took what it wanted (`| head -1`) from output not written by
            # AppContext.render (which lets the command finish): not an error, so exit 0.
            silence_stdout()
            raise typer.Exit(0) from None
        except typer.TyperException as exc:  # usage errors: typer prints them, quoting what was typed
            if isinstance(getattr(exc, "message", None), str):
                from opsctl.reports.safetext import printable

                exc.message = printable(exc.message, lines=True)  # type: ignore[attr-defined]
            raise
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise  # exits: typer handles them
        except Exception as exc:
            state = ctx.find_object(AppContext)
            if debug_requested(bool(state and state.debug)):
                raise
            _print_error(f"unexpected {type(exc).__name__}: {exc} "
                         "(run again with --debug for the details, and please report it)")
            raise typer.Exit(1) from None


def _print_error(message: str) -> None:
    """The one ``Error: …`` line. It often quotes what was typed or stored (an unknown login, a
    title): its escape sequences must not reach the terminal."""
    from opsctl.reports.safetext import printable

    print(f"Error: {printable(message, lines=True)}", file=sys.stderr)



class OnDemandGroup(TyperGroup):
    """A command group that turns a command's function into a click command only when it is used.

    Typer builds every command of a group up front (signatures, types, defaults); a
    group of ten commands costs more than the command that runs.
    """

    pending: dict[str, Any]

    def list_commands(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        return [*self.commands, *(name for name in self.pending if name not in self.commands)]

    def get_command(self, ctx: typer.Context, cmd_name: str) -> Any:  # type: ignore[override]
        if cmd_name not in self.commands and cmd_name in self.pending:
            from typer.main import get_command_from_info
            from typer.models import TyperInfo

            info = self.pending[cmd_name]
            if isinstance(info, TyperInfo):  # a nested group (`project member add`)
                command = _build(info.typer_instance)  # type: ignore[arg-type]
                command.name = cmd_name
            else:
                command = with_output_options(get_command_from_info(info, pretty_exceptions_short=True,
                                                          rich_markup_mode=None))
            self.commands[cmd_name] = command
        return self.commands.get(cmd_name)


WIDE_HELP = "Tables: leave out no column and cut no cell, however narrow the terminal."
RAW_HELP = "CSV, TSV, Markdown: text as stored (no ' before =, +, -, @; control characters kept)."


def with_output_options(command: Any) -> Any:
    """Every command that takes --format also takes -w/--wide and --raw: added here, once,
    rather than to each command's signature (they only set ``AppContext.wide``/``.raw`` for
    the renderer)."""
    options = [opt for param in command.params for opt in getattr(param, "opts", ())]
    if "--format" in options:
        command.params += [option for name, option in _output_options().items() if name not in options]
    return command


@cache
def _output_options() -> dict[str, Any]:
    """The click options by name, made by typer from a signature (typer's public way to build one)."""
    from typer.main import get_command

    probe = typer.Typer()

    @probe.command()
    def output(
        wide: Annotated[bool, typer.Option("--wide", "-w", help=WIDE_HELP, expose_value=False,
                                           callback=_set_flag)] = False,
        raw: Annotated[bool, typer.Option("--raw", help=RAW_HELP, expose_value=False, callback=_set_flag)] = False,
    ) -> None:
        """Never run: only its options are taken."""

    return {param.opts[0]: param for param in get_command(probe).params}


def _set_flag(ctx: typer.Context, param: typer.CallbackParam, value: bool) -> None:
    from opsctl.cli.context import AppContext

    if value and param.name:
        setattr(AppContext.of(ctx), param.name, True)


def _build(app: typer.Typer) -> Any:
    """The click command of a group module, its subcommands built on demand."""
    from typer.main import get_command, get_command_name
    from typer.models import DefaultPlaceholder

    given = app.info.callback  # a DefaultPlaceholder when none was given to Typer()
    is_group = app.registered_callback is not None or not isinstance(given, DefaultPlaceholder | None)
    if not is_group:
        return get_command(app)  # a single command
    pending: dict[str, Any] = {
        info.name or get_command_name(info.callback.__name__): info  # type: ignore[union-attr]
        for info in app.registered_commands
    }
    pending.update({info.name: info for info in app.registered_groups if isinstance(info.name, str)})
    saved = app.registered_commands, app.registered_groups
    app.registered_commands, app.registered_groups = [], []
    try:
        group = get_command(app)
    finally:
        app.registered_commands, app.registered_groups = saved
    group.__class__ = OnDemandGroup
    group.pending = pending  # type: ignore[attr-defined]
    return group
