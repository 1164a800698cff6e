"""Compare candidates by K-fold cross-validation and choose one.

Every fold fits the candidate's whole Pipeline (derived features,
preprocessing, estimator) on that fold's training rows only, so no statistic
of a validation fold leaks into the model scored on it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.model_selection import BaseCrossValidator
from sklearn.pipeline import Pipeline

from ml_workflow.core.config import Candidate, Simplicity, Threshold
from ml_workflow.core.task import Task
from ml_workflow.errors import ModelSelectionError
from ml_workflow.progress import Progress

from .caching import HeldOutCache
from .candidates import complexity_of
from .folds import Comparison, Dropped, one_by_one_outcomes, packed_outcomes
from .thresholds import tuned_fold_scores

logger = logging.getLogger(__name__)


def cross_validate_candidates(
    features: pd.DataFrame,
    target: pd.Series,
    candidates: Sequence[Candidate],
    pipeline_of: Callable[[Candidate], Pipeline],
    task: Task,
    metric: str,
    cv: BaseCrossValidator,
    n_jobs: int | None,
    threshold: Threshold | None = None,
    max_seconds: float | None = None,
    cache: str | None = None,
) -> pd.DataFrame:
    """Return one row per candidate: fold scores, mean, std and mean fit time.

    Scores are in the metric's own units (an RMSE is positive), and every
    candidate sees the same folds, so the rows are comparable. With a
    ``threshold`` to tune (binary) and a metric that depends on it, each
    candidate is scored at its own tuned threshold, as the chosen model will
    be (`thresholds.tuned_fold_scores`); the leaderboard keeps the threshold
    and the mean at the estimator's default cut beside it. Without a time
    budget, every candidate's folds run in one parallel pass
    (`folds.packed_outcomes`), so no worker idles between candidates; with
    ``max_seconds``, one candidate after another, and once they are spent the
    remaining candidates are skipped: their row holds the reason in
    ``error``, so they are listed but not chosen. ``cache`` (the node's step
    cache) keeps each fold's transformed held-out rows for the candidates
    that share its preprocessing (`caching.HeldOutCache`).
    """
    complexity = complexity_of(candidates)
    scorer = HeldOutCache(task.scorer(metric), cache)
    tune = threshold is not None and metric in task.THRESHOLD_METRICS
    sign = -1.0 if metric in task.LOWER_IS_BETTER else 1.0
    folds = cv.get_n_splits(features, target)
    progress = Progress("model selection", len(candidates) * folds)
    comparison = Comparison(
        features,
        target,
        candidates,
        pipeline_of,
        scorer,
        cv,
        n_jobs,
        validation_scores=HeldOutCache(task.positive_scores, cache) if tune else None,
    )
    outcomes = (
        packed_outcomes(comparison, progress)
        if max_seconds is None
        else one_by_one_outcomes(comparison, progress, max_seconds)
    )
    rows = []
    for index, candidate in enumerate(candidates, start=1):
        progress.stage(f"candidate {index}/{len(candidates)} {candidate.name}")
        outcome = next(outcomes)
        row: dict[str, Any] = {
            "candidate": candidate.name,
            "estimator": candidate.estimator,
            "complexity": complexity[candidate.name],
            "metric": metric,
        }
        if isinstance(outcome, Dropped):
            row.update(mean=np.nan, std=np.nan, fit_time_seconds=np.nan)
            row["error"] = outcome.message
            if outcome.skipped:
                logger.warning("Candidate %r skipped: %s", candidate.name, row["error"])
            else:
                logger.warning(
                    "Candidate %r failed in cross-validation and is left out: %s",
                    candidate.name,
                    row["error"],
                )
            rows.append(row)
            continue
        scores = sign * np.asarray(outcome["test_score"], dtype=float)
        if tune:
            row["mean_at_default_threshold"] = float(scores.mean())
            row["threshold"], scores = _at_tuned_threshold(
                outcome, target, task, metric, threshold
            )
        row.update(
            {f"fold_{fold}": score for fold, score in enumerate(scores, start=1)}
        )
        row["mean"] = float(scores.mean())
        row["std"] = float(scores.std(ddof=1)) if len(scores) > 1 else 0.0
        row["fit_time_seconds"] = float(np.mean(outcome["fit_time"]))
        row["error"] = None
        rows.append(row)
    return pd.DataFrame(rows)


def _at_tuned_threshold(
    result: dict[str, Any],
    target: pd.Series,
    task: Task,
    metric: str,
    threshold: Threshold,
) -> tuple[float, np.ndarray]:
    """The candidate's tuned threshold and its fold scores at it, from each
    validation fold's positive-class scores."""
    folds = [
        (target.iloc[rows].to_numpy(), scores)
        for scores, rows in zip(
            result["validation_scores"], result["indices"]["test"], strict=True
        )
    ]
    negative = next(label for label in target.unique() if label != task.positive)
    return tuned_fold_scores(
        folds,
        task.threshold_objective(threshold.objective, threshold.min_recall),
        task.label_metric(metric),
        task.positive,
        negative,
    )


