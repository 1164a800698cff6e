"""The panel's reference models, fitted on the project's own train split.

- ``hgb``: a default ``HistGradientBoosting*`` with native categorical support
  (``categorical_features="from_dtype"`` on pandas category columns); for a
  binary target its decision threshold is tuned like the workflow tunes its own
  (``TunedThresholdClassifierCV``, the variant's threshold objective, 5
  stratified folds).
- ``hgb_log``: the same regressor on a log target
  (``TransformedTargetRegressor(func=np.log1p, inverse_func=np.expm1)``), for
  strongly skewed non-negative targets only.
- ``linear_text``: TF-IDF + a linear model (LinearSVC, or Ridge for
  regression), threshold tuned for binary, for data with free text only.
- ``flaml``: a FLAML AutoML run with a time budget, on the primary metric.

What a careful data scientist does before fitting trees is done for every
reference alike, fitted on the training split only: declared date columns
become year, month, day, weekday, day of year and days since 1970; categories
beyond the 255 that histogram boosting supports become missing (the rarest
first); each text column becomes 100 TF-IDF + SVD components (trees and FLAML
only; ``linear_text`` reads the raw TF-IDF).
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import skew
from sklearn import metrics
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.decomposition import TruncatedSVD
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.model_selection import StratifiedKFold, TunedThresholdClassifierCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.svm import LinearSVC
from threadpoolctl import threadpool_limits

MAX_CATEGORIES = 255  # HistGradientBoosting's limit (max_bins) for a native categorical
SKEW_FOR_LOG = 1.0  # |skew| above which the log-target reference is also fitted
SVD_COMPONENTS = 100
_LABEL_METRICS = {
    "f1": metrics.f1_score,
    "precision": metrics.precision_score,
    "recall": metrics.recall_score,
}


@dataclass
class Problem:
    """What the references need to know about one dataset's split."""

    task: str  # regression | binary | multiclass
    target: str
    numeric: list[str]
    categorical: list[str]
    text: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    positive: str | None = None
    threshold_objective: str = "f1"
    seed: int = 42

    @property
    def metric(self) -> str:
        """The primary metric the panel scores everything on."""
        return {"regression": "r2", "binary": "f1", "multiclass": "macro_f1"}[self.task]


@dataclass
class ReferenceResult:
    """One reference's test score (or its failure), time and what it chose."""

    score: float | None
    seconds: float
    detail: str = ""
    error: str | None = None


def score(problem: Problem, actual: Any, predicted: Any) -> float:
    """The primary metric: R², F1 of the positive class, or macro F1."""
    if problem.task == "regression":
        return float(metrics.r2_score(actual, predicted))
    if problem.task == "binary":
        return float(
            metrics.f1_score(
                actual, predicted, pos_label=problem.positive, zero_division=0
            )
        )
    return float(metrics.f1_score(actual, predicted, average="macro", zero_division=0))


def _date_parts(values: pd.Series) -> pd.DataFrame:
    when = pd.to_datetime(values, errors="coerce", utc=True).dt.tz_localize(None)
    name = str(values.name)
    days = (when - pd.Timestamp("1970-01-01")).dt.total_seconds() / 86400
    return pd.DataFrame(
        {
            f"{name}_year": when.dt.year,
            f"{name}_month": when.dt.month,
            f"{name}_day": when.dt.day,
            f"{name}_weekday": when.dt.day_of_week,
            f"{name}_dayofyear": when.dt.day_of_year,
            f"{name}_days": days,
        },
        index=values.index,
    ).astype(float)


