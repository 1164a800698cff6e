"""Model selection: candidates, cross-validation, the simplicity rule, search, threshold."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.linear_model import LinearRegression
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

from ml_workflow.core.config import (
    Candidate,
    Compute,
    Evaluation,
    ModelSelection,
    Preprocessing,
    Problem,
    Search,
    Simplicity,
    load_variant,
)
from ml_workflow.core.model_builder import candidate_pipeline, feature_transform
from ml_workflow.core.task import task_for
from ml_workflow.core.task.classification import precision_at_min_recall
from ml_workflow.errors import ConfigurationError
from ml_workflow.pipelines.modelling.candidates import complexity_of
from ml_workflow.pipelines.modelling.nodes import (
    plot_leaderboard,
    select_model,
    tune_model,
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

REGRESSION_SPEC: dict[str, Any] = {
    "task": "regression",
    "target": "y",
    "features": {"numeric": ["x", "noise"], "categorical": ["colour"]},
}
CLASSIFICATION_SPEC: dict[str, Any] = {
    "task": "classification",
    "target": "label",
    "positive_class": "spam",
    "features": {"text": ["message"]},
}
REGRESSION = Problem.model_validate(REGRESSION_SPEC)
CLASSIFICATION = Problem.model_validate(CLASSIFICATION_SPEC)
LINEAR_SPEC = {"name": "linear", "estimator": "sklearn.linear_model.LinearRegression"}
RIDGE_SPEC = {
    "name": "ridge",
    "estimator": "sklearn.linear_model.Ridge",
    "hyperparameters": {"alpha": 1.0},
    "search_space": {"alpha": [0.01, 100.0]},
}
NB_SPEC = {"name": "nb", "estimator": "sklearn.naive_bayes.MultinomialNB"}
LINEAR = Candidate.model_validate(LINEAR_SPEC)
RIDGE = Candidate.model_validate(RIDGE_SPEC)
MEAN = Candidate(name="mean", estimator="sklearn.dummy.DummyRegressor")
NB = Candidate.model_validate(NB_SPEC)
NO_DERIVED = feature_transform([])
ONE_JOB = Compute(n_jobs=1)


def _pipeline(problem: Problem, candidate: Candidate) -> Pipeline:
    return candidate_pipeline(problem, NO_DERIVED, Preprocessing(), candidate)


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


def _selection(**changes: Any) -> ModelSelection:
    settings = {
        "cv_folds": 3,
        "seed": 7,
        "simplicity": {"prefer_simpler": True, "margin": 1.0},
        "search": {"strategy": "grid", "n_iter": 2, "cv_folds": 3},
        "threshold": None,
    }
    return ModelSelection.model_validate({**settings, **changes})


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


def _refused(variant: dict[str, Any]) -> str:
    """The ConfigurationError message of a variant's parameters."""
    with pytest.raises(ConfigurationError) as caught:
        load_variant("toy", variant)
    return str(caught.value)


def _text_variant(**sections: Any) -> dict[str, Any]:
    return {"problem": CLASSIFICATION_SPEC, "candidates": [NB_SPEC], **sections}


# --- candidates -------------------------------------------------------------


def test_candidates_empty_nameless_repeated_and_unimportable_are_refused() -> None:
    assert "toy.candidates: Tuple should have at least 1 item" in _refused(
        _text_variant(candidates=[])
    )
    nameless = _refused(
        _text_variant(candidates=[{"estimator": "sklearn.linear_model.Ridge"}])
    )
    assert "toy.candidates[0].name: Field required" in nameless
    assert "candidate names ['ridge'] are used more than once" in _refused(
        _text_variant(candidates=[RIDGE_SPEC, RIDGE_SPEC])
    )
    assert "cannot be imported" in _refused(
        _text_variant(
            candidates=[{"name": "x", "estimator": "sklearn.linear_model.Nope"}]
        )
    )
    assert "toy.candidates[0] ('ridge').search_space: Input should be a valid " in (
        _refused(_text_variant(candidates=[{**RIDGE_SPEC, "search_space": [1, 2]}]))
    )


