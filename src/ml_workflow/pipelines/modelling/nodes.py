"""Nodes that choose, tune and fit the model on the training split only.

The test split never reaches this stage: candidates are compared, tuned and
given a decision threshold by cross-validation on the training split, and the
chosen Pipeline is then refitted on the whole training split.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from sklearn.base import BaseEstimator, clone
from sklearn.model_selection import TunedThresholdClassifierCV

from ml_workflow.core.config import (
    Candidate,
    Compute,
    Evaluation,
    ModelSelection,
    Preprocessing,
    Problem,
    Threshold,
)
from ml_workflow.core.features import DerivedFeatures
from ml_workflow.core.model_builder import candidate_pipeline, estimator_arguments
from ml_workflow.core.target import estimator_prefix
from ml_workflow.core.task import Task, task_for
from ml_workflow.parallel import compute_backend, fit_workers
from ml_workflow.progress import search_progress

from .caching import HeldOutCache, cached, step_cache, without_cache
from .charts import leaderboard_figure
from .plan import compares_candidates, searches
from .sampling import selection_rows
from .search import (
    build_search,
    parameter_space,
    search_results_frame,
    tuned_hyperparameters,
)
from .selection import choose_candidate, cross_validate_candidates

logger = logging.getLogger(__name__)


def select_model(  # noqa: PLR0913 - one input per dataset and parameter section
    train: pd.DataFrame,
    feature_transform: DerivedFeatures,
    problem: Problem,
    preprocessing: Preprocessing,
    candidates: Sequence[Candidate],
    model_selection: ModelSelection,
    evaluation: Evaluation,
    compute: Compute,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Cross-validate every candidate on the training split and choose one.

    Returns the leaderboard (fold scores, mean, std, fit time, rank, chosen)
    and the selection report (winner, simplest, whether the winner beats the
    simplest by more than the fold noise, chosen). The fits run locally or on
    the Dask cluster ``compute.cluster`` names (`ml_workflow.parallel`).
    """
    metric = evaluation.primary_metric
    rows = selection_rows(train, problem, model_selection)
    if not compares_candidates(candidates):
        board, report = only_candidate(candidates[0], metric)
        report.update(cv_folds=None, seed=model_selection.seed, rows=len(rows))
        return board, report
    task = task_for(problem)
    with (
        compute_backend(compute, fit_workers(problem, train)) as n_jobs,
        step_cache(problem) as cache,
    ):

        def pipeline_of(candidate: Candidate) -> Any:
            built = candidate_pipeline(
                problem,
                feature_transform,
                preprocessing,
                candidate,
                seed=model_selection.seed,
            )
            return cached(built, cache)  # candidates sharing preprocessing share fits

        leaderboard = cross_validate_candidates(
            rows[problem.feature_columns],
            rows[problem.target],
            candidates,
            pipeline_of,
            task,
            metric,
            task.fold_splitter(model_selection.cv_folds, model_selection.seed),
            n_jobs,
            model_selection.threshold,
            model_selection.max_seconds,
            cache,
        )
    board, report = choose_candidate(leaderboard, model_selection.simplicity, task)
    report["cv_folds"] = model_selection.cv_folds
    report["seed"] = model_selection.seed
    report["rows"] = len(rows)
    return board, report


