"""Text columns as vectorizers take them."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def fill_missing_text(values: Any) -> np.ndarray:
    """Turn a text column into a 1-D array of strings, missing values as ``""``.

    ``TfidfVectorizer`` cannot take missing values; an empty message carries no
    tokens, which is what a missing one means.
    """
    series = pd.Series(np.asarray(values, dtype=object).ravel())
    return series.where(series.notna(), "").astype(str).to_numpy(dtype=object)


__all__ = ["fill_missing_text"]
