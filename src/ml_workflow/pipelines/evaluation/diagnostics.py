"""Model-agnostic diagnostics: permutation importance, informative tokens and the
learning curve, each returned as a small JSON-ready dict for plotting and the report.

Scores use the variant's primary metric, signed so that higher is better while
computing (``metrics.orient``) and reported in the metric's own direction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone
from sklearn.inspection import permutation_importance
from sklearn.model_selection import learning_curve
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from ml_workflow.errors import ConfigurationError
from ml_workflow.problem import feature_columns, features_by_kind, target_of, task_of

from .metrics import LOWER_IS_BETTER, classification_metrics, orient, regression_metrics
from .nodes import positive_scores


def section(
    evaluation: Mapping[str, Any], name: str, keys: tuple[str, ...]
) -> dict[str, Any]:
    """Return ``evaluation.<name>``, refusing it when a required key is missing."""
    settings = evaluation.get(name)
    if not isinstance(settings, Mapping):
        raise ConfigurationError(
            f"evaluation.{name} is required (keys {list(keys)}), found {settings!r}"
        )
    missing = [key for key in keys if key not in settings]
    if missing:
        raise ConfigurationError(f"evaluation.{name} lacks the key(s) {missing}")
    return dict(settings)


def primary_scorer(
    problem: Mapping[str, Any], metric: str
) -> Callable[[BaseEstimator, pd.DataFrame, Any], float]:
    """Return a scikit-learn scorer for ``metric``, higher is better."""
    task = task_of(problem)
    positive = str(problem.get("positive_class")) if task == "classification" else None

    def score(estimator: BaseEstimator, features: pd.DataFrame, target: Any) -> float:
        predicted = estimator.predict(features)
        if task == "regression":
            values = regression_metrics(target, predicted)
        else:
            scores = positive_scores(estimator, features, positive)
            values = classification_metrics(target, predicted, scores, positive)
        return orient(metric, values[metric])

    return score


def _threads(settings: Mapping[str, Any]) -> int:
    """Threads each fit may use (OpenMP/BLAS), default 1.

    Many small fits in a row are faster single-threaded: threaded estimators
    such as HistGradientBoosting slow down tenfold when cores are contended.
    """
    return int(settings.get("threads_per_fit") or 1)


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
    estimator: BaseEstimator, problem: Mapping[str, Any]
) -> tuple[np.ndarray, str, str] | str:
    """Return per-feature weights oriented toward the positive class (or a higher
    target), where they come from and what a positive weight means; or a note.
    """
    name = type(estimator).__name__
    task = task_of(problem)
    classes = [str(c) for c in getattr(estimator, "classes_", [])]
    if task == "classification" and len(classes) != 2:
        return f"tokens skipped: {name} has {len(classes)} classes, not two"
    if task == "classification":
        positive = str(problem.get("positive_class"))
        negative = next(c for c in classes if c != positive)
        meaning = f"+ favours {positive!r}, - favours {negative!r}"
        sign = 1.0 if classes.index(positive) == 1 else -1.0
    else:
        meaning = f"+ raises {target_of(problem)!r}"
        sign = 1.0
    if hasattr(estimator, "coef_"):
        coef = np.asarray(estimator.coef_, dtype=float)
        if coef.ndim == 2 and coef.shape[0] != 1:
            return f"tokens skipped: {name} has one coefficient row per class"
        return sign * coef.ravel(), "model coefficient", meaning
    if hasattr(estimator, "feature_log_prob_") and task == "classification":
        log_prob = np.asarray(estimator.feature_log_prob_, dtype=float)
        return sign * (log_prob[1] - log_prob[0]), "log-probability ratio", meaning
    return (
        f"tokens skipped: {name} has no per-token weights "
        "(no coef_ or feature_log_prob_)"
    )


def informative_tokens(
    model: BaseEstimator, problem: Mapping[str, Any], top_n: int
) -> tuple[dict[str, Any] | None, str | None]:
    """Return the ``top_n`` tokens with the largest weights each way, or a note.

    Tokens are the TF-IDF features of the text columns (named ``text_<column>``
    in the preprocessor); their weights come from the fitted estimator.
    """
    text_columns = features_by_kind(problem)["text"]
    if not text_columns:
        return None, None
    pipeline = fitted_pipeline(model)
    if not isinstance(pipeline, Pipeline) or "preprocess" not in pipeline.named_steps:
        return None, "tokens skipped: the model is not the project's sklearn Pipeline"
    weights = _token_weights(pipeline.steps[-1][1], problem)
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


def feature_importance(
    model: BaseEstimator,
    test: pd.DataFrame,
    problem: Mapping[str, Any],
    evaluation: Mapping[str, Any],
) -> dict[str, Any]:
    """Permutation importance of each raw feature on the (sampled) test split, plus
    the most informative tokens when the model reads text.

    Importance is the loss in the primary metric when one column's values are
    shuffled, averaged over ``n_repeats`` seeded shuffles.
    """
    settings = section(evaluation, "permutation_importance", ("n_repeats", "seed"))
    metric = evaluation["primary_metric"]
    rows = _sample(test, settings.get("max_rows"), settings["seed"])
    columns = feature_columns(problem)
    with threadpool_limits(limits=_threads(settings)):
        result = permutation_importance(
            model,
            rows[columns],
            rows[target_of(problem)],
            scoring=primary_scorer(problem, metric),
            n_repeats=int(settings["n_repeats"]),
            random_state=int(settings["seed"]),
            n_jobs=settings.get("n_jobs"),
        )
    tokens, note = informative_tokens(
        model, problem, int(settings.get("top_tokens", 20))
    )
    return {
        "metric": metric,
        "scored_rows": len(rows),
        "n_repeats": int(settings["n_repeats"]),
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


def learning_curve_table(
    model: BaseEstimator,
    train: pd.DataFrame,
    problem: Mapping[str, Any],
    evaluation: Mapping[str, Any],
) -> dict[str, Any]:
    """Training and cross-validated primary metric by training-set size.

    Uses an unfitted clone of the model on the training split only (seeded
    sample of at most ``max_rows``), so the test split stays unseen.
    """
    settings = section(evaluation, "learning_curve", ("cv", "train_sizes", "seed"))
    metric = evaluation["primary_metric"]
    rows = _sample(train, settings.get("max_rows"), settings["seed"])
    with threadpool_limits(limits=_threads(settings)):
        sizes, train_scores, validation_scores = learning_curve(
            clone(model),
            rows[feature_columns(problem)],
            rows[target_of(problem)],
            train_sizes=np.asarray(settings["train_sizes"], dtype=float),
            cv=int(settings["cv"]),
            scoring=primary_scorer(problem, metric),
            shuffle=True,
            random_state=int(settings["seed"]),
            n_jobs=settings.get("n_jobs"),
        )
    sign = -1.0 if metric in LOWER_IS_BETTER else 1.0  # back to the metric's own sign
    train_scores, validation_scores = sign * train_scores, sign * validation_scores
    return {
        "metric": metric,
        "cv": int(settings["cv"]),
        "rows_used": len(rows),
        "train_sizes": [int(size) for size in sizes],
        "train_mean": train_scores.mean(axis=1).tolist(),
        "train_std": train_scores.std(axis=1).tolist(),
        "validation_mean": validation_scores.mean(axis=1).tolist(),
        "validation_std": validation_scores.std(axis=1).tolist(),
    }
