"""The keys of the configuration models, and the reference tables of a page.

Used by ``test_configuration_reference.py`` (which states the rules): walk a
model's JSON schema into ``Key``s, read a page's reference tables into
``Row``s, and compare the two.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml
from pydantic import BaseModel

from ml_workflow.core.config import VariantConfig, load_variant
from ml_workflow.core.config.loading import SETTINGS

# Mappings whose keys the user chooses, by the path of the mapping.
PLACEHOLDERS = {
    "schema.columns": "<column>",
    "preprocessing.text_vectorizer": "<argument>",
    "candidates[].hyperparameters": "<argument>",
    "candidates[].search_space": "<argument>",
    "candidates[].preprocessing.text_vectorizer": "<argument>",
    "tracking.serve_overrides": "<variant>",
}
GRADED_FORM = "<check>"
"""The placeholder of the ``{value, severity}`` form's keys."""
NO_DEFAULT = object()


# --- walking a JSON schema into keys -----------------------------------------


@dataclass
class Key:
    """One key path of the models, as the JSON schema states it."""

    path: str
    required: bool = False
    default: Any = NO_DEFAULT
    section: bool = False  # a nested model: its own keys carry the defaults
    free: bool = False  # a placeholder for keys the user chooses
    graded: bool = False  # also takes the {value, severity} form
    allowed: set[str] = field(default_factory=set)  # enumeration values
    kinds: set[str] = field(default_factory=set)  # union members that have it
    union: frozenset[str] = frozenset()  # every member of its union