def test_one_bad_candidate_is_one_problem() -> None:
    """The list's length is not reported as well: the user wrote one candidate."""
    message = _refused(_text_variant(candidates=[{"estimator": "sklearn.svm.SVC"}]))
    assert "1 problem(s)" in message
    assert "at least 1 item" not in message


def test_complexity_is_explicit_rank_else_list_position() -> None:
    ranks = complexity_of([RIDGE, LINEAR.model_copy(update={"complexity": -1}), MEAN])
    assert ranks == {"ridge": 0.0, "linear": -1.0, "mean": 2.0}


def test_candidate_preprocessing_overrides_the_variant_preprocessing() -> None:
    frame = _regression_frame()
    candidate = Candidate.model_validate(
        {**LINEAR_SPEC, "preprocessing": {"numeric_scaler": "minmax"}}
    )
    pipeline = _pipeline(REGRESSION, candidate)
    transformed = pipeline[:-1].fit_transform(frame[["x", "noise", "colour"]])
    assert transformed.min() >= 0.0
    assert transformed.max() <= 1.0
    standard = _pipeline(REGRESSION, LINEAR)
    assert standard[:-1].fit_transform(frame[["x", "noise", "colour"]]).min() < 0.0


# --- scoring ----------------------------------------------------------------


def test_lower_is_better_metrics_score_negative_so_higher_is_better() -> None:
    frame = _regression_frame()
    model = _pipeline(REGRESSION, LINEAR).fit(
        frame[["x", "noise", "colour"]], frame["y"]
    )
    rmse = task_for(REGRESSION).scorer("rmse")(model, frame, frame["y"])
    assert -0.2 < rmse < 0  # noise sd is 0.1


def test_classification_scorers_are_about_the_positive_class() -> None:
    class Fixed(ClassifierMixin, BaseEstimator):
        classes_ = np.array(["ham", "spam"])

        def predict(self, X: Any) -> np.ndarray:  # noqa: N803
            return np.array(["spam", "spam", "ham", "ham"])

    y = pd.Series(["spam", "ham", "ham", "ham"])
    task = task_for(CLASSIFICATION)
    # spam: 1 of 2 predicted right (precision 0.5), 1 of 1 found (recall 1)
    assert task.scorer("precision")(Fixed(), None, y) == 0.5
    assert task.scorer("recall")(Fixed(), None, y) == 1.0
    # with "ham" as positive class, the numbers are ham's
    ham = CLASSIFICATION.model_copy(update={"positive_class": "ham"})
    assert task_for(ham).scorer("recall")(Fixed(), None, y) == pytest.approx(2 / 3)


def test_a_metric_of_the_other_task_is_refused() -> None:
    message = _refused(_text_variant(evaluation={"primary_metric": "r2"}))
    assert "toy.evaluation.primary_metric: found 'r2', which is not a " in message
    assert "classification metric" in message


def test_precision_at_min_recall_is_zero_below_the_recall_floor() -> None:
    y_true = ["s", "s", "s", "s", "h", "h"]
    y_pred = ["s", "s", "s", "h", "s", "h"]  # recall 0.75, precision 0.75
    assert precision_at_min_recall(y_true, y_pred, "s", 0.7) == 0.75
    assert precision_at_min_recall(y_true, y_pred, "s", 0.8) == 0.0


def test_threshold_scorer_scores_the_objective_of_the_positive_class() -> None:
    class Fixed(ClassifierMixin, BaseEstimator):
        classes_ = np.array(["ham", "spam"])

        def predict(self, X: Any) -> np.ndarray:  # noqa: N803
            return np.array(["spam", "spam", "spam", "ham", "spam", "ham"])

    y = pd.Series(["spam", "spam", "spam", "spam", "ham", "ham"])
    task = task_for(CLASSIFICATION)
    # recall 0.75 and precision 0.75, as above
    assert task.threshold_scorer("precision_at_recall", 0.7)(Fixed(), None, y) == 0.75
    assert task.threshold_scorer("precision_at_recall", 0.8)(Fixed(), None, y) == 0.0
    assert task.threshold_scorer("f1", None)(Fixed(), None, y) == pytest.approx(0.75)


