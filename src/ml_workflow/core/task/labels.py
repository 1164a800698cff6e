"""What every classification task shares: labels as targets, class checks, a prior baseline."""

from __future__ import annotations

from typing import Any, ClassVar

import pandas as pd
from sklearn import metrics
from sklearn.base import BaseEstimator
from sklearn.dummy import DummyClassifier

from ml_workflow.core.coercion import as_labels
from ml_workflow.errors import DataValidationError

from .base import Task

MIN_CLASSES = 2


def probability_column(label: Any) -> str:
    """Name of the column holding the probability of class ``label``."""
    return f"probability_{label}"


class ClassificationTask(Task):
    """A target of labels (read as text), split and folded by class."""

    NAME = "classification"
    BASELINE_STRATEGIES: ClassVar[tuple[str, ...]] = (
        "prior",
        "most_frequent",
        "stratified",
        "uniform",
    )
    DEFAULT_BASELINE = "prior"
    STRATIFIES = True
    CATEGORICAL_TARGET = True

    def baseline(self, strategy: str) -> BaseEstimator:
        return DummyClassifier(strategy=strategy)

    def coerce_target(self, values: pd.Series) -> pd.Series:
        return as_labels(values)

    def check_target(self, values: pd.Series) -> None:
        classes = sorted(values.dropna().unique().tolist())
        if len(classes) < MIN_CLASSES:
            raise DataValidationError(
                f"target {self.target!r} needs at least two classes to classify, "
                f"found {classes}"
            )

    def class_probabilities(
        self, model: BaseEstimator, features: pd.DataFrame
    ) -> pd.DataFrame | None:
        """``probability_<class>`` columns, or None when the model gives none."""
        if not hasattr(model, "predict_proba"):
            return None
        return pd.DataFrame(
            model.predict_proba(features),
            columns=[probability_column(c) for c in model.classes_],
            index=features.index,
        )

    def prediction_figure(self, test_predictions: pd.DataFrame) -> Any:
        """The confusion matrix over every label seen."""
        from ml_workflow.plots import classification  # noqa: PLC0415 - plotly

        actual, predicted = test_predictions["actual"], test_predictions["predicted"]
        labels = sorted({*map(str, actual.unique()), *map(str, predicted.unique())})
        return classification.confusion_matrix_figure(actual, predicted, labels)

    def confusion(
        self, train_target: pd.Series, test_predictions: pd.DataFrame
    ) -> dict[str, Any]:
        """The confusion matrix of the test split, over every label seen."""
        labels = sorted(
            {
                *map(str, train_target.unique()),
                *map(str, test_predictions["actual"].unique()),
            }
        )
        matrix = metrics.confusion_matrix(
            test_predictions["actual"].astype(str),
            test_predictions["predicted"].astype(str),
            labels=labels,
        )
        return {"labels": labels, "matrix": matrix.tolist()}


__all__ = ["MIN_CLASSES", "ClassificationTask", "probability_column"]
