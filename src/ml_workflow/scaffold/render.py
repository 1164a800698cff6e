"""Write a planned variant's ``parameters_<name>.yml`` and ``catalog_<name>.yml``.

The parameters state only what is particular to the data (the problem, the
schema, derived features of text, the default candidates); every other
setting keeps its default from ``ml_workflow.core.config``, so a generated
file is short and stays current when a default improves. What is written is
validated by the same models a run uses before it is written.
"""

from __future__ import annotations

import copy
import csv
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from ml_workflow.core.config import load_variant

from .budgets import LONG_TEXT_CHARACTERS, learning_curve_rows, text_vectorizer_section
from .repeats import cleaning_comment, keeps_repeats

if TYPE_CHECKING:
    from .variant import VariantPlan

_KINDS = ("numeric", "categorical", "datetime", "text")


def _yaml_scalar(value: Any) -> str:
    return yaml.safe_dump(value).strip().removesuffix("...").strip()


def _flow(value: Any) -> str:
    return yaml.safe_dump(value, default_flow_style=True, width=10_000).strip()


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


def schema_section(plan: VariantPlan) -> dict[str, Any]:
    """Per column: nullable when the data has gaps; finite numbers, non-blank labels."""
    columns: dict[str, Any] = {}
    for column in plan.columns:
        if column.kind == "drop":
            continue
        rules: dict[str, Any] = {"nullable": column.name in plan.missing}
        if column.kind == "numeric":
            rules["checks"] = {"finite": True}
        elif column.kind == "categorical":
            rules["checks"] = {"not_empty": True}
        columns[column.name] = rules
    target: dict[str, Any] = {"nullable": {"value": False, "severity": "warning"}}
    target["checks"] = {"allowed": plan.labels} if plan.labels else {"finite": True}
    columns[plan.target] = target
    return {"columns": columns}


def derived_section(plan: VariantPlan) -> list[dict[str, Any]]:
    """Length, digit and upper-case shares and links of each text column."""
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


SKEWED_TARGET = 1.0
"""A regression target this skewed gets a log (or power) target candidate."""
IMBALANCED_SHARE = 0.05
"""A binary target with this share of positives or fewer is imbalanced."""
CATEGORICAL_STEP = "preprocess__categorical__"
"""Search keys of the categorical columns' step, dropped without such columns."""


def _conditions(plan: VariantPlan) -> dict[str, bool]:
    """What each ``only_*`` flag of ``default_candidates.yml`` requires."""
    has_text = bool(plan.features("text"))
    return {
        "only_with_text": has_text,
        "only_without_text": not has_text,
        "only_if_skewed": abs(plan.target_skew) > SKEWED_TARGET,
        "only_if_imbalanced": plan.positive_share is not None
        and plan.positive_share <= IMBALANCED_SHARE,
        "only_without_long_text": plan.text_characters <= LONG_TEXT_CHARACTERS,
    }


def candidates_section(plan: VariantPlan) -> list[dict[str, Any]]:
    """The default candidates for the plan's task, feature kinds and target.

    A strongly skewed regression target adds a candidate fitted on its log
    (a Yeo-Johnson power transform if it has negative values), so
    cross-validation decides whether the transform pays; an imbalanced binary
    target adds class-weighted candidates.
    """
    defaults = yaml.safe_load(
        resources.files(__package__)
        .joinpath("default_candidates.yml")
        .read_text(encoding="utf-8")
    )
    conditions = _conditions(plan)
    chosen = []
    for shared in defaults[plan.task]:
        candidate = copy.deepcopy(shared)  # YAML aliases share a search space
        flags = [flag for flag in conditions if candidate.pop(flag, False)]
        if not all(conditions[flag] for flag in flags):
            continue
        if not plan.features("categorical") and "search_space" in candidate:
            space = candidate["search_space"].items()
            candidate["search_space"] = {
                k: v for k, v in space if not k.startswith(CATEGORICAL_STEP)
            }
        if "only_if_skewed" in flags:
            non_negative = plan.target_minimum is not None and plan.target_minimum >= 0
            candidate["target_transform"] = "log" if non_negative else "power"
        chosen.append(candidate)
    return chosen


def variant_parameters(plan: VariantPlan) -> dict[str, Any]:
    """The variant's parameters: what the data says, nothing the defaults say."""
    problem: dict[str, Any] = {
        "task": plan.task,
        "target": plan.target,
        "features": {
            kind: plan.features(kind) for kind in _KINDS if plan.features(kind)
        },
    }
    if plan.positive_class is not None:
        problem["positive_class"] = plan.positive_class
    if plan.target_order:
        problem["target_order"] = list(plan.target_order)
    parameters: dict[str, Any] = {
        "problem": problem,
        "schema": schema_section(plan),
        "derived_features": derived_section(plan),
        "candidates": candidates_section(plan),
    }
    if keeps_repeats(plan.repeated_rows, bool(plan.features("text"))):
        parameters["cleaning"] = {"drop_duplicates": False}
    if plan.features("text"):
        parameters["preprocessing"] = {
            # numbers beside text on the TF-IDF weights' [0, 1] scale: a
            # standardized length 31 deviations out made LinearSVC's solver
            # take 7,165 iterations on the 6,046 e-mails (235 s; 2.5 s so)
            "numeric_scaler": "minmax",
            "text_vectorizer": text_vectorizer_section(plan),
        }
    curve_rows = learning_curve_rows(plan)
    if curve_rows is not None:
        parameters["evaluation"] = {"learning_curve": {"max_rows": curve_rows}}
    return parameters


