"""What every task provides: metrics, scorers, folds, a baseline and predictions.

A ``Task`` is chosen once from the problem (``task_for``); nodes ask it
instead of comparing task names, so a new task (e.g. multiclass) is one new
class. Class attributes state what the task supports, so configuration can
be checked against them before anything runs.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.model_selection import BaseCrossValidator, KFold, StratifiedKFold

from ml_workflow.core.config.problem import Problem


class Task:
    """One kind of prediction, as the workflow needs to know it."""

    NAME: ClassVar[str]
    """The ``problem.task`` value."""
    LABEL: ClassVar[str]
    """How reports name the task."""
    METRICS: ClassVar[tuple[str, ...]]
    """Every metric ``metrics`` returns, in report order."""
    LOWER_IS_BETTER: ClassVar[frozenset[str]] = frozenset()
    DEFAULT_METRIC: ClassVar[str]
    BASELINE_STRATEGIES: ClassVar[tuple[str, ...]]
    DEFAULT_BASELINE: ClassVar[str]
    STRATIFIES: ClassVar[bool]
    """Whether splits and folds keep the target's class shares (the default)."""
    TUNES_THRESHOLD: ClassVar[bool] = False
    THRESHOLD_METRICS: ClassVar[tuple[str, ...]] = ()
    """Metrics that depend on the decision threshold (binary: the label metrics)."""
    CATEGORICAL_TARGET: ClassVar[bool]
    """Whether the target holds labels (read as text) rather than numbers."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem

    @property
    def target(self) -> str:
        return self.problem.target

    @property
    def labelled_target(self) -> bool:
        """Whether the raw target holds labels (text), whatever is modelled."""
        return self.CATEGORICAL_TARGET

    def orient(self, metric: str, value: float) -> float:
        """``value`` signed so that higher is always better."""
        return -value if metric in self.LOWER_IS_BETTER else value

    def fold_splitter(self, folds: int, seed: int) -> BaseCrossValidator:
        """Shuffled K folds, stratified on the target when the task stratifies."""
        splitter = StratifiedKFold if self.STRATIFIES else KFold
        return splitter(n_splits=folds, shuffle=True, random_state=seed)

    def scorer(self, metric: str) -> Any:
        """A scikit-learn scorer for ``metric``, higher is better."""
        raise NotImplementedError

    def metrics(self, actual: Any, predictions: pd.DataFrame) -> dict[str, float]:
        """Every metric of the task, from ``predictions`` (``predicted`` and the
        task's score columns, as ``predictions`` returns them) against ``actual``."""
        raise NotImplementedError

    def baseline(self, strategy: str) -> BaseEstimator:
        """The dummy model the trained model must beat."""
        raise NotImplementedError

    def chance_level(self, metric: str, target: Any) -> float | None:
        """What a model that knows only the base rate scores on ``metric``
        (``target`` holds the true values), when that is not the baseline's
        score; None otherwise."""
        return None

    def coerce_target(self, values: pd.Series) -> pd.Series:
        """The raw target column typed as the task reads it."""
        raise NotImplementedError

    def check_target(self, values: pd.Series) -> None:
        """Refuse a cleaned target the task cannot learn from."""

    def predictions(self, model: BaseEstimator, features: pd.DataFrame) -> pd.DataFrame:
        """``predicted`` (and the task's score columns) for each row."""
        return pd.DataFrame(
            {"predicted": model.predict(features)}, index=features.index
        )

    def record_predictions(
        self, model: BaseEstimator, features: pd.DataFrame
    ) -> pd.DataFrame:
        """What batch scoring writes per record (``predictions`` plus extras)."""
        return self.predictions(model, features)

    def empty_record_predictions(self, model: BaseEstimator) -> list[str]:
        """The columns of ``record_predictions`` when no record is left."""
        return ["predicted"]

    def prediction_rows(self, predictions: pd.DataFrame) -> list[dict[str, Any]]:
        """JSON rows of ``record_predictions``, as the web API answers them."""
        return [{"prediction": value} for value in predictions["predicted"].tolist()]

    def response_fields(self) -> dict[str, Any]:
        """Fields an API response carries besides its predictions."""
        return {}

    def evaluation_extras(
        self, train_target: pd.Series, test_predictions: pd.DataFrame
    ) -> dict[str, Any]:
        """Task-specific entries of ``metrics.json`` (e.g. a confusion matrix)."""
        return {}

    def prediction_figure(self, test_predictions: pd.DataFrame) -> Any:
        """The figure of predictions against the truth (``prediction_plot``)."""
        raise NotImplementedError

    def error_figure(self, test_predictions: pd.DataFrame, threshold: float) -> Any:
        """The figure of the model's errors (``error_plot``)."""
        raise NotImplementedError

    def target_reading(self, values: pd.Series) -> tuple[str, pd.Series] | None:
        """The target as a number, for correlations: (column label, values), or
        None when it has no numeric reading (several unordered classes)."""
        raise NotImplementedError

    def tuning_note(self) -> str | None:
        """Why the decision threshold is not tuned for this task, if it is not."""
        return None if self.TUNES_THRESHOLD else f"{self.LABEL}: no decision threshold"

    def weight_orientation(self, classes: list[str]) -> tuple[float, str] | str:
        """How to read a linear model's feature weights: (sign, meaning) or a note."""
        raise NotImplementedError


def as_objects(values: Any) -> np.ndarray:
    return np.asarray(values, dtype=object)
