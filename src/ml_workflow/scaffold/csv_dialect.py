"""How to read a team's CSV: commas, or semicolons as spreadsheets write them
in much of Europe, with decimal commas (``171,9``) where the numbers have them.

`kedro variant create` reads the file with these arguments to infer the
variant, and writes the same ones into the raw catalog entry, so the pipeline
reads the file exactly as it was inferred from.
"""

from __future__ import annotations

import re
from itertools import islice
from pathlib import Path
from typing import Any

SAMPLE_LINES = 200
"""Lines read from the top of the file to tell its separator and decimals."""
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_THOUSANDS_DOT = re.compile(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?")


def csv_load_args(path: Path) -> dict[str, Any]:
    """``pandas.read_csv`` arguments for ``path``: ``{}`` for a comma-separated
    file; ``sep: ';'`` when its header is separated by semicolons, with
    ``decimal: ','`` (and ``thousands: '.'``) when its numbers are written so."""
    with path.open(encoding="utf-8", errors="replace") as file:
        lines = [line.rstrip("\r\n") for line in islice(file, SAMPLE_LINES)]
    header = lines[0] if lines else ""
    if header.count(";") == 0 or header.count(",") >= header.count(";"):
        return {}
    fields = [
        value.strip().strip('"') for line in lines[1:] for value in line.split(";")
    ]
    arguments: dict[str, Any] = {"sep": ";"}
    if any(_DECIMAL_COMMA.fullmatch(value) for value in fields):
        arguments["decimal"] = ","
        if any(_THOUSANDS_DOT.fullmatch(value) for value in fields):
            arguments["thousands"] = "."
    return arguments


__all__ = ["SAMPLE_LINES", "csv_load_args"]
