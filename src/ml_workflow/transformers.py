"""scikit-learn transformers that put the project's own feature code inside the model.

Keeping them inside the saved ``Pipeline`` means serving applies exactly the
transforms used at training time: the model goes from raw columns to prediction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from ml_workflow.derived_features import add_derived_features


class DerivedFeatureAdder(TransformerMixin, BaseEstimator):
    """Add the declared row-wise derived features to a DataFrame of raw columns.

    Stateless: ``fit`` learns nothing, so it cannot leak test information.
    """

    def __init__(self, specs: Sequence[dict[str, Any]] = ()) -> None:
        self.specs = specs

    def fit(self, X: pd.DataFrame, y: Any = None) -> DerivedFeatureAdder:  # noqa: N803
        """Nothing to learn; present for the scikit-learn API."""
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:  # noqa: N803
        """Return ``X`` with the derived feature columns (re)computed."""
        return add_derived_features(X, list(self.specs))


def fill_missing_text(values: Any) -> np.ndarray:
    """Turn a text column into a 1-D array of strings, missing values as ``""``.

    ``TfidfVectorizer`` cannot take missing values; an empty message carries no
    tokens, which is what a missing one means.
    """
    series = pd.Series(np.asarray(values, dtype=object).ravel())
    return series.where(series.notna(), "").astype(str).to_numpy(dtype=object)
