"""Estimators for tests that need a model to misbehave on purpose."""

from __future__ import annotations

import os
import threading
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression

MARKER = -999.0


class _PredictsWithItsModel(ClassifierMixin, BaseEstimator):
    """Predicts with the classifier its ``fit`` left in ``model_``."""

    def predict(self, X: Any) -> np.ndarray:  # noqa: N803
        return self.model_.predict(X)

    def predict_proba(self, X: Any) -> np.ndarray:  # noqa: N803
        return self.model_.predict_proba(X)


class FailsWithoutMarker(_PredictsWithItsModel):
    """A prior classifier whose ``fit`` fails unless a row holds ``MARKER``.

    With the marker in one row, cross-validation fails in exactly the fold
    whose validation part holds that row (its training part lacks it).
    """

    def __init__(self, marker: float = MARKER) -> None:
        self.marker = marker

    def fit(self, X: Any, y: Any) -> FailsWithoutMarker:  # noqa: N803
        values = np.asarray(X, dtype=float)
        if not np.isclose(values, self.marker).any():
            raise ValueError("FailsWithoutMarker: no marker row in this fold")
        self.model_ = DummyClassifier(strategy="prior").fit(X, y)
        self.classes_ = self.model_.classes_
        return self


class ShyClassifier(ClassifierMixin, BaseEstimator):
    """Ranks rows by their first column but never gives the positive (second)
    class more than ``ceiling`` probability: it separates the classes
    perfectly at a tuned threshold and finds no positive at the default 0.5.
    """

    def __init__(self, ceiling: float = 0.4) -> None:
        self.ceiling = ceiling

    def fit(self, X: Any, y: Any) -> ShyClassifier:  # noqa: N803
        self.classes_ = np.unique(np.asarray(y))
        return self

    def predict_proba(self, X: Any) -> np.ndarray:  # noqa: N803
        values = np.asarray(X, dtype=float)[:, 0]
        positive = self.ceiling / (1.0 + np.exp(-values))
        return np.column_stack([1.0 - positive, positive])

    def predict(self, X: Any) -> np.ndarray:  # noqa: N803
        return self.classes_[(self.predict_proba(X)[:, 1] >= 0.5).astype(int)]  # noqa: PLR2004


class WhereItFits(_PredictsWithItsModel):
    """A logistic regression (inverse regularisation ``C``) that notes the
    process and thread each ``fit`` ran in (one line ``"<pid> <thread>"``
    appended to ``log``), wherever joblib ran it."""

    def __init__(self, log: str = "", C: float = 1.0) -> None:  # noqa: N803
        self.log = log
        self.C = C

    def fit(self, X: Any, y: Any) -> WhereItFits:  # noqa: N803
        note_where(self.log)
        self.model_ = LogisticRegression(C=self.C).fit(X, y)
        self.classes_ = self.model_.classes_
        return self


def note_where(log: str | os.PathLike[str]) -> None:
    """Append the calling process and thread to ``log`` (``"<pid> <thread>"``)."""
    with open(log, "a") as lines:  # noqa: PTH123 - a path given as text
        lines.write(f"{os.getpid()} {threading.get_ident()}\n")


def fitted_where(log: str | os.PathLike[str]) -> set[tuple[int, int]]:
    """The (process, thread) pairs `note_where` appended to ``log``."""
    with open(log) as lines:  # noqa: PTH123
        return {tuple(map(int, line.split())) for line in lines}


__all__ = [
    "MARKER",
    "FailsWithoutMarker",
    "ShyClassifier",
    "WhereItFits",
    "fitted_where",
    "note_where",
]
