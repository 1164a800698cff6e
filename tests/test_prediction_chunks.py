"""Large inputs are predicted in chunks, with the same result as one call."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import make_column_transformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

from ml_workflow.core import predict as prediction
from ml_workflow.core.config import Problem

TEXT = Problem.model_validate(
    {
        "task": "classification",
        "target": "label",
        "positive_class": "spam",
        "features": {"text": ["message"]},
    }
)


@pytest.fixture(scope="module")
def messages() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    words = np.array(["win", "cash", "now", "lunch", "see", "you", "call", "prize"])
    texts = [" ".join(rng.choice(words, 40)) for _ in range(600)]
    labels = ["spam" if "prize win" in text else "ham" for text in texts]
    return pd.DataFrame(
        {"message": texts, "label": labels}, index=pd.RangeIndex(1000, 1600)
    )


@pytest.fixture(scope="module")
def model(messages: pd.DataFrame) -> Pipeline:
    text = make_column_transformer((TfidfVectorizer(), "message"))
    return make_pipeline(text, LogisticRegression()).fit(
        messages[["message"]], messages["label"]
    )


def test_a_large_frame_is_cut_into_chunks_of_the_size(messages) -> None:
    frame = messages[["message"]]
    limit = frame.memory_usage(deep=True, index=False).sum() // 4
    chunks: list[pd.DataFrame] = []

    def predict_chunk(chunk: pd.DataFrame) -> pd.DataFrame:
        chunks.append(chunk)
        return pd.DataFrame({"rows": len(chunk)}, index=chunk.index)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(prediction, "CHUNK_BYTES", limit)
        result = prediction.in_chunks(predict_chunk, frame)
    assert len(chunks) in (4, 5)  # a quarter of the bytes each, and the rest
    assert all(c.memory_usage(deep=True, index=False).sum() <= limit for c in chunks)
    pd.testing.assert_index_equal(result.index, messages.index)  # in order, all
    chunks.clear()
    prediction.in_chunks(predict_chunk, frame)
    assert len(chunks) == 1  # below the size: one call


def test_predictions_in_chunks_equal_one_call(messages, model) -> None:
    whole = prediction.predict(model, messages, TEXT)
    records = prediction.predict_records(model, messages, TEXT)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(prediction, "CHUNK_BYTES", 2_000)
        chunked = prediction.predict(model, messages, TEXT)
        chunked_records = prediction.predict_records(model, messages, TEXT)
    pd.testing.assert_frame_equal(chunked, whole)
    pd.testing.assert_frame_equal(chunked_records, records)
    assert whole["predicted"].nunique() == 2  # the comparison sees both classes