def tabular_frames(
    problem: Problem, train: pd.DataFrame, test: pd.DataFrame, text: str = "svd"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Model inputs for the references, every statistic fitted on ``train``.

    ``text="svd"`` turns each text column into dense SVD components (trees);
    ``text="raw"`` leaves it as strings (the TF-IDF pipeline reads it).
    """
    parts_train, parts_test = [], []
    for column in problem.numeric:
        if column in problem.dates:
            continue
        parts_train.append(pd.to_numeric(train[column], errors="coerce").astype(float))
        parts_test.append(pd.to_numeric(test[column], errors="coerce").astype(float))
    for column in problem.dates:
        parts_train.append(_date_parts(train[column]))
        parts_test.append(_date_parts(test[column]))
    for column in problem.categorical:
        if column in problem.dates:
            continue
        counts = train[column].dropna().astype(str).value_counts()
        levels = list(counts.index[:MAX_CATEGORIES])
        for frame, parts in ((train, parts_train), (test, parts_test)):
            values = frame[column].astype("string").astype(object)
            values = values.where(values.isin(levels))  # unseen or rare: missing
            parts.append(
                pd.Series(
                    pd.Categorical(values, categories=levels),
                    index=frame.index,
                    name=column,
                )
            )
    for column in problem.text:
        if text == "raw":
            parts_train.append(train[column].fillna("").astype(str))
            parts_test.append(test[column].fillna("").astype(str))
            continue
        encoder = make_pipeline(
            TfidfVectorizer(sublinear_tf=True, min_df=2, max_features=100_000),
            TruncatedSVD(SVD_COMPONENTS, random_state=problem.seed),
        )
        names = [f"{column}_svd{i}" for i in range(SVD_COMPONENTS)]
        fitted = encoder.fit_transform(train[column].fillna("").astype(str))
        parts_train.append(pd.DataFrame(fitted, index=train.index, columns=names))
        applied = encoder.transform(test[column].fillna("").astype(str))
        parts_test.append(pd.DataFrame(applied, index=test.index, columns=names))
    return pd.concat(parts_train, axis=1), pd.concat(parts_test, axis=1)


def _threshold_tuned(problem: Problem, estimator: Any, n_jobs: int) -> Any:
    objective = problem.threshold_objective
    if objective == "accuracy":
        scorer = metrics.make_scorer(metrics.accuracy_score)
    else:
        scorer = metrics.make_scorer(
            _LABEL_METRICS.get(objective, metrics.f1_score),
            pos_label=problem.positive,
            zero_division=0,
        )
    folds = StratifiedKFold(5, shuffle=True, random_state=problem.seed)
    return TunedThresholdClassifierCV(
        estimator, scoring=scorer, cv=folds, random_state=problem.seed, n_jobs=n_jobs
    )


def _timed(
    fit_and_predict: Callable[[], tuple[Any, str]], problem: Problem, actual: Any
) -> ReferenceResult:
    start = time.perf_counter()
    try:
        predicted, detail = fit_and_predict()
    except Exception as error:  # a reference that fails is reported, not fatal
        last = traceback.format_exception_only(error)[-1].strip()
        return ReferenceResult(None, time.perf_counter() - start, error=last)
    return ReferenceResult(
        score(problem, actual, predicted), time.perf_counter() - start, detail
    )


def _target(problem: Problem, frame: pd.DataFrame) -> pd.Series:
    values = frame[problem.target]
    if problem.task == "regression":
        return pd.to_numeric(values, errors="coerce").astype(float)
    return values.astype(str).str.strip()


def _linear_text(problem: Problem, train: pd.DataFrame, n_jobs: int) -> Any:
    inputs = []
    for column in problem.text:
        vectorizer = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=2)
        inputs.append((f"text_{column}", vectorizer, column))
    numbers = [
        c for c in train.columns if c not in problem.text and train[c].dtype.kind == "f"
    ]
    categories = [
        c for c in train.columns if isinstance(train[c].dtype, pd.CategoricalDtype)
    ]
    if numbers:
        inputs.append(
            ("numbers", make_pipeline(SimpleImputer(), StandardScaler()), numbers)
        )
    if categories:
        coded = OneHotEncoder(handle_unknown="ignore", min_frequency=5)  # NaN: a level
        inputs.append(("categories", coded, categories))
    model = (
        Ridge()
        if problem.task == "regression"
        else LinearSVC(random_state=problem.seed)
    )
    pipeline = make_pipeline(ColumnTransformer(inputs), model)
    return (
        _threshold_tuned(problem, pipeline, n_jobs)
        if problem.task == "binary"
        else pipeline
    )


def _flaml(
    problem: Problem,
    x_train: pd.DataFrame,
    y_train: pd.Series,
    x_test: pd.DataFrame,
    budget: float,
    n_jobs: int,
) -> tuple[Any, str]:
    from flaml import AutoML  # noqa: PLC0415 - benchmark extra, imported when used

    automl = AutoML()
    labels = y_train
    if (
        problem.task == "binary"
    ):  # FLAML's f1 is about label 1: make it the positive class
        labels = (y_train == problem.positive).astype(int)
    automl.fit(
        x_train,
        labels,
        task="regression" if problem.task == "regression" else "classification",
        metric=problem.metric,
        time_budget=budget,
        n_jobs=n_jobs,
        seed=problem.seed,
        verbose=0,
    )
    predicted = automl.predict(x_test)
    if problem.task == "binary":
        negative = next(
            label for label in y_train.unique() if label != problem.positive
        )
        predicted = np.where(np.asarray(predicted) == 1, problem.positive, negative)
    config = {
        key: round(float(value), 4) if isinstance(value, float) else value
        for key, value in automl.best_config.items()
    }
    return predicted, f"{automl.best_estimator} {config}"


def fit_references(
    problem: Problem,
    train: pd.DataFrame,
    test: pd.DataFrame,
    flaml_budget: float | None,
    n_jobs: int = 2,
    only: Sequence[str] | None = None,
) -> dict[str, ReferenceResult]:
    """Fit every reference that applies on ``train``; score each on ``test``.

    Each fit uses one OpenMP/BLAS thread (parallelism comes from ``n_jobs``
    processes): on a shared 2-core machine, histogram boosting's spinning
    OpenMP threads made a 400-row fit 20-40 times slower than one thread.
    """
    with threadpool_limits(limits=1):
        return _fit_references(problem, train, test, flaml_budget, n_jobs, only)


def _fit_references(
    problem: Problem,
    train: pd.DataFrame,
    test: pd.DataFrame,
    flaml_budget: float | None,
    n_jobs: int,
    only: Sequence[str] | None,
) -> dict[str, ReferenceResult]:
    y_train, y_test = _target(problem, train), _target(problem, test)
    keep_train, keep_test = y_train.notna(), y_test.notna()
    train, test, y_train, y_test = (
        train[keep_train],
        test[keep_test],
        y_train[keep_train],
        y_test[keep_test],
    )
    x_train, x_test = tabular_frames(problem, train, test)
    results: dict[str, ReferenceResult] = {}

    def wanted(name: str) -> bool:
        return only is None or name in only

    if problem.task == "regression":
        hgb: Any = HistGradientBoostingRegressor(
            categorical_features="from_dtype", random_state=problem.seed
        )
    else:
        hgb = HistGradientBoostingClassifier(
            categorical_features="from_dtype", random_state=problem.seed
        )
    if wanted("hgb"):
        model = (
            _threshold_tuned(problem, hgb, n_jobs) if problem.task == "binary" else hgb
        )

        def fit_hgb() -> tuple[Any, str]:
            fitted = model.fit(x_train, y_train)
            threshold = getattr(fitted, "best_threshold_", None)
            return fitted.predict(
                x_test
            ), "" if threshold is None else f"threshold {threshold:.3f}"

        results["hgb"] = _timed(fit_hgb, problem, y_test)
    target_skew = float(skew(y_train)) if problem.task == "regression" else 0.0
    if wanted("hgb_log") and abs(target_skew) > SKEW_FOR_LOG and y_train.min() > -1:
        logged = TransformedTargetRegressor(hgb, func=np.log1p, inverse_func=np.expm1)
        results["hgb_log"] = _timed(
            lambda: (
                logged.fit(x_train, y_train).predict(x_test),
                f"target skew {target_skew:.2f}",
            ),
            problem,
            y_test,
        )
    if wanted("linear_text") and problem.text:
        raw_train, raw_test = tabular_frames(problem, train, test, text="raw")
        linear = _linear_text(problem, raw_train, n_jobs)

        def fit_linear() -> tuple[Any, str]:
            fitted = linear.fit(raw_train, y_train)
            threshold = getattr(fitted, "best_threshold_", None)
            name = "Ridge" if problem.task == "regression" else "LinearSVC"
            tuned = "" if threshold is None else f", threshold {threshold:.3f}"
            return fitted.predict(raw_test), f"TF-IDF (1-2 grams) + {name}{tuned}"

        results["linear_text"] = _timed(fit_linear, problem, y_test)
    if wanted("flaml") and flaml_budget:
        results["flaml"] = _timed(
            lambda: _flaml(problem, x_train, y_train, x_test, flaml_budget, n_jobs),
            problem,
            y_test,
        )
    return results
