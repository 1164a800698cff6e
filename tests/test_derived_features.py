"""Derived features: computed row-wise from raw columns, never from the target."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ml_workflow.derived_features import (
    add_derived_features,
    check_derived_features,
    derived_feature_names,
)
from ml_workflow.errors import ConfigurationError

RATIO = {
    "name": "per_household",
    "kind": "ratio",
    "numerator": "rooms",
    "denominator": "households",
}


def test_ratio_divides_and_turns_zero_denominators_into_missing() -> None:
    frame = pd.DataFrame({"rooms": [10.0, 6.0, 5.0], "households": [2.0, 3.0, 0.0]})
    result = add_derived_features(frame, [RATIO])
    assert result["per_household"].iloc[:2].tolist() == [5.0, 2.0]
    assert np.isnan(result["per_household"].iloc[2])
    assert "per_household" not in frame.columns  # the input is not modified


def test_text_features_count_characters_and_patterns() -> None:
    frame = pd.DataFrame({"message": ["CALL 0800123456 now", "hi", "", None]})
    specs = [
        {"name": "length", "kind": "text_length", "column": "message"},
        {
            "name": "digits",
            "kind": "character_share",
            "column": "message",
            "characters": "digits",
        },
        {
            "name": "upper",
            "kind": "character_share",
            "column": "message",
            "characters": "uppercase",
        },
        {
            "name": "phone",
            "kind": "pattern_presence",
            "column": "message",
            "pattern": r"\d{5,}",
        },
    ]
    result = add_derived_features(frame, specs)
    assert result["length"].tolist() == [19.0, 2.0, 0.0, 0.0]
    assert result["digits"].tolist() == pytest.approx([10 / 19, 0.0, 0.0, 0.0])
    assert result["upper"].tolist() == pytest.approx([4 / 19, 0.0, 0.0, 0.0])
    assert result["phone"].tolist() == [1.0, 0.0, 0.0, 0.0]


def test_names_in_declaration_order() -> None:
    assert derived_feature_names([RATIO, {"name": "b"}]) == ["per_household", "b"]
    assert derived_feature_names(None) == []


def test_a_feature_reading_the_target_is_refused() -> None:
    leaky = {
        "name": "leak",
        "kind": "ratio",
        "numerator": "price",
        "denominator": "rooms",
    }
    with pytest.raises(ConfigurationError, match=r"reads the target 'price'.*leak"):
        check_derived_features([leaky], ["rooms", "price"], target="price")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"kind": "ratio"}, "has no 'name'"),
        ({"name": "x", "kind": "square_root"}, "has kind 'square_root'"),
        (
            {"name": "x", "kind": "ratio", "numerator": "rooms"},
            r"needs the fields \['denominator'\]",
        ),
        (
            {"name": "x", "kind": "ratio", "numerator": "rooms", "denominator": "nope"},
            "reads column 'nope'",
        ),
        ({"name": "rooms", "kind": "text_length", "column": "rooms"}, "already used"),
        (
            {
                "name": "x",
                "kind": "character_share",
                "column": "rooms",
                "characters": "emoji",
            },
            "characters must be",
        ),
        (
            {
                "name": "x",
                "kind": "pattern_presence",
                "column": "rooms",
                "pattern": "(",
            },
            "not a valid regular",
        ),
    ],
)
def test_malformed_specs_are_refused_with_the_reason(spec: dict, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        check_derived_features([spec], ["rooms", "households"], target="price")


def test_valid_specs_pass() -> None:
    check_derived_features([RATIO], ["rooms", "households"], target="price")
