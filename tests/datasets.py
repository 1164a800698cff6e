"""Generated datasets of the kinds teams bring, for end-to-end tests.

Seeded and small, so a test can run ``kedro variant create`` and ``kedro
run`` on them in seconds, yet shaped like the real thing: dozens of
categorical columns (one-hot density well below scikit-learn's sparse
threshold), a date column, free text beside numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

WORDS = (
    "late delivery refund broken great fast slow friendly rude price quality "
    "support manager package excellent terrible again never always thanks"
).split()


def many_kinds_frame(
    rows: int = 600, categorical: int = 42, seed: int = 0
) -> pd.DataFrame:
    """A churn-like table: ``categorical`` label columns of 8-24 levels, three
    numbers, a signup date, a short free-text note and a binary target
    ``churned`` (``yes``/``no``) that depends on some of them."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(index=pd.RangeIndex(rows))
    signal = np.zeros(rows)
    for index in range(categorical):
        levels = int(rng.integers(8, 25))
        codes = rng.integers(0, levels, size=rows)
        frame[f"attribute_{index:02d}"] = [f"level_{code}" for code in codes]
        if index < 3:
            signal += (codes % 3 == 0) * 0.8
    frame["tenure_months"] = rng.integers(1, 72, size=rows).astype(float)
    frame["monthly_charge"] = rng.normal(60, 20, size=rows).round(2)
    frame["support_calls"] = rng.poisson(1.5, size=rows).astype(float)
    start = np.datetime64("2021-01-01")
    frame["signup_date"] = (
        start + rng.integers(0, 900, size=rows).astype("timedelta64[D]")
    ).astype(str)
    frame["note"] = [
        " ".join(rng.choice(WORDS, size=int(rng.integers(4, 12)))) for _ in range(rows)
    ]
    signal += 0.04 * frame["support_calls"] - 0.02 * frame["tenure_months"]
    signal += frame["note"].str.contains("terrible|rude|never").to_numpy() * 0.9
    probability = 1 / (1 + np.exp(-(signal - signal.mean()) * 2))
    frame["churned"] = np.where(rng.random(rows) < probability, "yes", "no")
    return frame


def one_hot_density(frame: pd.DataFrame, columns: list[str]) -> float:
    """The share of non-zero cells a one-hot encoding of ``columns`` would have."""
    width = sum(frame[column].nunique() for column in columns)
    return len(columns) / width


__all__ = ["WORDS", "many_kinds_frame", "one_hot_density"]