def test_threshold_settings_are_checked_with_the_objective() -> None:
    assert "toy.model_selection.threshold.objective: Input should be 'f1'" in (
        _refused(_text_variant(model_selection={"threshold": {"objective": "roc_auc"}}))
    )
    assert (
        "toy.model_selection.threshold: min_recall is required by the objective "
        "'precision_at_recall'"
    ) in _refused(
        _text_variant(
            model_selection={"threshold": {"objective": "precision_at_recall"}}
        )
    )
    regression = {"problem": REGRESSION_SPEC, "candidates": [LINEAR_SPEC]}
    assert "toy.model_selection.threshold: a decision threshold applies to " in (
        _refused({**regression, "model_selection": {"threshold": {}}})
    )


def test_the_threshold_defaults_to_f1_for_classification_unless_switched_off() -> None:
    selection = load_variant("toy", _text_variant()).model_selection
    assert selection.threshold is not None
    assert (selection.threshold.objective, selection.threshold.cv_folds) == ("f1", 5)
    off = load_variant("toy", _text_variant(model_selection={"threshold": None}))
    assert off.model_selection.threshold is None
    regression = {"problem": REGRESSION_SPEC, "candidates": [LINEAR_SPEC]}
    assert load_variant("toy", regression).model_selection.threshold is None


def test_fold_splitter_stratifies_classification_and_needs_folds_and_seed() -> None:
    assert isinstance(task_for(CLASSIFICATION).fold_splitter(3, 0), StratifiedKFold)
    folds = task_for(REGRESSION).fold_splitter(3, 0)
    assert isinstance(folds, KFold) and not isinstance(folds, StratifiedKFold)
    assert (folds.n_splits, folds.shuffle, folds.random_state) == (3, True, 0)
    assert (
        "toy.model_selection.cv_folds: Input should be greater than or equal to 2"
        in (_refused(_text_variant(model_selection={"cv_folds": 1})))
    )
    # the seed is no longer required: it defaults to the variant's, as do the
    # search's folds to the selection's
    selection = load_variant(
        "toy", _text_variant(seed=11, model_selection={"cv_folds": 4})
    ).model_selection
    assert (selection.seed, selection.search.cv_folds) == (11, 4)


# --- search -----------------------------------------------------------------


def test_parameter_space_addresses_the_estimator_or_any_step() -> None:
    candidate = Candidate.model_validate(
        {
            **NB_SPEC,
            "search_space": {
                "alpha": [0.1, 1.0],
                "preprocess__text_message__tfidf__ngram_range": [[1, 1], [1, 2]],
            },
        }
    )
    space = parameter_space(candidate.search_space)
    assert space == {
        "estimator__alpha": [0.1, 1.0],
        "preprocess__text_message__tfidf__ngram_range": [(1, 1), (1, 2)],
    }
    assert set(space) <= set(_pipeline(CLASSIFICATION, NB).get_params())
    distribution = Candidate.model_validate(
        {
            **NB_SPEC,
            "search_space": {
                "alpha": {"distribution": "loguniform", "low": 0.01, "high": 1.0}
            },
        }
    )
    draws = parameter_space(distribution.search_space)["estimator__alpha"].rvs(
        size=50, random_state=0
    )
    assert ((draws >= 0.01) & (draws <= 1.0)).all()


