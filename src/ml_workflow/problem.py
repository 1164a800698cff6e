"""Read a variant's problem definition (``params:<variant>.problem``).

The problem says what is learned: the task, the target and the raw feature
columns by kind. Every stage reads it through these helpers so that the rules
(known tasks, known kinds, a target that is not also a feature) live in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ml_workflow.errors import ConfigurationError

TASKS = ("regression", "classification")
FEATURE_KINDS = ("numeric", "categorical", "text")


def task_of(problem: Mapping[str, Any]) -> str:
    """Return the task, refusing anything but ``regression``/``classification``."""
    task = problem.get("task")
    if task not in TASKS:
        raise ConfigurationError(
            f"problem.task must be one of {list(TASKS)}, found {task!r}"
        )
    return task


def target_of(problem: Mapping[str, Any]) -> str:
    """Return the target column name."""
    target = problem.get("target")
    if not target or not isinstance(target, str):
        raise ConfigurationError(
            f"problem.target must name the column to predict, found {target!r}"
        )
    return target


def features_by_kind(problem: Mapping[str, Any]) -> dict[str, list[str]]:
    """Return the raw feature columns per kind, with every kind present.

    Raises ``ConfigurationError`` for an unknown kind, a column declared twice,
    or the target declared as a feature (it would leak the answer).
    """
    declared = problem.get("features") or {}
    unknown = sorted(set(declared) - set(FEATURE_KINDS))
    if unknown:
        raise ConfigurationError(
            f"problem.features has unknown kinds {unknown}; expected {list(FEATURE_KINDS)}"
        )
    by_kind = {kind: list(declared.get(kind) or []) for kind in FEATURE_KINDS}
    columns = [column for kind in FEATURE_KINDS for column in by_kind[kind]]
    repeated = sorted({column for column in columns if columns.count(column) > 1})
    if repeated:
        raise ConfigurationError(
            f"problem.features declares {repeated} more than once; give each column one kind"
        )
    target = target_of(problem)
    if target in columns:
        raise ConfigurationError(
            f"the target {target!r} is also declared as a feature: the model would "
            "be given the answer; remove it from problem.features"
        )
    if not columns:
        raise ConfigurationError("problem.features declares no feature columns")
    return by_kind


def feature_columns(problem: Mapping[str, Any]) -> list[str]:
    """Return all raw feature columns, numeric first, then categorical, then text."""
    by_kind = features_by_kind(problem)
    return [column for kind in FEATURE_KINDS for column in by_kind[kind]]
