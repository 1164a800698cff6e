"""Derived features: computed row-wise from raw columns, never from the target.

Each kind is a scikit-learn transformer (``ml_workflow.core.features``) built
from a configuration model (``ml_workflow.core.config.derived``); a derived
feature that is malformed or reads the target is refused when the variant's
parameters are loaded, before any node runs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from pydantic import TypeAdapter
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from ml_workflow.core.config import DerivedFeature, load_variant
from ml_workflow.core.features import (
    CharacterShare,
    DerivedFeatures,
    PatternPresence,
    Ratio,
    TextLength,
    derived_features,
)
from ml_workflow.errors import ConfigurationError

RATIO = {
    "name": "per_household",
    "kind": "ratio",
    "numerator": "rooms",
    "denominator": "households",
}
TEXT_SPECS = [
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
SPECS = TypeAdapter(list[DerivedFeature])


def _variant(derived: list[dict[str, Any]]) -> dict[str, Any]:
    """A small regression variant with raw features rooms and households."""
    return {
        "problem": {
            "task": "regression",
            "target": "price",
            "features": {"numeric": ["rooms", "households"]},
        },
        "derived_features": derived,
        "candidates": [
            {"name": "linear", "estimator": "sklearn.linear_model.LinearRegression"}
        ],
    }


def test_ratio_divides_and_turns_zero_denominators_into_missing() -> None:
    frame = pd.DataFrame({"rooms": [10.0, 6.0, 5.0], "households": [2.0, 3.0, 0.0]})
    result = derived_features(SPECS.validate_python([RATIO])).fit_transform(frame)
    assert result["per_household"].iloc[:2].tolist() == [5.0, 2.0]
    assert np.isnan(result["per_household"].iloc[2])
    assert "per_household" not in frame.columns  # the input is not modified
    assert list(result.columns) == ["rooms", "households", "per_household"]


def test_text_features_count_characters_and_patterns() -> None:
    frame = pd.DataFrame({"message": ["CALL 0800123456 now", "hi", "", None]})
    result = derived_features(SPECS.validate_python(TEXT_SPECS)).fit_transform(frame)
    assert result["length"].tolist() == [19.0, 2.0, 0.0, 0.0]
    assert result["digits"].tolist() == pytest.approx([10 / 19, 0.0, 0.0, 0.0])
    assert result["upper"].tolist() == pytest.approx([4 / 19, 0.0, 0.0, 0.0])
    assert result["phone"].tolist() == [1.0, 0.0, 0.0, 0.0]


def test_each_kind_is_a_transformer_of_one_named_column() -> None:
    frame = pd.DataFrame({"message": ["Hi 12345", "ok"]}, index=[7, 3])
    transformers = [
        TextLength("length", "message"),
        CharacterShare("digits", "message", "digits"),
        PatternPresence("phone", "message", r"\d{5,}"),
    ]
    for transformer in transformers:
        with pytest.raises(NotFittedError):
            transformer.transform(frame)
        result = transformer.fit(frame).transform(frame)
        assert list(result.columns) == [transformer.name]
        assert result.index.equals(frame.index)
        assert result.dtypes.iloc[0] == np.float64
        assert transformer.get_feature_names_out().tolist() == [transformer.name]
        # the estimator idiom: parameters are stored as given, so clone works
        assert clone(transformer).get_params() == transformer.get_params()


def test_the_configured_kind_builds_its_transformer_with_its_parameters() -> None:
    (transform,) = derived_features(SPECS.validate_python([RATIO])).features
    assert isinstance(transform, Ratio)
    assert transform.get_params() == {
        "name": "per_household",
        "numerator": "rooms",
        "denominator": "households",
    }


def test_fit_checks_that_the_columns_read_exist() -> None:
    frame = pd.DataFrame({"rooms": [1.0]})
    with pytest.raises(ValueError, match=r"reads column\(s\) \['households'\]"):
        Ratio("per_household", "rooms", "households").fit(frame)
    with pytest.raises(ValueError, match=r"found \['rooms'\]"):
        derived_features(SPECS.validate_python([RATIO])).fit(frame)


def test_derived_names_must_not_clash_with_raw_columns() -> None:
    frame = pd.DataFrame({"rooms": [1.0], "households": [1.0]})
    clash = DerivedFeatures([Ratio("rooms", "rooms", "households")])
    with pytest.raises(ValueError, match=r"clash with raw columns \['rooms'\]"):
        clash.fit(frame)


def test_names_in_declaration_order() -> None:
    second = {"name": "b", "kind": "text_length", "column": "rooms"}
    transform = derived_features(SPECS.validate_python([RATIO, second]))
    assert transform.new_columns == ["per_household", "b"]
    frame = pd.DataFrame({"rooms": [1.0], "households": [2.0]})
    assert transform.fit(frame).get_feature_names_out().tolist() == [
        "rooms",
        "households",
        "per_household",
        "b",
    ]
    assert derived_features([]).new_columns == []


def test_a_feature_reading_the_target_is_refused() -> None:
    leaky = {
        "name": "leak",
        "kind": "ratio",
        "numerator": "price",
        "denominator": "rooms",
    }
    with pytest.raises(
        ConfigurationError,
        match=r"toy\.derived_features\[0\] \('leak'\): reads the target 'price'",
    ):
        load_variant("toy", _variant([leaky]))


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"kind": "ratio"}, r"derived_features\[0\]\.name: Field required"),
        (
            {"name": "x", "kind": "square_root"},
            r"derived_features\[0\] \('x'\): Input tag 'square_root' found using "
            "'kind' does not match",
        ),
        (
            {"name": "x", "kind": "ratio", "numerator": "rooms"},
            r"derived_features\[0\] \('x'\)\.denominator: Field required",
        ),
        (
            {"name": "x", "kind": "ratio", "numerator": "rooms", "denominator": "nope"},
            "reads column 'nope', which is not a declared feature",
        ),
        (
            {"name": "rooms", "kind": "text_length", "column": "rooms"},
            r"\('rooms'\)\.name: 'rooms' is already used",
        ),
        (
            {
                "name": "x",
                "kind": "character_share",
                "column": "rooms",
                "characters": "emoji",
            },
            r"\('x'\)\.characters: Input should be 'digits'",
        ),
        (
            {
                "name": "x",
                "kind": "pattern_presence",
                "column": "rooms",
                "pattern": "(",
            },
            r"\('x'\)\.pattern: '\(' is not a valid regular expression",
        ),
    ],
)
def test_malformed_specs_are_refused_with_the_reason(spec: dict, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        load_variant("toy", _variant([spec]))


def test_valid_specs_pass() -> None:
    config = load_variant("toy", _variant([RATIO]))
    (spec,) = config.derived_features
    assert (spec.kind, spec.name, spec.input_columns) == (
        "ratio",
        "per_household",
        ["rooms", "households"],
    )
