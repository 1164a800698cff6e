"""Unit tests for data_processing nodes on small hand-made frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ml_workflow.core.coercion import check_declared_columns
from ml_workflow.core.config import Cleaning, Problem
from ml_workflow.errors import DataValidationError
from ml_workflow.pipelines.data_processing.nodes import clean_raw_data, coerce_types

REGRESSION = Problem.model_validate(
    {
        "task": "regression",
        "target": "price",
        "features": {"numeric": ["rooms"], "categorical": ["city"], "text": ["notes"]},
    }
)
CLASSIFICATION = Problem.model_validate(
    {
        "task": "classification",
        "target": "label",
        "positive_class": "spam",
        "features": {"text": ["message"]},
    }
)
CLEAN_ALL = Cleaning(drop_missing_target=True, drop_duplicates=True)


def test_missing_declared_column_is_named_with_what_was_found() -> None:
    raw = pd.DataFrame({"rooms": [1.0], "price": [2.0], "notes": ["x"]})
    with pytest.raises(
        DataValidationError,
        match=r"\['city'\].*found columns \['rooms', 'price', 'notes'\]",
    ):
        check_declared_columns(raw, REGRESSION)


def test_missing_target_column_is_refused() -> None:
    raw = pd.DataFrame({"rooms": [1.0], "city": ["a"], "notes": ["x"]})
    with pytest.raises(DataValidationError, match="price"):
        check_declared_columns(raw, REGRESSION)


def test_header_only_is_refused() -> None:
    raw = pd.DataFrame({"rooms": [], "city": [], "notes": [], "price": []})
    with pytest.raises(DataValidationError, match="no rows"):
        check_declared_columns(raw, REGRESSION)


def test_coerce_types_converts_kinds_and_drops_undeclared_columns() -> None:
    raw = pd.DataFrame(
        {
            "rooms": ["3", "4.5", None],
            "city": [" Paris", "Rome ", None],
            "notes": ["  keep spaces ", "b", None],
            "price": [100, 200, 300],
            "unused": [1, 2, 3],
        }
    )
    typed = coerce_types(raw, REGRESSION)
    assert list(typed.columns) == ["rooms", "city", "notes", "price"]
    assert typed["rooms"].dtype == np.float64
    assert typed["rooms"].iloc[:2].tolist() == [3.0, 4.5]
    assert np.isnan(typed["rooms"].iloc[2])
    assert typed["city"].iloc[:2].tolist() == ["Paris", "Rome"]  # labels are stripped
    assert typed["notes"].iloc[0] == "  keep spaces "  # free text is verbatim
    assert typed["city"].isna().iloc[2] and typed["notes"].isna().iloc[2]
    assert typed["price"].dtype == np.float64


def test_text_in_a_numeric_column_is_reported_with_examples_and_rows() -> None:
    raw = pd.DataFrame(
        {"rooms": ["1", "many", "2", "n/a"], "city": "a", "notes": "x", "price": 1.0}
    )
    with pytest.raises(DataValidationError) as error:
        coerce_types(raw, REGRESSION)
    message = str(error.value)
    assert "'rooms'" in message and "2 value(s)" in message
    assert "['many', 'n/a']" in message and "[1, 3]" in message


def test_infinity_becomes_missing() -> None:
    raw = pd.DataFrame(
        {"rooms": [1.0, np.inf, -np.inf], "city": "a", "notes": "x", "price": 1.0}
    )
    typed = coerce_types(raw, REGRESSION)
    assert typed["rooms"].isna().tolist() == [False, True, True]


def test_clean_drops_missing_targets_then_duplicates_and_reports_counts() -> None:
    raw = pd.DataFrame(
        {
            "rooms": [1, 1, 2, 3, 3, 4],
            "city": ["a", "a", "b", "c", "c", "d"],
            "notes": ["x", "x", "y", "z", "z", "w"],
            "price": [10, 10, None, 30, 31, 40],
            "extra": [0, 1, 2, 3, 4, 5],
        }
    )
    cleaned, report = clean_raw_data(raw, REGRESSION, CLEAN_ALL)
    # row 1 duplicates row 0 on the declared columns (the undeclared one is ignored);
    # rows 3 and 4 differ in their target, so both stay
    assert cleaned.index.tolist() == [0, 3, 4, 5]
    assert report["rows_in"] == 6
    assert report["rows_out"] == 4
    assert report["removed"] == {"missing_target": 1, "duplicates": 1}
    assert report["ignored_columns"] == ["extra"]
    assert report["rows_in"] == report["rows_out"] + sum(report["removed"].values())


def test_cleaning_rules_can_be_switched_off() -> None:
    raw = pd.DataFrame(
        {"rooms": [1, 1, 2], "city": "a", "notes": "x", "price": [10, 10, None]}
    )
    cleaned, report = clean_raw_data(
        raw, REGRESSION, Cleaning(drop_missing_target=False, drop_duplicates=False)
    )
    assert len(cleaned) == 3
    assert report["removed"] == {}


def test_all_missing_target_is_refused() -> None:
    raw = pd.DataFrame(
        {"rooms": [1, 2], "city": "a", "notes": "x", "price": [None, None]}
    )
    with pytest.raises(DataValidationError, match="missing in every row"):
        clean_raw_data(raw, REGRESSION, CLEAN_ALL)


def test_single_class_target_is_refused() -> None:
    raw = pd.DataFrame({"message": ["a", "b"], "label": ["ham", "ham"]})
    with pytest.raises(DataValidationError, match=r"two classes.*\['ham'\]"):
        clean_raw_data(raw, CLASSIFICATION, CLEAN_ALL)


def test_positive_class_must_be_a_label() -> None:
    raw = pd.DataFrame({"message": ["a", "b"], "label": ["ham", "junk"]})
    with pytest.raises(DataValidationError, match=r"'spam'.*\['ham', 'junk'\]"):
        clean_raw_data(raw, CLASSIFICATION, CLEAN_ALL)


def test_class_labels_are_stripped_so_spaced_copies_are_one_class() -> None:
    raw = pd.DataFrame({"message": ["a", "b", "c"], "label": ["spam ", "spam", "ham"]})
    cleaned, _ = clean_raw_data(raw, CLASSIFICATION, CLEAN_ALL)
    assert sorted(cleaned["label"].unique()) == ["ham", "spam"]
