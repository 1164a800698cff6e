"""Write the configuration of a new variant from a data file.

``create_variant`` reads the file, infers each column's kind, the task and the
positive class (``infer.py``), and writes (``render.py``) ``conf/base/parameters_<name>.yml``
(commented, to be edited; only what the data says, defaults stay in the
models) and ``conf/base/catalog_<name>.yml`` (the raw entry the factories do
not cover). After it, ``kedro run --pipelines <name>`` runs the whole workflow.
"""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ml_workflow.core.text import text_characters
from ml_workflow.datasets.raw import repeated_names
from ml_workflow.errors import ConfigurationError, DataValidationError
from ml_workflow.scaffold.csv_dialect import csv_load_args, text_encoding
from ml_workflow.scaffold.infer import (
    ColumnKind,
    infer_column_kind,
    infer_positive_class,
    target_skewness,
)
from ml_workflow.scaffold.leaks import mirror_reason
from ml_workflow.scaffold.render import render_catalog, render_parameters
from ml_workflow.scaffold.repeats import repeated_rows
from ml_workflow.scaffold.target_task import resolve_task, run_refusals

FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".parquet": "parquet",
    ".pq": "parquet",
}
_KINDS = ("numeric", "categorical", "datetime", "text")


@dataclass
class VariantPlan:
    """Everything inferred about a new variant, before it is written."""

    name: str
    target: str
    task: str
    task_reason: str
    positive_class: str | None
    columns: list[ColumnKind]
    rows: int
    raw_filepath: str
    file_format: str
    missing: dict[str, int] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)
    target_order: tuple[str, ...] = ()
    target_skew: float = 0.0
    """Regression: the target's skewness (a long right tail is > 0)."""
    target_minimum: float | None = None
    """Regression: the target's lowest value."""
    positive_share: float | None = None
    """Binary: the share of rows in the positive class."""
    text_characters: int = 0
    """Characters in every text column together: how big TF-IDF may grow."""
    load_args: dict[str, Any] = field(default_factory=dict)
    """How the raw file is read (a CSV's separator and decimals): the raw
    catalog entry reads it so, as inference did."""
    repeated_rows: int = 0
    """Rows whose used columns and target repeat an earlier row (``repeats``)."""
    refusals: list[str] = field(default_factory=list)
    """What a run's validation would refuse in the data as the variant is
    written (`run_refusals`), in the run's own words."""

    def features(self, kind: str) -> list[str]:
        """The columns inferred (or forced) to be of ``kind``."""
        return [column.name for column in self.columns if column.kind == kind]


