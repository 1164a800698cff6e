"""Held-out rows are transformed once per fitted preprocessing and node.

Counted by wrapping ``TfidfVectorizer.transform`` (everything runs in this
process); the cached scores must equal the Pipeline's own.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import get_scorer
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer

from ml_workflow.core.config import Compute
from ml_workflow.core.model_builder import feature_transform
from ml_workflow.pipelines.modelling import nodes
from ml_workflow.pipelines.modelling.caching import HeldOutCache, transformed

from .test_step_cache import _SETTINGS, TEXT, _frame, _no_cache

ACCURACY = get_scorer("accuracy")


@pytest.fixture
def transforms(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many rows each TF-IDF transform saw, in call order."""
    seen: list[int] = []
    original = TfidfVectorizer.transform

    def counted(self: TfidfVectorizer, raw: Any) -> Any:
        seen.append(len(raw))
        return original(self, raw)

    monkeypatch.setattr(TfidfVectorizer, "transform", counted)
    return seen


def _text_model(messages: list[str], labels: list[str]) -> Pipeline:
    return make_pipeline(TfidfVectorizer(), MultinomialNB()).fit(messages, labels)


MESSAGES = ["win cash now", "lunch at noon", "cash prize call", "see you soon"] * 3
LABELS = ["spam", "ham", "spam", "ham"] * 3


def test_equal_fitted_steps_on_equal_rows_transform_once_and_score_alike(
    tmp_path: Path, transforms: list[int]
) -> None:
    model = _text_model(MESSAGES, LABELS)
    held_out, truth = ["cash now", "lunch soon", "win a prize"], ["spam", "ham", "spam"]
    expected = ACCURACY(model, held_out, truth)
    transforms.clear()
    scorer = HeldOutCache(ACCURACY, str(tmp_path))
    assert scorer(model, held_out, truth) == expected
    # the same fitted state read back (as from the step cache) and the same rows
    read_back = pickle.loads(pickle.dumps(model))
    assert scorer(read_back, list(held_out), truth) == expected
    assert transforms == [3]


def test_other_rows_or_other_fitted_steps_are_transformed_again(
    tmp_path: Path, transforms: list[int]
) -> None:
    model = _text_model(MESSAGES, LABELS)
    other = _text_model(["cash only", "lunch only"], ["spam", "ham"])
    location = str(tmp_path)
    first = transformed(model[:-1], ["cash now"], location)
    again = transformed(other[:-1], ["cash now"], location)
    assert transforms == [1, 1]
    assert first.shape != again.shape  # different vocabularies, not one answer
    assert (transformed(model[:-1], ["lunch"], location) != first).nnz > 0
    assert transforms == [1, 1, 1]


def test_without_a_location_or_a_pipeline_the_function_gets_the_model(
    tmp_path: Path,
) -> None:
    model = _text_model(MESSAGES, LABELS)
    seen: list[Any] = []

    def record(estimator: Any, features: Any) -> int:
        seen.append((estimator, features))
        return 0

    HeldOutCache(record, None)(model, ["a"])
    HeldOutCache(record, str(tmp_path))(model[-1], "rows")
    assert seen == [(model, ["a"]), (model[-1], "rows")]
    HeldOutCache(record, str(tmp_path))(model, ["b"])
    assert seen[-1][0] is model[-1]  # the final step, with transformed rows
    assert seen[-1][1].shape == (1, len(model[0].vocabulary_))


def test_a_step_that_cannot_pickle_is_transformed_without_the_cache(
    tmp_path: Path,
) -> None:
    lower = FunctionTransformer(lambda texts: [t.lower() for t in texts])
    model = make_pipeline(lower, TfidfVectorizer(), MultinomialNB())
    model.fit(MESSAGES, LABELS)
    rows = ["WIN CASH", "lunch"]
    scorer = HeldOutCache(ACCURACY, str(tmp_path))
    assert scorer(model, rows, ["spam", "ham"]) == ACCURACY(
        model, rows, ["spam", "ham"]
    )
    assert not list(tmp_path.rglob("*.pkl"))  # nothing was stored


def test_selection_transforms_each_held_out_fold_once_per_fitted_preprocessing(
    transforms: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    train = _frame()
    held_out = len(train) // 2  # two folds

    def select() -> None:
        nodes.select_model(
            train,
            feature_transform([]),
            TEXT,
            *_SETTINGS,
            Compute(n_jobs=1),
        )

    select()
    cached = transforms.count(held_out)
    transforms.clear()
    monkeypatch.setattr(nodes, "step_cache", _no_cache)
    select()
    # uncached: 3 candidates x 2 folds, each scored and its threshold scores
    # taken; cached: once per fold for the candidates sharing preprocessing
    assert transforms.count(held_out) == 3 * 2 * 2
    assert cached == 2