def test_search_spaces_are_checked_against_the_model_when_loaded() -> None:
    def candidate(space: dict[str, Any]) -> list[dict[str, Any]]:
        return [{**NB_SPEC, "search_space": space}]

    assert (
        "toy.candidates[0] ('nb').search_space.alhpa: not a parameter of "
        "sklearn.naive_bayes.MultinomialNB"
    ) in _refused(_text_variant(candidates=candidate({"alhpa": [1.0]})))
    assert (
        "search_space.preprocess__text_message__tfidf__ngram_rang: not a parameter "
        "of the model's pipeline"
    ) in _refused(
        _text_variant(
            candidates=candidate(
                {"preprocess__text_message__tfidf__ngram_rang": [[1, 1]]}
            )
        )
    )
    distribution = {"distribution": "loguniform", "low": 0.1, "high": 1.0}
    assert "'grid' strategy cannot enumerate" in _refused(
        _text_variant(
            candidates=candidate({"alpha": distribution}),
            model_selection={"search": {"strategy": "grid"}},
        )
    )
    assert "search_space.alpha: List should have at least 1 item" in _refused(
        _text_variant(candidates=candidate({"alpha": []}))
    )
    assert "search_space.alpha: loguniform needs low > 0" in _refused(
        _text_variant(candidates=candidate({"alpha": {**distribution, "low": 0.0}}))
    )


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
        Search(strategy=strategy, n_iter=2),
        "r2",
        KFold(2),
        0,
        1,
        refit=True,
    )
    assert type(search) is expected


def test_unknown_search_strategy_and_bad_budget_are_refused() -> None:
    message = _refused(
        _text_variant(model_selection={"search": {"strategy": "bayes", "n_iter": 0}})
    )
    assert "toy.model_selection.search.strategy: Input should be 'grid'" in message
    assert (
        "toy.model_selection.search.n_iter: Input should be greater than or equal to 1"
    ) in message


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


def _regression_pipeline_of(candidate: Candidate) -> Pipeline:
    return _pipeline(REGRESSION, candidate)


def test_cross_validation_fits_the_whole_pipeline_in_every_fold() -> None:
    frame = _regression_frame()
    features, target = frame[["x", "noise", "colour"]], frame["y"]
    cv = KFold(3, shuffle=True, random_state=1)
    board = cross_validate_candidates(
        features,
        target,
        [LINEAR, MEAN],
        _regression_pipeline_of,
        task_for(REGRESSION),
        "r2",
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
        model = _pipeline(REGRESSION, LINEAR).fit(
            features.iloc[train_rows], target.iloc[train_rows]
        )
        expected.append(model.score(features.iloc[test_rows], target.iloc[test_rows]))
    linear = board.iloc[0]
    assert [linear[f"fold_{i}"] for i in (1, 2, 3)] == pytest.approx(expected)
    assert linear["mean"] == pytest.approx(np.mean(expected))
    assert linear["std"] == pytest.approx(np.std(expected, ddof=1))
    assert linear["mean"] > 0.99 > board.iloc[1]["mean"]


def _progress_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "ml_workflow.progress"]


def test_cross_validation_logs_the_candidate_and_the_fits_done(caplog) -> None:
    frame = _regression_frame()
    with caplog.at_level(logging.INFO, logger="ml_workflow.progress"):
        cross_validate_candidates(
            frame[["x", "noise", "colour"]],
            frame["y"],
            [LINEAR, MEAN],
            _regression_pipeline_of,
            task_for(REGRESSION),
            "r2",
            KFold(3, shuffle=True, random_state=1),
            1,
        )
    lines = _progress_lines(caplog)
    assert (
        lines[0] == "model selection: candidate 1/2 linear; 0/6 fits (0%), 0:00 elapsed"
    )
    assert any(
        line.startswith("model selection: candidate 2/2 mean;") for line in lines
    )
    assert "; 6/6 fits (100%)" in lines[-1] and lines[-1].endswith("left")


def test_a_failing_candidate_counts_its_folds_as_done(caplog) -> None:
    frame = _regression_frame()
    broken = Candidate(name="broken", estimator="sklearn.linear_model.LinearRegression")

    def pipeline_of(candidate: Candidate) -> Pipeline:
        if candidate.name == "broken":  # no preprocessing: the colour text fails
            return Pipeline([("model", LinearRegression())])
        return _regression_pipeline_of(candidate)

    with caplog.at_level(logging.INFO, logger="ml_workflow.progress"):
        board = cross_validate_candidates(
            frame[["x", "noise", "colour"]],
            frame["y"],
            [broken, LINEAR],
            pipeline_of,
            task_for(REGRESSION),
            "r2",
            KFold(3, shuffle=True, random_state=1),
            1,
        )
    assert board["error"].notna().tolist() == [True, False]
    lines = _progress_lines(caplog)
    # the second candidate starts with the first one's folds counted as done
    assert any(
        line.startswith("model selection: candidate 2/2 linear; 3/6 fits")
        for line in lines
    )
    assert "; 6/6 fits (100%)" in lines[-1]


