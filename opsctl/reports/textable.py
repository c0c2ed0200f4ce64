"""A plain, fast text table that measures CJK characters as two columns.

rich lays out a 200-row table in about half a second; a team list must print in a
blink, so tables are drawn here (rich stays for the few drawings that need it).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Literal

Justify = Literal["left", "right", "center"]

_SGR = {
    "bold": "1", "dim": "2", "italic": "3", "underline": "4", "reverse": "7",
    "black": "30", "red": "31", "green": "32", "yellow": "33", "blue": "34", "magenta": "35", "cyan": "36",
    "white": "37", "bright_black": "90", "bright_red": "91", "bright_green": "92", "bright_yellow": "93",
    "bright_blue": "94", "bright_magenta": "95", "bright_cyan": "96", "bright_white": "97",
}


@lru_cache(maxsize=4096)
def _char_width(char: str) -> int:
    if unicodedata.combining(char) or char in "\u200b\u200d\ufe0f":
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def text_width(text: str) -> int:
    """Columns a string takes in a terminal (CJK and full-width characters count two)."""
    if text.isascii():
        return len(text)
    return sum(_char_width(char) for char in text)


def fit(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` columns, ending with an ellipsis when cut."""
    if text_width(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        w = _char_width(char)
        if used + w > width - 1:
            break
        out.append(char)
        used += w
    return "".join(out) + "…"


def fit_text(text: str, width: int) -> str:
    """``fit`` for words: a word with a digit in it (a date, a time, a number, an id such as
    NET-2026) is never cut; the ellipsis takes its place instead ("due: 2026-06-…" → "due: …")."""
    cut = fit(text, width)
    if cut == text:
        return cut
    kept = cut[:-1]
    start = max(kept.rfind(" "), kept.rfind("\u3000")) + 1
    word = kept[start:] + text[len(kept):].split(" ", 1)[0]
    if any(char.isdigit() for char in word):
        return kept[:start] + "…"
    return cut


def pad(text: str, width: int, justify: Justify = "left") -> str:
    gap = width - text_width(text)
    if gap <= 0:
        return text
    if justify == "right":
        return " " * gap + text
    if justify == "center":
        return " " * (gap // 2) + text + " " * (gap - gap // 2)
    return text + " " * gap


def style(text: str, spec: str | None, colour: bool) -> str:
    """Wrap text in ANSI codes for a style such as "bold red" (nothing when colour is off)."""
    if not colour or not spec or not text:
        return text
    codes = [_SGR[word] for word in spec.replace("+", " ").split() if word in _SGR]
    return f"\x1b[{';'.join(codes)}m{text}\x1b[0m" if codes else text


def wrap(text: str, width: int | None) -> list[str]:
    """Lines of at most ``width`` columns, broken between words (a word longer than a line, such
    as Chinese text without spaces, is broken where the line ends); None: the text's own lines."""
    if width is None:
        return text.split("\n")
    if "\n" not in text and text_width(text) <= width:
        return [text]
    width = max(width, 2)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if text_width(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while text_width(word) > width:
                head = _prefix(word, width)
                lines.append(head)
                word = word[len(head):]
            line = word
        lines.append(line)
    return lines


def _prefix(text: str, width: int) -> str:
    used = 0
    for i, char in enumerate(text):
        used += _char_width(char)
        if used > width:
            return text[:max(i, 1)]
    return text


def draw(
    headers: list[str] | None,
    rows: list[list[str]],
    *,
    justify: list[Justify],
    column_styles: list[str | None] | None = None,
    row_styles: list[str | None] | None = None,
    colour: bool = False,
    widths: list[int] | None = None,
) -> list[str]:
    """Lines of an aligned table: header, a rule, then the rows, two spaces between columns.

    ``widths`` (from ``opsctl.reports.fitting``) cuts a longer cell with an ellipsis; without
    them every column is as wide as its widest cell.
    """
    count = len(justify)
    if widths is None:
        widths = [0] * count
        for row in ([headers] if headers else []) + rows:
            for i, cell in enumerate(row):
                widths[i] = max(widths[i], text_width(cell))
    else:
        rows = [[fit(cell, widths[i]) for i, cell in enumerate(row)] for row in rows]
    column_styles = column_styles or [None] * count
    lines = []
    if headers:
        head = "  ".join(pad(h, widths[i], justify[i]) for i, h in enumerate(headers)).rstrip()
        lines.append(style(head, "bold", colour))
        lines.append("─" * text_width(head))
    for r, row in enumerate(rows):
        cells = [style(pad(cell, widths[i], justify[i]), column_styles[i], colour) for i, cell in enumerate(row)]
        line = "  ".join(cells).rstrip()
        lines.append(style(line, row_styles[r] if row_styles else None, colour))
    return lines
