"""Unit tests for the modelling nodes and the model builder."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.dummy import DummyRegressor
from sklearn.pipeline import Pipeline

from ml_workflow.errors import ConfigurationError
from ml_workflow.pipelines.modelling.model_builder import (
    build_model_pipeline,
    import_estimator,
    make_estimator,
)
from ml_workflow.pipelines.modelling.nodes import train_model

REGRESSION = {
    "task": "regression",
    "target": "y",
    "features": {
        "numeric": ["x", "households"],
        "categorical": ["city"],
        "text": ["note"],
    },
}
DERIVED = [
    {
        "name": "x_per_household",
        "kind": "ratio",
        "numerator": "x",
        "denominator": "households",
    }
]
PREPROCESSING = {
    "numeric_imputer": "median",
    "categorical_imputer": "most_frequent",
    "text_vectorizer": {"ngram_range": [1, 2]},
}
LINEAR = {"estimator": "sklearn.linear_model.LinearRegression", "hyperparameters": {}}


def _train(rows: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 10, rows)
    city = np.where(np.arange(rows) % 2 == 0, "north", "south")
    return pd.DataFrame(
        {
            "x": x,
            "households": np.full(rows, 2.0),
            "city": city,
            "note": np.where(city == "north", "cold wind", "warm sun"),
            "y": 3 * x + np.where(city == "north", 5.0, 0.0),
        }
    )


def test_import_estimator_resolves_dotted_paths() -> None:
    assert import_estimator("sklearn.dummy.DummyRegressor") is DummyRegressor


@pytest.mark.parametrize(
    "path", ["sklearn.linear_model.NoSuchModel", "nosuchpackage.Model", "Ridge"]
)
def test_bad_estimator_paths_are_refused_with_the_path(path: str) -> None:
    with pytest.raises(ConfigurationError, match=path):
        import_estimator(path)


def test_unknown_hyperparameters_are_refused() -> None:
    with pytest.raises(ConfigurationError, match="colour"):
        make_estimator(
            {
                "estimator": "sklearn.linear_model.Ridge",
                "hyperparameters": {"colour": 1},
            }
        )


def test_pipeline_has_derive_preprocess_estimator_steps() -> None:
    pipeline = build_model_pipeline(REGRESSION, DERIVED, PREPROCESSING, LINEAR)
    assert [name for name, _ in pipeline.steps] == ["derive", "preprocess", "estimator"]
    preprocess = pipeline.named_steps["preprocess"]
    columns = {name: cols for name, _, cols in preprocess.transformers}
    assert columns == {
        "numeric": ["x", "households", "x_per_household"],
        "categorical": ["city"],
        "text_note": "note",
    }
    tfidf = preprocess.transformers[2][1].named_steps["tfidf"]
    assert tfidf.ngram_range == (1, 2)


def test_train_model_fits_from_raw_columns_to_prediction() -> None:
    train = _train()
    model = train_model(train, REGRESSION, DERIVED, PREPROCESSING, LINEAR)
    assert isinstance(model, Pipeline)
    raw_records = train[["x", "households", "city", "note"]]  # no derived column given
    assert np.allclose(model.predict(raw_records), train["y"], atol=1e-6)


def test_preprocessing_is_fitted_on_the_training_rows_only() -> None:
    train = _train()
    model = train_model(train, REGRESSION, DERIVED, PREPROCESSING, LINEAR)
    scaler = (
        model.named_steps["preprocess"]
        .named_transformers_["numeric"]
        .named_steps["scale"]
    )
    assert scaler.mean_[0] == pytest.approx(train["x"].mean())


def test_unseen_categories_and_missing_values_are_handled_at_prediction() -> None:
    model = train_model(_train(), REGRESSION, DERIVED, PREPROCESSING, LINEAR)
    new = pd.DataFrame(
        {
            "x": [1.0, np.nan],
            "households": [2.0, 0.0],
            "city": ["east", None],
            "note": [None, "cold"],
        }
    )
    predictions = model.predict(new)
    assert predictions.shape == (2,) and np.isfinite(predictions).all()