def test_cross_validation_reports_rmse_in_its_own_units() -> None:
    frame = _regression_frame()
    board = cross_validate_candidates(
        frame[["x", "noise", "colour"]],
        frame["y"],
        [LINEAR],
        _regression_pipeline_of,
        task_for(REGRESSION),
        "rmse",
        KFold(3, shuffle=True, random_state=1),
        1,
    )
    assert 0 < board.loc[0, "mean"] < 0.2


CHOOSE = task_for(REGRESSION)


def test_winner_that_beats_the_simplest_beyond_the_noise_is_chosen() -> None:
    board, report = choose_candidate(
        _board([("simple", 0, 0.70, 0.01), ("strong", 1, 0.80, 0.02)], "r2"),
        Simplicity(prefer_simpler=True, margin=1.0),
        CHOOSE,
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
    board, report = choose_candidate(_board(rows, "r2"), Simplicity(margin=1.0), CHOOSE)
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
    smaller = choose_candidate(_board(rows, "r2"), Simplicity(margin=0.5), CHOOSE)
    assert smaller[1]["chosen"] == "strong"
    off = choose_candidate(_board(rows, "r2"), Simplicity(prefer_simpler=False), CHOOSE)
    assert off[1]["chosen"] == "strong"


def test_lower_is_better_metrics_rank_the_smallest_first() -> None:
    board, report = choose_candidate(
        _board([("simple", 0, 50.0, 1.0), ("strong", 1, 30.0, 2.0)], "rmse"),
        Simplicity(),
        CHOOSE,
    )
    assert board["candidate"].tolist() == ["strong", "simple"]
    assert report["chosen"] == "strong"
    assert report["winner_gain_over_simplest"] == pytest.approx(20.0)


def test_a_negative_margin_is_refused() -> None:
    assert (
        "toy.model_selection.simplicity.margin: Input should be greater than or "
        "equal to 0"
    ) in _refused(_text_variant(model_selection={"simplicity": {"margin": -1}}))


# --- nodes ------------------------------------------------------------------


def test_select_model_ranks_every_candidate_and_reports_the_choice() -> None:
    train = _regression_frame()
    board, report = select_model(
        train,
        NO_DERIVED,
        REGRESSION,
        Preprocessing(),
        [MEAN, LINEAR],
        _selection(),
        Evaluation(primary_metric="r2"),
        ONE_JOB,
    )
    assert set(board["candidate"]) == {"mean", "linear"}
    assert report["simplest"] == "mean"
    assert report["winner"] == report["chosen"] == "linear"
    assert report["winner_beats_simplest"] is True
    assert (report["cv_folds"], report["seed"], report["rows"]) == (3, 7, 60)
    assert board.loc[board["chosen"], "candidate"].tolist() == ["linear"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"search": {"strategy": "bayes"}},
            "toy.model_selection.search.strategy: Input should be",
        ),
        (
            {"threshold": {"objective": "auc"}},
            "toy.model_selection.threshold.objective: Input should be",
        ),
    ],
)
def test_bad_search_settings_are_refused_before_fitting(
    change: dict[str, Any], message: str
) -> None:
    """Refused when the parameters are loaded, so before any node runs."""
    candidates = [{**NB_SPEC, "search_space": {"alpha": [0.1, 1.0]}}]
    assert message in _refused(
        _text_variant(candidates=candidates, model_selection=change)
    )
    candidates[0]["search_space"] = {"alhpa": [0.1]}
    assert "('nb').search_space.alhpa: not a parameter" in _refused(
        _text_variant(candidates=candidates)
    )


