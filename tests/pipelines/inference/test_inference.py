"""Batch scoring: the inference nodes on hand-made frames, and each variant's
``<variant>_inference`` pipeline through a Kedro runner on the shipped example
records with a model trained on a sample."""

from __future__ import annotations

import csv
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LinearRegression

from ml_workflow.core.coercion import coerce_features
from ml_workflow.core.config import Problem, Schema
from ml_workflow.pipeline_registry import build_pipelines
from ml_workflow.pipelines.data_processing.nodes import coerce_types
from ml_workflow.pipelines.inference.nodes import (
    predict_records,
    validate_new_records,
)
from tests.conftest import RAW
from tests.kedro_runner import run_pipeline

PROBLEM = Problem.model_validate(
    {
        "task": "regression",
        "target": "y",
        "features": {"numeric": ["size"], "categorical": ["colour"]},
    }
)
SCHEMA = Schema.model_validate(
    {"columns": {"size": {"nullable": False, "checks": {"min": 0}}}}
)


def test_validate_new_records_rejects_bad_rows_with_reasons_first() -> None:
    records = pd.DataFrame(
        {"size": [1.0, -2.0, None], "colour": ["red", "blue", "red"], "id": [7, 8, 9]},
        index=[10, 11, 12],
    )
    valid, rejects = validate_new_records(records, PROBLEM, SCHEMA)
    assert valid.index.tolist() == [10]
    assert rejects.index.tolist() == [11, 12]
    assert rejects.columns.tolist() == ["reasons", "size", "colour", "id"]
    assert "column 'size' [min] expected >= 0" in rejects.loc[11, "reasons"]
    assert "[not_nullable]" in rejects.loc[12, "reasons"]


def test_coerce_features_types_features_drops_the_rest_and_needs_no_target() -> None:
    records = pd.DataFrame({"size": ["1.5", None], "colour": [" red ", None], "x": 1})
    typed = coerce_features(records, PROBLEM)
    assert typed.columns.tolist() == ["size", "colour"]
    assert typed["size"].tolist()[0] == 1.5 and np.isnan(typed["size"].tolist()[1])
    assert typed["colour"].iloc[0] == "red" and pd.isna(typed["colour"].iloc[1])


def test_coerce_types_still_types_features_as_coerce_features_does() -> None:
    raw = pd.DataFrame({"size": ["2"], "colour": [" a"], "y": ["3"]})
    typed = coerce_types(raw, PROBLEM)
    pd.testing.assert_frame_equal(
        typed[["size", "colour"]], coerce_features(raw, PROBLEM)
    )
    assert typed["y"].tolist() == [3.0]


def test_predict_records_regression_gives_one_prediction_per_row() -> None:
    model = LinearRegression().fit(pd.DataFrame({"size": [0.0, 1.0]}), [0.0, 2.0])
    problem = Problem(task="regression", target="y", features={"numeric": ["size"]})
    features = pd.DataFrame({"size": [3.0, 4.0]}, index=[5, 6])
    predictions = predict_records(model, features, problem)
    assert predictions.index.tolist() == [5, 6]
    assert predictions["predicted"].tolist() == pytest.approx([6.0, 8.0])
    assert "score" not in predictions


def _classifier(labels: list[str]) -> DummyClassifier:
    frame = pd.DataFrame({"size": np.arange(len(labels), dtype=float)})
    return DummyClassifier(strategy="prior").fit(frame, labels)


CLASSIFICATION = Problem.model_validate(
    {
        "task": "classification",
        "target": "y",
        "positive_class": "spam",
        "features": {"numeric": ["size"]},
    }
)


def test_predict_records_gives_every_class_probability() -> None:
    model = _classifier(["ham", "ham", "ham", "spam"])
    predictions = predict_records(
        model, pd.DataFrame({"size": [1.0, 2.0]}), CLASSIFICATION
    )
    assert predictions["probability_spam"].tolist() == pytest.approx([0.25, 0.25])
    assert predictions["probability_ham"].tolist() == pytest.approx([0.75, 0.75])
    assert predictions["score"].tolist() == pytest.approx([0.25, 0.25])
    assert predictions["predicted"].tolist() == ["ham", "ham"]


