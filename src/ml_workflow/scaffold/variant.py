"""Write the configuration of a new variant from a data file.

``create_variant`` reads the file, infers each column's kind, the task and the
positive class (``infer.py``), picks default candidates for the task and
feature kinds, and writes ``conf/base/parameters_<name>.yml`` (commented, to be
edited) and ``conf/base/catalog_<name>.yml`` (the raw entry the factories do not
cover). After it, ``kedro run --pipelines <name>`` runs the whole workflow.
"""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ml_workflow.errors import ConfigurationError, DataValidationError
from ml_workflow.scaffold.infer import (
    ColumnKind,
    infer_column_kind,
    infer_positive_class,
    infer_task,
)

FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".parquet": "parquet",
    ".pq": "parquet",
}
_KINDS = ("numeric", "categorical", "text")


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


def _load_args(kind: str) -> dict[str, Any]:
    # Tab-separated files carry no quoting convention: a '"' inside a value is text
    # (reading them with quoting on silently merges rows; see the SMS data).
    return {"sep": "\t", "quoting": csv.QUOTE_NONE} if kind == "tsv" else {}


def read_data(path: Path) -> pd.DataFrame:
    """Read a CSV, TSV or Parquet file the way its catalog entry will."""
    kind = file_format(path)
    if not path.is_file():
        raise DataValidationError(f"data file {path} does not exist")
    if kind == "parquet":
        return pd.read_parquet(path)
    return pd.read_csv(path, **_load_args(kind))


