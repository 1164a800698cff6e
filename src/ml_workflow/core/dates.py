"""Dates and times: parsed one way everywhere, and expanded into features that generalise.

A raw date is never one-hot encoded (every test date would be unseen).
``DateTimeFeatures`` turns each date column into numbers a model can use on
dates it has never seen: the calendar parts (year, month, day, day of week,
day of year, hour), the ordinal time (days since 1970, for trends) and, for
the cyclic parts, sine and cosine (December is next to January).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

_NANOSECONDS_PER_DAY = 86_400 * 10**9
# part -> period, for the cyclic encodings
CYCLES = {"month": 12, "day_of_week": 7, "hour": 24}
PARTS = ("year", "month", "day", "day_of_week", "day_of_year", "hour", "days")


def parse_datetimes(values: Any) -> pd.Series:
    """Parse to datetime64 in UTC without a zone; anything that is not a date is NaT.

    ISO 8601 (the fast path) first, then any other format pandas recognises,
    value by value, for the rest.
    """
    series = (
        pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values
    )
    if pd.api.types.is_datetime64_any_dtype(series):
        parsed = pd.to_datetime(series, utc=True)
    else:
        series = series.astype(object)
        parsed = pd.to_datetime(series, errors="coerce", utc=True, format="ISO8601")
        retry = parsed.isna() & series.notna()
        if retry.any():
            parsed[retry] = pd.to_datetime(
                series[retry], errors="coerce", utc=True, format="mixed"
            )
    parsed = parsed.dt.tz_localize(None)
    # pandas reads some text as a far date ("31st May" is 31 May of year 1),
    # outside the nanosecond range every date here is kept in: not a date
    representable = parsed.between(pd.Timestamp.min, pd.Timestamp.max) | parsed.isna()
    return parsed.where(representable).astype("datetime64[ns]")


class DateTimeFeatures(TransformerMixin, BaseEstimator):
    """Expand each date column into calendar parts, ordinal time and cycles.

    Stateless: nothing is learned from the data, so it cannot leak; missing
    dates give missing features (for the imputer after it).
    """

    def __init__(self, cyclic: bool = True) -> None:
        self.cyclic = cyclic

    def fit(self, X: Any, y: Any = None) -> DateTimeFeatures:  # noqa: N803
        """Remember the input columns; nothing is learned."""
        frame = pd.DataFrame(X)
        self.feature_names_in_ = np.asarray(list(map(str, frame.columns)), dtype=object)
        self.n_features_in_ = frame.shape[1]
        return self

    def _names(self, column: str) -> list[str]:
        names = [f"{column}_{part}" for part in PARTS]
        if self.cyclic:
            names += [
                f"{column}_{part}_{wave}" for part in CYCLES for wave in ("sin", "cos")
            ]
        return names

    def transform(self, X: Any) -> np.ndarray:  # noqa: N803
        """One float row per record: the parts of every date column, in order."""
        check_is_fitted(self, "n_features_in_")
        frame = pd.DataFrame(X)
        blocks = []
        for position in range(frame.shape[1]):
            dates = parse_datetimes(frame.iloc[:, position].reset_index(drop=True))
            parts = {
                "year": dates.dt.year,
                "month": dates.dt.month,
                "day": dates.dt.day,
                "day_of_week": dates.dt.day_of_week,
                "day_of_year": dates.dt.day_of_year,
                "hour": dates.dt.hour,
                "days": dates.astype("int64").where(dates.notna())
                / _NANOSECONDS_PER_DAY,
            }
            columns = [parts[part].astype("float64") for part in PARTS]
            if self.cyclic:
                for part, period in CYCLES.items():
                    angle = 2 * np.pi * parts[part].astype("float64") / period
                    columns += [np.sin(angle), np.cos(angle)]
            blocks.append(
                np.column_stack([np.asarray(c, dtype=float) for c in columns])
            )
        return np.hstack(blocks) if blocks else np.empty((len(frame), 0))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        check_is_fitted(self, "n_features_in_")
        columns = self.feature_names_in_ if input_features is None else input_features
        return np.asarray(
            [name for column in columns for name in self._names(str(column))],
            dtype=object,
        )


__all__ = ["CYCLES", "PARTS", "DateTimeFeatures", "parse_datetimes"]
