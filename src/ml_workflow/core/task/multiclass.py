"""Multiclass classification: one of several classes, none of them "positive".

Chosen for a classification problem without ``positive_class`` (two classes
with no natural positive one work too). Judged on macro-averaged F1 by
default (every class counts alike, however rare), with accuracy, balanced
accuracy, macro and weighted precision/recall/F1, log loss and one-vs-rest
ROC-AUC beside it, a per-class report and an N x N confusion matrix. There is
no decision threshold to tune: the class with the highest score wins.
"""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar

import pandas as pd
from sklearn import metrics
from sklearn.base import BaseEstimator

from .base import as_objects
from .labels import ClassificationTask, probability_column

# pos_label=None: averaged over classes, no positive one (and a fold that
# happens to hold two classes must not be scored as binary).
_AVERAGED = {
    f"{name}_{average}": partial(
        function, average=average, zero_division=0, pos_label=None
    )
    for name, function in (
        ("precision", metrics.precision_score),
        ("recall", metrics.recall_score),
        ("f1", metrics.f1_score),
    )
    for average in ("macro", "weighted")
}
_NEEDS_PROBABILITIES = ("log_loss", "roc_auc_ovr")


class MulticlassClassificationTask(ClassificationTask):
    """Tell several classes apart."""

    LABEL = "multiclass classification"
    METRICS: ClassVar[tuple[str, ...]] = (
        "accuracy",
        "balanced_accuracy",
        "precision_macro",
        "recall_macro",
        "f1_macro",
        "precision_weighted",
        "recall_weighted",
        "f1_weighted",
        "log_loss",
        "roc_auc_ovr",
    )
    LOWER_IS_BETTER: ClassVar[frozenset[str]] = frozenset({"log_loss"})
    DEFAULT_METRIC = "f1_macro"
    TUNES_THRESHOLD = False

    def scorer(self, metric: str) -> Any:
        if metric == "accuracy":
            return metrics.make_scorer(metrics.accuracy_score)
        if metric == "balanced_accuracy":
            return metrics.make_scorer(metrics.balanced_accuracy_score)
        if metric == "log_loss":
            return metrics.make_scorer(
                metrics.log_loss,
                response_method="predict_proba",
                greater_is_better=False,
            )
        if metric == "roc_auc_ovr":
            return metrics.make_scorer(
                metrics.roc_auc_score,
                response_method="predict_proba",
                multi_class="ovr",
            )
        return metrics.make_scorer(_AVERAGED[metric])

    def tuning_note(self) -> str:
        return (
            "multiclass classification: no decision threshold to tune (the class "
            "with the highest score is predicted)"
        )

    def predictions(self, model: BaseEstimator, features: pd.DataFrame) -> pd.DataFrame:
        """``predicted`` and, when the model gives them, ``probability_<class>``."""
        frame = super().predictions(model, features)
        probabilities = self.class_probabilities(model, features)
        return frame if probabilities is None else frame.join(probabilities)

    def empty_record_predictions(self, model: BaseEstimator) -> list[str]:
        columns = ["predicted"]
        if hasattr(model, "predict_proba"):
            columns += [probability_column(c) for c in model.classes_]
        return columns

    @staticmethod
    def _probability_columns(predictions: pd.DataFrame) -> list[str]:
        return [c for c in predictions.columns if str(c).startswith("probability_")]

    def metrics(self, actual: Any, predictions: pd.DataFrame) -> dict[str, float]:
        """Every metric in ``METRICS``; the probability-based ones are NaN when
        the model gives no probabilities or the truth holds one class only."""
        actual = as_objects(actual).astype(str)
        predicted = as_objects(predictions["predicted"]).astype(str)
        found: dict[str, float] = {
            "accuracy": float(metrics.accuracy_score(actual, predicted)),
            "balanced_accuracy": float(
                metrics.balanced_accuracy_score(actual, predicted)
            ),
        }
        found.update(
            {
                name: float(function(actual, predicted))
                for name, function in _AVERAGED.items()
            }
        )
        columns = self._probability_columns(predictions)
        classes = [c.removeprefix("probability_") for c in columns]
        usable = columns and len(set(actual)) > 1 and set(actual) <= set(classes)
        if usable:
            probabilities = predictions[columns].to_numpy(dtype=float)
            found["log_loss"] = float(
                metrics.log_loss(actual, probabilities, labels=classes)
            )
            found["roc_auc_ovr"] = float(
                metrics.roc_auc_score(
                    actual, probabilities, multi_class="ovr", labels=classes
                )
            )
        else:
            found.update(dict.fromkeys(_NEEDS_PROBABILITIES, float("nan")))
        return {name: found[name] for name in self.METRICS}

    def prediction_rows(self, predictions: pd.DataFrame) -> list[dict[str, Any]]:
        """The predicted class and, when the model gives them, every class's
        probability."""
        predicted = predictions["predicted"].tolist()
        columns = self._probability_columns(predictions)
        if not columns:
            return [{"prediction": str(label)} for label in predicted]
        classes = [c.removeprefix("probability_") for c in columns]
        table = predictions[columns].astype(float).to_numpy().tolist()
        return [
            {
                "prediction": str(label),
                "probabilities": dict(zip(classes, row, strict=True)),
            }
            for label, row in zip(predicted, table, strict=True)
        ]

    def evaluation_extras(
        self, train_target: pd.Series, test_predictions: pd.DataFrame
    ) -> dict[str, Any]:
        """The N x N confusion matrix and precision, recall, F1 and support per class."""
        confusion = self.confusion(train_target, test_predictions)
        report = metrics.classification_report(
            test_predictions["actual"].astype(str),
            test_predictions["predicted"].astype(str),
            labels=confusion["labels"],
            output_dict=True,
            zero_division=0,
        )
        per_class = {
            label: {key: float(value) for key, value in report[label].items()}
            for label in confusion["labels"]
        }
        return {
            "classes": confusion["labels"],
            "confusion_matrix": confusion,
            "per_class": per_class,
        }

    def error_figure(self, test_predictions: pd.DataFrame, threshold: float) -> Any:
        """Per class: one-vs-rest ROC curves (when there are probabilities) and
        precision, recall and F1 bars."""
        from ml_workflow.plots import multiclass  # noqa: PLC0415 - plotly

        columns = self._probability_columns(test_predictions)
        probabilities = (
            test_predictions[columns].rename(
                columns=lambda c: c.removeprefix("probability_")
            )
            if columns
            else None
        )
        return multiclass.per_class_figure(
            test_predictions["actual"].astype(str),
            test_predictions["predicted"].astype(str),
            probabilities,
        )

    def target_reading(self, values: pd.Series) -> None:
        return None  # unordered classes have no numeric reading

    def weight_orientation(self, classes: list[str]) -> str:
        return f"{len(classes)} classes, one weight per class"


__all__ = ["MulticlassClassificationTask"]