class Walk:
    """The keys of one JSON schema (``$ref`` resolved within its ``$defs``)."""

    def __init__(self, schema: dict[str, Any], prefix: str = "") -> None:
        self.defs = schema.get("$defs", {})
        self.keys: dict[str, Key] = {}
        self._object(schema, prefix)

    def alternatives(self, node: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """The concrete schemas a node may be: unions flattened, refs resolved."""
        if "$ref" in node:
            node = self.defs[node["$ref"].rsplit("/", 1)[-1]]
        members = node.get("anyOf", []) + node.get("oneOf", [])
        if not members:
            yield node
        for member in members:
            yield from self.alternatives(member)

    @staticmethod
    def is_graded(node: dict[str, Any]) -> bool:
        return node.get("title", "").startswith("Graded[")

    def _object(
        self,
        node: dict[str, Any],
        prefix: str,
        union: frozenset[str] = frozenset(),
        tag: str | None = None,
    ) -> None:
        required = set(node.get("required", ()))
        for name, child in node.get("properties", {}).items():
            path = f"{prefix}.{name}" if prefix else name
            key = self.keys.setdefault(path, Key(path, union=union))
            key.required |= name in required
            if "default" in child:
                key.default = child["default"]
            if tag is not None:
                key.kinds.add(tag)
            self._describe(key, child)
            self._children(child, path)

    def _describe(self, key: Key, node: dict[str, Any]) -> None:
        for alternative in self.alternatives(node):
            key.allowed |= {str(value) for value in alternative.get("enum", ())}
            if "const" in alternative:
                key.allowed.add(str(alternative["const"]))
            if self.is_graded(alternative):
                key.graded = True
            elif "properties" in alternative:
                key.section = True

    def _children(self, node: dict[str, Any], path: str) -> None:
        """The keys below ``path``: a model's, a mapping's, a list's items'."""
        alternatives = [a for a in self.alternatives(node) if not self.is_graded(a)]
        models = [a for a in alternatives if "properties" in a]
        # a union of models (derived features) is told apart by its `kind`
        tags = [m["properties"].get("kind", {}).get("const") for m in models]
        union = frozenset(tags) if len(models) > 1 and None not in tags else frozenset()
        for alternative in alternatives:
            if "properties" in alternative:
                tag = alternative["properties"]["kind"]["const"] if union else None
                self._object(alternative, path, union, tag)
            elif alternative.get("type") == "array" and "items" in alternative:
                self._children(alternative["items"], f"{path}[]")
            elif alternative.get("additionalProperties") not in (None, False):
                self._mapping(alternative["additionalProperties"], path)

    def _mapping(self, values: Any, path: str) -> None:
        if path not in PLACEHOLDERS:
            raise AssertionError(
                f"{path} is a mapping whose keys the user chooses: give it a "
                "placeholder in PLACEHOLDERS"
            )
        child = f"{path}.{PLACEHOLDERS[path]}"
        key = self.keys.setdefault(child, Key(child, free=True))
        if isinstance(values, dict):
            self._describe(key, values)
            self._children(values, child)


def graded_form_keys(models: list[type[BaseModel]]) -> dict[str, Key]:
    """The keys of the ``{value, severity}`` form, from any model that uses it."""
    for model in models:
        walk = Walk(model.model_json_schema(by_alias=True))
        for definition in walk.defs.values():
            if Walk.is_graded(definition):
                form = Walk({"$defs": walk.defs, **definition}, GRADED_FORM)
                return form.keys
    return {}


def model_keys() -> dict[str, Key]:
    """Every key of a variant and of each shared setting (``compute``, ``serving``,
    ``drift``)."""
    keys = Walk(VariantConfig.model_json_schema(by_alias=True)).keys
    for top, model in SETTINGS.items():
        keys[top] = Key(top, section=True)
        keys.update(Walk(model.model_json_schema(by_alias=True), top).keys)
    keys.update(graded_form_keys([VariantConfig]))
    return keys


# --- what a variant fills in when it is loaded ---------------------------------

MINIMAL_VARIANTS = {
    "regression": {
        "problem": {
            "task": "regression",
            "target": "y",
            "features": {"numeric": ["x"]},
        },
        "candidates": [{"name": "m", "estimator": "sklearn.linear_model.Ridge"}],
    },
    "classification": {
        "problem": {
            "task": "classification",
            "target": "y",
            "positive_class": "yes",
            "features": {"numeric": ["x"]},
        },
        "candidates": [
            {"name": "m", "estimator": "sklearn.linear_model.LogisticRegression"}
        ],
    },
}


def value_at(data: Any, path: str) -> Any:
    """The value at a key path (``[]``: the first item), or NO_DEFAULT."""
    for part in re.findall(r"[^.\[\]]+|\[\]", path):
        if part == "[]" and isinstance(data, list) and data:
            data = data[0]
        elif isinstance(data, Mapping) and part in data:
            data = data[part]
        else:
            return NO_DEFAULT
    return data


def effective_values(keys: dict[str, Key]) -> dict[str, list[Any]]:
    """Per key the minimal variants leave unset, the value after loading, per task.

    The keys whose default the model does not state (a ``default_factory``)
    get it from here too.
    """
    values: dict[str, list[Any]] = {}
    for raw in MINIMAL_VARIANTS.values():
        loaded = load_variant("<variant>", copy.deepcopy(raw))
        dump = loaded.model_dump(mode="json", by_alias=True)
        for path in keys:
            if value_at(raw, path) is NO_DEFAULT:
                found = value_at(dump, path)
                if found is not NO_DEFAULT:
                    values.setdefault(path, []).append(found)
    return values


# --- reading the page -----------------------------------------------------------


@dataclass
class Row:
    """One row of a reference table: its key and its cells by header."""

    key: str
    cells: dict[str, str]
    line: int


def _cells(line: str) -> list[str]:
    """The cells of a Markdown table line (``\\|`` is a literal bar)."""
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def spans(text: str) -> list[str]:
    """The inline code spans of a text."""
    return re.findall(r"`([^`\n]+)`", text)


def reference_rows(page: str) -> list[Row]:
    """Every row of every table whose first header cell is ``key``."""
    rows: list[Row] = []
    lines = page.splitlines()
    header: list[str] | None = None
    for number, line in enumerate(lines, 1):
        if not line.lstrip().startswith("|"):
            header = None
            continue
        cells = _cells(line)
        if header is None:
            header = [cell.lower() for cell in cells]
        elif all(re.fullmatch(r":?-+:?", cell) for cell in cells):
            continue
        elif header[0] == "key":
            named = spans(cells[0])
            columns = {
                (name.split() or [""])[0]: cell
                for name, cell in zip(header, cells, strict=False)
            }
            rows.append(Row(named[0] if named else cells[0], columns, number))
    return rows


# --- the checks -------------------------------------------------------------------


def yaml_value(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def same(a: Any, b: Any) -> bool:
    """Equal as configuration values: ``1 == 1.0``, but ``true != 1``;
    a mapping's null entries are ignored."""
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        a = {k: v for k, v in a.items() if v is not None}
        b = {k: v for k, v in b.items() if v is not None}
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return a == b


def coverage_problems(keys: dict[str, Key], rows: list[Row]) -> list[str]:
    """Keys without a row, rows without a key, and keys with two rows."""
    documented = [row.key for row in rows]
    instances = {
        row.key
        for row in rows
        if any(
            row.key.rpartition(".")[0] + f".{placeholder}" in keys
            for placeholder in set(PLACEHOLDERS.values())
        )
    }
    problems = [
        f"{path}: not documented" for path in sorted(keys.keys() - {*documented})
    ]
    problems += [
        f"{row.key} (line {row.line}): documented, but no model has this key"
        for row in rows
        if row.key not in keys and row.key not in instances
    ]
    problems += [
        f"{path}: documented {documented.count(path)} times"
        for path in sorted(set(documented))
        if documented.count(path) > 1
    ]
    return problems


def _yaml(value: Any) -> str:
    """``value`` as one line of YAML, as the page writes it."""
    return yaml.safe_dump(value, default_flow_style=True).removesuffix("...\n").strip()


def default_problems(key: Key, cell: str, filled: list[Any]) -> list[str]:
    """The default cell against the model's default and what loading fills in."""
    if key.required:
        return (
            []
            if cell == "required"
            else ["required: the default cell must say 'required'"]
        )
    if key.free or (key.section and key.default is not None):
        return []  # a section's defaults are its keys'
    default = (
        key.default if key.default is not NO_DEFAULT else next(iter(filled), NO_DEFAULT)
    )
    if default is NO_DEFAULT:
        return ["the models state no default for this key"]
    stated = [yaml_value(span) for span in spans(cell)]
    if not stated or not same(stated[0], default):
        return [f"the default cell must start with `{_yaml(default)}`, found {cell!r}"]
    distinct = [
        v for i, v in enumerate(filled) if not any(same(v, w) for w in filled[:i])
    ]
    return [
        f"loading fills in `{_yaml(value)}`, which the default cell does not show"
        for value in distinct
        if not same(value, default) and not any(same(value, shown) for shown in stated)
    ]


def row_problems(key: Key, row: Row, filled: list[Any]) -> list[str]:
    """What a row states (default, allowed values, kinds) against its key."""
    problems = default_problems(key, row.cells.get("default", ""), filled)
    type_spans = set(spans(row.cells.get("type", "")))
    missing = sorted(key.allowed - type_spans)
    if missing:
        problems.append(f"the type cell lacks the allowed value(s) {missing}")
    if key.graded and "{value, severity}" not in type_spans:
        problems.append(
            "the type cell must say `{value, severity}` (the form it takes)"
        )
    if "kinds" in row.cells and key.union:
        listed, cell = set(spans(row.cells["kinds"])), row.cells["kinds"]
        if listed != key.kinds and not (cell == "all" and key.kinds == key.union):
            problems.append(f"the kinds cell must list {sorted(key.kinds)}")
    return [f"{key.path} (line {row.line}): {problem}" for problem in problems]


def reference_problems(keys: dict[str, Key], page: str) -> list[str]:
    """Everything wrong with a reference page, against the keys of the models."""
    rows = reference_rows(page)
    filled = effective_values(keys)
    problems = coverage_problems(keys, rows)
    for row in rows:
        if row.key in keys:
            problems += row_problems(keys[row.key], row, filled.get(row.key, []))
    return problems
