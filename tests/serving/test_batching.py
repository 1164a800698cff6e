"""The batcher: concurrent requests scored together, a bad one failing alone."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from ml_workflow.serving.batching import PredictionBatcher, model_executor


def scorer(calls: list[list[Any]]):
    def score(records: list[Any]) -> tuple[list[dict[str, Any]], str]:
        calls.append(list(records))
        if "bad" in records:
            raise ValueError("the model cannot take 'bad'")
        return [{"prediction": record} for record in records], "v1"

    return score


async def _concurrently(batcher: PredictionBatcher, requests: list[list[Any]]):
    return await asyncio.gather(
        *(batcher.predict(records) for records in requests), return_exceptions=True
    )


def test_concurrent_requests_share_one_call_and_get_their_own_rows() -> None:
    calls: list[list[Any]] = []
    batcher = PredictionBatcher(scorer(calls), model_executor())
    results = asyncio.run(_concurrently(batcher, [["a"], ["b", "c"], ["d"]]))
    assert results == [
        ([{"prediction": "a"}], "v1"),
        ([{"prediction": "b"}, {"prediction": "c"}], "v1"),
        ([{"prediction": "d"}], "v1"),
    ]
    assert calls == [["a", "b", "c", "d"]]  # one model call


def test_a_request_the_model_refuses_fails_alone() -> None:
    calls: list[list[Any]] = []
    batcher = PredictionBatcher(scorer(calls), model_executor())
    first, good, bad, other = asyncio.run(
        _concurrently(batcher, [["a"], ["b"], ["bad"], ["c"]])
    )
    assert good == ([{"prediction": "b"}], "v1")
    assert other == ([{"prediction": "c"}], "v1")
    assert isinstance(bad, ValueError)
    assert first == ([{"prediction": "a"}], "v1")
    assert calls == [["a", "b", "bad", "c"], ["a"], ["b"], ["bad"], ["c"]]


def test_a_lone_failing_request_gets_the_error() -> None:
    batcher = PredictionBatcher(scorer([]), model_executor())
    with pytest.raises(ValueError, match="cannot take"):
        asyncio.run(batcher.predict(["bad"]))
