"""The prediction reference: typical values from the training split, and a
regression's residual interval from a held-out part of it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression

from ml_workflow.core.config import Problem, Split
from ml_workflow.core.typical import (
    fit_prediction_reference,
    residual_interval,
    typical_record,
    typical_value,
)


def _problem(task: str = "regression") -> Problem:
    return Problem.model_validate(
        {
            "task": task,
            "target": "y",
            "features": {
                "numeric": ["size", "rooms"],
                "categorical": ["town"],
                "text": ["note"],
                "datetime": ["sold"],
            },
        }
    )


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "size": [10.0, 30.0, np.nan, 20.0],
            "rooms": pd.Series([1, 2, 2, 4], dtype="int64"),
            "town": ["b", "a", "b", None],
            "note": ["a long note here", "hi", "medium", "tiny note"],
            "sold": pd.to_datetime(
                ["2020-01-01", "2020-01-03", "2020-01-05", "2020-01-07"]
            ),
            "y": [1.0, 2.0, 3.0, 4.0],
        }
    )


def test_typical_values_are_medians_modes_and_a_real_text() -> None:
    record = typical_record(_frame(), _problem())
    assert record["size"] == 20.0  # the median, missing values left out
    assert record["rooms"] == 2 and isinstance(record["rooms"], int)
    assert record["town"] == "b"  # the most frequent
    assert record["note"] in set(_frame()["note"])  # a training value
    assert record["note"] in {"medium", "tiny note"}  # of median length
    assert record["sold"].startswith("2020-01-04")


def test_an_always_missing_column_has_no_typical_value() -> None:
    assert typical_value(pd.Series([np.nan, np.nan]), "numeric") is None
    assert typical_value(pd.Series([None, None], dtype=object), "categorical") is None


def test_the_record_follows_the_problems_feature_order() -> None:
    problem = _problem()
    assert list(typical_record(_frame(), problem)) == problem.feature_columns


def test_the_interval_brackets_the_held_out_errors() -> None:
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 10, 400)
    train = pd.DataFrame({"x": x, "y": 3 * x + rng.normal(0, 1.0, 400)})
    problem = Problem.model_validate(
        {"task": "regression", "target": "y", "features": {"numeric": ["x"]}}
    )
    model = LinearRegression().fit(train[["x"]], train["y"])
    interval = residual_interval(model, train, problem, seed=0)
    assert interval["low"] < 0 < interval["high"]
    # noise sd 1: the central 90% of errors is about +-1.64
    assert interval["high"] - interval["low"] == pytest.approx(3.29, rel=0.25)
    assert interval["rows"] == 80 and interval["level"] == 0.9
    noiseless = train.assign(y=3 * train["x"])
    exact = residual_interval(model, noiseless, problem, seed=0)
    assert exact["high"] - exact["low"] == pytest.approx(0, abs=1e-9)


def test_a_large_split_is_sampled_for_the_interval(monkeypatch) -> None:
    monkeypatch.setattr("ml_workflow.core.typical.MAX_INTERVAL_ROWS", 100)
    x = np.arange(1000, dtype=float)
    train = pd.DataFrame({"x": x, "y": 2 * x})
    problem = Problem.model_validate(
        {"task": "regression", "target": "y", "features": {"numeric": ["x"]}}
    )
    model = LinearRegression()
    assert residual_interval(model, train, problem, seed=0)["rows"] == 20


def test_classification_and_tiny_splits_get_no_interval() -> None:
    problem = _problem("classification")
    frame = _frame().assign(y=["a", "b", "a", "b"])
    assert residual_interval(LinearRegression(), frame, problem, seed=0) is None
    tiny = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [1.0, 2.0, 3.0]})
    regression = Problem.model_validate(
        {"task": "regression", "target": "y", "features": {"numeric": ["x"]}}
    )
    assert residual_interval(LinearRegression(), tiny, regression, seed=0) is None


def test_the_reference_holds_the_record_and_the_interval() -> None:
    frame = _frame()
    problem = _problem("classification")
    reference = fit_prediction_reference(
        frame.assign(y=["a", "b", "a", "b"]), LinearRegression(), problem, Split()
    )
    assert reference == {"record": typical_record(frame, problem), "interval": None}
