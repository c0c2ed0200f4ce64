"""Groups that import and build a command only when that command runs.

`opsctl --help` lists every group of the root table without importing any of them,
and `opsctl attend in` imports the attendance commands alone and builds `in` alone.
The root group itself, with the one error handler, is in ``opsctl.cli.main``.
"""

from __future__ import annotations

import copy
import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from difflib import get_close_matches
from functools import cache
from typing import Annotated, Any, ClassVar

import typer
from typer.core import TyperGroup


@dataclass(frozen=True)
class LazyCommand:
    module: str
    attribute: str
    help: str


class LazyGroup(TyperGroup):
    """A group whose commands are named in ``lazy`` (a subclass gives the table) and imported on use."""

    lazy: ClassVar[Mapping[str, LazyCommand]] = {}

    def list_commands(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        return [*super().list_commands(ctx), *self.lazy]

    def get_command(self, ctx: typer.Context, cmd_name: str) -> Any:  # type: ignore[override]
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        entry = self.lazy.get(cmd_name)
        if entry is None:
            return None
        module = importlib.import_module(entry.module)
        command = with_output_options(build(getattr(module, entry.attribute)))
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


class OnDemandGroup(TyperGroup):
    """A command group that turns a command's function into a click command only when it is used.

    Typer builds every command of a group up front (signatures, types, defaults); a
    group of ten commands costs more than the command that runs. ``build`` makes one
    with the group's own options and ``pending`` holding what typer registered.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pending: dict[str, Any] = {}

    def list_commands(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        return [*self.commands, *(name for name in self.pending if name not in self.commands)]

    def get_command(self, ctx: typer.Context, cmd_name: str) -> Any:  # type: ignore[override]
        if cmd_name not in self.commands and cmd_name in self.pending:
            from typer.main import get_command_from_info
            from typer.models import TyperInfo

            info = self.pending[cmd_name]
            if isinstance(info, TyperInfo):  # a nested group (`project member add`)
                command = build(info.typer_instance)  # type: ignore[arg-type]
                command.name = cmd_name
            else:
                command = with_output_options(get_command_from_info(info, pretty_exceptions_short=True,
                                                                    rich_markup_mode=None))
            self.commands[cmd_name] = command
        return self.commands.get(cmd_name)


class DefaultCommandGroup(OnDemandGroup):
    """An OnDemandGroup whose first word, when it names none of its commands, is the first
    argument of ``default_command`` (`kpi review LOGIN …` is `kpi review add LOGIN …`)."""

    default_command: ClassVar[str] = ""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        if args and not args[0].startswith("-") and args[0] not in self.list_commands(ctx):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


def defaulting_to(command: str) -> type[OnDemandGroup]:
    """The group class (``typer.Typer(cls=...)``) whose unknown first word goes to ``command``."""
    return type(f"DefaultsTo{command.capitalize()}", (DefaultCommandGroup,), {"default_command": command})


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


def build(app: typer.Typer) -> Any:
    """The click command of a group module: a single command, or an OnDemandGroup whose
    subcommands are built when used."""
    from typer.main import get_command, get_command_name, get_group_from_info
    from typer.models import DefaultPlaceholder, TyperInfo

    given = app.info.callback  # a DefaultPlaceholder when none was given to Typer()
    is_group = app.registered_callback is not None or not isinstance(given, DefaultPlaceholder | None)
    if not is_group:
        return get_command(app)  # a single command
    # Typer builds a group from its Typer instance: this one is the app's settings and
    # callback without its commands (a copy; the app itself is left as it is).
    settings_only = copy.copy(app)
    settings_only.registered_commands, settings_only.registered_groups = [], []
    chosen = app.info.cls  # a DefaultCommandGroup, or a DefaultPlaceholder when none was given
    cls = chosen if isinstance(chosen, type) and issubclass(chosen, OnDemandGroup) else OnDemandGroup
    group = get_group_from_info(TyperInfo(settings_only, cls=cls),
                                pretty_exceptions_short=app.pretty_exceptions_short,
                                rich_markup_mode=app.rich_markup_mode, suggest_commands=app.suggest_commands)
    assert isinstance(group, OnDemandGroup)
    group.pending.update({
        info.name or get_command_name(info.callback.__name__): info  # type: ignore[union-attr]
        for info in app.registered_commands
    })
    group.pending.update({info.name: info for info in app.registered_groups if isinstance(info.name, str)})
    return group
