"""Schema and task inference on hand-made columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ml_workflow.errors import DataValidationError
from ml_workflow.scaffold.infer import (
    infer_column_kind,
    infer_positive_class,
    infer_task,
)


def _kind(values, name: str = "column") -> str:
    return infer_column_kind(pd.Series(values, name=name)).kind


def test_numbers_are_numeric_even_when_read_as_text() -> None:
    assert _kind([1.5, 2.0, 3.25, 2.0]) == "numeric"
    assert _kind(["1.5", "2", "3.25", None]) == "numeric"
    assert _kind([0, 1, 0, 1]) == "numeric"


def test_row_indexes_and_identifier_columns_are_dropped() -> None:
    assert _kind(range(100)) == "drop"  # a written-out row index
    assert (
        _kind(np.random.default_rng(0).permutation(100), name="customer_id") == "drop"
    )
    assert _kind([f"C{i:05d}" for i in range(100)], name="code") == "drop"
    assert _kind([f"u{i}" for i in range(100)], name="id") == "drop"


def test_constant_and_empty_columns_are_dropped() -> None:
    assert _kind(["a", "a", "a"]) == "drop"
    assert _kind([None, None, None]) == "drop"


def test_short_labels_are_categorical() -> None:
    assert _kind(["north", "south", "north", "east"] * 25) == "categorical"
    assert _kind([True, False, True]) == "categorical"


def test_sentences_are_text() -> None:
    messages = [f"hello there friend number {i} how are you" for i in range(60)]
    kind = infer_column_kind(pd.Series(messages, name="body"))
    assert kind.kind == "text"
    assert "words per value" in kind.reason


@pytest.mark.parametrize(
    ("values", "task"),
    [
        (np.linspace(0, 1, 200), "regression"),
        (list(range(100)), "regression"),
        ([0, 1, 1, 0, 2] * 10, "classification"),
        (["spam", "ham", "ham"], "classification"),
    ],
)
def test_task_follows_the_target(values, task: str) -> None:
    assert infer_task(pd.Series(values, name="y"))[0] == task


def test_all_missing_target_is_refused() -> None:
    with pytest.raises(DataValidationError, match="'y'"):
        infer_task(pd.Series([None, None], name="y"))


def test_positive_class_prefers_conventional_labels_then_the_rarer_class() -> None:
    assert infer_positive_class(pd.Series(["ham", "spam", "ham"])) == "spam"
    assert infer_positive_class(pd.Series([0, 1, 0, 0])) == "1"
    assert infer_positive_class(pd.Series(["benign", "benign", "other"])) == "other"
