"""Metrics and tags of a run, from small hand-made reports."""

from __future__ import annotations

import math

import pandas as pd

from ml_workflow.tracking.record import (
    data_tags,
    evaluation_metrics,
    evaluation_tags,
    model_tags,
    primary_score,
    selection_metrics,
)

REPORT = {
    "task": "regression",
    "primary_metric": "r2",
    "model": {"name": "ridge", "estimator": "sklearn.linear_model.Ridge"},
    "rows": {"train": 80, "test": 20},
    "train": {"r2": 0.9, "rmse": 1.5},
    "test": {"r2": 0.8, "rmse": 2.0},
    "baseline": {"r2": 0.0, "rmse": 5.0},
    "diagnosis": "good fit",
    "diagnosis_detail": {
        "verdict": "good fit",
        "train_test_gap": 0.1,
        "gain_over_baseline": 0.8,
    },
}
SUMMARY = {
    "name": "ridge",
    "estimator": "sklearn.linear_model.Ridge",
    "search": {"strategy": "random", "best_cv_score": 0.72, "evaluations": 8},
}


def test_split_metrics_row_counts_and_diagnosis_numbers():
    metrics = evaluation_metrics(REPORT)
    assert metrics["test_r2"] == 0.8 and metrics["baseline_rmse"] == 5.0
    assert metrics["train_rmse"] == 1.5
    assert metrics["rows_train"] == 80 and metrics["rows_test"] == 20
    assert metrics["train_test_gap"] == 0.1 and metrics["gain_over_baseline"] == 0.8
    assert "verdict" not in metrics


def test_every_scored_candidate_the_search_and_the_threshold():
    leaderboard = pd.DataFrame(
        {
            "candidate": ["ridge", "my tree!", "broken"],
            "mean": [0.7, 0.6, float("nan")],
            "std": [0.01, 0.02, float("nan")],
            "error": [None, None, "ValueError: no"],
        }
    )
    metrics = selection_metrics(leaderboard, {**SUMMARY, "threshold": 0.35})
    assert metrics["cv_ridge_mean"] == 0.7
    assert metrics["cv_my tree__std"] == 0.02  # "!" is not allowed in a key
    assert "cv_broken_mean" not in metrics  # failed: its error is in the table
    assert metrics["search_best_cv_score"] == 0.72
    assert metrics["search_evaluations"] == 8
    assert metrics["decision_threshold"] == 0.35


def test_no_search_and_no_threshold_give_no_such_metrics():
    summary = {**SUMMARY, "search": {"strategy": "none", "evaluations": 0}}
    summary["search"]["best_cv_score"] = None
    leaderboard = pd.DataFrame({"candidate": ["a"], "mean": [0.5], "std": [0.1]})
    metrics = selection_metrics(leaderboard, summary)
    assert "search_best_cv_score" not in metrics
    assert metrics["search_evaluations"] == 0
    assert "decision_threshold" not in metrics


def test_nan_is_kept_and_non_numbers_are_skipped():
    report = {
        **REPORT,
        "test": {"roc_auc": float("nan"), "note": "n/a", "flag": True},
    }
    metrics = evaluation_metrics(report)
    assert math.isnan(metrics["test_roc_auc"])
    assert "test_note" not in metrics and "test_flag" not in metrics


def test_primary_score_reads_the_test_split():
    assert primary_score(REPORT) == ("r2", 0.8)
    metric, value = primary_score({**REPORT, "test": {"r2": None}})
    assert metric == "r2" and math.isnan(value)


def test_tags_name_the_task_diagnosis_and_candidate():
    assert evaluation_tags(REPORT) == {
        "task": "regression",
        "primary_metric": "r2",
        "diagnosis": "good fit",
    }
    assert model_tags(SUMMARY) == {
        "chosen_candidate": "ridge",
        "estimator": "sklearn.linear_model.Ridge",
    }


def test_one_raw_file_is_tagged_twice_two_once_each():
    one = data_tags({"data": [{"dataset": "housing.raw", "sha256": "ab" * 32}]})
    assert one == {
        "raw_data.housing.raw.sha256": "ab" * 32,
        "raw_data_sha256": "ab" * 32,
    }
    two = data_tags(
        {
            "data": [
                {"dataset": "a.raw", "sha256": "1" * 64},
                {"dataset": "b.raw", "sha256": "2" * 64},
            ]
        }
    )
    assert two == {"raw_data.a.raw.sha256": "1" * 64, "raw_data.b.raw.sha256": "2" * 64}
