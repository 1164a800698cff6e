"""A fold's text preprocessing is fitted once per node, and leaves no trace.

Counted by wrapping ``TfidfVectorizer.fit_transform`` (the fits run in this
process: ``n_jobs=1``); the cached runs must score and predict exactly as the
uncached ones.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import Pipeline

from ml_workflow.core.config import (
    Candidate,
    Compute,
    Evaluation,
    ModelSelection,
    Preprocessing,
    Problem,
)
from ml_workflow.core.model_builder import feature_transform
from ml_workflow.pipelines.modelling import nodes
from ml_workflow.pipelines.modelling.caching import CACHE_PREFIX, step_cache

TEXT = Problem.model_validate(
    {
        "task": "classification",
        "target": "label",
        "positive_class": "spam",
        "features": {"numeric": ["length"], "text": ["message"]},
    }
)
NUMERIC = Problem.model_validate(
    {"task": "regression", "target": "y", "features": {"numeric": ["x"]}}
)
# three candidates with the same preprocessing (the variant's); "nb" is chosen
# (the simplest, and no other beats it beyond the noise) and searched over alpha
CANDIDATES = [
    Candidate(
        name="nb",
        estimator="sklearn.naive_bayes.MultinomialNB",
        search_space={"alpha": [0.1, 1.0]},
    ),
    Candidate(name="complement", estimator="sklearn.naive_bayes.ComplementNB"),
    Candidate(name="bernoulli", estimator="sklearn.naive_bayes.BernoulliNB"),
]
SELECTION = ModelSelection.model_validate(
    {
        "cv_folds": 2,
        "seed": 3,
        "search": {"strategy": "grid", "cv_folds": 2},
        "threshold": {"objective": "f1", "cv_folds": 2},
    }
)
PREPROCESSING = Preprocessing(numeric_scaler="minmax")


def _frame() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    spam = [f"win cash prize {i} call now" for i in range(12)]
    ham = [f"lunch at {i} see you" for i in range(18)]
    return pd.DataFrame(
        {
            "message": spam + ham,
            "length": rng.integers(10, 40, 30),
            "label": ["spam"] * 12 + ["ham"] * 18,
        }
    ).sample(frac=1.0, random_state=0)


@pytest.fixture
def vectorizer_fits(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many rows each TF-IDF fit saw, in call order."""
    fits: list[int] = []
    original = TfidfVectorizer.fit_transform

    def counted(self: TfidfVectorizer, raw: Any, y: Any = None) -> Any:
        fits.append(len(raw))
        return original(self, raw, y)

    monkeypatch.setattr(TfidfVectorizer, "fit_transform", counted)
    return fits


@contextmanager
def _no_cache(problem: Problem) -> Iterator[None]:
    yield None


_SETTINGS = (PREPROCESSING, CANDIDATES, SELECTION, Evaluation(primary_metric="f1"))


def _select(train: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Any]]:
    return nodes.select_model(
        train, feature_transform([]), TEXT, *_SETTINGS, Compute(n_jobs=1)
    )


def _tune(train: pd.DataFrame, report: dict[str, Any]) -> tuple[Any, pd.DataFrame]:
    model, results, _ = nodes.tune_model(
        train, feature_transform([]), report, TEXT, *_SETTINGS, Compute(n_jobs=1)
    )
    return model, results


def _select_and_tune(train: pd.DataFrame) -> tuple[pd.DataFrame, Any, pd.DataFrame]:
    board, report = _select(train)
    model, results = _tune(train, report)
    return board, model, results


def _pipelines(model: Any) -> list[Pipeline]:
    """Every Pipeline the fitted threshold-tuned model holds."""
    found = [model.estimator, model.estimator_]
    assert all(isinstance(p, Pipeline) for p in found)
    return found


def test_a_fold_fits_its_vectorizer_at_most_twice_per_node(
    vectorizer_fits: list[int],
) -> None:
    train = _frame()
    _, report = _select(train)
    selection_fits = len(vectorizer_fits)
    _tune(train, report)
    tuning_fits = vectorizer_fits[selection_fits:]
    assert report["chosen"] == "nb"
    # Uncached: 3 candidates x 2 folds to select; 2 settings x 2 folds, 2
    # threshold folds and the refit to tune. Cached, a fold's preprocessing is
    # fitted once, and once more when the previous step's output read back
    # from the cache pickles differently from the freshly computed frame
    # (pandas keys the block layout into the pickle), so at most twice.
    assert selection_fits <= 2 * 2 < 3 * 2
    assert tuning_fits[-1] == len(train)  # the refit on every training row
    assert len(tuning_fits) - 1 <= 2 * 2 < 4 + 2
    assert set(tuning_fits[:-1]) == {len(train) // 2}


def test_without_the_cache_every_fit_refits_the_vectorizer(
    vectorizer_fits: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(nodes, "step_cache", _no_cache)
    _select_and_tune(_frame())
    # 3 candidates x 2 folds; 2 settings x 2 folds, 2 threshold folds, the refit
    assert len(vectorizer_fits) == 6 + 4 + 2 + 1


def test_cached_and_uncached_runs_choose_score_and_predict_alike(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    train = _frame()
    board, model, results = _select_and_tune(train)
    monkeypatch.setattr(nodes, "step_cache", _no_cache)
    plain_board, plain_model, plain_results = _select_and_tune(train)
    pd.testing.assert_frame_equal(
        board.drop(columns="fit_time_seconds"),
        plain_board.drop(columns="fit_time_seconds"),
    )
    assert results["mean_test_score"].tolist() == pytest.approx(
        plain_results["mean_test_score"].tolist()
    )
    assert model.best_threshold_ == pytest.approx(plain_model.best_threshold_)
    features = train[TEXT.feature_columns]
    assert model.predict_proba(features) == pytest.approx(
        plain_model.predict_proba(features)
    )


def test_the_model_leaving_the_node_holds_no_cache_and_none_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    _, model, _ = _select_and_tune(_frame())
    assert [p.memory for p in _pipelines(model)] == [None, None]
    assert not list(tmp_path.glob(f"{CACHE_PREFIX}*"))


def test_variants_without_text_are_not_cached() -> None:
    with step_cache(NUMERIC) as location:
        assert location is None
    with step_cache(TEXT) as location:
        assert location is not None and Path(location).is_dir()
    assert not Path(location).exists()
