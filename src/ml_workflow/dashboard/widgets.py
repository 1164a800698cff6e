"""The record form: one Streamlit widget per feature, fitted to its kind.

Numbers get a number input bounded by the schema's ``min``/``max`` checks
(whole steps for an integer column); a categorical column a select box of
its ``allowed`` list or, without one, of the training split's most frequent
categories (from the drift reference saved with the model) that also takes
a new value; text a text area; a date a text input (ISO 8601).
Each starts at the typical record's value (``core.typical``) and is labelled
with the schema's ``description`` and ``unit``; its help names the column and
its checks. Widget keys are ``<variant>:<column>``, so each variant keeps its
own values.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ml_workflow.core.validation import ColumnSpec


def _argument(spec: ColumnSpec, name: str) -> Any:
    return next((c.argument for c in spec.checks if c.name == name), None)


def widget_key(variant: str, column: str) -> str:
    """The session-state key of a column's widget."""
    return f"{variant}:{column}"


def help_text(spec: ColumnSpec) -> str:
    """The column's name and what it must hold, for the widget's tooltip."""
    rules = [f"{c.name}: {c.expected}" for c in spec.checks]
    missing = "may be left empty" if spec.nullable else "required"
    return f"`{spec.name}` ({spec.kind}, {missing})" + (
        "  \n" + "  \n".join(rules) if rules else ""
    )


def _number(spec: ColumnSpec, typical: Any, key: str) -> Any:
    whole = spec.dtype == "int64"
    cast = int if whole else float
    low, high = _argument(spec, "min"), _argument(spec, "max")
    return st.number_input(
        spec.label,
        min_value=None if low is None else cast(low),
        max_value=None if high is None else cast(high),
        value=None if typical is None else cast(typical),
        step=1 if whole else None,
        format=None if whole else "%g",
        help=help_text(spec),
        key=key,
    )


def training_categories(drift_reference: dict[str, Any] | None) -> dict[str, list]:
    """Per categorical feature, the training split's most frequent categories."""
    features = (drift_reference or {}).get("features") or {}
    return {
        name: list(spec["categories"])
        for name, spec in features.items()
        if "categories" in spec
    }


def _category(spec: ColumnSpec, typical: Any, key: str, seen: list[str]) -> Any:
    allowed = [str(value) for value in _argument(spec, "allowed") or ()]
    options = allowed or [str(value) for value in seen]
    if typical is not None and typical not in options:
        options = [typical, *options]
    index = options.index(typical) if typical in options else None
    return st.selectbox(
        spec.label,
        options,
        index=index,
        help=help_text(spec),
        key=key,
        accept_new_options=not allowed,  # the schema lists every category
    )


def field(
    spec: ColumnSpec, typical: Any, variant: str, seen: list[str] | None = None
) -> Any:
    """One feature's widget; returns its value (None when left empty).
    ``seen``: a categorical column's training categories."""
    key = widget_key(variant, spec.name)
    if spec.numeric:
        return _number(spec, typical, key)
    if spec.kind == "categorical":
        return _category(spec, typical, key, seen or [])
    if spec.kind == "text":
        value = st.text_area(
            spec.label, value=typical or "", help=help_text(spec), key=key
        )
    else:  # a date, as ISO 8601 text the record model reads
        value = st.text_input(
            spec.label, value=typical or "", help=help_text(spec), key=key
        )
    return None if value == "" and spec.nullable else value


def record_form(
    columns: tuple[ColumnSpec, ...],
    typical: dict[str, Any],
    variant: str,
    categories: dict[str, list] | None = None,
) -> dict[str, Any]:
    """Every feature's widget (short ones in two columns, text across the
    page); returns the record as entered."""
    halves = st.columns(2)
    record: dict[str, Any] = {}
    short = [spec for spec in columns if spec.kind != "text"]
    for i, spec in enumerate(short):
        with halves[i % 2]:
            seen = (categories or {}).get(spec.name)
            record[spec.name] = field(spec, typical.get(spec.name), variant, seen)
    for spec in columns:
        if spec.kind == "text":
            record[spec.name] = field(spec, typical.get(spec.name), variant)
    return {spec.name: record[spec.name] for spec in columns}


__all__ = ["field", "help_text", "record_form", "training_categories", "widget_key"]
