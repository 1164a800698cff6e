"""Binary classification: find the positive class; judged on it.

Precision, recall, F1, ROC-AUC and PR-AUC are about ``problem.positive_class``
whatever its label; the decision threshold can be tuned for one of them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from sklearn import metrics
from sklearn.base import BaseEstimator
from sklearn.model_selection import TunedThresholdClassifierCV

from ml_workflow.errors import DataValidationError

from . import label_counts
from .base import as_objects
from .label_counts import precision_at_min_recall
from .labels import ClassificationTask, probability_column

_LABEL_METRICS = {
    "precision": metrics.precision_score,
    "recall": metrics.recall_score,
    "f1": metrics.f1_score,
}
_RESPONSE = ("decision_function", "predict_proba")


def labels_at_threshold(
    scores: Any, threshold: float, positive: Any, negative: Any
) -> np.ndarray:
    """``positive`` where the positive class's score reaches ``threshold``,
    else ``negative``: the rule a tuned threshold decides by, everywhere."""
    return np.where(np.asarray(scores) >= threshold, positive, negative)


def roc_auc_of_positive(y_true: Any, y_score: Any, pos_label: Any) -> float:
    """ROC-AUC with ``pos_label`` as the positive class, whatever its sort order."""
    return float(metrics.roc_auc_score(np.asarray(y_true) == pos_label, y_score))


def pr_auc_of_positive(y_true: Any, y_score: Any, pos_label: Any) -> float:
    """Average precision with ``pos_label`` as the positive class."""
    return float(
        metrics.average_precision_score(np.asarray(y_true) == pos_label, y_score)
    )


class BinaryClassificationTask(ClassificationTask):
    """Tell the positive class from the other one."""

    LABEL = "binary classification"
    METRICS: ClassVar[tuple[str, ...]] = (
        "accuracy",
        "precision",
        "recall",
        "f1",
        "roc_auc",
        "pr_auc",
    )
    DEFAULT_METRIC = "f1"
    TUNES_THRESHOLD = True
    THRESHOLD_METRICS: ClassVar[tuple[str, ...]] = tuple(("accuracy", *_LABEL_METRICS))

    @property
    def positive(self) -> str:
        return str(self.problem.positive_class)

    def scorer(self, metric: str) -> Any:
        if metric == "accuracy":
            return metrics.make_scorer(metrics.accuracy_score)
        if metric in _LABEL_METRICS:
            return metrics.make_scorer(
                _LABEL_METRICS[metric], pos_label=self.positive, zero_division=0
            )
        function = roc_auc_of_positive if metric == "roc_auc" else pr_auc_of_positive
        return metrics.make_scorer(
            function, response_method=_RESPONSE, pos_label=self.positive
        )

    def label_metric(self, metric: str) -> Callable[[Any, Any], float]:
        """``metric`` (accuracy, precision, recall or F1 of the positive class)
        as a function of true and predicted labels, computed from counts
        (`label_counts`: threshold tuning calls it a hundred times a fold)."""
        if metric == "accuracy":
            return label_counts.accuracy
        return partial(
            label_counts.POSITIVE_CLASS_METRICS[metric], pos_label=self.positive
        )

    def threshold_objective(
        self, objective: str, min_recall: float | None
    ) -> Callable[[Any, Any], float]:
        """What a decision threshold is tuned for, as a function of true and
        predicted labels (about the positive class)."""
        if objective == "precision_at_recall":
            return partial(
                precision_at_min_recall,
                pos_label=self.positive,
                min_recall=float(min_recall or 1.0),
            )
        return self.label_metric(objective)

    def threshold_scorer(self, objective: str, min_recall: float | None) -> Any:
        """The scorer a decision threshold is tuned for (about the positive
        class), on `label_counts`' functions: ``TunedThresholdClassifierCV``
        calls it at a hundred thresholds per fold.

        Every one names ``pos_label`` (accuracy ignores it): the tuner
        thresholds the score of its scorer's ``pos_label`` (else of
        ``classes_[1]``), and the reported threshold, the error plot and the
        learning curve read it as a threshold on the positive class's score."""
        if objective == "precision_at_recall":
            return metrics.make_scorer(
                precision_at_min_recall,
                pos_label=self.positive,
                min_recall=float(min_recall or 1.0),
            )
        function = (
            label_counts.accuracy
            if objective == "accuracy"
            else label_counts.POSITIVE_CLASS_METRICS[objective]
        )
        return metrics.make_scorer(function, pos_label=self.positive)

    def metrics(self, actual: Any, predictions: pd.DataFrame) -> dict[str, float]:
        """Accuracy, and precision/recall/F1/ROC-AUC/PR-AUC of the positive class.

        AUCs are NaN when the truth holds one class only.
        """
        score = predictions["score"]
        actual, predicted = as_objects(actual), as_objects(predictions["predicted"])
        is_positive = actual == self.positive
        both_classes = 0 < is_positive.sum() < len(is_positive)
        binary = {"pos_label": self.positive, "average": "binary", "zero_division": 0}
        return {
            "accuracy": float(metrics.accuracy_score(actual, predicted)),
            "precision": float(metrics.precision_score(actual, predicted, **binary)),
            "recall": float(metrics.recall_score(actual, predicted, **binary)),
            "f1": float(metrics.f1_score(actual, predicted, **binary)),
            "roc_auc": float(metrics.roc_auc_score(is_positive, score))
            if both_classes
            else float("nan"),
            "pr_auc": float(metrics.average_precision_score(is_positive, score))
            if both_classes
            else float("nan"),
        }

    def chance_level(self, metric: str, target: Any) -> float | None:
        """Flagging every row positive: F1 ``2p / (1 + p)``, precision and
        PR-AUC ``p``, for a positive share ``p``. The prior baseline predicts
        the majority class and so scores an F1 of 0, which would let a model
        that finds nothing a flag-everything rule does not look useful."""
        share = float(np.mean(as_objects(target) == self.positive))
        return {
            "f1": 2 * share / (1 + share),
            "precision": share,
            "pr_auc": share,
        }.get(metric)

    def check_target(self, values: pd.Series) -> None:
        super().check_target(values)
        classes = sorted(values.dropna().unique().tolist())
        if self.positive not in classes:
            raise DataValidationError(
                f"problem.positive_class {self.positive!r} is not a label of target "
                f"{self.target!r}; found labels {classes}"
            )

    def positive_scores(
        self, model: BaseEstimator, features: pd.DataFrame
    ) -> np.ndarray:
        """The model's score for the positive class: its probability where the
        model gives one, else its decision function."""
        positive_at = self._positive_at(model)
        if hasattr(model, "predict_proba"):
            return model.predict_proba(features)[:, positive_at]
        decision = model.decision_function(features)
        return decision if positive_at == 1 else -decision

    def _positive_at(self, model: BaseEstimator) -> int:
        """The positive class's position in ``model.classes_`` (labels compared
        as text, as the configuration writes them)."""
        return [str(c) for c in model.classes_].index(self.positive)

    def predictions(self, model: BaseEstimator, features: pd.DataFrame) -> pd.DataFrame:
        """``predicted`` and the positive class's ``score``.

        A model whose threshold was tuned is run once, not twice: its
        ``predict`` is its positive score against ``best_threshold_`` (the tuner
        scores the positive class: ``tune_model`` gives it this task's scorer),
        so the label is read off the score instead of vectorizing text and
        running the model a second time.
        """
        scores = self.positive_scores(model, features)
        if isinstance(model, TunedThresholdClassifierCV) and (
            model.response_method == "auto"
        ):
            classes, positive_at = np.asarray(model.classes_), self._positive_at(model)
            labels = labels_at_threshold(
                scores,
                model.best_threshold_,
                classes[positive_at],
                classes[1 - positive_at],
            )
            frame = pd.DataFrame({"predicted": labels}, index=features.index)
        else:
            frame = super().predictions(model, features)
        frame["score"] = scores
        return frame

    def record_predictions(
        self, model: BaseEstimator, features: pd.DataFrame
    ) -> pd.DataFrame:
        """``predicted``, ``score`` and, when the model gives probabilities,
        ``probability_<class>`` for both classes."""
        frame = self.predictions(model, features)
        if not hasattr(model, "predict_proba"):
            return frame
        classes = [str(c) for c in model.classes_]
        if len(classes) == 2:  # noqa: PLR2004 - the other class's share is the rest
            for label in classes:
                frame[probability_column(label)] = (
                    frame["score"] if label == self.positive else 1.0 - frame["score"]
                )
            return frame
        for label, values in zip(classes, model.predict_proba(features).T, strict=True):
            frame[probability_column(label)] = values
        return frame

    def empty_record_predictions(self, model: BaseEstimator) -> list[str]:
        columns = ["predicted", "score"]
        if hasattr(model, "predict_proba"):
            columns += [probability_column(c) for c in model.classes_]
        return columns

    def prediction_rows(self, predictions: pd.DataFrame) -> list[dict[str, Any]]:
        """The predicted class and, when the model gives probabilities, the
        positive class's probability and every class's; else the score."""
        predicted = predictions["predicted"].tolist()
        columns = [c for c in predictions.columns if c.startswith("probability_")]
        if not columns:
            scores = predictions["score"].astype(float).tolist()
            return [
                {"prediction": str(p), "score": s}
                for p, s in zip(predicted, scores, strict=True)
            ]
        classes = [c.removeprefix("probability_") for c in columns]
        positive_at = classes.index(self.positive)
        table = predictions[columns].astype(float).to_numpy().tolist()
        return [
            {
                "prediction": str(label),
                "probability": row[positive_at],
                "probabilities": dict(zip(classes, row, strict=True)),
            }
            for label, row in zip(predicted, table, strict=True)
        ]

    def response_fields(self) -> dict[str, Any]:
        return {"positive_class": self.positive}

    def evaluation_extras(
        self, train_target: pd.Series, test_predictions: pd.DataFrame
    ) -> dict[str, Any]:
        """The confusion matrix of the test split, over every label seen."""
        return {"confusion_matrix": self.confusion(train_target, test_predictions)}

    def error_figure(self, test_predictions: pd.DataFrame, threshold: float) -> Any:
        """ROC and precision-recall curves of the positive class, the model's
        decision threshold marked."""
        from ml_workflow.plots import classification  # noqa: PLC0415 - plotly

        return classification.roc_pr_figure(
            test_predictions["actual"].astype(str) == self.positive,
            test_predictions["score"],
            threshold=threshold,
            positive_class=self.positive,
        )

    def target_reading(self, values: pd.Series) -> tuple[str, pd.Series]:
        return f"{self.target}={self.positive}", (values == self.positive).astype(float)

    def weight_orientation(self, classes: list[str]) -> tuple[float, str] | str:
        if len(classes) != 2:  # noqa: PLR2004 - binary
            return f"{len(classes)} classes, not two"
        negative = next(c for c in classes if c != self.positive)
        sign = 1.0 if classes.index(self.positive) == 1 else -1.0
        return sign, f"+ favours {self.positive!r}, - favours {negative!r}"


__all__ = [
    "BinaryClassificationTask",
    "labels_at_threshold",
    "pr_auc_of_positive",
    "precision_at_min_recall",
    "probability_column",
    "roc_auc_of_positive",
]
