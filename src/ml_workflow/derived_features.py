"""Row-wise derived features declared in ``params:<variant>.derived_features``.

Each feature is computed from the raw columns of the same row only: nothing is
fitted and the target is never read, so the same function serves training,
batch scoring and the web API without leakage. A spec is a mapping with a
``name``, a ``kind`` and the kind's fields:

```yaml
- {name: rooms_per_household, kind: ratio, numerator: total_rooms, denominator: households}
- {name: message_length, kind: text_length, column: message}
- {name: digit_share, kind: character_share, column: message, characters: digits}
- {name: has_url, kind: pattern_presence, column: message, pattern: "https?://"}
- {name: km_to_los_angeles, kind: distance, latitude: latitude, longitude: longitude, to: [34.05, -118.24]}
- {name: coast_axis, kind: rotated_coordinate, x: longitude, y: latitude, angle: 45}
```
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ml_workflow.errors import ConfigurationError

Spec = Mapping[str, Any]


def _ratio(frame: pd.DataFrame, spec: Spec) -> pd.Series:
    numerator = pd.to_numeric(frame[spec["numerator"]], errors="coerce")
    denominator = pd.to_numeric(frame[spec["denominator"]], errors="coerce")
    # A zero denominator (or an infinite operand, or an overflow) has no
    # meaningful ratio: missing, imputed later, never inf.
    ratio = (numerator / denominator.where(denominator != 0)).astype("float64")
    return ratio.where(np.isfinite(ratio))


def _text(frame: pd.DataFrame, spec: Spec) -> pd.Series:
    return (
        frame[spec["column"]]
        .astype(object)
        .where(frame[spec["column"]].notna(), "")
        .astype(str)
    )


def _text_length(frame: pd.DataFrame, spec: Spec) -> pd.Series:
    return _text(frame, spec).str.len().astype("float64")


_CHARACTER_CLASSES: dict[str, str] = {
    "digits": r"\d",
    "uppercase": r"[A-Z]",
    "punctuation": r"[^\w\s]",
    "whitespace": r"\s",
}


def _character_share(frame: pd.DataFrame, spec: Spec) -> pd.Series:
    text = _text(frame, spec)
    counts = text.str.count(_CHARACTER_CLASSES[spec["characters"]])
    lengths = text.str.len()
    return (counts / lengths.where(lengths > 0)).fillna(0.0).astype("float64")


def _pattern_presence(frame: pd.DataFrame, spec: Spec) -> pd.Series:
    return (
        _text(frame, spec).str.contains(spec["pattern"], regex=True).astype("float64")
    )


_EARTH_RADIUS_KM = 6371.0


def _distance(frame: pd.DataFrame, spec: Spec) -> pd.Series:
    """Great-circle (haversine) distance in km from the row's point to ``to``."""
    latitude = np.radians(pd.to_numeric(frame[spec["latitude"]], errors="coerce"))
    longitude = np.radians(pd.to_numeric(frame[spec["longitude"]], errors="coerce"))
    to_latitude, to_longitude = np.radians(np.asarray(spec["to"], dtype=np.float64))
    half_chord = (
        np.sin((latitude - to_latitude) / 2) ** 2
        + np.cos(latitude)
        * np.cos(to_latitude)
        * np.sin((longitude - to_longitude) / 2) ** 2
    )
    distance = 2 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(half_chord))
    return pd.Series(distance, index=frame.index, dtype="float64")


def _rotated_coordinate(frame: pd.DataFrame, spec: Spec) -> pd.Series:
    """The point's coordinate along the axis at ``angle`` degrees from ``x``.

    Trees split on one axis at a time; a rotated axis lets them follow a
    diagonal (e.g. California's coast) with few splits.
    """
    angle = np.radians(float(spec["angle"]))
    x = pd.to_numeric(frame[spec["x"]], errors="coerce")
    y = pd.to_numeric(frame[spec["y"]], errors="coerce")
    return (x * np.cos(angle) + y * np.sin(angle)).astype("float64")


