"""Model selection through a Kedro runner, on samples of the real data.

The budgets are cut the way ``kedro run --params`` would cut them, so the
whole workflow (leaderboard, search, threshold, evaluation) runs in seconds.
"""

from __future__ import annotations

import copy
from typing import Any

import pandas as pd
import pytest
from sklearn.model_selection import TunedThresholdClassifierCV

from ml_workflow.pipeline_registry import build_pipelines
from tests.conftest import run_pipeline

# These tests are about the shipped variants; a fork that removes one skips them.
pytestmark = pytest.mark.requires_variants("housing", "spam")

# What `kedro run --params` would override: smaller folds, budgets and forests.
SMALL_BUDGET = {
    "model_selection.cv_folds": 3,
    "model_selection.n_jobs": 1,
    "model_selection.search.n_iter": 2,
    "model_selection.search.cv_folds": 2,
}
SMALL_MODELS = {"n_estimators": 10, "max_iter": 30}  # forests; boosting rounds


def _small(parameters: dict[str, Any], variant: str) -> dict[str, Any]:
    small = copy.deepcopy(parameters)
    section = small[variant]
    for dotted, value in SMALL_BUDGET.items():
        node = section
        *path, last = dotted.split(".")
        for key in path:
            node = node[key]
        node[last] = value
    if section["model_selection"].get("threshold"):
        section["model_selection"]["threshold"]["cv_folds"] = 3
    for candidate in section["candidates"]:
        if (
            "Forest" not in candidate["estimator"]
            and "Boost" not in (candidate["estimator"])
        ):
            continue
        for key, value in SMALL_MODELS.items():
            if key in (candidate.get("hyperparameters") or {}):
                candidate["hyperparameters"][key] = value
        for key in SMALL_MODELS:
            (candidate.get("search_space") or {}).pop(key, None)
    return small


def _run(variant: str, raw: pd.DataFrame, parameters: dict[str, Any]) -> dict[str, Any]:
    pipeline = build_pipelines([variant])[variant]
    return run_pipeline(pipeline, {f"{variant}.raw": raw}, _small(parameters, variant))


@pytest.fixture(scope="module")
def housing_run(
    housing_raw_sample: pd.DataFrame, parameters: dict[str, Any]
) -> dict[str, Any]:
    return _run("housing", housing_raw_sample, parameters)


@pytest.fixture(scope="module")
def spam_run(
    spam_raw_sample: pd.DataFrame, parameters: dict[str, Any]
) -> dict[str, Any]:
    return _run("spam", spam_raw_sample, parameters)


@pytest.mark.parametrize("variant", ["housing", "spam"])
def test_leaderboard_lists_every_candidate_with_fold_scores(
    variant: str,
    parameters: dict[str, Any],
    housing_run: dict[str, Any],
    spam_run: dict[str, Any],
) -> None:
    outputs = {"housing": housing_run, "spam": spam_run}[variant]
    board = outputs[f"{variant}.leaderboard"]
    names = [candidate["name"] for candidate in parameters[variant]["candidates"]]
    assert sorted(board["candidate"]) == sorted(names)
    folds = board[["fold_1", "fold_2", "fold_3"]]
    assert folds.notna().all().all()
    assert board["mean"].tolist() == pytest.approx(folds.mean(axis=1).tolist())
    assert board["chosen"].sum() == 1
    metric = parameters[variant]["evaluation"]["primary_metric"]
    assert set(board["metric"]) == {metric}


@pytest.mark.parametrize("variant", ["housing", "spam"])
def test_metrics_name_the_chosen_estimator_and_its_tuned_hyperparameters(
    variant: str,
    parameters: dict[str, Any],
    housing_run: dict[str, Any],
    spam_run: dict[str, Any],
) -> None:
    outputs = {"housing": housing_run, "spam": spam_run}[variant]
    board = outputs[f"{variant}.leaderboard"]
    chosen = board.loc[board["chosen"], "candidate"].item()
    model = outputs[f"{variant}.metrics"]["model"]
    candidate = next(
        c for c in parameters[variant]["candidates"] if c["name"] == chosen
    )
    assert model["name"] == chosen
    assert model["estimator"] == candidate["estimator"]
    searched = {
        key.removeprefix("estimator__")
        for key in candidate.get("search_space") or {}
        if key not in SMALL_MODELS
    }
    assert searched <= set(model["hyperparameters"])
    results = outputs[f"{variant}.search_results"]
    assert len(results) == model["search"]["evaluations"] >= 1
    assert outputs[f"{variant}.leaderboard_chart"].data  # a figure with traces


def test_spam_threshold_is_stored_with_the_model_and_used_by_evaluation(
    spam_run: dict[str, Any],
) -> None:
    model = spam_run["spam.model"]
    assert isinstance(model, TunedThresholdClassifierCV)
    metrics = spam_run["spam.metrics"]
    assert metrics["model"]["threshold"] == model.best_threshold_
    predictions = spam_run["spam.test_predictions"]
    # evaluation's labels are the scores cut at the stored threshold
    cut = predictions["score"] >= model.best_threshold_
    assert (predictions["predicted"] == cut.map({True: "spam", False: "ham"})).all()


@pytest.mark.parametrize("variant", ["housing", "spam"])
def test_same_seed_gives_same_leaderboard_choice_and_metrics(
    variant: str,
    housing_raw_sample: pd.DataFrame,
    spam_raw_sample: pd.DataFrame,
    parameters: dict[str, Any],
    housing_run: dict[str, Any],
    spam_run: dict[str, Any],
) -> None:
    raw = {"housing": housing_raw_sample, "spam": spam_raw_sample}[variant]
    first = {"housing": housing_run, "spam": spam_run}[variant]
    again = _run(variant, raw, parameters)
    timing = ["fit_time_seconds"]
    pd.testing.assert_frame_equal(
        again[f"{variant}.leaderboard"].drop(columns=timing),
        first[f"{variant}.leaderboard"].drop(columns=timing),
    )
    assert (
        again[f"{variant}.model_selection_report"]
        == (first[f"{variant}.model_selection_report"])
    )
    assert again[f"{variant}.model_summary"] == first[f"{variant}.model_summary"]
    assert again[f"{variant}.metrics"] == first[f"{variant}.metrics"]
    results = again[f"{variant}.search_results"]
    scores = [column for column in results if "test_score" in column]
    pd.testing.assert_frame_equal(
        results[scores], first[f"{variant}.search_results"][scores]
    )
