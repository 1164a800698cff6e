"""Which task a new variant's target calls for: the data's answer, the user's
flags (``--task``, ``--order``), and clear refusals where they cannot work.

A target whose labels are nearly all distinct is refused rather than made a
classification with a class per row: it is an identifier, or numbers written
for people (``$193,453``), which a parser reads as text. Too few rows, or a
class too rare, is what the run's validation refuses: `run_refusals` asks it
when the variant is planned.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from ml_workflow.core.config import load_variant
from ml_workflow.core.validation import dataset_violations
from ml_workflow.errors import ConfigurationError
from ml_workflow.scaffold.infer import formatted_numbers, infer_task, too_many_classes
from ml_workflow.scaffold.render import variant_parameters

if TYPE_CHECKING:
    from ml_workflow.scaffold.variant import VariantPlan


def resolve_task(
    target: pd.Series, task: str | None, order: Sequence[str]
) -> tuple[str, str, list[str]]:
    """(task, why, the target's labels) from the data and the user's flags."""
    name = str(target.name)
    inferred_task, task_reason = infer_task(target)
    labels = sorted(target.dropna().astype(str).str.strip().unique().tolist())
    if order:
        _check_order(name, labels, order, task)
        return "regression", f"ordered labels {list(order)} (--order)", labels
    if task == "regression" and _holds_text(target):
        raise ConfigurationError(
            f"target {name!r} holds text labels {labels[:10]}, which --task "
            "regression cannot predict: "
            + (
                _PLAIN_NUMBERS_HINT
                if formatted_numbers(target)
                else "leave out --task to classify them "
                f"({len(labels)} classes), or, if they are ordered, give the "
                "order, lowest first, with --order " + ",".join(labels[:3])
            )
        )
    if task is None and inferred_task == "classification" and too_many_classes(target):
        rows = int(target.notna().sum())
        raise ConfigurationError(
            f"target {name!r} has {len(labels)} distinct labels in {rows:,} rows "
            f"(e.g. {labels[:3]}): too many to be classes, fewer than two rows "
            "each; "
            + (
                _PLAIN_NUMBERS_HINT
                if formatted_numbers(target)
                else "if they are measurements, write them as plain numbers; "
                "if they are ordered labels, give the order with --order"
            )
            + "; to classify them anyway, pass --task classification"
        )
    if task is not None and task != inferred_task:
        task_reason = (
            f"set by --task (the data suggested {inferred_task}: {task_reason})"
        )
    task = task or inferred_task
    return task, task_reason, labels if task == "classification" else []


_PLAIN_NUMBERS_HINT = (
    "they look like numbers written with currency signs, thousands separators "
    "or a percent sign, which are read as text: write them as plain numbers "
    "(193453, not $193,453) in the data file and run `kedro variant create` "
    "again, which then proposes regression"
)


def _holds_text(target: pd.Series) -> bool:
    present = target.dropna()
    return not pd.api.types.is_numeric_dtype(present) and bool(
        pd.to_numeric(present, errors="coerce").isna().any()
    )


def _check_order(
    target: str, labels: list[str], order: Sequence[str], task: str | None
) -> None:
    if task == "classification":
        raise ConfigurationError(
            "--order ranks the labels of a regression target; it cannot be used "
            "with --task classification"
        )
    missing = sorted(set(labels) - set(order))
    if missing or len(set(order)) != len(order):
        raise ConfigurationError(
            f"--order must list each label of target {target!r} once, lowest "
            f"first; found labels {labels[:20]}, and the order lacks {missing}"
        )


def run_refusals(frame: pd.DataFrame, plan: VariantPlan) -> list[str]:
    """The whole-dataset violations a run of the planned variant would refuse
    (too few rows with a target, too few of a class), as its validation
    describes them; a plan that makes no valid variant raises the run's
    ``ConfigurationError`` here."""
    variant = load_variant(plan.name, variant_parameters(plan))
    return [
        f"[{violation.check}] expected {violation.expected}"
        for violation in dataset_violations(frame, variant.problem, variant.data_schema)
    ]


__all__ = ["resolve_task", "run_refusals"]
