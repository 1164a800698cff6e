"""Regression targets the estimator learns on another scale.

A price or a count is often skewed: a few large values dominate a squared
error, and a tree's leaves average across orders of magnitude. Fitting on
``log(1 + y)`` (or a Yeo-Johnson transform) and mapping predictions back is a
standard remedy. ``TransformedTargetRegressor`` does the mapping inside the
model, so predictions, metrics and serving stay on the original scale.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import TransformedTargetRegressor
from sklearn.preprocessing import PowerTransformer

TARGET_TRANSFORMS = ("log", "power")


class LogTarget(TransformerMixin, BaseEstimator):
    """``log(1 + y)`` and back; refuses a negative target at fit, where a
    logarithm would silently produce NaN."""

    def fit(self, y: Any, _: Any = None) -> LogTarget:
        values = np.asarray(y, dtype=float)
        if values.size and np.nanmin(values) < 0:
            raise ValueError(
                "target_transform 'log' needs a target >= 0; found minimum "
                f"{np.nanmin(values):g}: use target_transform 'power' instead"
            )
        return self

    def transform(self, y: Any) -> np.ndarray:
        return np.log1p(np.asarray(y, dtype=float))

    def inverse_transform(self, y: Any) -> np.ndarray:
        return np.expm1(np.asarray(y, dtype=float))


def with_target_transform(
    regressor: BaseEstimator, transform: str | None
) -> BaseEstimator:
    """``regressor`` fitted on the transformed target (``log`` or ``power``),
    predicting on the original scale; itself when ``transform`` is None."""
    if transform is None:
        return regressor
    transformer = LogTarget() if transform == "log" else PowerTransformer()
    return TransformedTargetRegressor(
        regressor=regressor, transformer=transformer, check_inverse=False
    )


def estimator_prefix(transform: str | None) -> str:
    """How a Pipeline parameter addresses the candidate's estimator."""
    return "estimator__" if transform is None else "estimator__regressor__"


__all__ = [
    "TARGET_TRANSFORMS",
    "LogTarget",
    "estimator_prefix",
    "with_target_transform",
]