def file_format(path: Path) -> str:
    """Return ``csv``, ``tsv`` or ``parquet`` from the file's suffix."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise ConfigurationError(
            f"{path.name}: unsupported data file type {path.suffix!r}; expected one of "
            f"{sorted(FORMATS)}"
        ) from None


def load_args(path: Path, kind: str) -> dict[str, Any]:
    """``pandas.read_csv`` arguments for a CSV or TSV file: its separator,
    decimals and encoding (``csv_dialect``)."""
    # Tab-separated files carry no quoting convention: a '"' inside a value is text
    # (reading them with quoting on silently merges rows; see the SMS data).
    if kind not in ("csv", "tsv"):
        return {}
    encoding = text_encoding(path)
    arguments = (
        {"sep": "\t", "quoting": csv.QUOTE_NONE}
        if kind == "tsv"
        else csv_load_args(path, encoding or "utf-8")
    )
    return {**arguments, "encoding": encoding} if encoding else arguments


def read_data(path: Path) -> pd.DataFrame:
    """Read a CSV, TSV or Parquet file the way its catalog entry will."""
    kind = file_format(path)
    if not path.is_file():
        raise DataValidationError(f"data file {path} does not exist")
    if kind == "parquet":
        return pd.read_parquet(path)
    arguments = load_args(path, kind)
    with path.open(encoding="utf-8", errors="replace") as file:
        header = file.readline().rstrip("\r\n")
    repeated = repeated_names(
        header,
        arguments.get("sep", ","),
        arguments.get("quoting", csv.QUOTE_MINIMAL),
        '"',
    )
    if repeated:
        raise DataValidationError(
            f"data file {path} has column name(s) used more than once: {repeated}; "
            "which column is meant is ambiguous: rename or drop the copies"
        )
    return pd.read_csv(path, **arguments)


def plan_variant(
    frame: pd.DataFrame,
    name: str,
    target: str,
    raw_filepath: str,
    file_kind: str,
    task: str | None = None,
    text: Sequence[str] = (),
    drop: Sequence[str] = (),
    order: Sequence[str] = (),
) -> VariantPlan:
    """Infer the variant's problem from the data, applying the user's overrides.

    ``order`` (the target's labels, lowest first) makes a regression on
    ordered labels: the model predicts their rank.
    """
    if not name.isidentifier() or not name.islower():
        raise ConfigurationError(
            f"variant name {name!r} must be a lower-case Python identifier, e.g. 'churn'"
        )
    # the registry refuses these too, but only at the next run, after the
    # files are written
    from ml_workflow.pipeline_registry import reserved_variant_names  # noqa: PLC0415 - imports every stage

    reserved = reserved_variant_names()
    if name in reserved:
        raise ConfigurationError(
            f"variant name {name!r} is taken by a pipeline or a settings section "
            f"({', '.join(sorted(reserved))}); choose another name, e.g. '{name}_data'"
        )
    unknown = sorted({target, *text, *drop} - set(map(str, frame.columns)))
    if unknown:
        raise ConfigurationError(
            f"column(s) {unknown} are not in the data; found {list(map(str, frame.columns))}"
        )
    if target in text or target in drop:
        raise ConfigurationError(
            f"the target {target!r} cannot also be --text or --drop"
        )
    task, task_reason, labels = resolve_task(frame[target], task, order)
    columns = []
    for column in map(str, frame.columns):
        if column == target:
            continue
        if column in drop:
            columns.append(ColumnKind(column, "drop", "dropped by --drop"))
        elif column in text:
            columns.append(ColumnKind(column, "text", "free text, set by --text"))
        else:
            inferred = infer_column_kind(frame[column])
            leak = (
                mirror_reason(frame[column], frame[target], task)
                if inferred.kind in ("numeric", "categorical")
                else None
            )
            columns.append(ColumnKind(column, "drop", leak) if leak else inferred)
    if not any(column.kind in _KINDS for column in columns):
        raise ConfigurationError(
            "no usable feature column is left after inference and --drop"
        )
    positive = infer_positive_class(frame[target]) if task == "classification" else None
    missing = {str(c): int(n) for c, n in frame.isna().sum().items() if n}
    numbers = (
        pd.to_numeric(frame[target], errors="coerce")
        if task == "regression" and not order
        else None
    )
    texts = [c.name for c in columns if c.kind == "text"]
    used = [c.name for c in columns if c.kind in _KINDS]
    plan = VariantPlan(
        name,
        target,
        task,
        task_reason,
        positive,
        columns,
        len(frame),
        raw_filepath,
        file_kind,
        missing,
        labels,
        tuple(order),
        target_skew=target_skewness(numbers) if numbers is not None else 0.0,
        target_minimum=float(numbers.min()) if numbers is not None else None,
        positive_share=float(
            (frame[target].dropna().astype(str).str.strip() == positive).mean()
        )
        if positive is not None
        else None,
        text_characters=text_characters(frame, texts),
        repeated_rows=repeated_rows(frame, used, target),
    )
    plan.refusals = run_refusals(frame, plan)
    return plan


def create_variant(
    project: Path,
    name: str,
    data: Path,
    target: str,
    task: str | None = None,
    text: Sequence[str] = (),
    drop: Sequence[str] = (),
    link: bool = False,
    force: bool = False,
    order: Sequence[str] = (),
) -> tuple[VariantPlan, list[Path]]:
    """Copy (or link) the data into ``data/01_raw`` and write the variant's config."""
    conf = project / "conf" / "base"
    parameters = conf / f"parameters_{name}.yml"
    catalog = conf / f"catalog_{name}.yml"
    if not force and (parameters.exists() or catalog.exists()):
        raise ConfigurationError(
            f"variant {name!r} already exists ({parameters.name}); choose another name or pass --force"
        )
    frame = read_data(data)
    kind = file_format(data)
    raw = project / "data" / "01_raw" / f"{name}{data.suffix.lower()}"
    plan = plan_variant(
        frame,
        name,
        target,
        raw.relative_to(project).as_posix(),
        kind,
        task,
        text,
        drop,
        order,
    )
    if kind != "parquet":
        plan.load_args = load_args(data, kind)
    # validated (render_parameters raises) before anything is copied or written
    parameters_text, catalog_text = render_parameters(plan), render_catalog(plan)
    raw.parent.mkdir(parents=True, exist_ok=True)
    if raw.exists() or raw.is_symlink():
        raw.unlink()
    if link:
        os.symlink(data.resolve(), raw)
    else:
        shutil.copy2(data, raw)
    parameters.write_text(parameters_text, encoding="utf-8")
    catalog.write_text(catalog_text, encoding="utf-8")
    examples = raw.parent / f"{name}_new_records.csv"
    example_records(frame, target).to_csv(examples, index=False)
    return plan, [raw, parameters, catalog, examples]


EXAMPLE_RECORDS = 20


def example_records(frame: pd.DataFrame, target: str) -> pd.DataFrame:
    """A few rows of the data without the target: an example batch to score
    with ``kedro run --pipelines <name>_inference`` (replace it with real
    new records)."""
    rows = frame.sample(n=min(EXAMPLE_RECORDS, len(frame)), random_state=0)
    return rows.drop(columns=[target])
