"""How the model is chosen and tuned: the comparison, the search, the threshold.

All on the training split only. Checks across sections (a search key that
addresses a pipeline step, a threshold for a regression) are in ``variant.py``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, Strict, model_validator

from .base import ConfigModel, Folds, PositiveInteger, Seed, Share


class Simplicity(ConfigModel):
    """The rule that prefers a simpler candidate within the noise."""

    prefer_simpler: bool = True
    """Choose the simplest candidate unless the winner beats it beyond the noise."""
    margin: Annotated[float, Field(ge=0)] = 1.0
    """The noise, in multiples of the winner's fold standard deviation."""


class Search(ConfigModel):
    """The hyperparameter search of the chosen candidate."""

    strategy: Literal["grid", "random", "halving", "none"] = "random"
    """``none`` fits the fixed hyperparameters without a search."""
    n_iter: PositiveInteger = 8
    """Settings tried (halving: first-round settings)."""
    cv_folds: Folds | None = None
    """Folds of the search; default ``model_selection.cv_folds``."""
    factor: Annotated[float, Field(gt=1)] = 3
    """Halving only: the elimination factor."""
    min_resources: PositiveInteger | Literal["exhaust", "smallest"] = "exhaust"
    """Halving only: training rows in the first round."""
    max_seconds: Annotated[float, Field(gt=0)] | None = None
    """Time budget (``grid`` and ``random``): settings are cross-validated in
    rounds of as many as run in parallel, and no round starts once this many
    seconds are spent; the best setting so far wins. Null: no budget."""

    @model_validator(mode="after")
    def _budget_for_strategy(self) -> Search:
        if self.max_seconds is not None and self.strategy in ("halving", "none"):
            raise ValueError(
                f"max_seconds budgets the 'grid' and 'random' strategies, not "
                f"{self.strategy!r} (halving is budgeted by n_iter, factor and "
                "min_resources)"
            )
        return self


THRESHOLD_OBJECTIVES = ("f1", "precision", "recall", "accuracy", "precision_at_recall")


class Threshold(ConfigModel):
    """Classification: the decision threshold tuned on cross-validated predictions."""

    objective: Literal[
        "f1", "precision", "recall", "accuracy", "precision_at_recall"
    ] = "f1"
    """What the threshold maximises."""
    min_recall: Share | None = None
    """``precision_at_recall`` only: the recall to keep."""
    cv_folds: Folds = 5
    """Folds of the threshold tuning."""

    @model_validator(mode="after")
    def _recall_for_objective(self) -> Threshold:
        if (self.objective == "precision_at_recall") != (self.min_recall is not None):
            raise ValueError(
                "min_recall is required by the objective 'precision_at_recall', "
                "and only by it"
            )
        return self


class ModelSelection(ConfigModel):
    """Choosing and tuning the model, on the training split only."""

    cv_folds: Folds = 5
    """K of the K-fold cross-validation of every candidate."""
    seed: Seed | None = None
    """Seed of the folds, the search and the threshold folds; default the
    variant's ``seed``."""
    max_rows: Annotated[int, Strict(), Field(ge=2)] | None = None
    """Big data: compare and search on a seeded sample of this many training
    rows; the chosen model is still fitted on every training row."""
    max_seconds: Annotated[float, Field(gt=0)] | None = None
    """Time budget of the comparison: once this many seconds are spent, the
    candidates not yet cross-validated are skipped (listed simplest first, so
    the cheap ones are screened first); null: no budget."""
    simplicity: Simplicity = Simplicity()
    search: Search = Search()
    threshold: Threshold | None = None
    """Classification: tune the decision threshold; null keeps the default.
    Default for classification: ``{objective: f1}``."""


__all__ = [
    "THRESHOLD_OBJECTIVES",
    "ModelSelection",
    "Search",
    "Simplicity",
    "Threshold",
]
