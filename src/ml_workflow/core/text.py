"""Text columns as vectorizers take them."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import TruncatedSVD
from sklearn.utils.validation import check_is_fitted

LONG_TEXT_CHARACTERS = 5_000_000
"""Text longer than this, over a table's text columns together, is long:
`kedro variant create` hashes its words and leaves out candidates slow on many
sparse columns (``scaffold.budgets``), and model selection fits it in threads
(``parallel.fit_workers``)."""


def text_characters(frame: pd.DataFrame, columns: Any) -> int:
    """Characters in ``frame``'s text ``columns`` together; missing values
    count none."""
    return int(sum(frame[c].dropna().astype(str).str.len().sum() for c in columns))


def fill_missing_text(values: Any) -> np.ndarray:
    """Turn a text column into a 1-D array of strings, missing values as ``""``.

    ``TfidfVectorizer`` cannot take missing values; an empty message carries no
    tokens, which is what a missing one means.
    """
    series = pd.Series(np.asarray(values, dtype=object).ravel())
    return series.where(series.notna(), "").astype(str).to_numpy(dtype=object)


class TextComponents(TransformerMixin, BaseEstimator):
    """Reduce sparse text features to at most ``n_components`` dense ones (LSA).

    For estimators that take no sparse input (histogram gradient boosting):
    a TruncatedSVD of the TF-IDF matrix, fitted on the training rows only, its
    size capped by the vocabulary actually found.
    """

    def __init__(self, n_components: int = 100, random_state: int = 0) -> None:
        self.n_components = n_components
        self.random_state = random_state

    def fit(self, X: Any, y: Any = None) -> TextComponents:  # noqa: N803
        """Fit the SVD with as many components as the vocabulary allows."""
        components = max(1, min(self.n_components, X.shape[1] - 1, X.shape[0] - 1))
        self.svd_ = TruncatedSVD(
            n_components=components, random_state=self.random_state
        )
        self.svd_.fit(X)
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X: Any) -> np.ndarray:  # noqa: N803
        """The dense components of ``X``."""
        check_is_fitted(self, "svd_")
        return self.svd_.transform(X)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        check_is_fitted(self, "svd_")
        return np.asarray(
            [f"component_{i}" for i in range(self.svd_.n_components)], dtype=object
        )


__all__ = [
    "LONG_TEXT_CHARACTERS",
    "TextComponents",
    "fill_missing_text",
    "text_characters",
]
