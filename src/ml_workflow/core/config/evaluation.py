"""How the model is judged: the metric, the baseline, the diagnosis and the diagnostics' budgets."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .base import ConfigModel, Folds, Number, PositiveInteger, Seed, Share


class Diagnosis(ConfigModel):
    """Thresholds of the over/underfitting verdict, on the primary metric."""

    max_train_test_gap: Number = 0.10
    """Train minus test above this: overfitting."""
    min_gain_over_baseline: Number = 0.10
    """Test minus the baseline below this: underfitting."""
    min_train_score: Number | None = None
    """Train below this: underfitting (the model cannot fit its own data).
    Default 0.5 for a score where higher is better (R², F1, ...); none for an
    error such as RMSE, whose scale is the target's."""


class PermutationImportance(ConfigModel):
    """Permutation importance on the test split."""

    n_repeats: PositiveInteger = 5
    """Shuffles per column."""
    max_rows: PositiveInteger | None = 2000
    """Seeded sample of the test split; null: every row."""
    seed: Seed | None = None
    """Seed of the sample and the shuffles; default the variant's ``seed``."""
    top_n: PositiveInteger = 20
    """Features shown in the plot."""
    top_tokens: PositiveInteger = 20
    """Text only: most informative tokens shown."""


class LearningCurve(ConfigModel):
    """The learning curve, cross-validated on the training split only."""

    cv: Folds = 3
    """Folds."""
    train_sizes: Annotated[tuple[Share, ...], Field(min_length=1)] = (
        0.1,
        0.3,
        0.55,
        0.8,
        1.0,
    )
    """Shares of each training fold."""
    max_rows: PositiveInteger | None = 4000
    """Seeded sample of the training split; null: every row."""
    seed: Seed | None = None
    """Seed of the sample and the folds; default the variant's ``seed``."""


class Evaluation(ConfigModel):
    """Metrics, baseline, diagnosis and diagnostics."""

    primary_metric: str | None = None
    """The metric that selects, tunes and diagnoses; default ``r2``
    (regression) or ``f1`` (classification)."""
    baseline_strategy: str | None = None
    """The strategy of the dummy model the model must beat; default ``mean``
    (regression) or ``prior`` (classification)."""
    diagnosis: Diagnosis = Diagnosis()
    permutation_importance: PermutationImportance = PermutationImportance()
    learning_curve: LearningCurve = LearningCurve()


__all__ = ["Diagnosis", "Evaluation", "LearningCurve", "PermutationImportance"]
