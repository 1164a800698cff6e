"""One row per panel dataset: the project's figures beside the references',
the gap between them, and the table and JSON that print them.

Pure functions on plain data, so the arithmetic and the formatting of failed
rows are tested cheaply (``tests/benchmarks/test_panel.py``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any

REFERENCES = ("hgb", "hgb_log", "linear_text", "flaml")
_COLUMNS = (
    ("dataset", 10, "<"),
    ("task", 10, "<"),
    ("rows", 6, ">"),
    ("metric", 8, "<"),
    ("project", 7, ">"),
    ("chosen", 26, "<"),
    *((name, 11 if name == "linear_text" else 7, ">") for name in REFERENCES),
    ("gap", 7, ">"),
    ("time s", 6, ">"),
    ("peak MB", 7, ">"),
    ("status", 0, "<"),
)
MAX_STATUS = 200  # characters of the error line shown in the table (all of it in JSON)


@dataclass
class PanelRow:
    """The outcome of one dataset: ``None`` marks what was not reached."""

    dataset: str
    task: str
    rows: int | None = None
    metric: str = ""
    project: float | None = None
    chosen: str = ""
    references: dict[str, float | None] = field(default_factory=dict)
    reference_details: dict[str, str] = field(default_factory=dict)
    seconds: float | None = None  # variant create + kedro run, wall time
    peak_mb: float | None = None  # the larger of the two commands' tree peaks
    status: str = "ok"  # ok | failed in <step> | timeout in <step>
    error: str = ""  # the first error line the failing step printed
    split: str = "project"  # whose train/test split the references used
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def best_reference(self) -> str | None:
        """The name of the best-scoring reference (``None`` if none scored)."""
        scored = {
            name: value for name, value in self.references.items() if value is not None
        }
        return max(scored, key=scored.__getitem__) if scored else None

    @property
    def gap(self) -> float | None:
        """Project metric minus the best reference's (higher metric is better)."""
        return gap(self.project, self.references.values())


def gap(project: float | None, references: Iterable[float | None]) -> float | None:
    """``project`` minus the best of ``references``; ``None`` if either is missing."""
    scored = [value for value in references if value is not None]
    if project is None or not scored:
        return None
    return project - max(scored)


def _number(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def cells(row: PanelRow) -> list[str]:
    """The row's table cells, in the order of the header."""
    status = row.status if row.status == "ok" else f"{row.status}: {row.error}"
    if len(status) > MAX_STATUS:
        status = status[: MAX_STATUS - 3] + "..."
    references = []
    for name in REFERENCES:
        if name not in row.references:
            references.append("-")
        elif row.references[name] is None:
            references.append("error")
        else:
            references.append(_number(row.references[name]))
    gap_value = row.gap
    return [
        row.dataset,
        row.task,
        "-" if row.rows is None else str(row.rows),
        row.metric,
        _number(row.project),
        row.chosen or "-",
        *references,
        "-" if gap_value is None else f"{gap_value:+.3f}",
        _number(row.seconds, 0),
        _number(row.peak_mb, 0),
        status,
    ]


def _line(values: Sequence[str]) -> str:
    parts = []
    for value, (_, width, align) in zip(values, _COLUMNS, strict=True):
        text = value if width == 0 or len(value) <= width else value[: width - 1] + "~"
        parts.append(f"{text:{align}{width}}" if width else text)
    return "  ".join(parts).rstrip()


def format_table(rows: Sequence[PanelRow]) -> str:
    """The panel table: a header, a rule and one line per dataset."""
    header = _line([name for name, _, _ in _COLUMNS])
    return "\n".join([header, "-" * len(header), *(_line(cells(row)) for row in rows)])


def to_json(rows: Sequence[PanelRow], context: Mapping[str, Any]) -> str:
    """Every row (with gap and best reference) and the run's context, as JSON."""
    payload = {
        "context": dict(context),
        "rows": [
            {**asdict(row), "gap": row.gap, "best_reference": row.best_reference}
            for row in rows
        ],
    }
    return json.dumps(payload, indent=2, default=str)


def rows_from_json(text: str) -> tuple[list[PanelRow], dict[str, Any]]:
    """The rows and context of a ``to_json`` file (to re-print or compare runs)."""
    payload = json.loads(text)
    names = {item.name for item in fields(PanelRow)}
    rows = [
        PanelRow(**{key: value for key, value in row.items() if key in names})
        for row in payload["rows"]
    ]
    return rows, payload.get("context", {})
