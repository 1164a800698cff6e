"""Feature drift: do new records look like the training split, feature by feature?

Training keeps a **reference** (``fit_reference``, on the training split only,
saved beside the model and versioned with it): per raw feature, bins and the
share of training rows in each. Numeric features get ``drift.bins`` quantile
bins; dates the same, as seconds since 1970; categorical features their
``drift.max_categories`` most frequent values and an "(other)" bin; text
features quantile bins of their length in characters. Every feature also has
a "(missing)" bin, so a rise in missing values is drift too.

Batch scoring (and the API, over the records it served recently) compares new
records with that reference (``drift_report``), per feature:

- the **population stability index**, PSI = sum((new - ref) * ln(new / ref))
  over the bins (shares smoothed by ``1e-4`` so an empty bin stays finite):
  0 for identical shares; above 0.2 is the usual "the population moved";
- a **chi-square goodness-of-fit test** of the new counts against the
  reference shares (``scipy.stats.chisquare``): the p-value says whether the
  difference could be chance at this many records.

A feature is flagged when PSI is at least ``psi_threshold`` **and** the
p-value is below ``p_value``: a large shift that is not noise (PSI alone
flags small samples by chance). Settings: ``ml_workflow.core.config.Drift``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ml_workflow.core.config import Drift, Problem
from ml_workflow.core.config.problem import FEATURE_KINDS
from ml_workflow.core.dates import parse_datetimes

logger = logging.getLogger(__name__)

SMOOTHING = 1e-4
MISSING, OTHER = "(missing)", "(other)"
_NANOSECONDS = 1e9


def _as_numbers(values: pd.Series, kind: str) -> np.ndarray:
    """What a non-categorical feature is binned on, as floats (NaN: missing)."""
    if kind == "text":
        lengths = values.map(lambda v: float(len(str(v))), na_action="ignore")
        return lengths.to_numpy(dtype=np.float64, na_value=np.nan)
    if kind == "datetime":
        moments = parse_datetimes(values)
        seconds = moments.astype("int64").to_numpy(dtype=np.float64) / _NANOSECONDS
        return np.where(moments.isna().to_numpy(), np.nan, seconds)
    numbers = pd.to_numeric(values, errors="coerce")
    found = np.asarray(numbers, dtype=np.float64)
    return np.where(np.isfinite(found), found, np.nan)


def _edges(values: np.ndarray, bins: int) -> list[float]:
    present = values[np.isfinite(values)]
    if not present.size:
        return []
    quantiles = np.linspace(0, 1, bins + 1)[1:-1]
    return [float(edge) for edge in np.unique(np.quantile(present, quantiles))]


def _categories(values: pd.Series, max_categories: int) -> list[str]:
    counts = values.dropna().astype(str).value_counts()
    return [str(category) for category in counts.index[:max_categories]]


def _labels(spec: Mapping[str, Any]) -> list[str]:
    if "categories" in spec:
        return [*spec["categories"], OTHER, MISSING]
    bounds = ["-inf", *(f"{edge:.4g}" for edge in spec["edges"]), "inf"]
    ranges = [f"[{low}, {high})" for low, high in zip(bounds, bounds[1:], strict=False)]
    return [*ranges, MISSING]


def bin_counts(values: pd.Series, spec: Mapping[str, Any]) -> np.ndarray:
    """Counts of ``values`` in the bins of ``spec`` (the last bin: missing)."""
    if "categories" in spec:
        categories = spec["categories"]
        index = {category: i for i, category in enumerate(categories)}
        absent = values.isna().to_numpy()
        positions = [
            len(categories) + 1 if gone else index.get(str(value), len(categories))
            for value, gone in zip(values.to_numpy(dtype=object), absent, strict=True)
        ]
        return np.bincount(positions, minlength=len(categories) + 2).astype(float)
    numbers = _as_numbers(values, spec["kind"])
    missing = np.isnan(numbers)
    positions = np.searchsorted(spec["edges"], numbers[~missing], side="right")
    counts = np.bincount(positions, minlength=len(spec["edges"]) + 1).astype(float)
    return np.append(counts, missing.sum())


def fit_reference(train: pd.DataFrame, problem: Problem, drift: Drift) -> dict:
    """Per-feature bins and training shares, from the training split only."""
    features: dict[str, Any] = {}
    for kind in FEATURE_KINDS:
        for column in getattr(problem.features, kind):
            values = train[column]
            if kind == "categorical":
                spec: dict[str, Any] = {
                    "kind": kind,
                    "categories": _categories(values, drift.max_categories),
                }
            else:
                edges = _edges(_as_numbers(values, kind), drift.bins)
                spec = {"kind": kind, "edges": edges}
            counts = bin_counts(values, spec)
            features[column] = {
                **spec,
                "labels": _labels(spec),
                "shares": (counts / max(counts.sum(), 1)).tolist(),
            }
    return {"rows": len(train), "features": features}


def psi(reference: np.ndarray, new: np.ndarray) -> float:
    """Population stability index of two share vectors (smoothed)."""
    ref = (reference + SMOOTHING) / (reference + SMOOTHING).sum()
    cur = (new + SMOOTHING) / (new + SMOOTHING).sum()
    return float(np.sum((cur - ref) * np.log(cur / ref)))


def _p_value(reference: np.ndarray, counts: np.ndarray) -> float:
    expected = (reference + SMOOTHING) / (reference + SMOOTHING).sum() * counts.sum()
    return float(stats.chisquare(counts, expected).pvalue)


def drift_report(
    records: pd.DataFrame, reference: Mapping[str, Any], drift: Drift
) -> dict[str, Any]:
    """PSI, chi-square p-value and a verdict per feature of ``reference``."""
    features: dict[str, Any] = {}
    for column, spec in reference["features"].items():
        if column not in records.columns:
            continue
        counts = bin_counts(records[column], spec)
        shares = np.asarray(spec["shares"], dtype=float)
        new_shares = counts / max(counts.sum(), 1)
        seen = counts.sum() > 0
        index = psi(shares, new_shares) if seen else 0.0
        p_value = _p_value(shares, counts) if seen else 1.0
        features[column] = {
            "kind": spec["kind"],
            "psi": index,
            "p_value": p_value,
            "drifted": bool(index >= drift.psi_threshold and p_value < drift.p_value),
            "bins": spec["labels"],
            "reference_shares": spec["shares"],
            "new_shares": new_shares.tolist(),
        }
    drifted = sorted(name for name, item in features.items() if item["drifted"])
    return {
        "records": len(records),
        "reference_rows": reference.get("rows"),
        "thresholds": {"psi_threshold": drift.psi_threshold, "p_value": drift.p_value},
        "drifted": drifted,
        "features": features,
    }


def log_drift(report: Mapping[str, Any], where: str) -> None:
    """A warning naming each drifted feature, with its PSI and p-value."""
    thresholds = report["thresholds"]
    for name in report["drifted"]:
        item = report["features"][name]
        logger.warning(
            "%s: feature %r drifted from the training split (PSI %.3f >= %s, "
            "chi-square p-value %.2g < %s) over %d records",
            where,
            name,
            item["psi"],
            thresholds["psi_threshold"],
            item["p_value"],
            thresholds["p_value"],
            report["records"],
        )


__all__ = ["bin_counts", "drift_report", "fit_reference", "log_drift", "psi"]
