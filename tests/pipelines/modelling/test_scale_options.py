"""Options for big data: a training-row cap for model selection, no search, a
single candidate without cross-validation, and the hashing text vectorizer."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import (
    HashingVectorizer,
    TfidfTransformer,
    TfidfVectorizer,
)
from sklearn.pipeline import Pipeline

from ml_workflow.core.config import (
    Candidate,
    Compute,
    Evaluation,
    ModelSelection,
    Preprocessing,
    Problem,
    load_variant,
)
from ml_workflow.core.model_builder import (
    candidate_pipeline,
    feature_transform,
    text_vectorizer_steps,
)
from ml_workflow.errors import ConfigurationError
from ml_workflow.pipelines.evaluation.diagnostics import informative_tokens
from ml_workflow.pipelines.modelling.nodes import (
    plot_leaderboard,
    select_model,
    tune_model,
)
from ml_workflow.pipelines.modelling.sampling import selection_rows

REGRESSION_SPEC: dict[str, Any] = {
    "task": "regression",
    "target": "y",
    "features": {"numeric": ["x", "noise"], "categorical": ["colour"]},
}
REGRESSION = Problem.model_validate(REGRESSION_SPEC)
CLASSIFICATION = Problem.model_validate(
    {
        "task": "classification",
        "target": "label",
        "positive_class": "spam",
        "features": {"text": ["message"]},
    }
)
LINEAR = Candidate(name="linear", estimator="sklearn.linear_model.LinearRegression")
RIDGE_SPEC: dict[str, Any] = {
    "name": "ridge",
    "estimator": "sklearn.linear_model.Ridge",
    "hyperparameters": {"alpha": 1.0},
    "search_space": {"alpha": [0.01, 100.0]},
}
RIDGE = Candidate.model_validate(RIDGE_SPEC)
NB = Candidate(
    name="nb",
    estimator="sklearn.naive_bayes.MultinomialNB",
    hyperparameters={"alpha": 0.1},
)
FEATURES = ["x", "noise", "colour"]
NO_DERIVED = feature_transform([])
R2 = Evaluation(primary_metric="r2")
ONE_JOB = Compute(n_jobs=1)


def _pipeline(
    problem: Problem, candidate: Candidate, preprocessing: Preprocessing | None = None
):
    return candidate_pipeline(
        problem, NO_DERIVED, preprocessing or Preprocessing(), candidate
    )


def _regression_frame(rows: int = 120) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 10, rows)
    colour = np.where(np.arange(rows) % 2 == 0, "red", "blue")
    return pd.DataFrame(
        {
            "x": x,
            "noise": rng.normal(size=rows),
            "colour": colour,
            "y": 3 * x + np.where(colour == "red", 5.0, 0.0) + rng.normal(0, 1, rows),
        }
    )


def _text_frame() -> pd.DataFrame:
    spam = [f"WIN a prize now call {10000 + i} claim cash" for i in range(20)]
    ham = [f"see you at lunch {i} ok" for i in range(40)]
    return pd.DataFrame(
        {"message": spam + ham, "label": ["spam"] * 20 + ["ham"] * 40}
    ).sample(frac=1.0, random_state=0)


def _selection(**changes: Any) -> ModelSelection:
    settings = {
        "cv_folds": 3,
        "seed": 7,
        "simplicity": {"prefer_simpler": True, "margin": 1.0},
        "search": {"strategy": "grid", "n_iter": 2, "cv_folds": 3},
        "threshold": None,
    }
    return ModelSelection.model_validate({**settings, **changes})


# --- model_selection.max_rows -------------------------------------------------


def test_selection_rows_without_a_cap_is_the_whole_training_split() -> None:
    train = _regression_frame()
    assert selection_rows(train, REGRESSION, ModelSelection(seed=1)) is train
    capped = ModelSelection(seed=1, max_rows=500)
    assert selection_rows(train, REGRESSION, capped) is train


def test_selection_rows_is_a_seeded_sample_of_max_rows() -> None:
    train = _regression_frame()
    settings = ModelSelection(seed=3, max_rows=50)
    first = selection_rows(train, REGRESSION, settings)
    assert len(first) == 50
    assert set(first.index) <= set(train.index)
    assert first.index.equals(selection_rows(train, REGRESSION, settings).index)
    other = selection_rows(train, REGRESSION, ModelSelection(seed=4, max_rows=50))
    assert not first.index.equals(other.index)


def test_selection_rows_keeps_each_class_share_for_classification() -> None:
    sample = selection_rows(
        _text_frame(), CLASSIFICATION, ModelSelection(seed=0, max_rows=30)
    )
    assert sample["label"].value_counts().to_dict() == {"ham": 20, "spam": 10}


@pytest.mark.parametrize("bad", [0, 1, -5, 2.5, "many", True])
def test_a_bad_row_cap_is_refused(bad: Any) -> None:
    """Refused when the parameters are loaded, before any node runs."""
    variant = {
        "problem": REGRESSION_SPEC,
        "candidates": [RIDGE_SPEC],
        "model_selection": {"max_rows": bad},
    }
    with pytest.raises(ConfigurationError, match=r"toy\.model_selection\.max_rows: "):
        load_variant("toy", variant)


def test_select_model_compares_candidates_on_the_capped_sample() -> None:
    _, report = select_model(
        _regression_frame(),
        NO_DERIVED,
        REGRESSION,
        Preprocessing(),
        [LINEAR, RIDGE],
        _selection(max_rows=60),
        R2,
        ONE_JOB,
    )
    assert report["rows"] == 60


def test_tune_model_searches_the_sample_and_fits_on_all_of_train() -> None:
    train = _regression_frame()
    model, results, summary = tune_model(
        train,
        NO_DERIVED,
        {"chosen": "ridge"},
        REGRESSION,
        Preprocessing(),
        [RIDGE],
        _selection(max_rows=60),
        R2,
        ONE_JOB,
    )
    assert summary["search"]["rows"] == 60
    assert len(results) == 2
    best = summary["hyperparameters"]
    direct = _pipeline(REGRESSION, RIDGE.model_copy(update={"hyperparameters": best}))
    direct.fit(train[FEATURES], train["y"])
    assert model.predict(train[FEATURES]) == pytest.approx(
        direct.predict(train[FEATURES])
    )


# --- one candidate, no search -----------------------------------------------


def test_a_single_candidate_is_chosen_without_cross_validation() -> None:
    board, report = select_model(
        _regression_frame(),
        NO_DERIVED,
        REGRESSION,
        Preprocessing(),
        [RIDGE],
        _selection(),
        R2,
        ONE_JOB,
    )
    assert report["chosen"] == report["winner"] == "ridge"
    assert report["cv_folds"] is None
    assert report["chosen_mean"] is None
    assert board["candidate"].tolist() == ["ridge"]
    assert board["chosen"].tolist() == [True]
    assert not [column for column in board if column.startswith("fold_")]


@pytest.mark.parametrize(
    ("strategy", "space", "reported"),
    [
        ("none", RIDGE.search_space, "none"),
        # select_model already cross-validated the one setting an empty space has
        ("random", {}, "none (empty search space)"),
    ],
)
def test_without_a_search_the_fixed_hyperparameters_are_fitted_on_all_of_train(
    monkeypatch: pytest.MonkeyPatch, strategy: str, space: dict, reported: str
) -> None:
    from ml_workflow.pipelines.modelling import nodes  # noqa: PLC0415

    def no_search(*args: object, **kwargs: object) -> None:
        raise AssertionError("nothing is to be searched, so nothing is")

    monkeypatch.setattr(nodes, "build_search", no_search)
    train = _regression_frame()
    model, results, summary = tune_model(
        train,
        NO_DERIVED,
        {"chosen": "ridge"},
        REGRESSION,
        Preprocessing(),
        [RIDGE.model_copy(update={"search_space": space})],
        _selection(search={"strategy": strategy}),
        R2,
        ONE_JOB,
    )
    assert summary["search"] == {
        "strategy": reported,
        "evaluations": 0,
        "best_cv_score": None,
    }
    assert summary["hyperparameters"] == {"alpha": 1.0, "random_state": 7}
    assert len(results) == 1
    direct = _pipeline(REGRESSION, RIDGE).fit(train[FEATURES], train["y"])
    assert model.predict(train[FEATURES]) == pytest.approx(
        direct.predict(train[FEATURES])
    )


def test_search_strategy_none_skips_checking_pipeline_search_keys() -> None:
    """With no search, a space's keys that address pipeline steps are not checked
    (there is nothing to search); keys that name no parameter of the estimator
    itself are refused whatever the strategy (the candidate's own check)."""
    broken = {**RIDGE_SPEC, "search_space": {"preprocess__numeric__nope": [1, 2]}}
    variant = {
        "problem": REGRESSION_SPEC,
        "candidates": [broken],
        "model_selection": {"search": {"strategy": "none"}},
    }
    config = load_variant("toy", variant)
    _, report = select_model(
        _regression_frame(),
        NO_DERIVED,
        REGRESSION,
        Preprocessing(),
        config.candidates,
        config.model_selection,
        R2,
        ONE_JOB,
    )
    assert report["chosen"] == "ridge"
    searched = {**variant, "model_selection": {"search": {"strategy": "random"}}}
    with pytest.raises(ConfigurationError, match="not a parameter of the model's"):
        load_variant("toy", searched)
    estimator_key = {**RIDGE_SPEC, "search_space": {"not_a_parameter": [1, 2]}}
    with pytest.raises(
        ConfigurationError,
        match="search_space.not_a_parameter: not a parameter of "
        "sklearn.linear_model.Ridge",
    ):
        load_variant("toy", {**variant, "candidates": [estimator_key]})


# --- preprocessing.text_vectorizer kind ---------------------------------------


def test_text_vectorizer_defaults_to_tfidf_with_its_keywords() -> None:
    steps = text_vectorizer_steps({"ngram_range": [1, 2], "min_df": 1})
    assert [name for name, _ in steps] == ["tfidf"]
    assert isinstance(steps[0][1], TfidfVectorizer)
    assert steps[0][1].ngram_range == (1, 2)


def test_hashing_vectorizer_is_non_negative_and_idf_weighted() -> None:
    steps = text_vectorizer_steps(
        {
            "kind": "hashing",
            "n_features": 1024,
            "ngram_range": [1, 2],
            "sublinear_tf": True,
        }
    )
    assert [name for name, _ in steps] == ["hash", "tfidf"]
    hasher, weighting = steps[0][1], steps[1][1]
    assert isinstance(hasher, HashingVectorizer)
    assert isinstance(weighting, TfidfTransformer)
    assert hasher.n_features == 1024
    assert hasher.alternate_sign is False
    assert hasher.ngram_range == (1, 2)
    assert weighting.sublinear_tf is True
    matrix = Pipeline(steps).fit_transform(["win cash now", "lunch at noon ok"])
    assert matrix.shape == (2, 1024)
    assert matrix.min() >= 0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"kind": "bag"}, "kind must be 'tfidf' or 'hashing', found 'bag'"),
        ({"kind": "hashing", "min_df": 2}, r"\['min_df'\] need a vocabulary"),
        (
            {"kind": "hashing", "n_fetaures": 8},
            r"\['n_fetaures'\] are not arguments of the hashing vectorizer",
        ),
        ({"min_dff": 2}, r"\['min_dff'\] are not arguments of the tfidf vectorizer"),
    ],
)
def test_text_vectorizer_refuses_bad_options(
    options: dict[str, Any], message: str
) -> None:
    """Refused when the parameters are loaded, for the variant or a candidate."""
    variant = {
        "problem": CLASSIFICATION.model_dump(),
        "candidates": [NB.model_dump()],
    }
    with pytest.raises(
        ConfigurationError, match=r"toy\.preprocessing\.text_vectorizer: .*" + message
    ):
        load_variant("toy", {**variant, "preprocessing": {"text_vectorizer": options}})
    own = {**NB.model_dump(), "preprocessing": {"text_vectorizer": options}}
    with pytest.raises(
        ConfigurationError,
        match=r"toy\.candidates\[0\] \('nb'\)\.preprocessing\.text_vectorizer: ",
    ):
        load_variant("toy", {**variant, "candidates": [own]})


def test_naive_bayes_learns_from_hashed_text_and_tokens_are_skipped() -> None:
    train = _text_frame()
    preprocessing = {"text_vectorizer": {"kind": "hashing", "n_features": 2048}}
    model = _pipeline(
        CLASSIFICATION, NB, Preprocessing.model_validate(preprocessing)
    ).fit(train[["message"]], train["label"])
    assert (model.predict(train[["message"]]) == train["label"]).mean() > 0.95
    tokens, note = informative_tokens(model, CLASSIFICATION, 10)
    assert tokens is None
    assert "hashed" in note


def test_the_leaderboard_chart_draws_a_single_unscored_candidate() -> None:
    board, _ = select_model(
        _regression_frame(),
        NO_DERIVED,
        REGRESSION,
        Preprocessing(),
        [RIDGE],
        _selection(),
        R2,
        ONE_JOB,
    )
    figure = plot_leaderboard(board)
    assert list(figure.data[0].x) == ["ridge"]
