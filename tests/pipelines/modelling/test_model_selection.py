"""Model selection: candidates, cross-validation, the simplicity rule, search, threshold."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import (
    GridSearchCV,
    HalvingGridSearchCV,
    HalvingRandomSearchCV,
    KFold,
    RandomizedSearchCV,
    StratifiedKFold,
    TunedThresholdClassifierCV,
)
from sklearn.pipeline import Pipeline

from ml_workflow.errors import ConfigurationError
from ml_workflow.pipelines.modelling.candidates import (
    candidate_pipeline,
    check_candidates,
    complexity_of,
)
from ml_workflow.pipelines.modelling.nodes import (
    plot_leaderboard,
    select_model,
    tune_model,
)
from ml_workflow.pipelines.modelling.scoring import (
    fold_splitter,
    metric_scorer,
    precision_at_min_recall,
    threshold_scorer,
)
from ml_workflow.pipelines.modelling.search import (
    build_search,
    parameter_space,
    search_results_frame,
    tuned_hyperparameters,
)
from ml_workflow.pipelines.modelling.selection import (
    choose_candidate,
    cross_validate_candidates,
)

REGRESSION = {
    "task": "regression",
    "target": "y",
    "features": {"numeric": ["x", "noise"], "categorical": ["colour"]},
}
CLASSIFICATION = {
    "task": "classification",
    "target": "label",
    "positive_class": "spam",
    "features": {"text": ["message"]},
}
LINEAR = {"name": "linear", "estimator": "sklearn.linear_model.LinearRegression"}
RIDGE = {
    "name": "ridge",
    "estimator": "sklearn.linear_model.Ridge",
    "hyperparameters": {"alpha": 1.0},
    "search_space": {"alpha": [0.01, 100.0]},
}
MEAN = {"name": "mean", "estimator": "sklearn.dummy.DummyRegressor"}


def _regression_frame(rows: int = 60) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 10, rows)
    colour = np.where(np.arange(rows) % 2 == 0, "red", "blue")
    return pd.DataFrame(
        {
            "x": x,
            "noise": rng.normal(size=rows),
            "colour": colour,
            "y": 3 * x + np.where(colour == "red", 5.0, 0.0) + rng.normal(0, 0.1, rows),
        }
    )


def _text_frame() -> pd.DataFrame:
    spam = [f"WIN a prize now call {10000 + i} claim cash" for i in range(15)]
    spam += [f"free entry text {i} to win cash prize" for i in range(5)]
    ham = [f"see you at lunch {i} ok" for i in range(15)]
    ham += [f"call me later {i} about dinner" for i in range(15)]
    return pd.DataFrame(
        {"message": spam + ham, "label": ["spam"] * 20 + ["ham"] * 30}
    ).sample(frac=1.0, random_state=0)


def _selection(**changes: Any) -> dict[str, Any]:
    settings = {
        "cv_folds": 3,
        "seed": 7,
        "n_jobs": 1,
        "simplicity": {"prefer_simpler": True, "margin": 1.0},
        "search": {"strategy": "grid", "n_iter": 2, "cv_folds": 3},
        "threshold": None,
    }
    return {**settings, **changes}


def _board(rows: list[tuple[str, float, float, float]], metric: str) -> pd.DataFrame:
    """Hand-made leaderboard rows: (name, complexity, mean, std)."""
    return pd.DataFrame(
        [
            {
                "candidate": name,
                "complexity": complexity,
                "metric": metric,
                "mean": mean,
                "std": std,
                "fit_time_seconds": 0.1,
            }
            for name, complexity, mean, std in rows
        ]
    )


# --- candidates -------------------------------------------------------------


def test_check_candidates_refuses_empty_nameless_repeated_and_unimportable() -> None:
    with pytest.raises(ConfigurationError, match="candidates is empty"):
        check_candidates([])
    with pytest.raises(ConfigurationError, match=r"candidates\[0\] has no 'name'"):
        check_candidates([{"estimator": "sklearn.linear_model.Ridge"}])
    with pytest.raises(ConfigurationError, match="'ridge' is used twice"):
        check_candidates([RIDGE, RIDGE])
    with pytest.raises(ConfigurationError, match="cannot be imported"):
        check_candidates([{"name": "x", "estimator": "sklearn.linear_model.Nope"}])
    with pytest.raises(ConfigurationError, match="search_space must be a mapping"):
        check_candidates([{**RIDGE, "search_space": [1, 2]}])


def test_complexity_is_explicit_rank_else_list_position() -> None:
    ranks = complexity_of([RIDGE, {**LINEAR, "complexity": -1}, MEAN])
    assert ranks == {"ridge": 0.0, "linear": -1.0, "mean": 2.0}


def test_candidate_preprocessing_overrides_the_variant_preprocessing() -> None:
    frame = _regression_frame()
    candidate = {**LINEAR, "preprocessing": {"numeric_scaler": "minmax"}}
    pipeline = candidate_pipeline(REGRESSION, [], {}, candidate)
    transformed = pipeline[:-1].fit_transform(frame[["x", "noise", "colour"]])
    assert transformed.min() >= 0.0
    assert transformed.max() <= 1.0
    standard = candidate_pipeline(REGRESSION, [], {}, LINEAR)
    assert standard[:-1].fit_transform(frame[["x", "noise", "colour"]]).min() < 0.0


# --- scoring ----------------------------------------------------------------


def test_lower_is_better_metrics_score_negative_so_higher_is_better() -> None:
    frame = _regression_frame()
    model = candidate_pipeline(REGRESSION, [], {}, LINEAR).fit(
        frame[["x", "noise", "colour"]], frame["y"]
    )
    rmse = metric_scorer("rmse", REGRESSION)(model, frame, frame["y"])
    assert -0.2 < rmse < 0  # noise sd is 0.1


def test_classification_scorers_are_about_the_positive_class() -> None:
    class Fixed(ClassifierMixin, BaseEstimator):
        classes_ = np.array(["ham", "spam"])

        def predict(self, X: Any) -> np.ndarray:  # noqa: N803
            return np.array(["spam", "spam", "ham", "ham"])

    y = pd.Series(["spam", "ham", "ham", "ham"])
    # spam: 1 of 2 predicted right (precision 0.5), 1 of 1 found (recall 1)
    assert metric_scorer("precision", CLASSIFICATION)(Fixed(), None, y) == 0.5
    assert metric_scorer("recall", CLASSIFICATION)(Fixed(), None, y) == 1.0
    # with "ham" as positive class, the numbers are ham's
    ham = {**CLASSIFICATION, "positive_class": "ham"}
    assert metric_scorer("recall", ham)(Fixed(), None, y) == pytest.approx(2 / 3)


def test_metric_scorer_refuses_a_metric_of_the_other_task() -> None:
    with pytest.raises(ConfigurationError, match="'f1' is not a regression metric"):
        metric_scorer("f1", REGRESSION)


def test_precision_at_min_recall_is_zero_below_the_recall_floor() -> None:
    y_true = ["s", "s", "s", "s", "h", "h"]
    y_pred = ["s", "s", "s", "h", "s", "h"]  # recall 0.75, precision 0.75
    assert precision_at_min_recall(y_true, y_pred, "s", 0.7) == 0.75
    assert precision_at_min_recall(y_true, y_pred, "s", 0.8) == 0.0


def test_threshold_scorer_checks_its_objective() -> None:
    with pytest.raises(ConfigurationError, match="objective must be one of"):
        threshold_scorer({"objective": "roc_auc"}, CLASSIFICATION)
    with pytest.raises(ConfigurationError, match="min_recall must be a number"):
        threshold_scorer({"objective": "precision_at_recall"}, CLASSIFICATION)


def test_fold_splitter_stratifies_classification_and_needs_folds_and_seed() -> None:
    assert isinstance(fold_splitter(CLASSIFICATION, 3, 0), StratifiedKFold)
    assert isinstance(fold_splitter(REGRESSION, 3, 0), KFold)
    with pytest.raises(ConfigurationError, match="at least 2"):
        fold_splitter(REGRESSION, 1, 0)
    with pytest.raises(ConfigurationError, match="seed is required"):
        fold_splitter(REGRESSION, 3, None)


# --- search -----------------------------------------------------------------


def test_parameter_space_addresses_the_estimator_or_any_step() -> None:
    pipeline = candidate_pipeline(CLASSIFICATION, [], {}, {"name": "nb"} | NB)
    space = parameter_space(
        {
            "alpha": [0.1, 1.0],
            "preprocess__text_message__tfidf__ngram_range": [[1, 1], [1, 2]],
        },
        pipeline,
        "grid",
    )
    assert space == {
        "estimator__alpha": [0.1, 1.0],
        "preprocess__text_message__tfidf__ngram_range": [(1, 1), (1, 2)],
    }
    random_space = parameter_space(
        {"alpha": {"distribution": "loguniform", "low": 0.01, "high": 1.0}},
        pipeline,
        "random",
    )
    draws = random_space["estimator__alpha"].rvs(size=50, random_state=0)
    assert ((draws >= 0.01) & (draws <= 1.0)).all()


def test_parameter_space_refuses_unknown_keys_and_grid_distributions() -> None:
    pipeline = candidate_pipeline(CLASSIFICATION, [], {}, {"name": "nb"} | NB)
    with pytest.raises(ConfigurationError, match="'alhpa'.*not a parameter"):
        parameter_space({"alhpa": [1.0]}, pipeline, "grid")
    distribution = {"distribution": "loguniform", "low": 0.1, "high": 1.0}
    with pytest.raises(ConfigurationError, match="'grid' strategy cannot"):
        parameter_space({"alpha": distribution}, pipeline, "grid")
    with pytest.raises(ConfigurationError, match="non-empty list"):
        parameter_space({"alpha": []}, pipeline, "random")


NB = {"estimator": "sklearn.naive_bayes.MultinomialNB"}


@pytest.mark.parametrize(
    ("strategy", "space", "expected"),
    [
        ("grid", {"estimator__alpha": [1.0, 2.0, 3.0]}, GridSearchCV),
        ("random", {"estimator__alpha": [1.0, 2.0, 3.0]}, RandomizedSearchCV),
        ("random", {"estimator__alpha": [1.0, 2.0]}, GridSearchCV),  # fits budget
        ("halving", {"estimator__alpha": [1.0, 2.0, 3.0]}, HalvingRandomSearchCV),
        ("halving", {"estimator__alpha": [1.0, 2.0]}, HalvingGridSearchCV),
        ("halving", {}, GridSearchCV),  # nothing to search: plain CV
    ],
)
def test_build_search_follows_the_strategy(
    strategy: str, space: dict[str, Any], expected: type
) -> None:
    search = build_search(
        Pipeline([("estimator", None)]),
        space,
        {"strategy": strategy, "n_iter": 2},
        "r2",
        KFold(2),
        0,
        1,
        refit=True,
    )
    assert type(search) is expected


def test_build_search_refuses_unknown_strategy_and_bad_budget() -> None:
    arguments = (Pipeline([("estimator", None)]), {"estimator__a": [1, 2, 3]})
    with pytest.raises(ConfigurationError, match="strategy must be one of"):
        build_search(*arguments, {"strategy": "bayes"}, "r2", KFold(2), 0, 1, True)
    with pytest.raises(ConfigurationError, match="n_iter must be a positive"):
        build_search(*arguments, {"n_iter": 0}, "r2", KFold(2), 0, 1, True)


def test_tuned_hyperparameters_merge_best_values_json_friendly() -> None:
    tuned = tuned_hyperparameters(
        {"alpha": 1.0, "fit_prior": True},
        {
            "estimator__alpha": np.float64(0.1),
            "preprocess__text_message__tfidf__ngram_range": (1, 2),
        },
    )
    assert tuned == {
        "alpha": 0.1,
        "fit_prior": True,
        "preprocess__text_message__tfidf__ngram_range": [1, 2],
    }
    assert type(tuned["alpha"]) is float


def test_search_results_frame_puts_the_last_halving_round_first() -> None:
    results = {
        "iter": np.array([0, 0, 0, 1]),
        "params": [{"a": 1}, {"a": 2}, {"a": 3}, {"a": 2}],
        "mean_test_score": np.array([0.2, 0.5, 0.1, 0.6]),
        "rank_test_score": np.array([3, 2, 4, 1]),
    }
    frame = search_results_frame(results)
    assert frame["iter"].tolist() == [1, 0, 0, 0]
    assert frame["mean_test_score"].tolist() == [0.6, 0.5, 0.2, 0.1]


def test_search_results_frame_is_sorted_best_first() -> None:
    results = {
        "params": [{"a": 1}, {"a": 2}],
        "param_a": np.ma.masked_array([1, 2]),
        "mean_test_score": np.array([0.1, 0.9]),
        "rank_test_score": np.array([2, 1]),
    }
    frame = search_results_frame(results)
    assert frame["param_a"].tolist() == [2, 1]
    assert frame["params"].tolist() == ["{'a': 2}", "{'a': 1}"]


# --- cross-validation and choice --------------------------------------------


def test_cross_validation_fits_the_whole_pipeline_in_every_fold() -> None:
    frame = _regression_frame()
    features, target = frame[["x", "noise", "colour"]], frame["y"]
    cv = KFold(3, shuffle=True, random_state=1)
    board = cross_validate_candidates(
        features,
        target,
        REGRESSION,
        [],
        {},
        [LINEAR, MEAN],
        "r2",
        metric_scorer("r2", REGRESSION),
        cv,
        1,
    )
    assert board["candidate"].tolist() == ["linear", "mean"]
    assert {"fold_1", "fold_2", "fold_3", "mean", "std", "fit_time_seconds"} <= set(
        board.columns
    )
    # the same scores as fitting the full Pipeline on each fold's training rows
    expected = []
    for train_rows, test_rows in cv.split(features):
        model = candidate_pipeline(REGRESSION, [], {}, LINEAR).fit(
            features.iloc[train_rows], target.iloc[train_rows]
        )
        expected.append(model.score(features.iloc[test_rows], target.iloc[test_rows]))
    linear = board.iloc[0]
    assert [linear[f"fold_{i}"] for i in (1, 2, 3)] == pytest.approx(expected)
    assert linear["mean"] == pytest.approx(np.mean(expected))
    assert linear["std"] == pytest.approx(np.std(expected, ddof=1))
    assert linear["mean"] > 0.99 > board.iloc[1]["mean"]


def test_cross_validation_reports_rmse_in_its_own_units() -> None:
    frame = _regression_frame()
    board = cross_validate_candidates(
        frame[["x", "noise", "colour"]],
        frame["y"],
        REGRESSION,
        [],
        {},
        [LINEAR],
        "rmse",
        metric_scorer("rmse", REGRESSION),
        KFold(3, shuffle=True, random_state=1),
        1,
    )
    assert 0 < board.loc[0, "mean"] < 0.2


def test_winner_that_beats_the_simplest_beyond_the_noise_is_chosen() -> None:
    board, report = choose_candidate(
        _board([("simple", 0, 0.70, 0.01), ("strong", 1, 0.80, 0.02)], "r2"),
        {"prefer_simpler": True, "margin": 1.0},
    )
    assert board["candidate"].tolist() == ["strong", "simple"]
    assert board["rank"].tolist() == [1, 2]
    assert board["chosen"].tolist() == [True, False]
    assert report["winner"] == report["chosen"] == "strong"
    assert report["simplest"] == "simple"
    assert report["winner_beats_simplest"] is True
    assert report["winner_gain_over_simplest"] == pytest.approx(0.10)


def test_winner_within_the_noise_gives_way_to_the_simplest() -> None:
    rows = [
        ("simple", 0, 0.78, 0.01),
        ("middle", 1, 0.60, 0.01),
        ("strong", 2, 0.80, 0.03),
    ]
    board, report = choose_candidate(_board(rows, "r2"), {"margin": 1.0})
    assert report["winner"] == "strong"
    assert report["winner_beats_simplest"] is False
    assert report["chosen"] == "simple"
    assert board.set_index("candidate")["chosen"].to_dict() == {
        "strong": False,
        "simple": True,
        "middle": False,
    }
    assert board.set_index("candidate")["within_noise"].to_dict() == {
        "strong": True,
        "simple": True,
        "middle": False,
    }
    # a smaller margin makes the same gap significant; turning the rule off too
    assert choose_candidate(_board(rows, "r2"), {"margin": 0.5})[1]["chosen"] == (
        "strong"
    )
    assert choose_candidate(_board(rows, "r2"), {"prefer_simpler": False})[1][
        "chosen"
    ] == ("strong")


def test_lower_is_better_metrics_rank_the_smallest_first() -> None:
    board, report = choose_candidate(
        _board([("simple", 0, 50.0, 1.0), ("strong", 1, 30.0, 2.0)], "rmse"), {}
    )
    assert board["candidate"].tolist() == ["strong", "simple"]
    assert report["chosen"] == "strong"
    assert report["winner_gain_over_simplest"] == pytest.approx(20.0)


def test_choose_candidate_refuses_a_negative_margin() -> None:
    with pytest.raises(ConfigurationError, match="margin must be a non-negative"):
        choose_candidate(_board([("a", 0, 1.0, 0.1)], "r2"), {"margin": -1})


# --- nodes ------------------------------------------------------------------


def test_select_model_ranks_every_candidate_and_reports_the_choice() -> None:
    train = _regression_frame()
    board, report = select_model(
        train,
        REGRESSION,
        [],
        {},
        [MEAN, LINEAR],
        _selection(),
        {"primary_metric": "r2"},
    )
    assert set(board["candidate"]) == {"mean", "linear"}
    assert report["simplest"] == "mean"
    assert report["winner"] == report["chosen"] == "linear"
    assert report["winner_beats_simplest"] is True
    assert board.loc[board["chosen"], "candidate"].tolist() == ["linear"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"search": {"strategy": "bayes"}}, "strategy must be one of"),
        ({"threshold": {"objective": "auc"}}, "objective must be one of"),
    ],
)
def test_select_model_refuses_bad_search_settings_before_fitting(
    change: dict[str, Any], message: str
) -> None:
    candidates = [{"name": "nb", **NB, "search_space": {"alpha": [0.1, 1.0]}}]
    with pytest.raises(ConfigurationError, match=message):
        select_model(
            _text_frame(),
            CLASSIFICATION,
            [],
            {},
            candidates,
            _selection(**change),
            {"primary_metric": "f1"},
        )
    candidates[0]["search_space"] = {"alhpa": [0.1]}
    with pytest.raises(ConfigurationError, match="'alhpa'"):
        select_model(
            _text_frame(),
            CLASSIFICATION,
            [],
            {},
            candidates,
            _selection(),
            {"primary_metric": "f1"},
        )


def test_tune_model_searches_the_chosen_candidate_and_refits_on_all_of_train() -> None:
    train = _regression_frame()
    model, results, summary = tune_model(
        train,
        {"chosen": "ridge"},
        REGRESSION,
        [],
        {},
        [LINEAR, RIDGE],
        _selection(),
        {"primary_metric": "r2"},
    )
    assert isinstance(model, Pipeline)
    assert len(results) == 2  # the grid of two alphas
    assert summary["name"] == "ridge"
    assert summary["estimator"] == "sklearn.linear_model.Ridge"
    assert summary["hyperparameters"] == {"alpha": 0.01}  # less shrinkage fits best
    assert model.named_steps["estimator"].alpha == 0.01
    assert "threshold" not in summary
    # refitted on every training row: the same as a direct fit with those values
    direct = candidate_pipeline(
        REGRESSION, [], {}, {**RIDGE, "hyperparameters": {"alpha": 0.01}}
    )
    direct.fit(train[["x", "noise", "colour"]], train["y"])
    features = train[["x", "noise", "colour"]]
    assert model.predict(features) == pytest.approx(direct.predict(features))


def test_tune_model_stores_the_tuned_threshold_in_the_classifier() -> None:
    train = _text_frame()
    model, _, summary = tune_model(
        train,
        {"chosen": "nb"},
        CLASSIFICATION,
        [],
        {},
        [{"name": "nb", **NB, "search_space": {"alpha": [0.1, 1.0]}}],
        _selection(threshold={"objective": "f1", "cv_folds": 3}),
        {"primary_metric": "f1"},
    )
    assert isinstance(model, TunedThresholdClassifierCV)
    assert summary["threshold"] == model.best_threshold_
    assert 0 < summary["threshold"] < 1
    features = train[["message"]]
    spam_probability = model.predict_proba(features)[
        :, list(model.classes_).index("spam")
    ]
    expected = np.where(spam_probability >= summary["threshold"], "spam", "ham")
    assert (model.predict(features) == expected).all()


def test_plot_leaderboard_shows_score_with_std_and_fit_time() -> None:
    board, _ = choose_candidate(
        _board([("simple", 0, 0.70, 0.01), ("strong", 1, 0.80, 0.02)], "r2"), {}
    )
    figure = plot_leaderboard(board)
    score, fit_time = figure.data
    assert list(score.x) == ["strong", "simple"]
    assert list(score.y) == [0.80, 0.70]
    assert list(score.error_y.array) == [0.02, 0.01]
    assert list(fit_time.y) == [0.1, 0.1]
    assert score.marker.color[0] != score.marker.color[1]  # the chosen stands out
