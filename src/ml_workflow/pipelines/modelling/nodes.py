"""Nodes that choose, tune and fit the model on the training split only.

The test split never reaches this stage: candidates are compared, tuned and
given a decision threshold by cross-validation on the training split, and the
chosen Pipeline is then refitted on the whole training split.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from sklearn.base import BaseEstimator, clone
from sklearn.model_selection import TunedThresholdClassifierCV
from sklearn.pipeline import Pipeline

from ml_workflow.parallel import compute_backend
from ml_workflow.problem import feature_columns, target_of, task_of

from .candidates import candidate_named, candidate_pipeline, check_candidates
from .charts import leaderboard_figure
from .model_builder import build_model_pipeline
from .sampling import selection_rows
from .scoring import fold_splitter, metric_scorer, threshold_scorer
from .search import (
    build_search,
    parameter_space,
    search_results_frame,
    tuned_hyperparameters,
)
from .selection import choose_candidate, cross_validate_candidates

# ``model_selection.search.strategy: none``: fit the chosen candidate's fixed
# hyperparameters, no search (e.g. a fixed estimator, or data too big to search).
NO_SEARCH = "none"


def train_model(
    train: pd.DataFrame,
    problem: Mapping[str, Any],
    derived_features: Sequence[Mapping[str, Any]] | None,
    preprocessing: Mapping[str, Any],
    model: Mapping[str, Any],
) -> Pipeline:
    """Fit the whole Pipeline (preprocessing included) on the training split only.

    The model takes the raw feature columns and computes derived features
    itself, so serving needs nothing but raw records. (The default pipeline
    chooses the model with ``select_model`` and ``tune_model``; this
    fits one fixed estimator.)
    """
    pipeline = build_model_pipeline(problem, derived_features, preprocessing, model)
    return pipeline.fit(train[feature_columns(problem)], train[target_of(problem)])


def _check_search_settings(
    problem: Mapping[str, Any],
    derived_features: Sequence[Mapping[str, Any]] | None,
    preprocessing: Mapping[str, Any],
    candidates: Sequence[Mapping[str, Any]],
    model_selection: Mapping[str, Any],
) -> None:
    """Fail before any fitting on a search space, strategy or threshold that
    the tuning step would refuse after minutes of cross-validation."""
    search = dict(model_selection.get("search") or {})
    strategy = search.get("strategy", "random")
    if strategy == NO_SEARCH:
        candidates = []  # no search: there is no space to check
    for candidate in candidates:
        pipeline = candidate_pipeline(
            problem, derived_features, preprocessing, candidate
        )
        space = parameter_space(candidate.get("search_space"), pipeline, strategy)
        build_search(pipeline, space, search, None, None, None, None, refit=True)
    threshold = model_selection.get("threshold")
    if task_of(problem) == "classification" and threshold:
        threshold_scorer(threshold, problem)


def select_model(
    train: pd.DataFrame,
    problem: Mapping[str, Any],
    derived_features: Sequence[Mapping[str, Any]] | None,
    preprocessing: Mapping[str, Any],
    candidates: Sequence[Mapping[str, Any]],
    model_selection: Mapping[str, Any],
    evaluation: Mapping[str, Any],
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Cross-validate every candidate on the training split and choose one.

    Returns the leaderboard (fold scores, mean, std, fit time, rank, chosen)
    and the selection report (winner, simplest, whether the winner beats the
    simplest by more than the fold noise, chosen). The fits run locally or on
    the Dask cluster ``model_selection.cluster`` names (`ml_workflow.parallel`).
    """
    candidates = check_candidates(candidates)
    _check_search_settings(
        problem, derived_features, preprocessing, candidates, model_selection
    )
    metric = evaluation["primary_metric"]
    folds = model_selection.get("cv_folds", 5)
    seed = model_selection.get("seed")
    rows = selection_rows(train, problem, model_selection)
    if len(candidates) == 1:
        board, report = only_candidate(candidates[0], metric)
        report.update(cv_folds=None, seed=seed, rows=len(rows))
        return board, report
    with compute_backend(model_selection) as n_jobs:
        leaderboard = cross_validate_candidates(
            rows[feature_columns(problem)],
            rows[target_of(problem)],
            problem,
            derived_features,
            preprocessing,
            candidates,
            metric,
            metric_scorer(metric, problem),
            fold_splitter(problem, folds, seed),
            n_jobs,
        )
    board, report = choose_candidate(leaderboard, model_selection.get("simplicity"))
    report["cv_folds"] = folds
    report["seed"] = seed
    report["rows"] = len(rows)
    return board, report