def _tune_ridge(
    train: pd.DataFrame, ridge: Candidate, selection: ModelSelection
) -> tuple[Any, pd.DataFrame, dict[str, Any]]:
    """tune_model with the ridge candidate chosen (beside the linear one)."""
    return tune_model(
        train,
        NO_DERIVED,
        {"chosen": "ridge"},
        REGRESSION,
        Preprocessing(),
        [LINEAR, ridge],
        selection,
        Evaluation(primary_metric="r2"),
        ONE_JOB,
    )


def test_tune_model_searches_the_chosen_candidate_and_refits_on_all_of_train() -> None:
    train = _regression_frame()
    model, results, summary = _tune_ridge(train, RIDGE, _selection())
    assert isinstance(model, Pipeline)
    assert len(results) == 2  # the grid of two alphas
    assert summary["name"] == "ridge"
    assert summary["estimator"] == "sklearn.linear_model.Ridge"
    # less shrinkage fits best; the variant's seed was injected (Ridge takes one)
    assert summary["hyperparameters"] == {"alpha": 0.01, "random_state": 7}
    assert model.named_steps["estimator"].alpha == 0.01
    assert "threshold" not in summary
    # refitted on every training row: the same as a direct fit with those values
    direct = _pipeline(
        REGRESSION, RIDGE.model_copy(update={"hyperparameters": {"alpha": 0.01}})
    )
    direct.fit(train[["x", "noise", "colour"]], train["y"])
    features = train[["x", "noise", "colour"]]
    assert model.predict(features) == pytest.approx(direct.predict(features))


def test_tune_model_stops_the_search_when_its_budget_is_spent() -> None:
    """A spent budget keeps the first round's setting (one job: one setting),
    reports the settings tried, and still refits the model on every row."""
    budget = {"strategy": "grid", "cv_folds": 3, "max_seconds": 1e-9}
    model, results, summary = _tune_ridge(
        _regression_frame(),
        RIDGE.model_copy(update={"search_space": {"alpha": [100.0, 0.01]}}),
        _selection(search=budget),
    )
    assert len(results) == 1 and summary["search"]["evaluations"] == 1
    assert summary["hyperparameters"]["alpha"] == 100.0  # the better 0.01 never ran
    assert model.named_steps["estimator"].alpha == 100.0
    assert hasattr(model.named_steps["estimator"], "coef_")  # refitted


def test_tune_model_stores_the_tuned_threshold_in_the_classifier() -> None:
    train = _text_frame()
    model, _, summary = tune_model(
        train,
        NO_DERIVED,
        {"chosen": "nb"},
        CLASSIFICATION,
        Preprocessing(),
        [NB.model_copy(update={"search_space": {"alpha": [0.1, 1.0]}})],
        _selection(threshold={"objective": "f1", "cv_folds": 3}),
        Evaluation(primary_metric="f1"),
        ONE_JOB,
    )
    assert isinstance(model, TunedThresholdClassifierCV)
    assert summary["threshold"] == model.best_threshold_
    assert 0 < summary["threshold"] < 1
    assert summary["threshold_objective"] == {"objective": "f1", "cv_folds": 3}
    features = train[["message"]]
    spam_probability = model.predict_proba(features)[
        :, list(model.classes_).index("spam")
    ]
    expected = np.where(spam_probability >= summary["threshold"], "spam", "ham")
    assert (model.predict(features) == expected).all()


def test_plot_leaderboard_shows_score_with_std_and_fit_time() -> None:
    board, _ = choose_candidate(
        _board([("simple", 0, 0.70, 0.01), ("strong", 1, 0.80, 0.02)], "r2"),
        Simplicity(),
        CHOOSE,
    )
    figure = plot_leaderboard(board)
    score, fit_time = figure.data
    assert list(score.x) == ["strong", "simple"]
    assert list(score.y) == [0.80, 0.70]
    assert list(score.error_y.array) == [0.02, 0.01]
    assert list(fit_time.y) == [0.1, 0.1]
    assert score.marker.color[0] != score.marker.color[1]  # the chosen stands out
