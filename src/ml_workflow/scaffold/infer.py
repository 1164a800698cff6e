"""Infer a variant's problem definition from a data file's contents.

Pure functions on a DataFrame: which columns are numeric, categorical, free text
or identifiers to drop, which task the target implies, and which class is the
positive one. Each decision carries a reason, which is written as a comment into
the generated parameters so the user can check it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ml_workflow.core.dates import parse_datetimes
from ml_workflow.errors import DataValidationError

# R's row names: `write.csv` heads them "" (pandas: "Unnamed: 0"), Rdatasets "rownames"
_ID_NAME = re.compile(
    r"^(id|index|row_?id|row|row_?names?|unnamed: ?\d+|.*_id)$", re.IGNORECASE
)
_POSITIVE_LABELS = (
    "1",
    "yes",
    "true",
    "y",
    "spam",
    "positive",
    "pos",
    "fraud",
    "churn",
    "default",
    "malignant",
)
_MAX_CATEGORIES = 50
_TEXT_MIN_WORDS = 4.0
_UNIQUE_SHARE_ID = 0.95
_NUMERIC_PARSE_SHARE = 0.98
_MAX_CLASSES_FOR_NUMBERS = 20
_DATE_PARSE_SHARE = 0.98
# "$193,453", "1 200,50 €", "12.5%": numbers written for people, not parsers
_FORMATTED_NUMBER = re.compile(r"^[\s$€£¥+-]*\d[\d,.\s']*[%\s$€£¥]*$")
_DATE_SAMPLE = 2000
_DATE_LIKE = re.compile(
    r"\d{1,4}[-/.:]\d{1,2}|\d{1,2}\s+[A-Za-z]{3,}\s+\d{2,4}|[A-Za-z]{3,}\s+\d{1,2},?\s+\d{2,4}"
)


@dataclass(frozen=True)
class ColumnKind:
    """The inferred kind of one column and why."""

    name: str
    kind: str  # numeric | categorical | datetime | text | drop
    reason: str


def _non_missing(series: pd.Series) -> pd.Series:
    return series.dropna()


def _numbers(series: pd.Series) -> pd.Series | None:
    """Return the column as numbers if (nearly) every present value is one."""
    if pd.api.types.is_bool_dtype(series):
        return None
    if pd.api.types.is_numeric_dtype(series):
        return series
    present = _non_missing(series)
    if present.empty:
        return None
    parsed = pd.to_numeric(present, errors="coerce")
    return parsed if parsed.notna().mean() >= _NUMERIC_PARSE_SHARE else None


def infer_column_kind(series: pd.Series) -> ColumnKind:  # noqa: PLR0911 - a decision list
    """Classify one feature column as numeric, categorical, text or drop."""
    name = str(series.name)
    present = _non_missing(series)
    if present.empty:
        return ColumnKind(name, "drop", "every value is missing")
    distinct = present.nunique()
    if distinct <= 1:
        return ColumnKind(
            name, "drop", f"constant ({present.iloc[0]!r}): carries no information"
        )
    unique_share = distinct / len(present)
    numbers = _numbers(series)
    if numbers is not None:
        is_integer = (numbers.dropna() % 1 == 0).all()
        if (
            is_integer
            and unique_share == 1.0
            and (_ID_NAME.match(name) or numbers.dropna().is_monotonic_increasing)
        ):
            return ColumnKind(
                name, "drop", "identifier-like: a distinct integer per row"
            )
        return ColumnKind(name, "numeric", f"numbers, {distinct} distinct values")
    if pd.api.types.is_bool_dtype(series):
        return ColumnKind(name, "categorical", "true/false values")
    if _looks_like_dates(present):
        return ColumnKind(
            name, "datetime", "dates: expanded into calendar parts, not one-hot"
        )
    text = present.astype(str)
    mean_words = text.str.split().str.len().mean()
    if _ID_NAME.match(name) and unique_share >= _UNIQUE_SHARE_ID:
        return ColumnKind(
            name, "drop", f"identifier-like name and {unique_share:.0%} distinct values"
        )
    if mean_words >= _TEXT_MIN_WORDS and unique_share > 0.5:
        return ColumnKind(
            name, "text", f"free text: {mean_words:.1f} words per value on average"
        )
    if unique_share >= _UNIQUE_SHARE_ID and distinct > _MAX_CATEGORIES:
        return ColumnKind(
            name, "drop", f"identifier-like: {unique_share:.0%} of values are distinct"
        )
    if distinct > _MAX_CATEGORIES and mean_words >= 2:
        return ColumnKind(name, "text", f"short free text: {distinct} distinct values")
    return ColumnKind(name, "categorical", f"{distinct} distinct labels")


def _looks_like_dates(present: pd.Series) -> bool:
    """Whether (a sample of) the values are dates or times written as text."""
    if pd.api.types.is_datetime64_any_dtype(present):
        return True
    sample = present.astype(str).head(_DATE_SAMPLE)
    if sample.str.contains(_DATE_LIKE).mean() < _DATE_PARSE_SHARE:
        return False
    return bool(parse_datetimes(sample).notna().mean() >= _DATE_PARSE_SHARE)


def infer_task(target: pd.Series) -> tuple[str, str]:
    """Return ``(task, reason)``: regression for many distinct numbers, else classification."""
    present = _non_missing(target)
    if present.empty:
        raise DataValidationError(f"target {target.name!r} is missing in every row")
    numbers = _numbers(target)
    distinct = present.nunique()
    if numbers is not None:
        is_integer = (numbers.dropna() % 1 == 0).all()
        if not is_integer or distinct > _MAX_CLASSES_FOR_NUMBERS:
            return "regression", f"numeric target with {distinct} distinct values"
        return "classification", f"integer target with only {distinct} distinct values"
    return "classification", f"{_label_count(present)} distinct labels"


def _label_count(present: pd.Series) -> int:
    """Distinct labels as training sees them: stripped (``"ja "`` is ``"ja"``)."""
    return int(present.astype(str).str.strip().nunique())


def too_many_classes(target: pd.Series) -> bool:
    """Whether the labels are too many to be classes: more than 20, and fewer
    than two rows each on average (an ID, a price written as text)."""
    present = _non_missing(target)
    distinct = _label_count(present)
    return distinct > _MAX_CLASSES_FOR_NUMBERS and 2 * distinct > len(present)


def formatted_numbers(values: pd.Series) -> bool:
    """Whether (nearly) every present value is a number written with currency
    signs, thousands separators or a percent sign, which parsers read as text."""
    present = _non_missing(values).astype(str).str.strip()
    if present.empty or pd.api.types.is_numeric_dtype(values):
        return False
    return bool(present.str.fullmatch(_FORMATTED_NUMBER).mean() >= _NUMERIC_PARSE_SHARE)


def target_skewness(values: pd.Series) -> float:
    """The skewness of a numeric target (pandas' adjusted Fisher-Pearson
    coefficient); 0 when it is undefined (fewer than 3 values, a constant)."""
    skew = pd.to_numeric(values, errors="coerce").skew()
    return float(skew) if pd.notna(skew) else 0.0


def infer_positive_class(target: pd.Series) -> str | None:
    """Pick the class that metrics such as precision and recall are about.

    Two classes: a conventional positive label (``1``, ``yes``, ``spam``, ...)
    if there is one, else the rarer class, the one a classifier is usually
    built to find. Three or more: none (multiclass; every class counts alike).
    """
    counts = _non_missing(target).astype(str).str.strip().value_counts()
    if len(counts) != 2:  # noqa: PLR2004 - binary
        return None
    for label in counts.index:
        if label.lower() in _POSITIVE_LABELS:
            return label
    return str(counts.index[-1])
