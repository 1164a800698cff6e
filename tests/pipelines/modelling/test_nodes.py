"""Unit tests for the model builder: configured candidate -> fitted Pipeline."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.dummy import DummyRegressor
from sklearn.pipeline import Pipeline

from ml_workflow.core.config import (
    Candidate,
    Preprocessing,
    Problem,
    import_estimator,
    load_variant,
)
from ml_workflow.core.config.derived import Ratio
from ml_workflow.core.model_builder import (
    candidate_pipeline,
    feature_transform,
    make_estimator,
)
from ml_workflow.errors import ConfigurationError

REGRESSION_SPEC = {
    "task": "regression",
    "target": "y",
    "features": {
        "numeric": ["x", "households"],
        "categorical": ["city"],
        "text": ["note"],
    },
}
REGRESSION = Problem.model_validate(REGRESSION_SPEC)
DERIVED = [
    Ratio(
        name="x_per_household",
        kind="ratio",
        numerator="x",
        denominator="households",
    )
]
PREPROCESSING = Preprocessing(
    numeric_imputer="median",
    categorical_imputer="most_frequent",
    text_vectorizer={"ngram_range": [1, 2]},
)
LINEAR = Candidate(name="linear", estimator="sklearn.linear_model.LinearRegression")


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


def _fitted_model(train: pd.DataFrame) -> Pipeline:
    """The candidate's whole Pipeline fitted on the raw feature columns of
    ``train``, as tune_model fits the chosen one."""
    pipeline = candidate_pipeline(
        REGRESSION, feature_transform(DERIVED), PREPROCESSING, LINEAR
    )
    return pipeline.fit(train[REGRESSION.feature_columns], train[REGRESSION.target])


def _variant(candidate: dict) -> dict:
    return {"problem": REGRESSION_SPEC, "candidates": [candidate]}


def test_import_estimator_resolves_dotted_paths() -> None:
    assert import_estimator("sklearn.dummy.DummyRegressor") is DummyRegressor


@pytest.mark.parametrize(
    "path", ["sklearn.linear_model.NoSuchModel", "nosuchpackage.Model", "Ridge"]
)
def test_bad_estimator_paths_are_refused_with_the_path(path: str) -> None:
    with pytest.raises(ValueError, match=f"'{path}' cannot be imported"):
        import_estimator(path)
    with pytest.raises(
        ConfigurationError,
        match=rf"toy.candidates\[0\] \('x'\).estimator: '{path}' cannot be imported",
    ):
        load_variant("toy", _variant({"name": "x", "estimator": path}))


def test_a_class_that_is_no_estimator_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="is not a scikit-learn estimator"):
        load_variant("toy", _variant({"name": "x", "estimator": "pathlib.Path"}))


def test_unknown_hyperparameters_are_refused() -> None:
    ridge = {
        "name": "ridge",
        "estimator": "sklearn.linear_model.Ridge",
        "hyperparameters": {"colour": 1},
    }
    with pytest.raises(
        ConfigurationError,
        match=r"toy.candidates\[0\] \('ridge'\).hyperparameters: \{'colour': 1\} "
        "do not fit sklearn.linear_model.Ridge",
    ):
        load_variant("toy", _variant(ridge))


def test_make_estimator_seeds_an_estimator_that_takes_a_random_state() -> None:
    forest = Candidate(
        name="forest",
        estimator="sklearn.ensemble.RandomForestRegressor",
        hyperparameters={"n_estimators": 5},
    )
    seeded = make_estimator(forest, seed=3)
    assert (seeded.random_state, seeded.n_estimators) == (3, 5)
    assert make_estimator(forest).random_state is None
    # a random_state the candidate sets is kept
    own = forest.model_copy(update={"hyperparameters": {"random_state": 1}})
    assert make_estimator(own, seed=3).random_state == 1
    # an estimator without one is built as configured
    assert make_estimator(LINEAR, seed=3).get_params() == (
        make_estimator(LINEAR).get_params()
    )


def test_pipeline_has_derive_preprocess_estimator_steps() -> None:
    pipeline = candidate_pipeline(
        REGRESSION, feature_transform(DERIVED), PREPROCESSING, LINEAR
    )
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


def test_the_model_fits_from_raw_columns_to_prediction() -> None:
    train = _train()
    model = _fitted_model(train)
    assert isinstance(model, Pipeline)
    raw_records = train[["x", "households", "city", "note"]]  # no derived column given
    assert np.allclose(model.predict(raw_records), train["y"], atol=1e-6)


def test_preprocessing_is_fitted_on_the_training_rows_only() -> None:
    train = _train()
    model = _fitted_model(train)
    scaler = (
        model.named_steps["preprocess"]
        .named_transformers_["numeric"]
        .named_steps["scale"]
    )
    assert scaler.mean_[0] == pytest.approx(train["x"].mean())


def test_unseen_categories_and_missing_values_are_handled_at_prediction() -> None:
    model = _fitted_model(_train())
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
