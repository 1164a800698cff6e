"""Model-agnostic diagnostics: permutation importance, informative tokens and the
learning curve, each returned as a small JSON-ready dict for plotting and the report.

Scores use the variant's primary metric, signed so that higher is better while
computing (the task's scorer) and reported in the metric's own direction.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone
from sklearn.inspection import permutation_importance
from sklearn.model_selection import (
    FixedThresholdClassifier,
    TunedThresholdClassifierCV,
    learning_curve,
)
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from ml_workflow.core.config import Compute, Evaluation, Problem
from ml_workflow.core.task import Task, task_for
from ml_workflow.parallel import Workers, prefer_workers


def _sample(frame: pd.DataFrame, max_rows: int | None, seed: int) -> pd.DataFrame:
    if max_rows and len(frame) > max_rows:
        return frame.sample(n=int(max_rows), random_state=seed)
    return frame


def fitted_pipeline(model: BaseEstimator) -> BaseEstimator:
    """Return the fitted sklearn Pipeline inside ``model`` (a meta-estimator such as
    a threshold tuner keeps it in ``estimator_``), or ``model`` itself.
    """
    inner = getattr(model, "estimator_", None)
    return (
        inner
        if isinstance(inner, Pipeline) and not isinstance(model, Pipeline)
        else model
    )


def _token_weights(
    estimator: BaseEstimator, task: Task
) -> tuple[np.ndarray, str, str] | str:
    """Return per-feature weights oriented toward the positive class (or a higher
    target), where they come from and what a positive weight means; or a note.
    """
    name = type(estimator).__name__
    orientation = task.weight_orientation(
        [str(c) for c in getattr(estimator, "classes_", [])]
    )
    if isinstance(orientation, str):
        return f"tokens skipped: {name} has {orientation}"
    sign, meaning = orientation
    if hasattr(estimator, "coef_"):
        coef = np.asarray(estimator.coef_, dtype=float)
        if coef.ndim == 2 and coef.shape[0] != 1:
            return f"tokens skipped: {name} has one coefficient row per class"
        return sign * coef.ravel(), "model coefficient", meaning
    if hasattr(estimator, "feature_log_prob_") and task.CATEGORICAL_TARGET:
        log_prob = np.asarray(estimator.feature_log_prob_, dtype=float)
        return sign * (log_prob[1] - log_prob[0]), "log-probability ratio", meaning
    return (
        f"tokens skipped: {name} has no per-token weights "
        "(no coef_ or feature_log_prob_)"
    )


def informative_tokens(
    model: BaseEstimator, problem: Problem, top_n: int
) -> tuple[dict[str, Any] | None, str | None]:
    """Return the ``top_n`` tokens with the largest weights each way, or a note.

    Tokens are the TF-IDF features of the text columns (named ``text_<column>``
    in the preprocessor); their weights come from the fitted estimator.
    """
    text_columns = problem.features.text
    if not text_columns:
        return None, None
    pipeline = fitted_pipeline(model)
    if not isinstance(pipeline, Pipeline) or "preprocess" not in pipeline.named_steps:
        return None, "tokens skipped: the model is not the project's sklearn Pipeline"
    weights = _token_weights(pipeline.steps[-1][1], task_for(problem))
    if isinstance(weights, str):
        return None, weights
    values, source, meaning = weights
    preprocess = pipeline.named_steps["preprocess"]
    hashed = [
        column
        for column in text_columns
        if "hash" in preprocess.named_transformers_[f"text_{column}"].named_steps
    ]
    if hashed:
        return None, (
            f"tokens skipped: text column(s) {hashed} are hashed "
            "(text_vectorizer kind 'hashing'), which keeps no vocabulary"
        )
    items = []
    for column in text_columns:
        # The vectorizer's own vocabulary, at the columns the ColumnTransformer
        # gave it in the estimator's input.
        name = f"text_{column}"
        vocabulary = preprocess.named_transformers_[name][-1].get_feature_names_out()
        offset = preprocess.output_indices_[name].start
        column_values = values[offset : offset + len(vocabulary)]
        order = np.argsort(column_values)
        half = max(1, top_n // 2)
        chosen = list(order[-half:][::-1]) + list(order[:half])
        items += [
            {
                "column": column,
                "token": str(vocabulary[i]),
                "weight": float(column_values[i]),
            }
            for i in dict.fromkeys(chosen)
        ]
    return {"source": source, "weight_meaning": meaning, "items": items}, None


def permutation_workers(problem: Problem) -> Workers:
    """Where permutation importance scores its columns: threads, unless the
    model reads text.

    Each column's shuffles are one joblib task, and a process pool pickles the
    fitted model into every task: housing's 60 MB blend took 5.1 s of the run
    in two processes against 3.5 s in two threads (measured), since its trees,
    neighbours and boosting predict in native code that releases the GIL.
    Text is tokenized in Python, under the GIL, so a text model keeps the
    processes. A hint only (`ml_workflow.parallel.prefer_workers`): a backend
    the caller set wins.
    """
    return "processes" if problem.features.text else "threads"


def feature_importance(
    model: BaseEstimator,
    test: pd.DataFrame,
    problem: Problem,
    evaluation: Evaluation,
    compute: Compute,
) -> dict[str, Any]:
    """Permutation importance of each raw feature on the (sampled) test split, plus
    the most informative tokens when the model reads text.

    Importance is the loss in the primary metric when one column's values are
    shuffled, averaged over ``n_repeats`` seeded shuffles; the columns are
    scored side by side in `permutation_workers`.
    """
    settings = evaluation.permutation_importance
    metric = evaluation.primary_metric
    rows = _sample(test, settings.max_rows, settings.seed)
    columns = problem.feature_columns
    with (
        threadpool_limits(limits=compute.threads_per_fit),
        prefer_workers(permutation_workers(problem)),
    ):
        result = permutation_importance(
            model,
            rows[columns],
            rows[problem.target],
            scoring=task_for(problem).scorer(metric),
            n_repeats=settings.n_repeats,
            random_state=settings.seed,
            n_jobs=compute.n_jobs,
        )
    tokens, note = informative_tokens(model, problem, settings.top_tokens)
    return {
        "metric": metric,
        "scored_rows": len(rows),
        "n_repeats": settings.n_repeats,
        "permutation": sorted(
            (
                {"feature": column, "mean": float(mean), "std": float(std)}
                for column, mean, std in zip(
                    columns,
                    result.importances_mean,
                    result.importances_std,
                    strict=True,
                )
            ),
            key=lambda row: row["mean"],
            reverse=True,
        ),
        "tokens": tokens,
        "note": note,
    }


def curve_estimator(model: BaseEstimator, positive: Any = None) -> BaseEstimator:
    """An unfitted copy of ``model`` for the learning curve: a threshold tuner
    becomes its estimator at the fixed tuned threshold, applied to the
    ``positive`` class's score as the tuner applied it."""
    if isinstance(model, TunedThresholdClassifierCV):
        return FixedThresholdClassifier(
            clone(model.estimator),
            threshold=float(model.best_threshold_),
            pos_label=positive,
            response_method=model.response_method,
        )
    return clone(model)


