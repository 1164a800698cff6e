"""The bounds `kedro variant create` writes for big data, text above all.

Text features are bounded: a capped vocabulary, or hashing for long texts,
whose vocabulary alone would not fit in memory. The learning curve refits the
whole model 15 times (3 folds, 5 sizes), each on up to two thirds of its
sample, and scores the training rows too: on long texts, vectorizing them is
most of the cost (49 s of the 6,046 e-mails' run at the default 4,000 rows),
so its sample is bounded by text volume instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ml_workflow.core.config.evaluation import LearningCurve
from ml_workflow.core.text import LONG_TEXT_CHARACTERS

if TYPE_CHECKING:
    from .variant import VariantPlan

TEXT_VOCABULARY = 100_000
"""The TF-IDF vocabulary cap of a generated variant."""
HASHED_TEXT_COLUMNS = 2**18
"""The hashed text columns of a generated variant. Every linear candidate
holds a few arrays this long: at 2**20, logistic regression's L-BFGS fit on
4,836 e-mails took 3.5 s and 289 MB more memory (0.98 s and 52 MB at 2**18),
and cross-validated F1 was no better (linear SVM 0.983 vs 0.985, logistic
0.958 vs 0.960, naive Bayes 0.949 vs 0.955)."""
LEARNING_CURVE_TEXT_CHARACTERS = 10_000_000
"""Text the learning curve's sample holds at most: about 1,800 of the e-mails."""
MIN_LEARNING_CURVE_ROWS = 500
"""The learning curve's sample never shrinks below this many rows."""


def text_vectorizer_section(plan: VariantPlan) -> dict[str, Any]:
    """Word uni- and bigrams, TF-IDF with sublinear counts; bounded: a capped
    vocabulary of words seen twice, or hashing for long texts, whose
    vocabulary alone would not fit in memory."""
    if plan.text_characters > LONG_TEXT_CHARACTERS:
        return {
            "kind": "hashing",
            "n_features": HASHED_TEXT_COLUMNS,
            "sublinear_tf": True,
            "ngram_range": [1, 2],
        }
    return {
        "sublinear_tf": True,
        "ngram_range": [1, 2],
        "min_df": 2,
        "max_features": TEXT_VOCABULARY,
    }


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
    "HASHED_TEXT_COLUMNS",
    "LEARNING_CURVE_TEXT_CHARACTERS",
    "LONG_TEXT_CHARACTERS",
    "MIN_LEARNING_CURVE_ROWS",
    "TEXT_VOCABULARY",
    "learning_curve_rows",
    "text_vectorizer_section",
]