# kind -> (function, the fields that name input columns, other required fields)
_KINDS: dict[
    str,
    tuple[Callable[[pd.DataFrame, Spec], pd.Series], tuple[str, ...], tuple[str, ...]],
] = {
    "ratio": (_ratio, ("numerator", "denominator"), ()),
    "text_length": (_text_length, ("column",), ()),
    "character_share": (_character_share, ("column",), ("characters",)),
    "pattern_presence": (_pattern_presence, ("column",), ("pattern",)),
    "distance": (_distance, ("latitude", "longitude"), ("to",)),
    "rotated_coordinate": (_rotated_coordinate, ("x", "y"), ("angle",)),
}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def derived_feature_names(specs: Sequence[Spec] | None) -> list[str]:
    """Return the names of the declared derived features, in order."""
    return [spec["name"] for spec in specs or []]


def input_columns(spec: Spec) -> list[str]:
    """Return the raw columns a derived feature reads."""
    return [spec[field] for field in _KINDS[spec["kind"]][1]]


def _check_kind_fields(spec: Spec, where: str) -> None:
    """Refuse a spec whose kind-specific (non-column) fields are invalid."""
    kind = spec["kind"]
    if kind == "character_share" and spec["characters"] not in _CHARACTER_CLASSES:
        raise ConfigurationError(
            f"{where}: characters must be one of {sorted(_CHARACTER_CLASSES)}, "
            f"found {spec['characters']!r}"
        )
    if kind == "distance" and not (
        isinstance(spec["to"], Sequence)
        and not isinstance(spec["to"], str)
        and len(spec["to"]) == 2
        and all(_is_number(value) for value in spec["to"])
        and -90 <= spec["to"][0] <= 90
        and -180 <= spec["to"][1] <= 180
    ):
        raise ConfigurationError(
            f"{where}: 'to' must be [latitude, longitude] in degrees, "
            f"found {spec['to']!r}"
        )
    if kind == "rotated_coordinate" and not _is_number(spec["angle"]):
        raise ConfigurationError(
            f"{where}: 'angle' must be a number of degrees, found {spec['angle']!r}"
        )
    if kind == "pattern_presence":
        try:
            re.compile(spec["pattern"])
        except re.error as error:
            raise ConfigurationError(
                f"{where}: pattern {spec['pattern']!r} is not a valid regular "
                f"expression ({error})"
            ) from error


def check_derived_features(
    specs: Sequence[Spec] | None, available_columns: Sequence[str], target: str
) -> None:
    """Refuse specs that are malformed, read a missing column or read the target.

    A derived feature that reads the target cannot be computed at prediction
    time and would leak the answer into training, so it is a configuration error.
    """
    seen: set[str] = set()
    for position, spec in enumerate(specs or []):
        name = spec.get("name")
        where = f"derived_features[{position}] ({name!r})"
        if not name:
            raise ConfigurationError(f"{where} has no 'name'")
        if name in seen or name in available_columns:
            raise ConfigurationError(
                f"{where}: the name {name!r} is already used by another column"
            )
        seen.add(name)
        kind = spec.get("kind")
        if kind not in _KINDS:
            raise ConfigurationError(
                f"{where} has kind {kind!r}; expected one of {sorted(_KINDS)}"
            )
        _, column_fields, other_fields = _KINDS[kind]
        missing_fields = [f for f in column_fields + other_fields if f not in spec]
        if missing_fields:
            raise ConfigurationError(
                f"{where} of kind {kind!r} needs the fields {missing_fields}"
            )
        for field in column_fields:
            column = spec[field]
            if column == target:
                raise ConfigurationError(
                    f"{where} reads the target {target!r} (field {field!r}): derived "
                    "features must be computable at prediction time, when the target "
                    "is unknown, or they leak the answer into training"
                )
            if column not in available_columns:
                raise ConfigurationError(
                    f"{where} reads column {column!r} (field {field!r}), which is not "
                    f"a declared feature; available: {sorted(available_columns)}"
                )
        _check_kind_fields(spec, where)


def add_derived_features(
    frame: pd.DataFrame, specs: Sequence[Spec] | None
) -> pd.DataFrame:
    """Return a copy of ``frame`` with one new column per derived feature.

    The specs must already have passed ``check_derived_features``.
    A shallow copy: pandas' copy-on-write keeps ``frame`` unchanged, and the
    raw columns are not duplicated in memory (millions of rows in training).
    """
    result = frame.copy(deep=False)
    for spec in specs or []:
        function = _KINDS[spec["kind"]][0]
        result[spec["name"]] = function(frame, spec).to_numpy(dtype=np.float64)
    return result
