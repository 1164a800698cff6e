"""The checks across a variant's sections, which no single section can make.

Each function returns the problems it finds as ``"<key path>: <message>"``
strings, all at once, so one refusal lists them: schema columns that are not
declared or disagree with the problem, derived features that read the target,
settings the task does not have, search keys that address no pipeline step.
`VariantConfig` runs them when it is validated.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from .schema import CHECKS, DTYPES

if TYPE_CHECKING:
    from .variant import VariantConfig


def task_of(config: VariantConfig) -> Any:
    """The task class of the variant's problem (regression, binary, multiclass)."""
    from ml_workflow.core.task import task_class  # noqa: PLC0415 - task imports sklearn

    return task_class(config.problem)


def _reads_as(config: VariantConfig, kind: str) -> str:
    """The kind a column's values are read as (a target reads as its task's)."""
    if kind != "target":
        return kind
    task = task_of(config)(config.problem)
    return "categorical" if task.labelled_target else "numeric"


def schema_problems(config: VariantConfig) -> list[str]:
    """Schema columns must be declared, agree on the kind and use fitting checks."""
    problem, problems = config.problem, []
    for column, rules in config.data_schema.columns.items():
        where = f"schema.columns.{column}"
        kind = (
            "target" if column == problem.target else problem.features.kind_of(column)
        )
        if kind is None:
            problems.append(
                f"{where}: {column!r} is not a declared feature or the target; "
                f"declared: {sorted([*problem.feature_columns, problem.target])}"
            )
            continue
        if rules.kind is not None and rules.kind != kind:
            problems.append(
                f"{where}.kind: found {rules.kind!r}, but problem declares the "
                f"column as {kind!r}; the two must agree"
            )
        reads_as = _reads_as(config, kind)
        dtypes = DTYPES[reads_as]
        if rules.dtype is not None and rules.dtype not in dtypes:
            problems.append(
                f"{where}.dtype: found {rules.dtype!r}; expected one of "
                f"{list(dtypes)} for a {kind} column"
            )
        allowed = CHECKS[reads_as]
        for bound in ("min", "max"):
            value = rules.checks.active().get(bound, (None,))[0]
            is_date = isinstance(value, datetime.datetime)
            if value is not None and is_date != (reads_as == "datetime"):
                expected = "a date" if reads_as == "datetime" else "a number"
                problems.append(
                    f"{where}.checks.{bound}: the bound {value!r} does not fit a "
                    f"{kind} column, whose bounds are {expected}s"
                )
        problems += [
            f"{where}.checks.{name}: does not apply to a {kind} column; expected "
            f"one of {list(allowed)}"
            for name in rules.checks.active()
            if name not in allowed
        ]
    target_rules = config.data_schema.columns.get(problem.target)
    labels = target_rules.checks.active().get("allowed") if target_rules else None
    if labels and problem.positive_class is not None:
        allowed_labels = [str(label).strip() for label in labels[0]]
        if problem.positive_class not in allowed_labels:
            problems.append(
                f"problem.positive_class: found {problem.positive_class!r}, which "
                f"is not one of the target's allowed labels {allowed_labels} "
                f"(schema.columns.{problem.target}.checks.allowed)"
            )
    return problems


def derived_problems(config: VariantConfig) -> list[str]:
    """Derived features read declared features only (never the target), once named."""
    problem, problems, seen = config.problem, [], set()
    features = problem.feature_columns
    for position, spec in enumerate(config.derived_features):
        where = f"derived_features[{position}] ({spec.name!r})"
        if spec.name in seen or spec.name in features or spec.name == problem.target:
            problems.append(
                f"{where}.name: {spec.name!r} is already used by another column"
            )
        seen.add(spec.name)
        for column in spec.input_columns:
            if column == problem.target:
                problems.append(
                    f"{where}: reads the target {problem.target!r}; derived features "
                    "must be computable at prediction time, when the target is "
                    "unknown, or they leak the answer into training"
                )
            elif column not in features:
                problems.append(
                    f"{where}: reads column {column!r}, which is not a declared "
                    f"feature; declared: {sorted(features)}"
                )
    return problems


def task_problems(config: VariantConfig) -> list[str]:
    """Settings that only some tasks have, and metrics the task knows."""
    task, problems = task_of(config), []
    if config.split.stratify and not task.STRATIFIES:
        problems.append(
            "split.stratify: found true, but stratifying needs classes: it only "
            "applies to a classification task"
        )
    if config.model_selection.threshold is not None and not task.TUNES_THRESHOLD:
        problems.append(
            "model_selection.threshold: a decision threshold applies to binary "
            f"classification (with a positive_class) only; set it to null for "
            f"{task.LABEL}"
        )
    for position, candidate in enumerate(config.candidates):
        if candidate.target_transform is not None and task.CATEGORICAL_TARGET:
            problems.append(
                f"candidates[{position}] ({candidate.name!r}).target_transform: "
                f"a target transform applies to regression only, not {task.LABEL}"
            )
    metric = config.evaluation.primary_metric
    if metric is not None and metric not in task.METRICS:
        problems.append(
            f"evaluation.primary_metric: found {metric!r}, which is not a "
            f"{task.LABEL} metric; expected one of {list(task.METRICS)}"
        )
    strategy = config.evaluation.baseline_strategy
    if strategy is not None and strategy not in task.BASELINE_STRATEGIES:
        problems.append(
            f"evaluation.baseline_strategy: found {strategy!r}; expected one of "
            f"{list(task.BASELINE_STRATEGIES)} for {task.LABEL}"
        )
    return problems


def search_problems(config: VariantConfig) -> list[str]:
    """Search keys must name parameters of the candidate's whole pipeline; a grid
    search cannot enumerate a distribution."""
    from ml_workflow.core.model_builder import (  # noqa: PLC0415 - sklearn
        candidate_pipeline,
        feature_transform,
    )

    strategy = config.model_selection.search.strategy
    if strategy == "none":
        return []
    problems = []
    transform = feature_transform(config.derived_features)
    for position, candidate in enumerate(config.candidates):
        where = f"candidates[{position}] ({candidate.name!r}).search_space"
        if not candidate.search_space:
            continue
        valid = candidate_pipeline(
            config.problem,
            transform,
            config.preprocessing,
            candidate,
            config.model_selection.seed,
        ).get_params()
        for key, values in candidate.search_space.items():
            if "__" in key and key not in valid:
                steps = sorted(
                    k for k in valid if "__" in k and not k.startswith("estimator__")
                )
                problems.append(
                    f"{where}.{key}: not a parameter of the model's pipeline; "
                    f"pipeline parameters include {steps[:12]}"
                )
            if strategy == "grid" and not isinstance(values, list):
                problems.append(
                    f"{where}.{key}: a distribution, which the 'grid' strategy cannot "
                    "enumerate: give a list of values"
                )
    return problems


__all__ = [
    "derived_problems",
    "schema_problems",
    "search_problems",
    "task_of",
    "task_problems",
]
