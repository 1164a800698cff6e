"""A read-only CSV dataset for raw data, with clear errors for unreadable files.

Raw data is the one thing a failed or buggy run must never damage, so the
dataset refuses to save. Loading turns pandas' low-level errors (missing file,
empty file, undecodable bytes, a delimiter that does not split the header)
into messages that name the file, say what was expected and what was found,
and which catalog setting to check.
"""

from __future__ import annotations

import codecs
import csv
import os
from typing import Any

import pandas as pd
from kedro.io.core import DatasetError, Version
from kedro_datasets.pandas import CSVDataset

from .raw_parquet import ReadOnlyParquetDataset

# delimiter -> (how to name it, the adjective in "the file looks X-separated")
_DELIMITERS = {
    "\t": ("a tab ('\\t')", "tab"),
    ",": ("a comma (',')", "comma"),
    ";": ("';'", "semicolon"),
    "|": ("'|'", "pipe"),
}


class ReadOnlyCSVDataset(CSVDataset):
    """``pandas.CSVDataset`` that loads raw data and refuses to save.

    Use it for every catalog entry under ``data/01_raw``: the project must
    never write raw data (``tests/test_nothing_lost.py`` checks that).
    """

    def __init__(
        self,
        *,
        filepath: str | os.PathLike,
        load_args: dict[str, Any] | None = None,
        version: Version | None = None,
        credentials: dict[str, Any] | None = None,
        fs_args: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        """Same arguments as ``pandas.CSVDataset`` minus ``save_args`` (never saves).

        Declared explicitly so that Kedro records the real arguments, and
        ``kedro catalog resolve-patterns`` shows them, for this subclass too.
        """
        super().__init__(
            filepath=filepath,
            load_args=load_args,
            version=version,
            credentials=credentials,
            fs_args=fs_args,
            metadata=metadata,
        )

    def save(self, data: pd.DataFrame) -> None:
        """Refuse: raw data is input only."""
        raise DatasetError(
            f"refusing to write raw data to {self._filepath}: raw datasets are "
            "read-only (ReadOnlyCSVDataset); write outputs to a later layer"
        )

    def load(self) -> pd.DataFrame:
        """Load the CSV, explaining missing, empty, undecodable or mis-split files."""
        path = str(self._get_load_path())
        where = f"raw data file {path!r}"
        if not self._fs.exists(path):
            raise DatasetError(
                f"{where} does not exist: put the raw file there or fix 'filepath' "
                "in the catalog entry"
            )
        if self._fs.size(path) == 0 or not self._head_bytes(path).strip():
            raise DatasetError(
                f"{where} is empty: expected a header line naming the columns, "
                "then one line per record"
            )
        try:
            frame = self._read(path)
        except UnicodeDecodeError as error:
            raise DatasetError(self._decode_message(path, where)) from error
        except pd.errors.EmptyDataError as error:
            raise DatasetError(
                f"{where} has no columns to read: expected a header line naming "
                "the columns"
            ) from error
        except pd.errors.ParserError as error:
            raise DatasetError(
                f"{where} could not be split into columns with "
                f"{self._settings()}: {str(error).strip()}"
                f"{self._delimiter_hint(path)}"
            ) from error
        if len(frame.columns) == 1:
            hint = self._delimiter_hint(path)
            if hint:
                raise DatasetError(
                    f"{where} was read as ONE column {str(frame.columns[0])!r} with "
                    f"{self._settings()}{hint}"
                )
        self._check_not_truncated(path, where, len(frame.columns))
        self._check_unique_header(path, where)
        return frame

    def _check_unique_header(self, path: str, where: str) -> None:
        """Refuse two columns of one name: pandas would rename the second
        (``name.1``) and it would be silently ignored."""
        header = (
            self._head_bytes(path)
            .split(b"\n", 1)[0]
            .decode(self._encoding(), errors="replace")
        )
        repeated = repeated_names(
            header.rstrip("\r"),
            self._load_args.get("sep", self._load_args.get("delimiter", ",")),
            self._load_args.get("quoting", csv.QUOTE_MINIMAL),
            self._load_args.get("quotechar", '"'),
        )
        if repeated:
            raise DatasetError(
                f"{where} has {len(repeated)} column name(s) used more than once: "
                f"{repeated}. Which column is meant is ambiguous: rename or drop "
                "the copies in the file"
            )

    def _check_not_truncated(self, path: str, where: str, n_columns: int) -> None:
        """Refuse a file cut off mid-record: pandas would fill the rest with NaN.

        Only a file that does not end with a line break is suspect; its last
        line must then hold as many fields as the header.
        """
        size = self._fs.size(path)
        with self._fs.open(path, "rb") as file:
            file.seek(max(0, size - 65536))
            tail = file.read()
        if tail.endswith((b"\n", b"\r")):
            return
        last = tail.rsplit(b"\n", 1)[-1].decode(self._encoding(), errors="replace")
        quoting = self._load_args.get("quoting", csv.QUOTE_MINIMAL)
        quotechar = self._load_args.get("quotechar", '"')
        if quoting != csv.QUOTE_NONE and quotechar in last:
            return  # a quoted field may span lines: the last line alone proves nothing
        sep = self._load_args.get("sep", self._load_args.get("delimiter", ","))
        fields = next(csv.reader([last], delimiter=sep, quoting=quoting))
        if len(fields) < n_columns:
            raise DatasetError(
                f"{where} looks truncated: it does not end with a line break and its "
                f"last line has {len(fields)} of the {n_columns} fields the header "
                f"declares ({last[:80]!r}). Restore the complete file"
            )

    def _read(self, path: str) -> pd.DataFrame:
        """Read with pandas directly, so its own exceptions reach ``load``."""
        if self._protocol == "file":
            return pd.read_csv(path, **self._load_args)
        return pd.read_csv(
            f"{self._protocol}://{path}",
            storage_options=self._storage_options,
            **self._load_args,
        )

    def _encoding(self) -> str:
        return self._load_args.get("encoding") or "utf-8"

    def _settings(self) -> str:
        sep = self._load_args.get("sep", self._load_args.get("delimiter", ","))
        quoting = self._load_args.get("quoting", csv.QUOTE_MINIMAL)
        return f"sep={sep!r}, quoting={quoting}"

    def _head_bytes(self, path: str, size: int = 65536) -> bytes:
        with self._fs.open(path, "rb") as file:
            return file.read(size)

    def _decode_message(self, path: str, where: str) -> str:
        """Locate the first byte that is not valid text in the declared encoding."""
        encoding = self._encoding()
        decoder = codecs.getincrementaldecoder(encoding)()
        offset, line = 0, 1
        with self._fs.open(path, "rb") as file:
            for chunk in iter(lambda: file.read(65536), b""):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as error:
                    position = error.start
                    bad = chunk[position : position + 4]
                    line += chunk[:position].count(b"\n")
                    return (
                        f"{where} is not valid {encoding} text: byte(s) {bad!r} at "
                        f"byte offset {offset + position} (line {line}) cannot be "
                        f"decoded. Re-save the file as {encoding}, or set "
                        "load_args.encoding (e.g. latin-1) in the catalog entry"
                    )
                offset += len(chunk)
                line += chunk.count(b"\n")
        return f"{where} is not valid {encoding} text"  # pragma: no cover

    def _delimiter_hint(self, path: str) -> str:
        """Say which delimiter the header line seems to use, if not the declared one."""
        sep = self._load_args.get("sep", self._load_args.get("delimiter", ","))
        header = self._head_bytes(path, 4096).split(b"\n", 1)[0]
        header_text = header.decode(self._encoding(), errors="replace")
        counts = {d: header_text.count(d) for d in _DELIMITERS if d != sep}
        likely = max(counts, key=counts.get, default=None)
        if likely is None or counts[likely] == 0 or header_text.count(sep) > 0:
            return ""
        name, adjective = _DELIMITERS[likely]
        return (
            f". The header line {header_text.strip()!r} contains {name} but no "
            f"{sep!r}: the file looks {adjective}-separated, so set load_args.sep "
            f"to {likely!r} (and check load_args.quoting) in the catalog entry"
        )

    def _describe(self) -> dict[str, Any]:
        description = {**super()._describe(), "read_only": True}
        description.pop("save_args", None)
        return description


def repeated_names(header: str, sep: str, quoting: int, quotechar: str) -> list[str]:
    """The column names a CSV header line holds more than once, in order."""
    names = next(
        csv.reader([header], delimiter=sep, quoting=quoting, quotechar=quotechar), []
    )
    names = [name.strip() for name in names]
    return list(dict.fromkeys(name for name in names if names.count(name) > 1))


def is_read_only(dataset: Any) -> bool:
    """Whether ``dataset`` refuses to save (the raw-data contract)."""
    return isinstance(dataset, ReadOnlyCSVDataset | ReadOnlyParquetDataset)


__all__ = ["ReadOnlyCSVDataset", "is_read_only", "repeated_names"]
