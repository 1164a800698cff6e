"""Diagnostics budgets `kedro variant create` writes for data that needs them.

The learning curve refits the whole model 15 times (3 folds, 5 sizes), each on
up to two thirds of its sample, and scores the training rows too: on long
texts, vectorizing them is most of the cost (49 s of the 6,046 e-mails' run
at the default 4,000 rows). Its sample is bounded by text volume instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ml_workflow.core.config.evaluation import LearningCurve

if TYPE_CHECKING:
    from .variant import VariantPlan

LEARNING_CURVE_TEXT_CHARACTERS = 10_000_000
"""Text the learning curve's sample holds at most: about 1,800 of the e-mails."""
MIN_LEARNING_CURVE_ROWS = 500
"""The learning curve's sample never shrinks below this many rows."""


def learning_curve_rows(plan: VariantPlan) -> int | None:
    """The learning curve's ``max_rows`` for the plan's text, rounded down to
    hundreds; None when the default sample is small enough or the data is."""
    if not plan.text_characters or not plan.rows:
        return None
    characters_per_row = plan.text_characters / plan.rows
    rows = int(LEARNING_CURVE_TEXT_CHARACTERS / characters_per_row) // 100 * 100
    rows = max(MIN_LEARNING_CURVE_ROWS, rows)
    default = LearningCurve().max_rows or plan.rows
    return rows if rows < min(default, plan.rows) else None


__all__ = [
    "LEARNING_CURVE_TEXT_CHARACTERS",
    "MIN_LEARNING_CURVE_ROWS",
    "learning_curve_rows",
]
