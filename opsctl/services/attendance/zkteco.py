"""ZKTeco attendance logs as devices really write them, in their two layouts.

``zkteco-usb``: the USB download (``1_attlog.dat``, the number is the device's), six columns
    PIN, time, device number, state, verify mode, work code
    e.g. ``     1008<TAB>2026-05-06 08:51:28<TAB>1<TAB>0<TAB>1<TAB>0`` (the PIN right-aligned in spaces).
``zkteco-push``: the network push (ADMS / iclock ``cdata?table=ATTLOG``) as a server saves it,
    PIN, time, state, verify mode, work code, reserved, reserved (seven columns on most firmware;
    five, six or up to eleven on others) — e.g. ``1008<TAB>2026-06-01 08:51:28<TAB>0<TAB>1<TAB>0<TAB>0<TAB>0``.

States: 0 check-in, 3 break-in, 4 overtime-in are ``in``; 1 check-out, 2 break-out, 5 overtime-out
``out``; 255 (no state key pressed) keeps the punch without a kind. Any other state is a bad row.

Which layout a file is, is told by its content, over the whole file (never by its first line):

- lines of 3–5 or of 7 or more columns are push: USB lines have exactly six. One device writes
  one shape, so a file with six-column lines and lines of another count mixes layouts;
- on a six-column line the third column decides when it can: 0 or 255 is a state (device
  numbers run from 1 to 254), so push; 6 to 254 is a device number, so USB; and a fourth column
  that is no state (a verify mode such as 9 or 15, face) is push;
- a line that shows neither (a third column of 1–5 with a state in the fourth, or PIN and time
  alone) is read in the layout the rest of the file shows; when no line shows one, the file is
  USB (a push log in which nobody ever clocked in with state 0 would be no real one);
- a file with lines of both is refused whole (``--skip-bad`` or not), naming the first line that
  differs from the lines before it. ``--source zkteco-usb`` or ``zkteco-push`` names the layout
  instead; a line that does not fit it is then a bad row.

Read as devices and the tools around them write: tabs or runs of spaces between columns (the
date and the time stay one column), PINs padded with spaces, CRLF, a UTF-8 (or UTF-16) byte
order mark, blank lines, a Ctrl-Z (0x1A) at the end. A PIN of digits matches a badge of digits
as a number (``7`` is ``0007``); other badges must be equal.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar

from opsctl.errors import InvalidInput

Layout = Literal["zkteco-usb", "zkteco-push"]
USB: Layout = "zkteco-usb"
PUSH: Layout = "zkteco-push"
LAYOUT_NAMES = {USB: "a USB download line (PIN, time, device, state, verify, work code)",
                PUSH: "a network-push line (PIN, time, state, verify, work code, …)"}
USB_COLUMNS = 6
STATE_KINDS = {0: "in", 1: "out", 2: "out", 3: "in", 4: "in", 5: "out", 255: ""}
NO_STATE = 255
SNIFF = 64 * 1024
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CLOCK = re.compile(r"\d{1,2}:\d{2}(:\d{2})?")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}[ T]")

# One line read: line number, who (the PIN as written), time text, kind ("" none), problem ("" none).
Row = tuple[int, str, str, str, str]
T = TypeVar("T")


def read_text(path: Path) -> str:
    """The file's text without a byte order mark or a trailing Ctrl-Z."""
    try:
        text = _decode(path.read_bytes())
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not a text file (a ZKTeco attendance log is text, one punch a line)") from None
    return text.rstrip("\x1a\r\n")  # DOS tools end a file with Ctrl-Z


def _decode(data: bytes, errors: str = "strict") -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors)
    return data.decode("utf-8-sig", errors)


def split_line(text: str) -> list[str]:
    """The columns of one line: between tabs, or else between runs of spaces (the date and the
    time joined again). Tabs keep empty columns, so a missing work code does not shift the rest."""
    if "\t" in text:
        return [cell.strip() for cell in text.strip(" \r\n").split("\t")]
    cells = text.split()
    if len(cells) > 2 and _DATE.fullmatch(cells[1]) and _CLOCK.fullmatch(cells[2]):
        cells[1:3] = [f"{cells[1]} {cells[2]}"]
    return cells


def looks_like_log(path: Path) -> bool:
    """Its first line that is not blank is ``PIN  YYYY-MM-DD HH:MM:SS…`` (a CSV has a header).
    Only the file's start is read: a big CSV is not read twice."""
    with path.open("rb") as handle:
        start = handle.read(SNIFF)
    for line in _decode(start, "replace").split("\n"):
        if line.strip():
            cells = split_line(line)
            return len(cells) >= 2 and bool(_DAY.match(cells[1]))
    return False


def badge_key(badge: str) -> str:
    """Digits compare as numbers (``0007`` is ``7``); anything else as written."""
    badge = badge.strip()
    if badge.isascii() and badge.isdigit():
        return badge.lstrip("0") or "0"
    return badge