def _features_block(plan: VariantPlan) -> str:
    lines = ["    features:                     # raw columns the model may use\n"]
    for kind in _KINDS:
        chosen = [column for column in plan.columns if column.kind == kind]
        if not chosen:
            continue
        lines.append(f"      {kind}:\n")
        lines += [f"        - {_yaml_scalar(c.name)}  # {c.reason}\n" for c in chosen]
    dropped = [column for column in plan.columns if column.kind == "drop"]
    if dropped:
        lines.append("      # not used (move a column into a kind above to use it):\n")
        lines += [f"      #   {c.name}: {c.reason}\n" for c in dropped]
    return "".join(lines)


def render_parameters(plan: VariantPlan) -> str:
    """The commented ``parameters_<name>.yml`` text for the plan.

    Raises ``ConfigurationError`` (the message a run would give) if the plan
    does not make a valid variant.
    """
    parameters = variant_parameters(plan)
    load_variant(plan.name, parameters)  # the models check what is written
    problem = parameters["problem"]
    header = (
        f"# The {plan.name} variant, written by `kedro variant create` from "
        f"{plan.raw_filepath}\n"
        f"# ({plan.rows:,} rows). Everything below was inferred from the data: "
        "check it,\n"
        "# then edit freely. Settings not written here keep their defaults\n"
        "# (docs/configuration.md lists every key); add a section to change one.\n"
        f"{plan.name}:\n"
        "  problem:\n"
        f"    task: {plan.task}  # {plan.task_reason}\n"
        f"    target: {_yaml_scalar(plan.target)}\n"
        + (
            f"    positive_class: {_yaml_scalar(problem['positive_class'])}"
            "  # the class precision, recall, F1 and AUC are about\n"
            if "positive_class" in problem
            else "    # no positive_class: multiclass, every class counts alike\n"
            if plan.task == "classification"
            else ""
        )
        + (
            f"    target_order: {_flow(list(plan.target_order))}"
            "  # lowest first: the model predicts the rank\n"
            if plan.target_order
            else ""
        )
        + _features_block(plan)
        + "\n"
    )
    text = header + _section(
        "The raw data's schema, checked before cleaning. Ranges and allowed\n"
        "categories are yours to add (docs/data_validation.md).",
        "schema",
        parameters["schema"],
    )
    if "cleaning" in parameters:
        text += _section(
            cleaning_comment(plan.repeated_rows, plan.rows),
            "cleaning",
            parameters["cleaning"],
        )
    if parameters["derived_features"]:
        text += _section(
            "Row-wise features computed inside the model from raw columns, never\n"
            "from the target (kinds: docs/configuration.md).",
            "derived_features",
            parameters["derived_features"],
        )
    if "preprocessing" in parameters:
        text += _section(
            "How text becomes features (TfidfVectorizer arguments); numbers beside\n"
            "text are scaled to [0, 1], as its TF-IDF weights are (linear models\n"
            "converge slowly when a standardized count lies far out).",
            "preprocessing",
            parameters["preprocessing"],
        )
    text += _section(
        "Candidate estimators, simplest first: any scikit-learn compatible class\n"
        "(import path), fixed hyperparameters and a search space.",
        "candidates",
        parameters["candidates"],
    )
    if "evaluation" in parameters:
        text += _section(
            "The learning curve refits the model 15 times: on long texts it samples\n"
            "about 10 million characters of them, not 4,000 rows.",
            "evaluation",
            parameters["evaluation"],
        )
    return text.rstrip("\n") + "\n"


def render_catalog(plan: VariantPlan) -> str:
    """``catalog_<name>.yml``: the read-only raw entry."""
    entry: dict[str, Any] = {
        "type": "ml_workflow.datasets.ReadOnlyParquetDataset"
        if plan.file_format == "parquet"
        else "ml_workflow.datasets.ReadOnlyCSVDataset",
        "filepath": plan.raw_filepath,
    }
    if plan.load_args:
        entry["load_args"] = dict(plan.load_args)
    elif plan.file_format == "tsv":
        entry["load_args"] = {"sep": "\t", "quoting": csv.QUOTE_NONE}
    entry["metadata"] = {"kedro-viz": {"layer": "raw"}}
    return (
        f"# Raw data of the {plan.name} variant, written by `kedro variant create`.\n"
        "# Raw data is input only: the project never writes to data/01_raw.\n"
        + yaml.safe_dump(
            {f"{plan.name}.raw": entry}, sort_keys=False, default_flow_style=False
        )
    )


__all__ = ["render_catalog", "render_parameters", "variant_parameters"]
