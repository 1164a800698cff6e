"""Read the project's parameters into typed configuration, or say exactly what is wrong.

``resolve_parameters`` turns Kedro's merged parameters (``conf/base``, the run
environment, ``--params``) into validated models: every variant (a top-level
key holding a ``problem`` section) becomes a mapping of its sections,
``compute``, ``serving``, ``drift`` and ``tracking`` become their settings. Any mistake raises one
``ConfigurationError`` naming the variant, the key path, the value found and
what was expected, before any node runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from ml_workflow.errors import ConfigurationError

from .base import PATH_SEPARATOR
from .settings import Compute, Drift, Serving
from .tracking import Tracking
from .variant import VariantConfig

SETTINGS: dict[str, type[BaseModel]] = {
    "compute": Compute,
    "serving": Serving,
    "drift": Drift,
    "tracking": Tracking,
}
"""Top-level parameter keys that are shared settings, not variants."""
_MAX_SHOWN = 80


def is_variant(section: Any) -> bool:
    """A variant is a top-level mapping holding a ``problem`` mapping."""
    return isinstance(section, Mapping) and isinstance(section.get("problem"), Mapping)


def variant_names(parameters: Mapping[str, Any]) -> list[str]:
    """The names of the parameter sections that define a problem, sorted."""
    return sorted(
        name
        for name, section in parameters.items()
        if name not in SETTINGS
        and (is_variant(section) or isinstance(section, VariantConfig))
    )


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else f"{text[:_MAX_SHOWN]}..."


def _path(location: tuple[Any, ...], raw: Any) -> str:
    """``('candidates', 2, 'hyperparameters')`` -> ``candidates[2] ('ridge').hyperparameters``.

    Items of a list are named by their ``name`` where they have one. Pydantic
    adds the chosen union member or tag to the location (``constrained-str``,
    ``[]``); those are not keys a user wrote, so they are dropped.
    """
    path, node = "", raw
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
            node = (
                node[part]
                if isinstance(node, list | tuple) and part < len(node)
                else None
            )
            if isinstance(node, Mapping) and isinstance(node.get("name"), str):
                path += f" ({node['name']!r})"
        elif _not_a_key(str(part)) or (
            isinstance(node, Mapping) and node.get("kind") == part
        ):
            continue  # a union member or tag, not a key (the item's own kind)
        else:
            path += f".{part}" if path else str(part)
            node = node.get(part) if isinstance(node, Mapping) else None
    return path


def _not_a_key(part: str) -> bool:
    return (
        part in {"[]", "{}"}
        or part.startswith(
            ("function-", "constrained-", "Graded[", "list[", "tuple[", "dict[")
        )
        or part in {"int", "float", "str", "bool", "none"}
    )


def _join(*parts: str) -> str:
    return ".".join(part for part in parts if part).replace(".[", "[")


def describe_errors(section: str, error: ValidationError, raw: Any = None) -> list[str]:
    """One line per problem: the full key path, what was found, what was expected.

    ``raw`` (the parameters as written) lets list items be named.
    """
    lines: list[str] = []
    items = error.errors(include_url=False)
    for item in items:
        if item["type"] == "too_short" and _items_failed(item["loc"], items):
            continue  # the list is short only because items failed, reported above
        path = _path(item["loc"], raw)
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "value_error" and PATH_SEPARATOR in message:
            # checks across keys: each line carries its own relative path
            for line in message.splitlines():
                relative, _, text = line.partition(PATH_SEPARATOR)
                lines.append(f"{_join(section, path, relative)}: {text}")
            continue
        if item["type"] == "extra_forbidden":
            message = "unknown key (misspelt?)"
        line = f"{_join(section, path)}: {message}"
        if item["type"] != "missing" and not (
            item["type"] == "value_error" and isinstance(item["input"], Mapping | list)
        ):  # a check of a whole mapping says what it found itself
            line += f" (found {_shown(item['input'])})"
        if line not in lines:  # a union may report one line per member it tried
            lines.append(line)
    return lines


def _items_failed(location: tuple[Any, ...], items: list[Any]) -> bool:
    """Whether another error is about an item inside the list at ``location``."""
    size = len(location)
    return any(
        len(other["loc"]) > size and other["loc"][:size] == location for other in items
    )


def load_variant(name: str, parameters: Mapping[str, Any]) -> VariantConfig:
    """Validate one variant's parameters, raising ``ConfigurationError`` on mistakes."""
    try:
        return VariantConfig.model_validate(dict(parameters), context={"variant": name})
    except ValidationError as error:
        raise ConfigurationError(
            _message(name, describe_errors(name, error, parameters))
        ) from None


def load_setting(key: str, value: Any) -> BaseModel:
    """Validate the shared ``compute``, ``serving``, ``drift`` or ``tracking`` settings."""
    try:
        return SETTINGS[key].model_validate(value if value is not None else {})
    except ValidationError as error:
        raise ConfigurationError(_message(None, describe_errors(key, error))) from None


def _message(variant: str | None, lines: list[str]) -> str:
    where = f"variant {variant!r}" if variant else "the shared settings"
    return (
        f"Invalid parameters for {where} (conf/<env>/parameters*.yml or --params); "
        f"{len(lines)} problem(s):\n" + "\n".join(f"  - {line}" for line in lines)
    )


def resolve_parameters(
    parameters: Mapping[str, Any], only: set[str] | None = None
) -> dict[str, Any]:
    """Kedro's merged parameters with the variants and settings validated.

    Each variant becomes a dict of its section models (``params:housing.split``
    is a ``Split``), so nodes receive typed sections; ``compute``,
    ``serving``, ``drift`` and ``tracking`` are present even when no file sets them. ``only`` limits the
    variants validated (the others stay as written). Every problem of every
    validated variant is reported at once.
    """
    resolved = dict(parameters)
    failures: list[str] = []
    for name in variant_names(parameters):
        if only is not None and name not in only:
            continue
        try:
            config = parameters[name]
            if not isinstance(config, VariantConfig):
                config = load_variant(name, parameters[name])
            resolved[name] = config.sections()
        except ConfigurationError as error:
            failures.append(str(error))
    for key, model in SETTINGS.items():
        try:
            value = parameters.get(key)
            if not isinstance(value, model):
                value = load_setting(key, value)
            resolved[key] = value
        except ConfigurationError as error:
            failures.append(str(error))
    if failures:
        raise ConfigurationError("\n".join(failures))
    return resolved


__all__ = [
    "SETTINGS",
    "describe_errors",
    "is_variant",
    "load_setting",
    "load_variant",
    "resolve_parameters",
    "variant_names",
]
