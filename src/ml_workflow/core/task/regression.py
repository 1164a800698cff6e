"""Regression: predict a number; judged by R², RMSE, MAE and MSE."""

from __future__ import annotations

import math
from typing import Any, ClassVar

import pandas as pd
from sklearn import metrics
from sklearn.base import BaseEstimator
from sklearn.dummy import DummyRegressor

from ml_workflow.core.coercion import as_labels, as_numbers
from ml_workflow.errors import DataValidationError

from .base import Task

_SCORERS = {
    "r2": (metrics.r2_score, True),
    "mse": (metrics.mean_squared_error, False),
    "rmse": (metrics.root_mean_squared_error, False),
    "mae": (metrics.mean_absolute_error, False),
}


class RegressionTask(Task):
    """Predict a number."""

    NAME = "regression"
    LABEL = "regression"
    METRICS: ClassVar[tuple[str, ...]] = ("mse", "rmse", "mae", "r2")
    LOWER_IS_BETTER: ClassVar[frozenset[str]] = frozenset({"mse", "rmse", "mae"})
    DEFAULT_METRIC = "r2"
    BASELINE_STRATEGIES: ClassVar[tuple[str, ...]] = ("mean", "median")
    DEFAULT_BASELINE = "mean"
    STRATIFIES = False
    CATEGORICAL_TARGET = False

    def scorer(self, metric: str) -> Any:
        function, greater = _SCORERS[metric]
        return metrics.make_scorer(function, greater_is_better=greater)

    def metrics(self, actual: Any, predictions: pd.DataFrame) -> dict[str, float]:
        """MSE, RMSE, MAE and R² of predictions against the truth."""
        predicted = predictions["predicted"]
        mse = float(metrics.mean_squared_error(actual, predicted))
        return {
            "mse": mse,
            "rmse": math.sqrt(mse),
            "mae": float(metrics.mean_absolute_error(actual, predicted)),
            "r2": float(metrics.r2_score(actual, predicted)),
        }

    def baseline(self, strategy: str) -> BaseEstimator:
        return DummyRegressor(strategy=strategy)

    @property
    def labelled_target(self) -> bool:
        return self.problem.target_order is not None

    def coerce_target(self, values: pd.Series) -> pd.Series:
        """Numbers; or, with ``target_order``, each label's rank (lowest 0)."""
        order = self.problem.target_order
        if order is None:
            return as_numbers(values, self.target)
        labels = as_labels(values)
        rank = {label: float(position) for position, label in enumerate(order)}
        unknown = sorted(set(labels.dropna()) - set(rank))
        if unknown:
            raise DataValidationError(
                f"target {self.target!r} holds label(s) {unknown[:10]} that "
                f"problem.target_order {list(order)} does not rank"
            )
        return labels.map(rank).astype("float64")

    def prediction_figure(self, test_predictions: pd.DataFrame) -> Any:
        """Predicted against actual values (a sample of rows when there are many)."""
        from ml_workflow.plots import regression  # noqa: PLC0415 - plotly on demand
        from ml_workflow.plots.common import display_rows  # noqa: PLC0415

        shown = display_rows(test_predictions)
        return regression.predicted_vs_actual_figure(
            shown["actual"], shown["predicted"], self.target
        )

    def error_figure(self, test_predictions: pd.DataFrame, threshold: float) -> Any:
        """The residuals (no threshold in regression)."""
        from ml_workflow.plots import regression  # noqa: PLC0415 - plotly on demand
        from ml_workflow.plots.common import display_rows  # noqa: PLC0415

        shown = display_rows(test_predictions)
        return regression.residuals_figure(
            shown["actual"], shown["predicted"], self.target
        )

    def prediction_rows(self, predictions: pd.DataFrame) -> list[dict[str, Any]]:
        return [{"prediction": float(v)} for v in predictions["predicted"].tolist()]

    def target_reading(self, values: pd.Series) -> tuple[str, pd.Series]:
        return self.target, values.astype(float)

    def weight_orientation(self, classes: list[str]) -> tuple[float, str] | str:
        return 1.0, f"+ raises {self.target!r}"


__all__ = ["RegressionTask"]