def learning_curve_table(
    model: BaseEstimator,
    train: pd.DataFrame,
    problem: Problem,
    evaluation: Evaluation,
    compute: Compute,
) -> dict[str, Any]:
    """Training and cross-validated primary metric by training-set size.

    Uses an unfitted clone of the model on the training split only (seeded
    sample of at most ``max_rows``), so the test split stays unseen. A model
    whose threshold was tuned is curved at that threshold (`curve_estimator`),
    not re-tuned in every fit, which would cost ``threshold.cv_folds + 1`` fits
    per point.
    """
    settings = evaluation.learning_curve
    metric = evaluation.primary_metric
    task = task_for(problem)
    rows = _sample(train, settings.max_rows, settings.seed)
    with threadpool_limits(limits=compute.threads_per_fit):
        sizes, train_scores, validation_scores = learning_curve(
            curve_estimator(model, problem.positive_class),
            rows[problem.feature_columns],
            rows[problem.target],
            train_sizes=np.asarray(settings.train_sizes, dtype=float),
            cv=settings.cv,
            scoring=task.scorer(metric),
            shuffle=True,
            random_state=settings.seed,
            n_jobs=compute.n_jobs,
        )
    sign = -1.0 if metric in task.LOWER_IS_BETTER else 1.0  # the metric's own sign
    train_scores, validation_scores = sign * train_scores, sign * validation_scores
    return {
        "metric": metric,
        "cv": settings.cv,
        "rows_used": len(rows),
        "train_sizes": [int(size) for size in sizes],
        "train_mean": train_scores.mean(axis=1).tolist(),
        "train_std": train_scores.std(axis=1).tolist(),
        "validation_mean": validation_scores.mean(axis=1).tolist(),
        "validation_std": validation_scores.std(axis=1).tolist(),
    }