def only_candidate(
    candidate: Mapping[str, Any], metric: str
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The leaderboard and report of a single candidate: chosen without a
    comparison, so no cross-validation is spent on it (scores are null)."""
    name = str(candidate["name"])
    board = pd.DataFrame(
        [
            {
                "rank": 1,
                "candidate": name,
                "estimator": candidate["estimator"],
                "complexity": float(candidate.get("complexity", 0)),
                "metric": metric,
                "mean": None,
                "std": None,
                "fit_time_seconds": None,
                "gap_to_winner": 0.0,
                "within_noise": True,
                "chosen": True,
            }
        ]
    )
    report = {
        "metric": metric,
        "winner": name,
        "winner_mean": None,
        "winner_std": None,
        "simplest": name,
        "simplest_mean": None,
        "winner_gain_over_simplest": 0.0,
        "margin_in_std": None,
        "winner_beats_simplest": False,
        "prefer_simpler": None,
        "chosen": name,
        "chosen_mean": None,
        "note": "one candidate: chosen without cross-validation",
    }
    return board, report


def _with_threshold(
    pipeline: BaseEstimator,
    problem: Mapping[str, Any],
    threshold: Mapping[str, Any],
    seed: int,
    n_jobs: int | None,
) -> TunedThresholdClassifierCV:
    return TunedThresholdClassifierCV(
        pipeline,
        scoring=threshold_scorer(threshold, problem),
        cv=fold_splitter(problem, threshold.get("cv_folds", 5), seed),
        refit=True,
        n_jobs=n_jobs,
        random_state=seed,
    )


def tune_model(
    train: pd.DataFrame,
    selection: Mapping[str, Any],
    problem: Mapping[str, Any],
    derived_features: Sequence[Mapping[str, Any]] | None,
    preprocessing: Mapping[str, Any],
    candidates: Sequence[Mapping[str, Any]],
    model_selection: Mapping[str, Any],
    evaluation: Mapping[str, Any],
) -> tuple[BaseEstimator, pd.DataFrame, dict[str, Any]]:
    """Search the chosen candidate's hyperparameters and refit it on all of train.

    For classification with ``model_selection.threshold`` set, the tuned
    Pipeline is wrapped in ``TunedThresholdClassifierCV``: the decision
    threshold is chosen on cross-validated predictions for the named objective
    and stored in the model, so ``predict`` (and so evaluation) applies it.

    Returns the fitted model, the search results (one row per setting tried)
    and the model summary that ``metrics.json`` reports.
    """
    candidate = candidate_named(check_candidates(candidates), selection["chosen"])
    features = train[feature_columns(problem)]
    target = train[target_of(problem)]
    seed = model_selection.get("seed")
    search_settings = dict(model_selection.get("search") or {})
    strategy = search_settings.get("strategy", "random")
    pipeline = candidate_pipeline(problem, derived_features, preprocessing, candidate)
    threshold = model_selection.get("threshold")
    tune_threshold = task_of(problem) == "classification" and bool(threshold)
    rows = selection_rows(train, problem, model_selection)
    # The search refits its best setting itself only when it saw every row.
    refit_here = tune_threshold or len(rows) < len(train) or strategy == NO_SEARCH
    with compute_backend(model_selection) as n_jobs:
        if strategy == NO_SEARCH:
            best_params: dict[str, Any] = {}
            results = pd.DataFrame([{"params": "{}", "rank_test_score": 1}])
            search_summary: dict[str, Any] = {
                "strategy": NO_SEARCH,
                "evaluations": 0,
                "best_cv_score": None,
            }
        else:
            space = parameter_space(candidate.get("search_space"), pipeline, strategy)
            search = build_search(
                pipeline,
                space,
                search_settings,
                metric_scorer(evaluation["primary_metric"], problem),
                fold_splitter(
                    problem,
                    search_settings.get("cv_folds", model_selection.get("cv_folds", 5)),
                    seed,
                ),
                seed,
                n_jobs,
                refit=not refit_here,
            ).fit(rows[feature_columns(problem)], rows[target_of(problem)])
            best_params = search.best_params_
            results = search_results_frame(search.cv_results_)
            search_summary = {
                "strategy": strategy if space else "none (empty search space)",
                "evaluations": int(len(search.cv_results_["params"])),
                "best_cv_score": float(search.best_score_),
                "rows": len(rows),
            }
        if not refit_here:
            model = search.best_estimator_
        elif tune_threshold:
            tuned = clone(pipeline).set_params(**best_params)
            model = _with_threshold(tuned, problem, threshold, seed, n_jobs).fit(
                features, target
            )
        else:
            model = clone(pipeline).set_params(**best_params).fit(features, target)
    summary: dict[str, Any] = {
        "name": candidate["name"],
        "estimator": candidate["estimator"],
        "hyperparameters": tuned_hyperparameters(
            candidate.get("hyperparameters"), best_params
        ),
        "search": search_summary,
        "selection": dict(selection),
    }
    if tune_threshold:
        summary["threshold"] = float(model.best_threshold_)
        summary["threshold_objective"] = dict(threshold)
        summary["threshold_cv_score"] = float(model.best_score_)
    return model, results, summary


def plot_leaderboard(leaderboard: pd.DataFrame) -> go.Figure:
    """Return the leaderboard chart: mean ± std of the metric, and fit time."""
    return leaderboard_figure(leaderboard)