def plan_variant(
    frame: pd.DataFrame,
    name: str,
    target: str,
    raw_filepath: str,
    file_kind: str,
    task: str | None = None,
    text: Sequence[str] = (),
    drop: Sequence[str] = (),
) -> VariantPlan:
    """Infer the variant's problem from the data, applying the user's overrides."""
    if not name.isidentifier() or not name.islower():
        raise ConfigurationError(
            f"variant name {name!r} must be a lower-case Python identifier, e.g. 'churn'"
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
    inferred_task, task_reason = infer_task(frame[target])
    if task is not None and task != inferred_task:
        task_reason = (
            f"set by --task (the data suggested {inferred_task}: {task_reason})"
        )
    task = task or inferred_task
    columns = []
    for column in map(str, frame.columns):
        if column == target:
            continue
        if column in drop:
            columns.append(ColumnKind(column, "drop", "dropped by --drop"))
        elif column in text:
            columns.append(ColumnKind(column, "text", "free text, set by --text"))
        else:
            columns.append(infer_column_kind(frame[column]))
    if not any(column.kind in _KINDS for column in columns):
        raise ConfigurationError(
            "no usable feature column is left after inference and --drop"
        )
    labels: list[str] = []
    positive = None
    if task == "classification":
        labels = sorted(
            frame[target].dropna().astype(str).str.strip().unique().tolist()
        )
        if len(labels) != 2:
            raise ConfigurationError(
                f"target {target!r} has {len(labels)} classes {labels[:10]}; the workflow's "
                "classification metrics and threshold tuning are binary (one positive "
                "class): merge classes into two, or use --task regression for an ordinal target"
            )
        positive = infer_positive_class(frame[target])
    missing = {str(c): int(n) for c, n in frame.isna().sum().items() if n}
    return VariantPlan(
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
    )


def _dump(value: Any, indent: int) -> str:
    text = yaml.safe_dump(value, sort_keys=False, default_flow_style=False, width=88)
    pad = " " * indent
    return "".join(
        pad + line if line.strip() else line for line in text.splitlines(keepends=True)
    )


def _section(comment: str, key: str, value: Any) -> str:
    lines = "".join(
        f"  # {line}\n" if line else "  #\n" for line in comment.splitlines()
    )
    return lines + _dump({key: value}, 2) + "\n"


def _schema(plan: VariantPlan) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    for column in plan.columns:
        if column.kind == "drop":
            continue
        nullable = column.name in plan.missing
        checks: dict[str, Any] = {"finite": True} if column.kind == "numeric" else {}
        if column.kind == "categorical":
            checks["not_empty"] = True
        columns[column.name] = (
            {"nullable": nullable, "checks": checks}
            if checks
            else {"nullable": nullable}
        )
    target: dict[str, Any] = {"nullable": {"value": False, "severity": "warning"}}
    if plan.task == "classification":
        target["checks"] = {"allowed": plan.labels}
    else:
        target["checks"] = {"finite": True}
    columns[plan.target] = target
    schema: dict[str, Any] = {
        "dataset": f"{plan.name}.raw",
        "severity": "error",
        "min_rows": 50,
    }
    if plan.task == "classification":
        schema["min_rows_per_class"] = 10
    schema["columns"] = columns
    return schema


def _derived_features(plan: VariantPlan) -> list[dict[str, Any]]:
    derived: list[dict[str, Any]] = []
    for column in plan.features("text"):
        derived += [
            {"name": f"{column}_length", "kind": "text_length", "column": column},
            {
                "name": f"{column}_digit_share",
                "kind": "character_share",
                "column": column,
                "characters": "digits",
            },
            {
                "name": f"{column}_uppercase_share",
                "kind": "character_share",
                "column": column,
                "characters": "uppercase",
            },
            {
                "name": f"{column}_has_url",
                "kind": "pattern_presence",
                "column": column,
                "pattern": r"(?:https?://|www\.)",
            },
        ]
    return derived


def _candidates(plan: VariantPlan) -> list[dict[str, Any]]:
    """The default candidates for the plan's task and feature kinds."""
    defaults = yaml.safe_load(
        resources.files(__package__)
        .joinpath("default_candidates.yml")
        .read_text(encoding="utf-8")
    )
    has_text = bool(plan.features("text"))
    chosen = []
    for candidate in defaults[plan.task]:
        if candidate.pop("only_with_text", False) and not has_text:
            continue
        if candidate.pop("only_without_text", False) and has_text:
            continue
        chosen.append(candidate)
    return chosen


def _features_block(plan: VariantPlan) -> str:
    lines = [
        "    features:                     # raw columns the model may use, by kind\n"
    ]
    for kind in _KINDS:
        chosen = [column for column in plan.columns if column.kind == kind]
        if not chosen:
            lines.append(f"      {kind}: []\n")
            continue
        lines.append(f"      {kind}:\n")
        lines += [
            f"        - {yaml.safe_dump(c.name).strip().removesuffix('...').strip()}  # {c.reason}\n"
            for c in chosen
        ]
    dropped = [column for column in plan.columns if column.kind == "drop"]
    if dropped:
        lines.append("      # not used (move a column into a kind above to use it):\n")
        lines += [f"      #   {c.name}: {c.reason}\n" for c in dropped]
    return "".join(lines)


def render_parameters(plan: VariantPlan) -> str:
    """Return the commented ``parameters_<name>.yml`` text for the plan."""
    classification = plan.task == "classification"
    positive = (
        yaml.safe_dump(plan.positive_class).strip().removesuffix("...").strip()
        if classification
        else "null"
    )
    header = (
        f"# The {plan.name} variant, written by `kedro variant create` from {plan.raw_filepath}\n"
        f"# ({plan.rows:,} rows). Everything below was inferred from the data: check it,\n"
        "# then edit freely. Keys are documented in the shipped parameters_housing.yml\n"
        "# and parameters_spam.yml, docs/forking.md and docs/data_validation.md.\n"
        f"{plan.name}:\n"
        "  problem:\n"
        f"    task: {plan.task}  # {plan.task_reason}\n"
        f"    target: {yaml.safe_dump(plan.target).strip().removesuffix('...').strip()}\n"
        f"    positive_class: {positive}"
        + (
            "  # the class precision, recall, F1 and AUC are about\n"
            if classification
            else "\n"
        )
        + _features_block(plan)
        + "\n"
    )
    primary = "f1" if classification else "r2"
    evaluation = {
        "primary_metric": primary,
        "baseline_strategy": "prior" if classification else "mean",
        "diagnosis": {
            "max_train_test_gap": 0.1,
            "min_gain_over_baseline": 0.1,
            "min_train_score": 0.5,
        },
        "permutation_importance": {
            "n_repeats": 5,
            "max_rows": 2000,
            "seed": 42,
            "top_n": 20,
            "top_tokens": 20,
            "n_jobs": 1,
        },
        "learning_curve": {
            "cv": 3,
            "train_sizes": [0.1, 0.3, 0.55, 0.8, 1.0],
            "max_rows": 4000,
            "seed": 42,
            "n_jobs": 1,
        },
    }
    model_selection = {
        "cv_folds": 5,
        "seed": 42,
        "n_jobs": 2,
        "cluster": {"scheduler": None, "connect_timeout": 10},  # null: run locally
        "simplicity": {"prefer_simpler": True, "margin": 1.0},
        "search": {"strategy": "random", "n_iter": 8, "cv_folds": 3},
        "threshold": {"objective": "f1", "cv_folds": 5} if classification else None,
    }
    return (
        header
        + _section(
            "The raw data's schema, checked before cleaning. Ranges and allowed\n"
            "categories are yours to add (docs/data_validation.md).",
            "schema",
            _schema(plan),
        )
        + _section(
            "Cleaning rules.",
            "cleaning",
            {"drop_missing_target": True, "drop_duplicates": True},
        )
        + _section(
            "Row-wise features computed inside the model from raw columns, never from\n"
            "the target. Kinds: ratio, text_length, character_share, pattern_presence,\n"
            "distance, rotated_coordinate.",
            "derived_features",
            _derived_features(plan),
        )
        + _section(
            "Train/test split"
            + (", stratified on the target." if classification else "."),
            "split",
            {"test_size": 0.2, "stratify": classification, "seed": 42},
        )
        + _section(
            "Preprocessing inside the model (fitted on the training split only).",
            "preprocessing",
            {
                "numeric_imputer": "median",
                "categorical_imputer": "most_frequent",
                "text_vectorizer": {
                    "sublinear_tf": True,
                    "ngram_range": [1, 2],
                    "min_df": 1,
                }
                if plan.features("text")
                else {},
            },
        )
        + _section(
            "Candidate estimators, simplest first: any scikit-learn compatible class\n"
            "(import path), fixed hyperparameters and a search space.",
            "candidates",
            _candidates(plan),
        )
        + _section(
            "Cross-validated choice of the candidate, search of its hyperparameters"
            + (" and\nthe decision threshold" if classification else "")
            + ", on the training split only.",
            "model_selection",
            model_selection,
        )
        + _section(
            "Metrics, baseline, diagnosis and the diagnostics' budgets.",
            "evaluation",
            evaluation,
        ).rstrip("\n")
        + "\n"
    )


def render_catalog(plan: VariantPlan) -> str:
    """Return ``catalog_<name>.yml``: the read-only raw entry."""
    entry: dict[str, Any] = {
        "type": "ml_workflow.datasets.ReadOnlyParquetDataset"
        if plan.file_format == "parquet"
        else "ml_workflow.datasets.ReadOnlyCSVDataset",
        "filepath": plan.raw_filepath,
    }
    if plan.file_format == "tsv":
        entry["load_args"] = {"sep": "\t", "quoting": csv.QUOTE_NONE}
    entry["metadata"] = {"kedro-viz": {"layer": "raw"}}
    return (
        f"# Raw data of the {plan.name} variant, written by `kedro variant create`.\n"
        "# Raw data is input only: the project never writes to data/01_raw.\n"
        + yaml.safe_dump(
            {f"{plan.name}.raw": entry}, sort_keys=False, default_flow_style=False
        )
    )


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
        frame, name, target, raw.relative_to(project).as_posix(), kind, task, text, drop
    )
    raw.parent.mkdir(parents=True, exist_ok=True)
    if raw.exists() or raw.is_symlink():
        raw.unlink()
    if link:
        os.symlink(data.resolve(), raw)
    else:
        shutil.copy2(data, raw)
    parameters.write_text(render_parameters(plan), encoding="utf-8")
    catalog.write_text(render_catalog(plan), encoding="utf-8")
    return plan, [raw, parameters, catalog]