def only_candidate(
    candidate: Candidate, metric: str
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The leaderboard and report of a single candidate: chosen without a
    comparison, so no cross-validation is spent on it (scores are null)."""
    name = candidate.name
    board = pd.DataFrame(
        [
            {
                "rank": 1,
                "candidate": name,
                "estimator": candidate.estimator,
                "complexity": float(candidate.complexity or 0),
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
    task: Task,
    threshold: Threshold,
    seed: int,
    n_jobs: int | None,
) -> TunedThresholdClassifierCV:
    return TunedThresholdClassifierCV(
        pipeline,
        scoring=task.threshold_scorer(threshold.objective, threshold.min_recall),
        cv=task.fold_splitter(threshold.cv_folds, seed),
        refit=True,
        n_jobs=n_jobs,
        random_state=seed,
    )


def tune_model(  # noqa: PLR0913 - one input per dataset and parameter section
    train: pd.DataFrame,
    feature_transform: DerivedFeatures,
    selection: dict[str, Any],
    problem: Problem,
    preprocessing: Preprocessing,
    candidates: Sequence[Candidate],
    model_selection: ModelSelection,
    evaluation: Evaluation,
    compute: Compute,
) -> tuple[BaseEstimator, pd.DataFrame, dict[str, Any]]:
    """Search the chosen candidate's hyperparameters and refit it on all of train.

    With ``model_selection.threshold`` set (classification), the tuned
    Pipeline is wrapped in ``TunedThresholdClassifierCV``: the decision
    threshold is chosen on cross-validated predictions for the named objective
    and stored in the model, so ``predict`` (and so evaluation) applies it.

    Returns the fitted model, the search results (one row per setting tried)
    and the model summary that ``metrics.json`` reports.
    """
    task = task_for(problem)
    candidate = next(c for c in candidates if c.name == selection["chosen"])
    features, target = train[problem.feature_columns], train[problem.target]
    seed, search_settings = model_selection.seed, model_selection.search
    threshold = model_selection.threshold
    built = candidate_pipeline(
        problem, feature_transform, preprocessing, candidate, seed
    )
    rows = selection_rows(train, problem, model_selection)
    if threshold is None and task.CATEGORICAL_TARGET:
        logger.info(
            "Decision threshold not tuned: %s",
            task.tuning_note() or "model_selection.threshold is null",
        )
    # An empty space has nothing to search: its one setting was cross-validated
    # by select_model already, so it is refitted without cross-validating again.
    no_search = not searches(candidate, search_settings)
    # The search refits its best setting itself only when it saw every row.
    refit_here = threshold is not None or len(rows) < len(train) or no_search
    with (
        compute_backend(compute, fit_workers(problem, train)) as n_jobs,
        step_cache(problem) as cache,
    ):
        # every setting and threshold fold of a fold reads its preprocessing back
        pipeline = cached(built, cache)
        if no_search:
            best_params: dict[str, Any] = {}
            results = pd.DataFrame([{"params": "{}", "rank_test_score": 1}])
            search_summary: dict[str, Any] = {
                "strategy": "none"
                if search_settings.strategy == "none"
                else "none (empty search space)",
                "evaluations": 0,
                "best_cv_score": None,
            }
        else:
            space = parameter_space(
                candidate.search_space, estimator_prefix(candidate.target_transform)
            )
            search = build_search(
                pipeline,
                space,
                search_settings,
                HeldOutCache(task.scorer(evaluation.primary_metric), cache),
                task.fold_splitter(search_settings.cv_folds, seed),
                seed,
                n_jobs,
                refit=not refit_here,
            )
            with search_progress(f"search of {candidate.name}", search):
                search.fit(rows[problem.feature_columns], rows[problem.target])
            best_params = search.best_params_
            results = search_results_frame(search.cv_results_)
            search_summary = {
                "strategy": search_settings.strategy,
                "evaluations": int(len(search.cv_results_["params"])),
                "best_cv_score": float(search.best_score_),
                "rows": len(rows),
            }
        if not refit_here:
            model = search.best_estimator_
        elif threshold is not None:
            tuned = clone(pipeline).set_params(**best_params)
            model = _with_threshold(tuned, task, threshold, seed, n_jobs).fit(
                features, target
            )
        else:
            model = clone(built).set_params(**best_params).fit(features, target)
        model = without_cache(model)
    summary: dict[str, Any] = {
        "name": candidate.name,
        "estimator": candidate.estimator,
        "hyperparameters": tuned_hyperparameters(
            estimator_arguments(candidate, seed),
            best_params,
            estimator_prefix(candidate.target_transform),
        ),
        "target_transform": candidate.target_transform,
        "search": search_summary,
        "selection": dict(selection),
    }
    if threshold is not None:
        summary["threshold"] = float(model.best_threshold_)
        summary["threshold_objective"] = threshold.model_dump(exclude_none=True)
        summary["threshold_cv_score"] = float(model.best_score_)
    return model, results, summary


def plot_leaderboard(leaderboard: pd.DataFrame) -> go.Figure:
    """Return the leaderboard chart: mean ± std of the metric, and fit time."""
    return leaderboard_figure(leaderboard)
