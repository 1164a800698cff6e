"""The model report is built from the run's outputs; figures get static copies."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from ml_workflow.core.config import Problem
from ml_workflow.core.config.derived import TextLength
from ml_workflow.pipelines.evaluation.report import (
    _number,
    build_report,
    render_static_figures,
)
from ml_workflow.plots import data_profile, regression

PROBLEM = Problem.model_validate(
    {
        "task": "classification",
        "target": "label",
        "positive_class": "spam",
        "features": {"text": ["message"], "numeric": ["n"]},
    }
)
DERIVED = [TextLength(name="message_length", kind="text_length", column="message")]
METRICS = {
    "task": "classification",
    "primary_metric": "f1",
    "model": {
        "estimator": "sklearn.linear_model.LogisticRegression",
        "hyperparameters": {"C": 2.0},
    },
    "rows": {"train": 8, "test": 2},
    "train": {"accuracy": 1.0, "f1": 0.99},
    "test": {"accuracy": 0.9, "f1": 0.75},
    "baseline": {"accuracy": 0.5, "f1": 0.0},
    "diagnosis": "overfitting",
    "diagnosis_detail": {
        "train": 0.99,
        "test": 0.75,
        "baseline": 0.0,
        "train_test_gap": 0.24,
        "gain_over_baseline": 0.75,
        "thresholds": {"max_train_test_gap": 0.1, "min_gain_over_baseline": 0.1},
    },
}
CLEANING = {
    "rows_in": 13,
    "rows_out": 10,
    "removed": {"missing_target": 1, "duplicates": 2},
}
CLEANED = pd.DataFrame({"label": ["ham"] * 7 + ["spam"] * 3})
IMPORTANCE = {
    "metric": "f1",
    "scored_rows": 2,
    "n_repeats": 5,
    "permutation": [{"feature": "message", "mean": 0.5, "std": 0.1}],
    "tokens": {
        "source": "model coefficient",
        "weight_meaning": "+ favours 'spam'",
        "items": [{"column": "message", "token": "free", "weight": 3.0}],
    },
    "note": None,
}
CURVE = {
    "metric": "f1",
    "cv": 3,
    "rows_used": 8,
    "train_sizes": [4, 8],
    "train_mean": [1.0, 0.99],
    "validation_mean": [0.5, 0.7],
}


def _report(**figures) -> str:
    return build_report(
        METRICS, CLEANING, CLEANED, IMPORTANCE, CURVE, PROBLEM, DERIVED, **figures
    )


def test_report_states_problem_data_model_and_diagnosis() -> None:
    report = _report()
    assert report.startswith("# Model report: classification of `label`")
    for heading in ("## Problem", "## Data", "## Model", "## Metrics", "## Diagnosis"):
        assert heading in report
    assert "- **Positive class:** `spam`" in report
    assert "- **Text features (1):** `message`" in report
    assert "`message_length` (text_length)" in report
    assert "| removed: duplicates | -2 |" in report
    assert "| removed: missing target | -1 |" in report
    assert "| spam | 3 | 30.0% |" in report
    assert "| C | 2 |" in report
    assert "| **f1** | 0.99 | 0.75 | 0 |" in report
    assert "**overfitting** on f1" in report


def test_report_lists_importance_tokens_and_learning_curve() -> None:
    report = _report()
    assert "| message | 0.5 | 0.1 |" in report
    assert "| message | `free` | 3 |" in report
    assert "| 8 | 0.99 | 0.7 |" in report


def test_report_links_each_figure_to_its_static_copy() -> None:
    figure = data_profile.target_figure(CLEANED["label"], as_classes=True)
    report = _report(target_plot=figure)
    assert "![Class balance of label](figures/target_plot.png)" in report


def test_static_copies_are_matplotlib_figures_named_after_the_dataset() -> None:
    figures = render_static_figures(
        prediction_plot=regression.predicted_vs_actual_figure([1.0, 2.0], [1.0, 2.5])
    )
    assert list(figures) == ["prediction_plot.png"]
    assert isinstance(figures["prediction_plot.png"], Figure)


def test_numbers_are_readable() -> None:

    assert _number(2_009_000_000.4) == "2,009,000,000"
    assert _number(0.846712) == "0.8467"
    assert _number(-0.000219) == "-0.000219"
    assert _number(float("nan")) == "n/a"
    assert _number(True) == "True"
    members = [["forest", {"estimator": "a.B", "hyperparameters": {"early": True}}]]
    assert _number(members) == (
        '`[["forest", {"estimator": "a.B", "hyperparameters": {"early": true}}]]`'
    )
