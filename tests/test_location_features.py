"""The location derived-feature kinds: great-circle distance and rotated coordinates."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from ml_workflow.derived_features import add_derived_features, check_derived_features
from ml_workflow.errors import ConfigurationError

COLUMNS = ["latitude", "longitude", "price"]


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


def test_distance_is_great_circle_km_and_missing_stays_missing() -> None:
    result = add_derived_features(_points(), [_distance_spec()])
    distances = result["km_to_la"]
    assert distances[0] == pytest.approx(0.0, abs=1e-9)
    # Los Angeles to San Francisco is about 559 km as the crow flies.
    assert distances[1] == pytest.approx(559, abs=3)
    assert math.isnan(distances[2])


def test_rotated_coordinate_projects_onto_the_rotated_axis() -> None:
    frame = pd.DataFrame({"x": [1.0, 0.0, 2.0], "y": [0.0, 1.0, 2.0]})
    specs = [
        {"name": f"r{angle}", "kind": "rotated_coordinate", "x": "x", "y": "y"}
        | {"angle": angle}
        for angle in (0, 90, 45)
    ]
    result = add_derived_features(frame, specs)
    assert result["r0"].tolist() == pytest.approx([1.0, 0.0, 2.0])
    assert result["r90"].tolist() == pytest.approx([0.0, 1.0, 2.0])
    assert result["r45"].tolist() == pytest.approx(
        [math.sqrt(0.5), math.sqrt(0.5), 2 * math.sqrt(2)]
    )


@pytest.mark.parametrize(
    "bad_to", [[34.05], [95.0, -118.0], [34.0, -200.0], "LA", [34.0, "west"]]
)
def test_distance_refuses_a_target_point_that_is_not_lat_lon(bad_to: object) -> None:
    with pytest.raises(ConfigurationError, match=r"km_to_la.*'to' must be"):
        check_derived_features([_distance_spec(to=bad_to)], COLUMNS, "price")


def test_distance_refuses_reading_the_target() -> None:
    with pytest.raises(ConfigurationError, match="reads the target 'price'"):
        check_derived_features([_distance_spec(latitude="price")], COLUMNS, "price")


def test_rotated_coordinate_needs_a_numeric_angle() -> None:
    spec = {
        "name": "diagonal",
        "kind": "rotated_coordinate",
        "x": "longitude",
        "y": "latitude",
        "angle": "steep",
    }
    with pytest.raises(ConfigurationError, match="'angle' must be a number"):
        check_derived_features([spec], COLUMNS, "price")
    del spec["angle"]
    with pytest.raises(ConfigurationError, match=r"needs the fields \['angle'\]"):
        check_derived_features([spec], COLUMNS, "price")