def choose_candidate(
    leaderboard: pd.DataFrame, simplicity: Simplicity, task: Task
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Rank the candidates and choose one, preferring the simplest within the noise.

    The winner has the best mean score; the simplest has the lowest complexity.
    The noise is the spread of the winner's fold scores (its standard
    deviation). The winner is chosen only if it beats the simplest candidate by
    more than ``margin`` × noise; otherwise, with ``prefer_simpler`` true, the
    simplest candidate is. ``within_noise`` flags every candidate whose mean is
    that close to the winner's.
    """
    margin, prefer_simpler = simplicity.margin, simplicity.prefer_simpler
    metric = str(leaderboard["metric"].iloc[0])
    failed = (
        leaderboard[leaderboard["error"].notna()]
        if "error" in leaderboard
        else leaderboard.iloc[:0]
    )
    board = leaderboard.drop(index=failed.index)
    if board.empty:
        raise ModelSelectionError(
            "every candidate failed in cross-validation, so none can be chosen: "
            + "; ".join(f"{row.candidate}: {row.error}" for row in failed.itertuples())
        )
    board["_oriented"] = [task.orient(metric, value) for value in board["mean"]]
    # Best first; ties go to the simpler candidate, then the name, for determinism.
    board = board.sort_values(
        ["_oriented", "complexity", "candidate"],
        ascending=[False, True, True],
        kind="stable",
    ).reset_index(drop=True)
    board.insert(0, "rank", np.arange(1, len(board) + 1))
    winner = board.iloc[0]
    noise = float(winner["std"])
    allowed_gap = float(margin) * noise
    board["gap_to_winner"] = (board["_oriented"].iloc[0] - board["_oriented"]).abs()
    board["within_noise"] = board["gap_to_winner"] <= allowed_gap
    simplest = board.sort_values(["complexity", "candidate"], kind="stable").iloc[0]
    winner_gain = float(
        task.orient(metric, winner["mean"]) - task.orient(metric, simplest["mean"])
    )
    winner_beats_simplest = winner_gain > allowed_gap
    chosen = simplest if prefer_simpler and not winner_beats_simplest else winner
    board["chosen"] = board["candidate"] == chosen["candidate"]
    board = board.drop(columns="_oriented")
    if len(failed):  # reported last, unranked, with their error
        board = pd.concat(
            [board, failed.assign(rank=np.nan, within_noise=False, chosen=False)],
            ignore_index=True,
        )
    report = {
        "metric": metric,
        "winner": str(winner["candidate"]),
        "winner_mean": float(winner["mean"]),
        "winner_std": noise,
        "simplest": str(simplest["candidate"]),
        "simplest_mean": float(simplest["mean"]),
        "winner_gain_over_simplest": winner_gain,
        "margin_in_std": float(margin),
        "winner_beats_simplest": bool(winner_beats_simplest),
        "prefer_simpler": prefer_simpler,
        "chosen": str(chosen["candidate"]),
        "chosen_mean": float(chosen["mean"]),
        "failed": {row.candidate: row.error for row in failed.itertuples()},
    }
    return board, report
