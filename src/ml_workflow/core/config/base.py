"""The base class and field types every configuration model uses.

Every section refuses unknown keys (a misspelt key is an error, not a silently
ignored setting) and is frozen: a node cannot change the configuration another
node reads. Numbers are strict about booleans: YAML's ``true`` is not ``1``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict


def _no_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"expected a number, found the boolean {value!r}")
    return value


class ConfigModel(BaseModel):
    """A configuration section: unknown keys refused, values immutable."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        validate_default=True,
        populate_by_name=True,
        use_attribute_docstrings=True,
    )


PATH_SEPARATOR = "\t"


def at(path: str, message: str) -> str:
    """A problem found by a check across keys, with the key path it is about
    (relative to the model the check is on); ``describe_errors`` joins it to
    the model's own path."""
    return f"{path}{PATH_SEPARATOR}{message}"


Integer = Annotated[int, Strict()]
"""An integer; ``true`` or ``2.5`` are refused."""
Number = Annotated[float, BeforeValidator(_no_bool)]
"""A number (an integer is accepted); ``true`` is refused."""
PositiveInteger = Annotated[int, Strict(), Field(ge=1)]
Folds = Annotated[int, Strict(), Field(ge=2)]
"""K of a K-fold cross-validation."""
Share = Annotated[float, BeforeValidator(_no_bool), Field(gt=0, le=1)]
"""A share in (0, 1]."""
Seed = Annotated[int, Strict(), Field(ge=0)]
Severity = Literal["error", "warning"]
"""``error`` stops the run; ``warning`` logs and goes on."""
ColumnName = Annotated[str, Field(min_length=1)]
