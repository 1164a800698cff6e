"""Pydantic models of a variant's prediction records, built from configuration.

One field per declared feature (``problem.features``), typed by its kind and
constrained by the variant's ``schema`` checks without the target: exactly
what batch scoring's ``validate_records`` accepts. Error-level checks reject
the record; warning-level ones (and ``allowed``, as in batch scoring: the model
ignores unseen categories) are documented but never reject.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model
from pydantic_core import PydanticCustomError

from ml_workflow.validation import RawSchema
from ml_workflow.validation.scalar import scalar_check
from ml_workflow.validation.schema import CheckSpec, ColumnSpec

_JSON_SCHEMA_KEYS = {"min": "minimum", "max": "maximum", "max_length": "maxLength"}


def model_name(variant: str, suffix: str) -> str:
    """``housing`` -> ``HousingRecord``: a valid, readable OpenAPI schema name."""
    words = [word for word in re.split(r"[^0-9A-Za-z]+", variant) if word]
    return "".join(word[:1].upper() + word[1:] for word in words) + suffix


def _rejects_on_error(check: CheckSpec) -> bool:
    return check.severity == "error" and check.name != "allowed"


def _validator(check: CheckSpec) -> AfterValidator | None:
    passes = scalar_check(check)
    if passes is None or not _rejects_on_error(check):
        return None

    def validate(value: Any) -> Any:
        if not passes(value):
            raise PydanticCustomError(
                "schema_check",
                "[{check}] expected {expected}, found {found}",
                {"check": check.name, "expected": check.expected, "found": repr(value)},
            )
        return value

    return AfterValidator(validate)


def _description(spec: ColumnSpec) -> str:
    rules = [
        f"{c.name}: {c.expected}" + ("" if _rejects_on_error(c) else " (not enforced)")
        for c in spec.checks
    ]
    nullable = "may be null" if spec.nullable else "required, not null"
    return f"{spec.kind} feature; {nullable}" + (
        "; " + "; ".join(rules) if rules else ""
    )


def _json_schema(spec: ColumnSpec) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    for check in spec.checks:
        if check.name in _JSON_SCHEMA_KEYS and _rejects_on_error(check):
            extra[_JSON_SCHEMA_KEYS[check.name]] = check.argument
        if check.name == "allowed":
            extra["examples"] = [str(value) for value in check.argument]
    return extra


def _field(spec: ColumnSpec) -> tuple[Any, Any]:
    """(annotation, FieldInfo) of one feature; the column name is the alias."""
    numeric = spec.kind == "numeric"
    base: Any = (int if spec.dtype == "int64" else float) if numeric else str
    required = not spec.nullable and spec.nullable_severity == "error"
    validators = [v for v in map(_validator, spec.checks) if v is not None]
    annotation: Any = base if required else base | None
    if validators:
        annotation = Annotated[annotation, *validators]
    info = Field(
        ... if required else None,
        alias=spec.name,
        description=_description(spec),
        json_schema_extra=_json_schema(spec) or None,
    )
    return annotation, info


def record_model(variant: str, schema: RawSchema) -> type[BaseModel]:
    """The request model of one record of ``variant``: its features, no target.

    Unknown fields are refused, so a misspelt feature name is an error rather
    than a silently missing value.
    """
    # Python names f0, f1, ... so that any column name (spaces, a leading
    # underscore) works; requests and responses use the column names (aliases).
    fields: Mapping[str, Any] = {
        f"f{i}": _field(spec) for i, spec in enumerate(schema.without_target())
    }
    return create_model(
        model_name(variant, "Record"),
        __config__=ConfigDict(extra="forbid", str_strip_whitespace=False),
        __doc__=f"One record to score with the {variant!r} model.",
        **fields,
    )


__all__ = ["model_name", "record_model"]
