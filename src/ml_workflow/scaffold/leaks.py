"""Feature columns that mirror the target: the answer leaking into the inputs.

A column computed from the target (``logwage`` beside ``wage`` in the ISLR
wage data: a test R² of 0.9999) or a relabelling of it (``churn_flag`` beside
``churned``) makes a model look perfect in evaluation and useless in serving,
where that column is not known yet. ``kedro variant create`` leaves such a
column out with its reason, as it does an identifier; moving it into a kind
in the generated parameters uses it anyway.
"""

from __future__ import annotations

import pandas as pd

MIRROR_RANK_CORRELATION = 0.995
"""A numeric feature this rank-correlated with a numeric target is (a monotone
function of) the target: informative features do not come near it (housing's
best, the median income, is at 0.68)."""
MIN_ROWS = 20
"""Fewer rows with both values than this prove nothing."""
MAX_ROWS = 100_000
"""A seeded sample of this many rows decides for a bigger file: a column that
mirrors the target does so in any sample (a numeric column of a million rows
took 1.5 s unsampled, as text)."""
_MAX_SHARE_OF_VALUES = 0.5  # a column with a value per row is an identifier, not a copy


def _pairs(feature: pd.Series, target: pd.Series) -> pd.DataFrame:
    """The rows where both are present, a seeded sample of at most ``MAX_ROWS``."""
    pairs = pd.DataFrame({"feature": feature, "target": target}).dropna()
    if len(pairs) > MAX_ROWS:
        pairs = pairs.sample(n=MAX_ROWS, random_state=0)
    return pairs


def _labels(values: pd.Series) -> pd.Series:
    """Values as training compares them: numbers as they are, text stripped."""
    if pd.api.types.is_numeric_dtype(values):
        return values
    return values.astype("string").str.strip()


def _rank_correlation(feature: pd.Series, target: pd.Series) -> float | None:
    numbers = _pairs(
        pd.to_numeric(feature, errors="coerce"), pd.to_numeric(target, errors="coerce")
    )
    if len(numbers) < MIN_ROWS or numbers.nunique().min() < 2:
        return None
    return float(numbers["feature"].rank().corr(numbers["target"].rank()))


def _relabels(feature: pd.Series, target: pd.Series) -> bool:
    """Whether each feature value goes with one label and each label with one value."""
    pairs = _pairs(feature, target)
    pairs = pd.DataFrame(
        {"feature": _labels(pairs["feature"]), "target": _labels(pairs["target"])}
    ).dropna()
    if len(pairs) < MIN_ROWS or pairs["target"].nunique() < 2:
        return False
    if pairs["feature"].nunique() > _MAX_SHARE_OF_VALUES * len(pairs):
        return False
    one_label = pairs.groupby("feature")["target"].nunique().max() == 1
    one_value = pairs.groupby("target")["feature"].nunique().max() == 1
    return bool(one_label and one_value)


def mirror_reason(feature: pd.Series, target: pd.Series, task: str) -> str | None:
    """Why ``feature`` mirrors ``target`` (the reason written beside the dropped
    column), or None when it does not."""
    name = str(target.name)
    if task == "regression":
        correlation = _rank_correlation(feature, target)
        if correlation is not None and abs(correlation) >= MIRROR_RANK_CORRELATION:
            return (
                f"mirrors the target: rank correlation {correlation:+.3f} with "
                f"{name!r}, the answer leaking into the inputs"
            )
        return None
    if _relabels(feature, target):
        return (
            f"mirrors the target: each value goes with one {name!r} label and "
            "each label with one value, the answer leaking into the inputs"
        )
    return None


__all__ = ["MAX_ROWS", "MIN_ROWS", "MIRROR_RANK_CORRELATION", "mirror_reason"]
