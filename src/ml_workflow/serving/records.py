"""Prediction records of a variant: their request model, and their checks.

The request model (Pydantic, built from the schema) parses each record's
fields into the types training reads: one field per declared feature, a
number or a string, optional unless the schema says ``nullable: false``;
unknown fields are refused; its title is the schema's ``description`` and
``unit`` (the forms' label). The value checks are then run by the project's
one validation engine (``ml_workflow.core.validation``) on the request's
records, exactly as batch scoring runs them: error-level checks reject the
record, warning-level ones (and ``allowed``: the model ignores unseen
categories) never do. The OpenAPI document states the checks it can
(``minimum``, ``maximum``, ``maxLength``, example categories).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, create_model

from ml_workflow.core.validation import ColumnSpec, RawSchema
from ml_workflow.core.validation.engine import failures
from ml_workflow.core.validation.records import RECORD_RELAXED
from ml_workflow.core.validation.validate import found_text

# An integer feature is an int64 column: a larger JSON integer is refused.
_INT64 = Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]
_SHOWN = 80


def _shown(value: Any) -> str:
    """The value as a user wrote it, cut to a few words: a 6 MB text is not echoed."""
    text = found_text(value)
    return (
        text if len(text) <= _SHOWN else f"{text[:_SHOWN]}... ({len(text)} characters)"
    )


def model_name(variant: str, suffix: str) -> str:
    """``housing`` -> ``HousingRecord``: a valid, readable OpenAPI schema name."""
    words = [word for word in re.split(r"[^0-9A-Za-z]+", variant) if word]
    return "".join(word[:1].upper() + word[1:] for word in words) + suffix


def _enforced(spec: ColumnSpec, name: str, severity: str) -> bool:
    return severity == "error" and name not in RECORD_RELAXED


def _description(spec: ColumnSpec) -> str:
    rules = [
        f"{c.name}: {c.expected}"
        + ("" if _enforced(spec, c.name, c.severity) else " (not enforced)")
        for c in spec.checks
    ]
    nullable = "may be null" if spec.nullable else "required, not null"
    return f"{spec.kind} feature; {nullable}" + (
        "; " + "; ".join(rules) if rules else ""
    )


def _json_schema(spec: ColumnSpec) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    for check in spec.checks:
        if check.name == "allowed" or _enforced(spec, check.name, check.severity):
            extra.update(check.json_schema())
    return extra


def _field(spec: ColumnSpec) -> tuple[Any, Any]:
    """(annotation, FieldInfo) of one feature; the column name is the alias."""
    base: Any = (_INT64 if spec.dtype == "int64" else float) if spec.numeric else str
    required = not spec.nullable and spec.nullable_severity == "error"
    info = Field(
        ... if required else None,
        alias=spec.name,
        title=spec.label,
        description=_description(spec),
        json_schema_extra=_json_schema(spec) or None,
    )
    return (base if required else base | None), info


def record_model(variant: str, schema: RawSchema) -> type[BaseModel]:
    """The request model of one record of ``variant``: its features, no target.

    Unknown fields are refused, so a misspelt feature name is an error rather
    than a silently missing value. Types are strict: a number must be a JSON
    number (not ``true``, not ``"1.5"``), a category, text or date a JSON
    string; NaN and infinities are refused (docs/deployment.md).
    """
    # Python names f0, f1, ... so that any column name (spaces, a leading
    # underscore) works; requests and responses use the column names (aliases).
    fields: Mapping[str, Any] = {
        f"f{i}": _field(spec) for i, spec in enumerate(schema.without_target())
    }
    return create_model(
        model_name(variant, "Record"),
        __config__=ConfigDict(
            extra="forbid", strict=True, allow_inf_nan=False, str_strip_whitespace=False
        ),
        __doc__=f"One record to score with the {variant!r} model.",
        **fields,
    )


def record_problems(
    records: list[BaseModel], schema: RawSchema
) -> list[dict[str, Any]]:
    """One ``{record, field, problem, type}`` per error-level check a record fails.

    The same engine and checks as batch scoring, run once on the request's
    records (one array per field).
    """
    columns = schema.without_target()
    arrays: dict[str, np.ndarray] = {}
    for i, spec in enumerate(columns):
        values = [getattr(record, f"f{i}") for record in records]
        arrays[spec.name] = np.asarray(
            values, dtype=np.float64 if spec.numeric else object
        )
    problems = []
    for failure in failures(arrays, columns, relax=RECORD_RELAXED):
        if failure.severity != "error":
            continue
        values = arrays[failure.column]
        for position in failure.positions:
            problems.append(
                {
                    "record": int(position),
                    "field": failure.column,
                    "problem": f"[{failure.check}] expected {failure.expected}, "
                    f"found {found_text(values[position])}",
                    "type": "schema_check",
                }
            )
    return sorted(problems, key=lambda problem: problem["record"])


__all__ = ["model_name", "record_model", "record_problems"]
