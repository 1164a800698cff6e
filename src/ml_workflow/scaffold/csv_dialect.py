"""How to read a team's CSV: commas, or semicolons as spreadsheets write them
in much of Europe, with decimal commas (``171,9``) where the numbers have them;
UTF-8, or Windows-1252 as Excel's plain "CSV" export on Windows writes it.

`kedro variant create` reads the file with these arguments to infer the
variant, and writes the same ones into the raw catalog entry, so the pipeline
reads the file exactly as it was inferred from.
"""

from __future__ import annotations

import codecs
import re
from itertools import islice
from pathlib import Path
from typing import Any

from ml_workflow.errors import DataValidationError

SAMPLE_LINES = 200
"""Lines read from the top of the file to tell its separator and decimals."""
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_THOUSANDS_DOT = re.compile(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?")


def csv_load_args(path: Path, encoding: str = "utf-8") -> dict[str, Any]:
    """``pandas.read_csv`` arguments for ``path``: ``{}`` for a comma-separated
    file; ``sep: ';'`` when its header is separated by semicolons, with
    ``decimal: ','`` (and ``thousands: '.'``) when its numbers are written so."""
    with path.open(encoding=encoding, errors="replace") as file:
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


def text_encoding(path: Path) -> str | None:
    """None for UTF-8 text (a byte-order mark included); ``"cp1252"`` for a
    file that is not UTF-8 but is Windows-1252 text. UTF-16 (Excel's "Unicode
    Text") and anything else are refused, saying where, before minutes of work
    are spent: the raw dataset's checks read the file's bytes as ASCII-based
    text."""
    with path.open("rb") as file:
        start = file.read(2)
    if start in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        raise DataValidationError(
            f"data file {path} is UTF-16 text (it starts with a UTF-16 byte-order "
            "mark): save it as UTF-8 (Excel: Save As, 'CSV UTF-8') and create "
            "the variant again"
        )
    try:
        _decode(path, "utf-8")
    except _Undecodable as not_utf8:
        try:
            _decode(path, "cp1252", refuse_nul=True)
        except _Undecodable:
            raise DataValidationError(
                f"data file {path} is not UTF-8 text (byte 0x{not_utf8.byte:02x} "
                f"near byte {not_utf8.offset:,}) nor Windows-1252: save it as "
                "UTF-8 (Excel: Save As, 'CSV UTF-8') and create the variant again"
            ) from None
        return "cp1252"
    return None


class _Undecodable(Exception):
    """A byte the encoding cannot decode, and about where it is in the file."""

    def __init__(self, byte: int, offset: int) -> None:
        super().__init__(byte, offset)
        self.byte, self.offset = byte, offset


def _decode(
    path: Path, encoding: str, chunk: int = 1 << 20, refuse_nul: bool = False
) -> None:
    """Decode the whole file in chunks (no second copy of a big file); with
    ``refuse_nul``, a NUL byte (no text file has one) counts as undecodable."""
    decoder = codecs.getincrementaldecoder(encoding)()
    done = 0
    with path.open("rb") as file:
        while block := file.read(chunk):
            if refuse_nul and b"\x00" in block:
                raise _Undecodable(0, done + block.index(b"\x00"))
            try:
                decoder.decode(block)
            except UnicodeDecodeError as error:
                raise _Undecodable(
                    error.object[error.start], done + error.start
                ) from None
            done += len(block)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            raise _Undecodable(error.object[error.start], done) from None


__all__ = ["SAMPLE_LINES", "csv_load_args", "text_encoding"]