def test_predict_records_multiclass_takes_probabilities_from_the_model() -> None:
    model = _classifier(["ham", "spam", "eggs", "eggs"])
    predictions = predict_records(model, pd.DataFrame({"size": [0.0]}), CLASSIFICATION)
    row = predictions.iloc[0]
    assert row["probability_eggs"] == pytest.approx(0.5)
    assert row["probability_spam"] == pytest.approx(0.25) == row["score"]


def test_predict_records_on_no_rows_gives_an_empty_frame_with_the_columns() -> None:
    model = _classifier(["ham", "spam"])
    empty = pd.DataFrame({"size": pd.Series([], dtype=float)})
    predictions = predict_records(model, empty, CLASSIFICATION)
    assert predictions.empty
    assert predictions.columns.tolist() == [
        "predicted",
        "score",
        "probability_ham",
        "probability_spam",
    ]


def test_inference_pipelines_are_registered_outside_the_default() -> None:
    pipelines = build_pipelines(["housing", "spam"])
    inference = pipelines["housing_inference"]
    assert {node.namespace for node in inference.nodes} == {"housing"}
    assert inference.inputs() == {
        "housing.new_records",
        "housing.model",
        "housing.drift_reference",
        "params:housing.problem",
        "params:housing.schema",
        "params:drift",  # shared by every variant
    }
    assert inference.outputs() == {
        "housing.predictions",
        "housing.rejects",
        "housing.drift_report",
        "housing.drift_plot",
    }
    default_nodes = {node.name for node in pipelines["__default__"].nodes}
    assert not default_nodes & {node.name for node in inference.nodes}


def _new_records(variant: str) -> pd.DataFrame:
    if variant == "housing":
        return pd.read_csv(RAW / "housing_new_records.csv")
    return pd.read_csv(
        RAW / "spam_new_records.tsv",
        sep="\t",
        quoting=csv.QUOTE_NONE,
        keep_default_na=False,
        na_values=[""],
    )


EXPECTED_REJECTS = {
    "housing": {20: "column 'latitude' [not_nullable]", 21: "[min] expected >= 0"},
    "spam": {20: "[not_empty] expected non-blank text", 21: "[not_nullable]"},
}


@pytest.mark.parametrize("variant", ["housing", "spam"])
def test_inference_pipeline_scores_the_example_and_rejects_the_bad_rows(
    variant: str,
    registry: dict[str, Any],
    variant_outputs: dict[str, dict[str, Any]],
    fast_parameters: dict[str, Any],
) -> None:
    trained = variant_outputs[variant]
    model = trained[f"{variant}.model"]
    records = _new_records(variant)
    outputs = run_pipeline(
        registry[f"{variant}_inference"],
        {
            f"{variant}.new_records": records,
            f"{variant}.model": model,
            f"{variant}.drift_reference": trained[f"{variant}.drift_reference"],
        },
        fast_parameters,
    )
    drift = outputs[f"{variant}.drift_report"]
    assert drift["records"] == 20  # the valid records, against the training split
    problem = fast_parameters[variant]["problem"]
    assert list(drift["features"]) == problem.feature_columns
    predictions = outputs[f"{variant}.predictions"]
    rejects = outputs[f"{variant}.rejects"]
    assert len(records) == 22
    assert predictions.index.tolist() == list(range(20))
    assert sorted(rejects.index) == [20, 21]
    for row, reason in EXPECTED_REJECTS[variant].items():
        assert reason in rejects.loc[row, "reasons"]
    # the same prediction the trained model gives the typed record directly
    expected = model.predict(coerce_features(records.iloc[:20], problem))
    assert predictions["predicted"].tolist() == list(expected)
    if variant == "spam":
        assert predictions["predicted"].isin(["ham", "spam"]).all()
        assert (
            (predictions["probability_spam"] + predictions["probability_ham"])
            .round(9)
            .eq(1)
            .all()
        )
        assert predictions.loc[predictions["predicted"] == "spam"].shape[0] >= 1
