"""Permutation importance, informative tokens and the learning curve, on small data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import FixedThresholdClassifier

from ml_workflow.errors import ConfigurationError
from ml_workflow.pipelines.evaluation import diagnostics
from ml_workflow.pipelines.modelling.model_builder import build_model_pipeline

REGRESSION = {
    "task": "regression",
    "target": "y",
    "features": {"numeric": ["signal", "noise"]},
}
TEXT = {
    "task": "classification",
    "target": "label",
    "positive_class": "spam",
    "features": {"text": ["message"]},
}
SETTINGS = {
    "primary_metric": "r2",
    "permutation_importance": {"n_repeats": 3, "seed": 0},
    "learning_curve": {"cv": 3, "train_sizes": [0.5, 1.0], "seed": 0},
}


@pytest.fixture
def regression_data() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    signal = rng.normal(size=300)
    return pd.DataFrame(
        {"signal": signal, "noise": rng.normal(size=300), "y": 3 * signal}
    )


@pytest.fixture
def text_data() -> pd.DataFrame:
    spam = ["win free prize now", "free cash reply now", "claim free prize"] * 10
    ham = ["see you at home", "call mum at home", "see you later"] * 10
    return pd.DataFrame({"message": spam + ham, "label": ["spam"] * 30 + ["ham"] * 30})


def _fit(problem: dict, data: pd.DataFrame, estimator: str, **hyper) -> object:
    model = build_model_pipeline(
        problem, [], {}, {"estimator": estimator, "hyperparameters": hyper}
    )
    columns = [c for cols in problem["features"].values() for c in cols]
    return model.fit(data[columns], data[problem["target"]])


def test_permutation_importance_ranks_the_informative_column_first(
    regression_data,
) -> None:
    model = _fit(REGRESSION, regression_data, "sklearn.linear_model.LinearRegression")
    result = diagnostics.feature_importance(
        model, regression_data, REGRESSION, SETTINGS
    )
    ranked = [row["feature"] for row in result["permutation"]]
    assert ranked == ["signal", "noise"]
    signal, noise = result["permutation"]
    assert signal["mean"] > 1.0  # shuffling the signal destroys r2 (~2 for y = 3x)
    assert abs(noise["mean"]) < 0.01
    assert result["tokens"] is None and result["note"] is None
    assert result["scored_rows"] == 300


def test_permutation_importance_samples_rows_when_asked(regression_data) -> None:
    model = _fit(REGRESSION, regression_data, "sklearn.linear_model.LinearRegression")
    settings = dict(
        SETTINGS, permutation_importance={"n_repeats": 2, "seed": 0, "max_rows": 50}
    )
    result = diagnostics.feature_importance(
        model, regression_data, REGRESSION, settings
    )
    assert result["scored_rows"] == 50


def test_missing_settings_are_a_configuration_error(regression_data) -> None:
    model = _fit(REGRESSION, regression_data, "sklearn.linear_model.LinearRegression")
    with pytest.raises(ConfigurationError, match="evaluation.permutation_importance"):
        diagnostics.feature_importance(
            model, regression_data, REGRESSION, {"primary_metric": "r2"}
        )
    with pytest.raises(ConfigurationError, match=r"lacks the key\(s\) \['seed'\]"):
        diagnostics.learning_curve_table(
            model,
            regression_data,
            REGRESSION,
            {"primary_metric": "r2", "learning_curve": {"cv": 2, "train_sizes": [1.0]}},
        )


@pytest.mark.parametrize(
    ("estimator", "source"),
    [
        ("sklearn.linear_model.LogisticRegression", "model coefficient"),
        ("sklearn.naive_bayes.MultinomialNB", "log-probability ratio"),
    ],
)
def test_informative_tokens_point_to_their_class(text_data, estimator, source) -> None:
    model = _fit(TEXT, text_data, estimator)
    tokens, note = diagnostics.informative_tokens(model, TEXT, top_n=4)
    assert note is None
    assert tokens["source"] == source
    weights = {item["token"]: item["weight"] for item in tokens["items"]}
    assert len(weights) == 4
    top_spam = max(weights, key=weights.get)
    top_ham = min(weights, key=weights.get)
    assert top_spam in {"free", "prize", "now"}
    assert top_ham in {"home", "at", "see", "you"}
    assert "favours 'spam'" in tokens["weight_meaning"]


def test_tokens_follow_the_positive_class_whatever_its_index(text_data) -> None:
    problem = dict(TEXT, positive_class="ham")  # ham is classes_[0]
    model = _fit(problem, text_data, "sklearn.linear_model.LogisticRegression")
    tokens, _ = diagnostics.informative_tokens(model, problem, top_n=2)
    weights = {item["token"]: item["weight"] for item in tokens["items"]}
    assert max(weights, key=weights.get) in {"home", "at", "see", "you"}


def test_models_without_token_weights_are_skipped_with_a_note(text_data) -> None:
    model = _fit(
        TEXT, text_data, "sklearn.ensemble.RandomForestClassifier", n_estimators=5
    )
    tokens, note = diagnostics.informative_tokens(model, TEXT, top_n=4)
    assert tokens is None
    assert "RandomForestClassifier has no per-token weights" in note


def test_tokens_are_not_looked_for_without_text_features(regression_data) -> None:
    model = _fit(REGRESSION, regression_data, "sklearn.linear_model.LinearRegression")
    assert diagnostics.informative_tokens(model, REGRESSION, top_n=4) == (None, None)


def test_learning_curve_uses_training_rows_and_the_metric_direction(
    regression_data,
) -> None:
    model = _fit(REGRESSION, regression_data, "sklearn.linear_model.LinearRegression")
    settings = dict(SETTINGS, primary_metric="rmse")
    curve = diagnostics.learning_curve_table(
        model, regression_data, REGRESSION, settings
    )
    assert curve["train_sizes"] == [100, 200]  # shares of a 200-row CV training fold
    assert curve["cv"] == 3 and curve["rows_used"] == 300
    # y = 3 * signal is learned exactly: RMSE ~0, reported as an error (not negated)
    assert all(0 <= value < 1e-6 for value in curve["validation_mean"])
    assert len(curve["train_std"]) == 2


def test_learning_curve_is_seeded(text_data) -> None:
    model = _fit(TEXT, text_data, "sklearn.linear_model.LogisticRegression")
    settings = {
        "primary_metric": "f1",
        "learning_curve": {
            "cv": 2,
            "train_sizes": [0.5, 1.0],
            "seed": 3,
            "max_rows": 40,
        },
    }
    first = diagnostics.learning_curve_table(model, text_data, TEXT, settings)
    second = diagnostics.learning_curve_table(model, text_data, TEXT, settings)
    assert first == second
    assert first["rows_used"] == 40


def test_fitted_pipeline_is_found_inside_a_meta_estimator(text_data) -> None:
    model = _fit(TEXT, text_data, "sklearn.linear_model.LogisticRegression")
    wrapped = FixedThresholdClassifier(model, threshold=0.3).fit(
        text_data[["message"]], text_data["label"]
    )
    assert diagnostics.fitted_pipeline(wrapped) is wrapped.estimator_
    assert diagnostics.fitted_pipeline(model) is model
