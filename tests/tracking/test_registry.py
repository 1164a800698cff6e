"""The promotion gate, decided on hand-made scores and applied in a real registry."""

from __future__ import annotations

import math

import pytest

from ml_workflow.core.config import Problem
from ml_workflow.core.task import task_for
from ml_workflow.errors import TrackingError
from ml_workflow.tracking.model import LoggedModel
from ml_workflow.tracking.registry import (
    Champion,
    promote_by_hand,
    promotion_decision,
    register_model,
)
from ml_workflow.tracking.tracker import Tracker

REGRESSION = task_for(
    Problem.model_validate(
        {"task": "regression", "target": "y", "features": {"numeric": ["x"]}}
    )
)
BINARY = task_for(
    Problem.model_validate(
        {
            "task": "classification",
            "target": "y",
            "positive_class": "yes",
            "features": {"numeric": ["x"]},
        }
    )
)


def _champion(metric: str, score: float | None, version: str = "4") -> Champion:
    return Champion(version=version, metric=metric, score=score)


def test_the_first_model_is_champion():
    assert promotion_decision(REGRESSION, "r2", 0.1, None, 0.0).alias == "champion"


@pytest.mark.parametrize(
    ("score", "tolerance", "alias"),
    [
        (0.81, 0.0, "champion"),  # better
        (0.80, 0.0, "champion"),  # equal: at least the champion's
        (0.79, 0.0, "challenger"),  # worse
        (0.79, 0.02, "champion"),  # worse, within the tolerance
        (0.77, 0.02, "challenger"),  # worse than the tolerance allows
    ],
)
def test_higher_is_better_metrics_need_at_least_the_champion_minus_tolerance(
    score, tolerance, alias
):
    decision = promotion_decision(
        REGRESSION, "r2", score, _champion("r2", 0.80), tolerance
    )
    assert decision.alias == alias
    assert "champion v4" in decision.reason


@pytest.mark.parametrize(
    ("score", "tolerance", "alias"),
    [(9.0, 0.0, "champion"), (11.0, 0.0, "challenger"), (11.0, 1.5, "champion")],
)
def test_lower_is_better_metrics_compare_the_other_way(score, tolerance, alias):
    decision = promotion_decision(
        REGRESSION, "rmse", score, _champion("rmse", 10.0), tolerance
    )
    assert decision.alias == alias
    assert ("<=" if alias == "champion" else ">") in decision.reason


def test_a_different_metric_or_a_missing_score_is_not_promoted():
    other = promotion_decision(BINARY, "f1", 0.99, _champion("roc_auc", 0.5), 0.0)
    assert other.alias == "challenger" and "not comparable" in other.reason
    unscored = promotion_decision(BINARY, "f1", 0.9, _champion("f1", None), 0.0)
    assert (
        unscored.alias == "challenger" and "no recorded test score" in unscored.reason
    )
    nan = promotion_decision(BINARY, "f1", math.nan, _champion("f1", 0.5), 0.0)
    assert nan.alias == "challenger"


def _logged(tracker: Tracker, variant: str, tag: str) -> tuple[str, LoggedModel]:
    experiment = tracker.experiment_id(variant)
    run_id = tracker.client.create_run(experiment).info.run_id
    model = tracker.client.create_logged_model(
        experiment, name="model", source_run_id=run_id
    )
    return run_id, LoggedModel(
        model_id=model.model_id,
        model_uri=f"models:/{model.model_id}",
        kedro_version=f"2026-01-0{tag}T00.00.00.000Z",
        sha256=tag * 64,
    )


def test_a_worse_model_is_registered_but_the_champion_stays(
    tracker: Tracker, variant: str
):
    client = tracker.client
    first = register_model(
        tracker, variant, *_logged(tracker, variant, "1"), REGRESSION, "r2", 0.7
    )
    better = register_model(
        tracker, variant, *_logged(tracker, variant, "2"), REGRESSION, "r2", 0.8
    )
    worse = register_model(
        tracker, variant, *_logged(tracker, variant, "3"), REGRESSION, "r2", 0.6
    )
    assert [first.version, better.version, worse.version] == [1, 2, 3]
    assert [r.promotion.alias for r in (first, better, worse)] == [
        "champion",
        "champion",
        "challenger",
    ]
    assert client.get_registered_model(variant).aliases == {
        "champion": 2,
        "challenger": 3,
    }
    version = client.get_model_version(variant, "3")
    assert version.tags["kedro_model_version"] == "2026-01-03T00.00.00.000Z"
    assert version.tags["model_sha256"] == "3" * 64
    assert version.tags["promotion"] == "challenger"
    assert float(version.tags["test_score"]) == 0.6
    assert "champion v2's 0.8" in version.description


def test_promote_by_hand_moves_the_champion_and_refuses_unknown_versions(
    tracker: Tracker, variant: str
):
    register_model(
        tracker, variant, *_logged(tracker, variant, "1"), REGRESSION, "r2", 0.7
    )
    register_model(
        tracker, variant, *_logged(tracker, variant, "2"), REGRESSION, "r2", 0.5
    )
    promote_by_hand(tracker, variant, 2)
    aliases = tracker.client.get_registered_model(variant).aliases
    assert aliases == {"champion": 2}  # no longer the challenger as well
    with pytest.raises(TrackingError, match="has no version 9 to promote"):
        promote_by_hand(tracker, variant, 9)
