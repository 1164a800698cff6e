"""Derived features: one model per kind, told apart by ``kind``.

Each is computed from the raw columns of the same row only (never the target),
by the transformer of the same kind in ``ml_workflow.core.features``, inside
the saved model, so training, batch scoring and the API compute it alike.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, field_validator

from .base import ColumnName, ConfigModel, Number


class _Derived(ConfigModel):
    name: ColumnName
    """The new column's name; must not clash with a raw column."""

    @property
    def input_columns(self) -> list[str]:
        """The raw columns this feature reads."""
        raise NotImplementedError


class Ratio(_Derived):
    """``numerator / denominator``; a zero denominator gives a missing value."""

    kind: Literal["ratio"]
    numerator: ColumnName
    denominator: ColumnName

    @property
    def input_columns(self) -> list[str]:
        return [self.numerator, self.denominator]


class _OfText(_Derived):
    column: ColumnName
    """The text column read."""

    @property
    def input_columns(self) -> list[str]:
        return [self.column]


class TextLength(_OfText):
    """The number of characters of a text column."""

    kind: Literal["text_length"]


class CharacterShare(_OfText):
    """The share of a text's characters that are of one class."""

    kind: Literal["character_share"]
    characters: Literal["digits", "uppercase", "punctuation", "whitespace"]


class PatternPresence(_OfText):
    """1.0 where a regular expression matches the text, else 0.0."""

    kind: Literal["pattern_presence"]
    pattern: str

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        try:
            re.compile(pattern)
        except re.error as error:
            raise ValueError(
                f"{pattern!r} is not a valid regular expression ({error})"
            ) from error
        return pattern


Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]


class Distance(_Derived):
    """Great-circle distance in km from the row's point to a fixed point."""

    kind: Literal["distance"]
    latitude: ColumnName
    longitude: ColumnName
    to: tuple[Latitude, Longitude]
    """The fixed point, [latitude, longitude] in degrees."""

    @property
    def input_columns(self) -> list[str]:
        return [self.latitude, self.longitude]


class RotatedCoordinate(_Derived):
    """The point's coordinate along the axis at ``angle`` degrees from ``x``."""

    kind: Literal["rotated_coordinate"]
    x: ColumnName
    y: ColumnName
    angle: Number
    """The rotation, in degrees."""

    @property
    def input_columns(self) -> list[str]:
        return [self.x, self.y]


DerivedFeature = Annotated[
    Ratio
    | TextLength
    | CharacterShare
    | PatternPresence
    | Distance
    | RotatedCoordinate,
    Field(discriminator="kind"),
]
DERIVED_KINDS = (
    "ratio",
    "text_length",
    "character_share",
    "pattern_presence",
    "distance",
    "rotated_coordinate",
)

__all__ = [
    "DERIVED_KINDS",
    "CharacterShare",
    "DerivedFeature",
    "Distance",
    "PatternPresence",
    "Ratio",
    "RotatedCoordinate",
    "TextLength",
]
