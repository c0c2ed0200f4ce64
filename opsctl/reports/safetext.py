"""Text that cannot attack its reader: a terminal, or a spreadsheet.

Stored text (a task title, a leave reason, a person's name) is whatever somebody typed or
imported. Shown as it is, an escape sequence in it would drive the terminal of whoever lists it
(colours, a new window title, a hidden hyperlink, a cleared screen: ESC, CSI, OSC), and a cell
starting with ``=`` would be a formula in the spreadsheet that opens a CSV export (OWASP "CSV
Injection"). So, on display only (storage and ``-f json`` keep the text exactly):

- :func:`printable` drops whole escape sequences (CSI ``ESC [ … final``, OSC/DCS/APC/PM/SOS
  ``ESC ] … BEL|ST``, two-byte ``ESC x``, and their 8-bit C1 forms), then every remaining C0
  control, DEL, C1 control and bidirectional override (U+202A–202E, U+2066–2069: text that
  reads backwards). Tables, records, ``today``, Markdown, messages and errors go through it.
- :func:`json_safe` writes the same JSON with DEL, C1 and bidi controls as ``\\u`` escapes
  (json.dumps escapes C0 already): the data a parser reads is unchanged, to the character.
- :func:`spreadsheet_cell` puts a ``'`` before a text cell starting with ``=``, ``+``, ``-``,
  ``@``, tab or carriage return (after any spaces): spreadsheets read it as "this is text" and
  do not show it. Numbers are not text: ``-3.5`` stays a number. The same starts make the
  Excel writer mark a cell as quoted text (``opsctl.reports.excel``).
"""

from __future__ import annotations

import re

# The first characters that make a spreadsheet read a cell as a formula (OWASP CSV Injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_FORMULA_FIRST = frozenset(FORMULA_STARTS)

_C1_STRING = "\x90\x98\x9d\x9e\x9f"  # DCS, SOS, OSC, PM, APC: a string up to ST
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"  # CSI: parameters, intermediates, final
    rf"|(?:\x1b[\]PX^_]|[{_C1_STRING}])[^\x00-\x1f\x7f\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC & co … BEL/ST
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]?"  # any other escape: ESC, intermediates, final byte
)
# Left after the sequences: C0 but tab and newline, DEL, C1, bidirectional overrides/isolates.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile("\r\n|[\t\n\r\x0b\x0c]")
# What json.dumps(ensure_ascii=False) leaves raw although a terminal obeys it (it escapes C0 itself).
_JSON_RAW_CONTROL = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str, *, lines: bool = False) -> str:
    """``text`` as a terminal may show it: no escape sequence and no control character. One line
    (a table cell, a title) unless ``lines``: line breaks and tabs become spaces; with ``lines``
    (a record's value, a message, minutes) newlines and tabs stay and CR LF becomes LF."""
    if text.isprintable():  # the usual case, checked at C speed
        return text
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = text.replace("\r\n", "\n") if lines else _BREAKS.sub(" ", text)
    return _CONTROL.sub("", text)


def is_formula_like(text: str) -> bool:
    """Would a spreadsheet read this text as a formula? A single character never is (a lone
    ``-`` is the usual "nothing" mark)."""
    if not text or (text[0] != " " and text[0] not in _FORMULA_FIRST):  # most cells: one look
        return False
    head = text.lstrip(" ")
    return len(head) > 1 and head.startswith(FORMULA_STARTS)


def spreadsheet_cell(value: object) -> object:
    """A CSV/TSV cell safe to open in a spreadsheet: text that is no control sequence and no
    formula (a leading ``'``); numbers, and everything that is not text, as they are."""
    if not isinstance(value, str):
        return value
    text = value if value.isprintable() else printable(value, lines=True)
    return "'" + text if is_formula_like(text) else text


def json_safe(document: str) -> str:
    """A JSON text (``json.dumps(…, ensure_ascii=False)``) whose strings carry DEL, C1 and bidi
    controls as ``\\uXXXX`` escapes: equal data for any parser, inert on a terminal. Such a
    character can only stand inside a string, where the escape means the same."""
    return _JSON_RAW_CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", document)
