"""Every candidate's cross-validation folds in one parallel pass.

Cross-validating the candidates one after another (one ``cross_validate``
call each) leaves workers idle at the end of every candidate: housing's three
folds on two workers ran in two rounds, the second with one worker idle, so
about a third of the workers' time was lost on each of its six candidates.
`packed_outcomes` sends every candidate's folds to one joblib call, in
candidate order, so a worker that finishes one candidate's last fold starts
the next candidate's first; each candidate's outcome is handed back as soon
as its folds are done, in ``cross_validate``'s format. A fold does what
``cross_validate`` does for it: a clone of the candidate's pipeline is fitted
on the fold's training rows and scored on its validation rows. The first
failing fold's error drops its candidate (as ``error_score="raise"`` did);
the other candidates go on. Where thresholds are tuned, each fold's
validation rows are scored (`Comparison.validation_scores`) in the worker that
fitted it and only those scores come back: sending the fitted fold models to
the main process to score them there held every candidate's five models in
memory at once (on 6,046 e-mails hashed into 2**20 columns, about 300 MB)
and scored them one after another while the workers waited.

`one_by_one_outcomes` keeps the candidate-by-candidate order where a time
budget must be able to stop between two candidates (``max_seconds``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import BaseCrossValidator, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.utils.parallel import Parallel, delayed

from ml_workflow.core.config import Candidate
from ml_workflow.progress import Progress, observe_fits

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Comparison:
    """What every candidate is cross-validated on, and how."""

    features: pd.DataFrame
    target: pd.Series
    candidates: Sequence[Candidate]
    pipeline_of: Callable[[Candidate], Pipeline]
    scorer: Any
    cv: BaseCrossValidator
    n_jobs: int | None
    validation_scores: Callable[[Any, pd.DataFrame], np.ndarray] | None = None
    """Threshold tuning: score each fold's validation rows with this
    (model, features -> positive-class scores) and return the scores and the
    rows, not the fitted models."""


@dataclass(frozen=True)
class Dropped:
    """A candidate without scores: why (``skipped``: by the time budget)."""

    message: str
    skipped: bool = False


Outcome = dict[str, Any] | Dropped
"""``cross_validate``'s result (``test_score``, ``fit_time`` and, with
``validation_scores``, each fold's ``validation_scores`` and its ``indices``),
or why there is none."""


def _error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}".splitlines()[0]


def fit_and_score_fold(  # noqa: PLR0913 - cross_validate's arguments for one fold
    pipeline: Pipeline,
    features: pd.DataFrame,
    target: pd.Series,
    train: np.ndarray,
    validation: np.ndarray,
    scorer: Any,
    validation_scores: Callable[[Any, pd.DataFrame], np.ndarray] | None = None,
) -> dict[str, Any]:
    """Fit a clone of ``pipeline`` on the ``train`` rows, score it on the
    ``validation`` rows (and, with ``validation_scores``, return those rows'
    positive-class scores); an error is returned (as text), not raised, so
    the other candidates' folds in the same joblib call go on."""
    model = clone(pipeline)
    try:
        started = time.perf_counter()
        model.fit(features.iloc[train], target.iloc[train])
        fit_time = time.perf_counter() - started
        held_out = features.iloc[validation]
        score = scorer(model, held_out, target.iloc[validation])
        scores = (
            None if validation_scores is None else validation_scores(model, held_out)
        )
    except Exception as error:  # noqa: BLE001 - reported as the candidate's error
        return {"error": _error_text(error)}
    return {"score": float(score), "fit_time": fit_time, "validation_scores": scores}


def packed_outcomes(comparison: Comparison, progress: Progress) -> Iterator[Outcome]:
    """Each candidate's outcome, in order, from one joblib call over every fold."""
    features, target = comparison.features, comparison.target
    splits = list(comparison.cv.split(features, target))
    pipelines: list[Pipeline | Dropped] = []
    for candidate in comparison.candidates:
        try:
            pipelines.append(comparison.pipeline_of(candidate))
        except Exception as error:  # noqa: BLE001 - drops this candidate only
            pipelines.append(Dropped(_error_text(error)))
    tasks = (
        delayed(fit_and_score_fold)(
            pipeline,
            features,
            target,
            train,
            validation,
            comparison.scorer,
            comparison.validation_scores,
        )
        for pipeline in pipelines
        if not isinstance(pipeline, Dropped)
        for train, validation in splits
    )
    folds = Parallel(
        n_jobs=comparison.n_jobs, return_as="generator", pre_dispatch="2*n_jobs"
    )(tasks)
    for pipeline in pipelines:
        if isinstance(pipeline, Dropped):
            progress.advance(len(splits))  # its folds will not run
            yield pipeline
            continue
        results = []
        for _ in splits:
            results.append(next(folds))
            progress.advance()
        errors = [result["error"] for result in results if "error" in result]
        if errors:
            yield Dropped(errors[0])
            continue
        outcome: dict[str, Any] = {
            "test_score": np.array([result["score"] for result in results]),
            "fit_time": np.array([result["fit_time"] for result in results]),
        }
        if comparison.validation_scores is not None:
            outcome["validation_scores"] = [r["validation_scores"] for r in results]
            outcome["indices"] = {
                "train": [train for train, _ in splits],
                "test": [validation for _, validation in splits],
            }
        yield outcome


def one_by_one_outcomes(
    comparison: Comparison, progress: Progress, max_seconds: float
) -> Iterator[Outcome]:
    """Each candidate's outcome from its own ``cross_validate`` call; once
    ``max_seconds`` are spent and one candidate scored, the rest are skipped."""
    features, target, cv = comparison.features, comparison.target, comparison.cv
    folds = cv.get_n_splits(features, target)
    keep_models = comparison.validation_scores is not None
    started = time.perf_counter()
    scored = False
    for index, candidate in enumerate(comparison.candidates, start=1):
        if scored and time.perf_counter() - started >= max_seconds:
            progress.set_done(index * folds)  # its folds will not run
            yield Dropped(
                "skipped: the selection's time budget "
                f"(model_selection.max_seconds {max_seconds:g}) was spent",
                skipped=True,
            )
            continue
        try:
            with observe_fits(progress):
                result = cross_validate(
                    comparison.pipeline_of(candidate),
                    features,
                    target,
                    scoring=comparison.scorer,
                    cv=cv,
                    n_jobs=comparison.n_jobs,
                    error_score="raise",
                    return_estimator=keep_models,
                    return_indices=keep_models,
                )
            if keep_models:  # scored here, one candidate's models at a time
                result["validation_scores"] = [
                    comparison.validation_scores(model, features.iloc[rows])
                    for model, rows in zip(
                        result.pop("estimator"), result["indices"]["test"], strict=True
                    )
                ]
        except Exception as error:  # noqa: BLE001 - any failure drops the candidate
            progress.set_done(index * folds)  # its folds will not run
            yield Dropped(_error_text(error))
            continue
        scored = True
        progress.set_done(index * folds)
        yield result


__all__ = [
    "Comparison",
    "Dropped",
    "Outcome",
    "fit_and_score_fold",
    "one_by_one_outcomes",
    "packed_outcomes",
]
