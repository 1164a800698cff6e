"""Accuracy, precision, recall and F1 of the positive class, from label counts.

Tuning a decision threshold scores every validation fold at 100 thresholds,
once per candidate and once more for the chosen model
(`TunedThresholdClassifierCV`): spam's default run makes about 2,000 such calls.
scikit-learn's metric functions spend 4-5 ms of each call checking their input
(the metric itself is a few array comparisons), about 9 s of spam's run. These
give the same numbers as ``sklearn.metrics`` with ``zero_division=0`` for the
two labels of a binary problem, in tens of microseconds;
tests/pipelines/modelling/test_label_counts.py compares them with scikit-learn's on random
labels and the empty cases.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _counts(y_true: Any, y_pred: Any, pos_label: Any) -> tuple[int, int, int]:
    """True positives, false positives and false negatives of ``pos_label``."""
    actual = np.asarray(y_true) == pos_label
    predicted = np.asarray(y_pred) == pos_label
    true_positives = int(np.count_nonzero(actual & predicted))
    return (
        true_positives,
        int(np.count_nonzero(predicted)) - true_positives,
        int(np.count_nonzero(actual)) - true_positives,
    )


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def accuracy(y_true: Any, y_pred: Any, pos_label: Any = None) -> float:
    """Share of the labels predicted right (``accuracy_score``).

    ``pos_label`` is accepted and ignored (accuracy does not depend on it): the
    threshold scorer passes it so that the threshold tuner thresholds the
    positive class's score, as it does for every other objective.
    """
    actual, predicted = np.asarray(y_true), np.asarray(y_pred)
    return _ratio(int(np.count_nonzero(actual == predicted)), len(actual))


def precision(y_true: Any, y_pred: Any, pos_label: Any) -> float:
    """Of the rows predicted ``pos_label``, the share that are (``precision_score``)."""
    true_positives, false_positives, _ = _counts(y_true, y_pred, pos_label)
    return _ratio(true_positives, true_positives + false_positives)


def recall(y_true: Any, y_pred: Any, pos_label: Any) -> float:
    """Of the ``pos_label`` rows, the share predicted so (``recall_score``)."""
    true_positives, _, false_negatives = _counts(y_true, y_pred, pos_label)
    return _ratio(true_positives, true_positives + false_negatives)


def f1(y_true: Any, y_pred: Any, pos_label: Any) -> float:
    """Harmonic mean of precision and recall, 2TP / (2TP + FP + FN) (``f1_score``)."""
    true_positives, false_positives, false_negatives = _counts(
        y_true, y_pred, pos_label
    )
    return _ratio(
        2 * true_positives, 2 * true_positives + false_positives + false_negatives
    )


def precision_at_min_recall(
    y_true: Any, y_pred: Any, pos_label: Any, min_recall: float
) -> float:
    """Precision of the positive class, or 0 when recall is below ``min_recall``.

    As a threshold objective it picks the most precise threshold that still
    finds ``min_recall`` of the positives.
    """
    if recall(y_true, y_pred, pos_label) < min_recall:
        return 0.0
    return precision(y_true, y_pred, pos_label)


POSITIVE_CLASS_METRICS = {"precision": precision, "recall": recall, "f1": f1}
"""The metrics about ``pos_label``, by the name the configuration uses."""

__all__ = [
    "POSITIVE_CLASS_METRICS",
    "accuracy",
    "f1",
    "precision",
    "precision_at_min_recall",
    "recall",
]
