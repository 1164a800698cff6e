"""Model selection through a Kedro runner, on samples of the real data.

Uses the shared full run of each variant (``variant_outputs``, tests/conftest.py), whose
budgets are cut the way ``kedro run --params`` would cut them
(``fast_parameters``), so the whole workflow (leaderboard, search, threshold,
evaluation) runs in seconds.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from sklearn.model_selection import TunedThresholdClassifierCV

from tests.kedro_runner import run_pipeline

# These tests are about the shipped variants; a fork that removes one skips them.
pytestmark = pytest.mark.requires_variants("housing", "spam")


@pytest.mark.parametrize("variant", ["housing", "spam"])
def test_leaderboard_lists_every_candidate_with_fold_scores(
    variant: str,
    fast_parameters: dict[str, Any],
    variant_outputs: dict[str, dict[str, Any]],
) -> None:
    outputs = variant_outputs[variant]
    params = fast_parameters[variant]
    board = outputs[f"{variant}.leaderboard"]
    names = [candidate.name for candidate in params["candidates"]]
    assert sorted(board["candidate"]) == sorted(names)
    folds = params["model_selection"].cv_folds
    columns = [f"fold_{i}" for i in range(1, folds + 1)]
    assert not [c for c in board if c.startswith("fold_") and c not in columns]
    assert board[columns].notna().all().all()
    assert board["mean"].tolist() == pytest.approx(board[columns].mean(axis=1).tolist())
    assert board["chosen"].sum() == 1
    metric = params["evaluation"].primary_metric
    assert set(board["metric"]) == {metric}


@pytest.mark.parametrize("variant", ["housing", "spam"])
def test_metrics_name_the_chosen_estimator_and_its_tuned_hyperparameters(
    variant: str,
    fast_parameters: dict[str, Any],
    variant_outputs: dict[str, dict[str, Any]],
) -> None:
    outputs = variant_outputs[variant]
    board = outputs[f"{variant}.leaderboard"]
    chosen = board.loc[board["chosen"], "candidate"].item()
    model = outputs[f"{variant}.metrics"]["model"]
    candidate = next(
        c for c in fast_parameters[variant]["candidates"] if c.name == chosen
    )
    assert model["name"] == chosen
    assert model["estimator"] == candidate.estimator
    searched = {key.removeprefix("estimator__") for key in candidate.search_space}
    assert searched <= set(model["hyperparameters"])
    results = outputs[f"{variant}.search_results"]
    if candidate.search_space:
        assert len(results) == model["search"]["evaluations"] >= 1
    else:  # its one setting was cross-validated by the selection: refitted only
        assert model["search"]["strategy"] == "none (empty search space)"
        assert model["search"]["evaluations"] == 0
    assert outputs[f"{variant}.leaderboard_chart"].data  # a figure with traces


def test_spam_threshold_is_stored_with_the_model_and_used_by_evaluation(
    variant_outputs: dict[str, dict[str, Any]],
) -> None:
    spam_run = variant_outputs["spam"]
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
    registry: dict[str, Any],
    raw_samples: dict[str, pd.DataFrame],
    fast_parameters: dict[str, Any],
    variant_outputs: dict[str, dict[str, Any]],
) -> None:
    first = variant_outputs[variant]
    compared = ("leaderboard", "model_selection_report", "model_summary", "metrics")
    # Only the nodes these outputs need: the figures and report add nothing here.
    upstream = registry[variant].to_outputs(
        *(f"{variant}.{name}" for name in (*compared, "search_results"))
    )
    again = run_pipeline(
        upstream, {f"{variant}.raw": raw_samples[variant]}, fast_parameters
    )
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
