"""A candidate that fails in one fold is reported and left out; the run goes on."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from ml_workflow.core.config import load_variant
from ml_workflow.errors import ModelSelectionError
from ml_workflow.pipeline_registry import build_pipelines
from tests.estimators import MARKER
from tests.kedro_runner import run_pipeline

RAW: dict[str, Any] = {
    "problem": {
        "task": "classification",
        "target": "label",
        "positive_class": "yes",
        "features": {"numeric": ["size", "weight"]},
    },
    "schema": {"min_rows": 20, "min_rows_per_class": 5},
    "candidates": [
        {
            "name": "fragile",  # the simplest: chosen if it did not fail
            "estimator": "tests.estimators.FailsWithoutMarker",
            "preprocessing": {"numeric_scaler": "none"},
        },
        {"name": "logistic", "estimator": "sklearn.linear_model.LogisticRegression"},
    ],
    "model_selection": {
        "cv_folds": 5,
        "search": {"strategy": "none"},
        "threshold": None,
    },
    "evaluation": {
        "permutation_importance": {"n_repeats": 2},
        "learning_curve": {"cv": 2, "train_sizes": [0.5, 1.0]},
    },
}


def toy_frame(rows: int = 120, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    size = rng.normal(10, 3, rows)
    frame = pd.DataFrame(
        {
            "size": size,
            "weight": rng.normal(5, 1, rows),
            "label": np.where(size + rng.normal(0, 1, rows) > 10, "yes", "no"),
        }
    )
    frame.loc[7, "size"] = MARKER  # one row: its fold's training part lacks it
    return frame


def run_modelling(raw: dict[str, Any], compute: dict[str, Any]) -> dict[str, Any]:
    parameters = {"toy": load_variant("toy", raw).sections(), "compute": compute}
    from ml_workflow.core.config import resolve_parameters  # noqa: PLC0415

    parameters = resolve_parameters(parameters)
    registry = build_pipelines(["toy"])
    # up to the metrics: the figures and diagnostics after them are not about this
    pipeline = registry["toy"].to_outputs("toy.metrics", "toy.leaderboard")
    return run_pipeline(pipeline, {"toy.raw": toy_frame()}, parameters)


def test_a_candidate_failing_in_one_fold_is_reported_and_the_run_goes_on() -> None:
    # the default compute: the folds run in worker processes, as in a user's
    # run, so the failure is reported from across the process boundary
    outputs = run_modelling(RAW, compute={})
    board = outputs["toy.leaderboard"].set_index("candidate")
    assert "no marker row in this fold" in board.loc["fragile", "error"]
    assert np.isnan(board.loc["fragile", "mean"])
    assert not board.loc["fragile", "chosen"]
    assert board.loc["logistic", "chosen"] and pd.isna(board.loc["logistic", "error"])
    report = outputs["toy.model_selection_report"]
    assert report["chosen"] == "logistic"
    assert set(report["failed"]) == {"fragile"}
    assert outputs["toy.metrics"]["model"]["name"] == "logistic"
    assert 0 <= outputs["toy.metrics"]["test"]["f1"] <= 1


def test_the_run_fails_clearly_when_every_candidate_fails() -> None:
    raw = {
        **RAW,
        "candidates": [
            RAW["candidates"][0],
            {**RAW["candidates"][0], "name": "fragile_too"},
        ],
    }
    with pytest.raises(ModelSelectionError) as caught:
        run_modelling(raw, compute={"n_jobs": 1})  # in-process: the same logic
    message = str(caught.value)
    assert message.startswith("every candidate failed in cross-validation")
    assert "fragile: ValueError: FailsWithoutMarker" in message
    assert "fragile_too: ValueError" in message
