"""A variant's parameters as MLflow params: flat ``a.b.c`` keys, string values.

``variant_parameters`` is the one place that says where a variant's
parameters come from: the validated sections the run's nodes received
(``--params`` included, every default filled in) and the ``compute`` settings,
as JSON-ready data with the keys as written in YAML. ``flatten_parameters`` flattens that data.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic_core import to_jsonable_python

from .keys import mlflow_key, unique_keys

# MLflow's limits (mlflow.utils.validation): a longer value is refused.
MAX_VALUE_LENGTH = 6000
MAX_KEY_LENGTH = 250
_ELLIPSIS = "..."


def _named(items: list[Any]) -> bool:
    """Whether a list is of mappings that each have a distinct ``name``."""
    names = [
        item["name"]
        for item in items
        if isinstance(item, Mapping)
        and "name" in item
        and isinstance(item["name"], str)
    ]
    return len(names) == len(items) and all(names) and len(set(names)) == len(names)


def _value(value: Any) -> str:
    """Scalars as MLflow shows them; lists of scalars as JSON; cut to the limit."""
    if isinstance(value, str):
        text = value
    elif value is None or isinstance(value, bool | int | float):
        text = json.dumps(value)
    else:
        text = json.dumps(value, default=str, ensure_ascii=False)
    if len(text) > MAX_VALUE_LENGTH:
        text = text[: MAX_VALUE_LENGTH - len(_ELLIPSIS)] + _ELLIPSIS
    return text


def flatten_parameters(parameters: Any) -> dict[str, str]:
    """Flatten nested parameters into ``{"a.b.c": "value"}``.

    Mappings nest with ``.``; a list of mappings that each have a distinct
    ``name`` (candidates, derived features) nests by that name
    (``candidates.ridge.hyperparameters.alpha``), any other list of mappings by
    position; lists of scalars and empty containers stay one JSON value. Keys
    are made ones MLflow accepts (``tracking.keys``: a column named
    ``Spend ($)`` gives ``schema.columns.Spend ___.kind``) and cut to its
    length; values longer than MLflow accepts are cut (the whole set is also
    logged as ``parameters.json``).
    """
    flat = _flattened(parameters, "")
    keys = unique_keys([mlflow_key(key, MAX_KEY_LENGTH) for key in flat])
    return dict(zip(keys, flat.values(), strict=True))


def _flattened(data: Any, prefix: str) -> dict[str, str]:
    """``flatten_parameters`` under ``prefix``, keys as the names are spelt."""
    if isinstance(data, Mapping):
        children = [(str(key), value) for key, value in data.items()]
    elif isinstance(data, list) and data and all(isinstance(i, Mapping) for i in data):
        if _named(data):
            children = [
                (item["name"], {k: v for k, v in item.items() if k != "name"})
                for item in data
            ]
        else:
            children = [(str(index), item) for index, item in enumerate(data)]
    else:
        return {prefix: _value(data)} if prefix else {}
    if not children and prefix:
        return {prefix: _value(data)}
    flat: dict[str, str] = {}
    for key, value in children:
        name = f"{prefix}.{key}" if prefix else key
        nested = isinstance(value, Mapping) or (
            isinstance(value, list) and value and isinstance(value[0], Mapping)
        )
        if nested:
            flat.update(_flattened(value, name))
        else:
            flat[name] = _value(value)
    return flat


def variant_parameters(catalog: Any, variant: str) -> dict[str, Any]:
    """The variant's validated sections as the run's nodes saw them (runtime
    ``--params`` and resolved defaults included), and the shared ``compute``
    settings its fits ran with, as JSON-ready data."""
    sections = {
        **catalog.load(f"params:{variant}"),
        "compute": catalog.load("params:compute"),
    }
    return to_jsonable_python(sections, by_alias=True)


__all__ = ["flatten_parameters", "variant_parameters"]