def badge_lookup(badges: Mapping[str, T]) -> Callable[[str], T | None]:
    """Find by a PIN from a device log; a PIN that two badges share as a number is an error."""
    found: dict[str, T] = {}
    shared: dict[str, list[str]] = {}
    for badge, value in badges.items():
        key = badge_key(badge)
        shared.setdefault(key, []).append(badge)
        found[key] = value

    seen: dict[str, T | None] = {}  # a log repeats a few hundred PINs thousands of times

    def lookup(pin: str) -> T | None:
        if pin in seen:
            return seen[pin]
        key = badge_key(pin)
        if len(shared.get(key, ())) > 1:
            both = " and ".join(repr(b) for b in sorted(shared[key]))
            raise InvalidInput(f"badge {pin!r} could be {both}; give those people badges that differ as numbers")
        seen[pin] = found.get(key)
        return seen[pin]

    return lookup


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    cells: list[str]
    shaped: bool  # a punch line of three columns or more: its column count says something
    shows: Layout | None  # the layout this six-column line shows by its values, if any
    why: str


def _number(cell: str) -> int | None:
    return int(cell) if cell.isascii() and cell.isdigit() else None


def _shows(cells: list[str]) -> tuple[Layout | None, str]:
    """The layout a six-column line shows by its values, and how."""
    if len(cells) != USB_COLUMNS:
        return None, ""
    third, fourth = _number(cells[2]), _number(cells[3])
    if third in (0, NO_STATE):
        return PUSH, f"its third column {cells[2]} is a state, devices are numbered from 1"
    if third is not None and third not in STATE_KINDS:
        return USB, f"its third column {cells[2]} is a device number, not a state"
    if fourth is not None and fourth not in STATE_KINDS:
        return PUSH, f"its fourth column {cells[3]} is a verify mode, not a state"
    return None, ""


def _kind(state: str) -> tuple[str, str]:
    """The kind a state means, or the problem with it."""
    if not state:
        return "", ""
    number = _number(state)
    if number is None:
        return "", f"state {state!r} is not a number (ZKTeco states are 0–5, or 255 for none)"
    if number not in STATE_KINDS:
        return "", f"unknown state {state} (ZKTeco states are 0–5, or 255 for none)"
    return STATE_KINDS[number], ""


def read_log(path: Path, layout: Layout | None = None) -> tuple[Layout, list[Row]]:
    """The layout (``layout``, or told from the lines) and every punch line of a device log."""
    lines = []
    for number, text in enumerate(read_text(path).split("\n"), start=1):
        if text.strip():
            cells = split_line(text)
            timed = len(cells) >= 2 and bool(_DAY.match(cells[1]))  # a garbled line shows no layout
            lines.append(_Line(number, cells, timed and len(cells) >= 3, *(_shows(cells) if timed else (None, ""))))
    chosen = layout or _told(path, lines)
    return chosen, [_row(line, chosen) for line in lines]


def _told(path: Path, lines: list[_Line]) -> Layout:
    """The layout the lines show; a file whose lines show both is refused at the first that differs.
    One device writes one shape, so six columns beside any other count is a mix too."""
    shaped: _Line | None = None
    shown: tuple[_Line, Layout] | None = None
    for line in lines:
        if line.shaped:
            if shaped is None:
                shaped = line
            elif (len(line.cells) == USB_COLUMNS) != (len(shaped.cells) == USB_COLUMNS):
                raise _mixed(path, f"line {shaped.number} has {len(shaped.cells)} columns but line {line.number} "
                                   f"has {len(line.cells)} (a USB download line has 6, a push line 7 on most firmware)")
        if line.shows is not None:
            if shown is None:
                shown = line, line.shows
            elif line.shows != shown[1]:
                first, layout = shown
                raise _mixed(path, f"line {first.number} is {LAYOUT_NAMES[layout]} ({first.why}) but line "
                                   f"{line.number} is {LAYOUT_NAMES[line.shows]} ({line.why})")
    if shaped is not None and len(shaped.cells) != USB_COLUMNS:
        return PUSH
    return shown[1] if shown is not None else USB


def _mixed(path: Path, how: str) -> InvalidInput:
    return InvalidInput(f"{path} mixes the two ZKTeco layouts: {how}; nothing was imported (import each device's "
                        "log as its own file, or name the layout with --source zkteco-usb or zkteco-push)")


def _row(line: _Line, layout: Layout) -> Row:
    cells, count = line.cells, len(line.cells)
    if count < 2 or not cells[1]:
        return line.number, cells[0] if cells else "", "", "", "expected badge and time, got too few columns"
    if count == 2:
        return line.number, cells[0], cells[1], "", ""
    if layout == USB and count != USB_COLUMNS:
        return line.number, cells[0], cells[1], "", f"{count} columns; {LAYOUT_NAMES[USB]} has 6"
    kind, problem = _kind(cells[3] if layout == USB else cells[2])
    return line.number, cells[0], cells[1], kind, problem
