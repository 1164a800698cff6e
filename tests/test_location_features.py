"""The location derived-feature kinds: great-circle distance and rotated coordinates."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest

from ml_workflow.core.config import load_variant
from ml_workflow.core.features import (
    GreatCircleDistance,
    RotatedCoordinate,
    derived_transformer,
)
from ml_workflow.errors import ConfigurationError


def _points() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "latitude": [34.05, 37.77, None],
            "longitude": [-118.24, -122.42, -120.0],
            "price": [1.0, 2.0, 3.0],
        }
    )


def _distance_spec(**changes: object) -> dict[str, object]:
    spec = {
        "name": "km_to_la",
        "kind": "distance",
        "latitude": "latitude",
        "longitude": "longitude",
        "to": [34.05, -118.24],
    }
    return {**spec, **changes}


def _variant(spec: dict[str, Any]) -> dict[str, Any]:
    """A regression of price from latitude and longitude with one derived feature."""
    return {
        "problem": {
            "task": "regression",
            "target": "price",
            "features": {"numeric": ["latitude", "longitude"]},
        },
        "derived_features": [spec],
        "candidates": [
            {"name": "linear", "estimator": "sklearn.linear_model.LinearRegression"}
        ],
    }


def test_distance_is_great_circle_km_and_missing_stays_missing() -> None:
    points = _points()
    distance = GreatCircleDistance(
        "km_to_la", "latitude", "longitude", (34.05, -118.24)
    )
    distances = distance.fit(points).transform(points)["km_to_la"]
    assert distances[0] == pytest.approx(0.0, abs=1e-9)
    # Los Angeles to San Francisco is about 559 km as the crow flies.
    assert distances[1] == pytest.approx(559, abs=3)
    assert math.isnan(distances[2])


def test_the_configured_distance_is_the_transformer_of_the_model() -> None:
    config = load_variant("toy", _variant(_distance_spec()))
    spec = config.derived_features[0]
    assert tuple(spec.to) == (34.05, -118.24)
    built = derived_transformer(spec)
    assert isinstance(built, GreatCircleDistance)
    points = _points()
    assert built.fit(points).transform(points)["km_to_la"][1] == pytest.approx(
        559, abs=3
    )


def test_rotated_coordinate_projects_onto_the_rotated_axis() -> None:
    frame = pd.DataFrame({"x": [1.0, 0.0, 2.0], "y": [0.0, 1.0, 2.0]})
    result = {
        angle: RotatedCoordinate(f"r{angle}", "x", "y", angle)
        .fit(frame)
        .transform(frame)[f"r{angle}"]
        .tolist()
        for angle in (0, 90, 45)
    }
    assert result[0] == pytest.approx([1.0, 0.0, 2.0])
    assert result[90] == pytest.approx([0.0, 1.0, 2.0])
    assert result[45] == pytest.approx(
        [math.sqrt(0.5), math.sqrt(0.5), 2 * math.sqrt(2)]
    )


@pytest.mark.parametrize(
    "bad_to", [[34.05], [95.0, -118.0], [34.0, -200.0], "LA", [34.0, "west"]]
)
def test_distance_refuses_a_target_point_that_is_not_lat_lon(bad_to: object) -> None:
    with pytest.raises(
        ConfigurationError, match=r"toy\.derived_features\[0\] \('km_to_la'\)\.to"
    ):
        load_variant("toy", _variant(_distance_spec(to=bad_to)))


def test_distance_refuses_reading_the_target() -> None:
    with pytest.raises(ConfigurationError, match="reads the target 'price'"):
        load_variant("toy", _variant(_distance_spec(latitude="price")))


def test_rotated_coordinate_needs_a_numeric_angle() -> None:
    spec = {
        "name": "diagonal",
        "kind": "rotated_coordinate",
        "x": "longitude",
        "y": "latitude",
        "angle": "steep",
    }
    with pytest.raises(
        ConfigurationError, match=r"\('diagonal'\)\.angle: Input should be a valid"
    ):
        load_variant("toy", _variant(spec))
    del spec["angle"]
    with pytest.raises(
        ConfigurationError, match=r"\('diagonal'\)\.angle: Field required"
    ):
        load_variant("toy", _variant(spec))
