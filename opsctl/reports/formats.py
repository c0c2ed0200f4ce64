"""The output formats every record-showing command offers (kept tiny: imported by --help)."""

from __future__ import annotations

from enum import StrEnum


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    tsv = "tsv"
    md = "md"
