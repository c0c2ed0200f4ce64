"""The README's tour is a script: every command in it runs, in order, on a fresh database.

The ``sh`` blocks from "A short tour" on are read like a shell would read them:
continuation lines joined, ``#`` comments dropped, ``;`` between commands,
``export VAR=value`` for the commands after it and ``VAR=value opsctl …`` for one.
A command whose comment says ``(exit N)`` is expected to be refused with that code.
The tour uses dates relative to today, so it is run on several days of the week.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from opsctl.cli.context import AppContext
from opsctl.cli.main import app
from opsctl.clock import FixedClock

ROOT = Path(__file__).resolve().parents[2]
TOUR_START = "## A short tour"
_FENCE = re.compile(r"^```(\S*)\s*$")
_EXPECTED_EXIT = re.compile(r"#.*\(exit (\d)\)")
_ASSIGNMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", re.DOTALL)


@dataclass
class Command:
    line: int
    text: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    exports: dict[str, str] = field(default_factory=dict)
    expect: int = 0


def tour_lines(readme: str) -> list[tuple[int, str]]:
    """(line number, logical line) of every ``sh`` block of the tour, continuations joined."""
    lines: list[tuple[int, str]] = []
    started = in_block = False
    pending: tuple[int, str] | None = None
    for number, raw in enumerate(readme.splitlines(), start=1):
        if raw.strip() == TOUR_START:
            started = True
        fence = _FENCE.match(raw)
        if fence:
            in_block = not in_block and started and fence[1] == "sh"
            continue
        if not in_block or not raw.strip():
            continue
        start, text = pending if pending else (number, "")
        text += raw
        if text.endswith("\\"):
            pending = (start, text[:-1])
        else:
            pending = None
            lines.append((start, text))
    return lines


def split_commands(number: int, text: str) -> list[Command]:
    """One logical line as the shell would split it into commands."""
    lexer = shlex.shlex(text, posix=True, punctuation_chars=";")
    lexer.whitespace_split = True
    words: list[list[str]] = [[]]
    for token in lexer:
        if token == ";":
            words.append([])
        else:
            words[-1].append(token)
    commands = []
    for argv in filter(None, words):
        command = Command(number, text, argv)
        if argv[0] == "export":
            command.exports = dict(_assignment(number, word) for word in argv[1:])
        else:
            while argv and _ASSIGNMENT.match(argv[0]):
                name, value = _assignment(number, argv.pop(0))
                command.env[name] = value
            assert argv and argv[0] == "opsctl", f"README line {number}: only opsctl runs in the tour: {text}"
            command.argv = argv[1:]
        commands.append(command)
    if expected := _EXPECTED_EXIT.search(text):
        commands[-1].expect = int(expected[1])
    return commands


def _assignment(number: int, word: str) -> tuple[str, str]:
    match = _ASSIGNMENT.match(word)
    assert match, f"README line {number}: not VAR=value: {word!r}"
    return match[1], match[2]


def tour(readme: str) -> list[Command]:
    return [command for number, text in tour_lines(readme) for command in split_commands(number, text)]


def test_the_tour_reader_reads_like_a_shell() -> None:
    readme = "\n".join([
        "## Two commands", "```sh", "python3 -m venv .venv && .venv/bin/opsctl demo", "```",
        TOUR_START, "```sh",
        "export OPSCTL_USER=ada   # or --as",
        'opsctl people add wei --name "张 伟" \\',
        "    --team Ops; opsctl db info   # two commands",
        "EDITOR=true opsctl meeting minutes 1 --edit",
        "opsctl attend in            # again: refused (exit 5)",
        "```", "```text", "not a command", "```",
    ])
    commands = tour(readme)
    assert [(c.line, c.argv) for c in commands] == [
        (7, ["export", "OPSCTL_USER=ada"]),
        (8, ["people", "add", "wei", "--name", "张 伟", "--team", "Ops"]),
        (8, ["db", "info"]),
        (10, ["meeting", "minutes", "1", "--edit"]),
        (11, ["attend", "in"]),
    ]
    assert commands[0].exports == {"OPSCTL_USER": "ada"}
    assert commands[3].env == {"EDITOR": "true"}
    assert [c.expect for c in commands] == [0, 0, 0, 0, 5]


# Days the tour must hold on (Shanghai time), as far apart as they get: a Monday morning
# on the first of a month ("mon" is a week away, "-3d" last month) and a Sunday night
# at the end of a year ("tomorrow" is Monday, "+2w" next year). Each run takes seconds.
CLOCKS = {
    "monday-morning-month-start": datetime(2027, 3, 1, 0, 15, tzinfo=UTC),
    "sunday-night-year-end": datetime(2026, 12, 27, 14, 50, tzinfo=UTC),
}


@pytest.mark.parametrize("now", CLOCKS.values(), ids=CLOCKS.keys())
def test_every_command_of_the_readme_tour_runs_on_a_fresh_database(
    now: datetime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commands = tour((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(commands) > 50 and commands[0].argv[0] == "init"
    (tmp_path / "sample_data").symlink_to(ROOT / "sample_data")
    monkeypatch.chdir(tmp_path)
    clock = FixedClock(now)
    runner = CliRunner()
    exported = {"OPSCTL_DB": str(tmp_path / "tour.db")}
    for command in commands:
        if command.exports:
            exported |= command.exports
            continue
        clock.advance(seconds=1)  # one clocks in and out a second apart at least
        result = runner.invoke(app, command.argv, obj=AppContext(clock=clock), env=exported | command.env)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"README line {command.line}: {command.text}") from result.exception
        assert result.exit_code == command.expect, (
            f"README line {command.line} exited {result.exit_code}, not {command.expect}: {command.text}\n"
            f"{result.stderr}"
        )
