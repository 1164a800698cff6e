"""What a run records besides files: metrics and tags, from the run's outputs.

Pure functions of the variant's reports (``metrics.json`` from
``evaluate_model``, the leaderboard and ``model_summary.json`` from model
selection, the provenance record), so they are tested on small hand-made inputs.

- metrics: ``<split>_<metric>`` for the train, test and baseline splits
  (``test_r2``), ``cv_<candidate>_mean`` / ``_std`` for every candidate's
  cross-validation (a candidate that failed has none: its error is in the
  logged leaderboard), the search's best score and number of settings tried,
  the decision threshold, the train-test gap and gain over the baseline, row
  counts;
- tags: the diagnosis, chosen candidate and estimator, primary metric, and the
  SHA-256 of every raw file read.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from .keys import mlflow_key

SPLITS = ("train", "test", "baseline")
DIAGNOSIS_NUMBERS = ("train_test_gap", "gain_over_baseline")


def _numbers(pairs: Iterable[tuple[str, Any]]) -> dict[str, float]:
    """The pairs whose value is a number (not a bool, not None), MLflow-safe keys.

    NaN is kept: MLflow stores it, so a metric that cannot be computed on this
    split still shows up as such.
    """
    return {
        mlflow_key(key): float(value)
        for key, value in pairs
        if isinstance(value, int | float) and not isinstance(value, bool)
    }


def evaluation_metrics(report: Mapping[str, Any]) -> dict[str, float]:
    """The numbers of ``metrics.json``: per split, row counts, the diagnosis'."""
    detail = report["diagnosis_detail"]
    return _numbers(
        [
            *(
                (f"{split}_{name}", value)
                for split in SPLITS
                for name, value in report[split].items()
            ),
            *((f"rows_{split}", count) for split, count in report["rows"].items()),
            *((name, detail[name]) for name in DIAGNOSIS_NUMBERS),
        ]
    )


def selection_metrics(
    leaderboard: pd.DataFrame, summary: Mapping[str, Any]
) -> dict[str, float]:
    """Every candidate's cross-validation mean and std, the search, the threshold."""
    scored = leaderboard[leaderboard["mean"].notna()]
    search = summary["search"]
    return _numbers(
        [
            *(
                (f"cv_{row.candidate}_{stat}", getattr(row, stat))
                for row in scored.itertuples()
                for stat in ("mean", "std")
            ),
            ("search_best_cv_score", search["best_cv_score"]),
            ("search_evaluations", search["evaluations"]),
            *(
                [("decision_threshold", summary["threshold"])]
                if "threshold" in summary
                else []
            ),
        ]
    )


def primary_score(report: Mapping[str, Any]) -> tuple[str, float]:
    """(primary metric, its test value) from ``metrics.json``."""
    metric = str(report["primary_metric"])
    value = report["test"][metric]
    return metric, float(value) if value is not None else math.nan


def evaluation_tags(report: Mapping[str, Any]) -> dict[str, str]:
    """The task, primary metric and diagnosis of ``metrics.json`` as tags."""
    return {
        "task": str(report["task"]),
        "primary_metric": str(report["primary_metric"]),
        "diagnosis": str(report["diagnosis"]),
    }


def model_tags(summary: Mapping[str, Any]) -> dict[str, str]:
    """The chosen candidate and its estimator class, from ``model_summary.json``."""
    return {
        "chosen_candidate": str(summary["name"]),
        "estimator": str(summary["estimator"]),
    }


def data_tags(provenance: Mapping[str, Any]) -> dict[str, str]:
    """The SHA-256 of every raw file the run read (``provenance.json``);
    ``raw_data_sha256`` as well when there is one, to search runs by it."""
    hashed = provenance["data"]
    tags = {
        mlflow_key(f"raw_data.{record['dataset']}.sha256"): record["sha256"]
        for record in hashed
    }
    if len(hashed) == 1:
        tags["raw_data_sha256"] = hashed[0]["sha256"]
    return tags


__all__ = [
    "data_tags",
    "evaluation_metrics",
    "evaluation_tags",
    "model_tags",
    "primary_score",
    "selection_metrics",
]
