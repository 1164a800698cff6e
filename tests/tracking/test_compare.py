"""The last runs of a variant, with only the parameters that differ."""

from __future__ import annotations

from mlflow.entities import Metric, Param

from ml_workflow.tracking.compare import differing_parameters, recent_runs
from ml_workflow.tracking.tracker import Tracker


def test_only_parameters_that_differ_are_kept():
    runs = [{"a": "1", "b": "x"}, {"a": "2", "b": "x"}, {"b": "x", "c": "0"}]
    assert differing_parameters(runs) == ["a", "c"]
    assert differing_parameters([{"a": "1"}, {"a": "1"}]) == []


def test_recent_runs_newest_first_with_metric_candidate_and_differences(
    tracker: Tracker, variant: str
):
    client = tracker.client
    experiment = tracker.experiment_id(variant)
    for index, n_iter in enumerate(("2", "8", "8")):
        run = client.create_run(
            experiment,
            start_time=1_700_000_000_000 + index * 60_000,
            tags={"primary_metric": "r2", "chosen_candidate": f"c{index}"},
        )
        client.log_batch(
            run.info.run_id,
            metrics=[Metric("test_r2", 0.5 + index / 10, 0, 0)],
            params=[Param("search.n_iter", n_iter), Param("split.seed", "42")],
        )
    table = recent_runs(tracker, variant, last=2)
    assert list(table["candidate"]) == ["c2", "c1"]
    assert list(table["test r2"]) == ["0.7", "0.6"]
    assert "split.seed" not in table.columns  # the same in every run
    assert recent_runs(tracker, variant, last=3)["search.n_iter"].tolist() == [
        "8",
        "8",
        "2",
    ]
    assert recent_runs(tracker, "never_tracked").empty
