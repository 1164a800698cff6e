"""docs/configuration.md documents exactly the keys of the configuration models.

The models' JSON schema (``VariantConfig``, ``Compute``, ``Serving``) is walked
into key paths, and the reference tables of the page are read back:

- **Key paths.** A variant's keys are relative to the variant (``split.seed``
  for ``housing.split.seed``); the shared settings keep their top key
  (``compute.n_jobs``). ``[]`` marks the items of a list
  (``candidates[].name``); a mapping whose keys the user chooses is named by
  a placeholder (``PLACEHOLDERS``: ``schema.columns.<column>``). The items of
  ``derived_features`` are a union told apart by ``kind``: a key is any
  member's key, and the members that have it are its kinds. A setting that
  may also be written ``{value: ..., severity: ...}`` (``nullable`` and the
  checks) is one key; that form's own keys are documented once, as
  ``<check>.value`` and ``<check>.severity``.
- **The tables.** Every Markdown table whose first header cell is ``key`` is
  a reference table: one row per key, the key path as a code span in the
  first cell. Other columns are found by their header: ``type``
  (the allowed values), ``default`` and, where present, ``kinds``.
- **Both directions.** Every key of the models has a row, and every row
  names a key of the models (a concrete key below a placeholder, e.g.
  ``preprocessing.text_vectorizer.kind``, is an instance of it and allowed).
  No key has two rows.
- **Defaults.** The default cell of a required key says ``required``; of a
  section (a nested model) it is free; otherwise it starts with the model's
  default as a code span, in YAML (`` `0.2` ``, `` `null` ``). Where the
  variant fills a ``null`` default in when it is loaded (the seeds from
  ``seed``, the per-task defaults), each value it fills in for a regression
  and a classification variant must also appear as a code span in that cell.
- **Allowed values.** Each value of a key's enumeration (a ``Literal``) is a
  code span of its type cell, and the type cell of a key that takes the
  ``{value, severity}`` form says `` `{value, severity}` ``; in a table with a
  ``kinds`` column, that cell lists the union members that have the key (or
  says ``all``).

Every problem is reported at once.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, Field

from ml_workflow.core.config import VariantConfig, load_variant
from ml_workflow.core.config.loading import SETTINGS
from ml_workflow.errors import ConfigurationError
from ml_workflow.variants import load_raw_parameters
from tests.conftest import require_variant
from tests.docs.config_keys import (
    GRADED_FORM,
    PLACEHOLDERS,
    Key,
    Walk,
    coverage_problems,
    default_problems,
    graded_form_keys,
    model_keys,
    reference_problems,
    reference_rows,
    row_problems,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PAGE = PROJECT_ROOT / "docs" / "configuration.md"


# --- the rules, on small hand-made models -------------------------------------


class _Ratio(BaseModel):
    kind: Literal["ratio"]
    name: str
    numerator: str


class _Length(BaseModel):
    kind: Literal["length"]
    name: str
    column: str


class _Section(BaseModel):
    strategy: Literal["grid", "random"] = "random"
    folds: int = 5
    seed: int | None = None
    columns: dict[str, _Ratio] = Field(default_factory=dict)


class _Toy(BaseModel):
    target: str
    section: _Section = _Section()
    derived: list[Annotated[_Ratio | _Length, Field(discriminator="kind")]] = []


def test_the_walk_names_every_key_with_brackets_placeholders_and_kinds(monkeypatch):
    monkeypatch.setitem(PLACEHOLDERS, "section.columns", "<column>")
    keys = Walk(_Toy.model_json_schema()).keys
    assert set(keys) == {
        "target",
        "section",
        "section.strategy",
        "section.folds",
        "section.seed",
        "section.columns",
        "section.columns.<column>",
        "section.columns.<column>.kind",
        "section.columns.<column>.name",
        "section.columns.<column>.numerator",
        "derived",
        "derived[].kind",
        "derived[].name",
        "derived[].numerator",
        "derived[].column",
    }
    assert keys["target"].required and not keys["section.folds"].required
    assert keys["section.folds"].default == 5
    assert keys["section.strategy"].allowed == {"grid", "random"}
    assert keys["section"].section
    assert keys["derived[].name"].kinds == {"ratio", "length"}
    assert keys["derived[].column"].kinds == {"length"}
    assert keys["derived[].kind"].allowed == {"ratio", "length"}


def test_a_mapping_of_user_chosen_keys_needs_a_placeholder():
    with pytest.raises(AssertionError, match="section.columns is a mapping"):
        Walk(_Toy.model_json_schema())


def test_the_graded_form_is_one_key_with_its_own_two_keys():
    keys = Walk(VariantConfig.model_json_schema(by_alias=True)).keys
    nullable = keys["schema.columns.<column>.nullable"]
    assert nullable.graded and nullable.default is True
    assert not any(
        path.endswith((".value", ".severity")) and "checks" in path for path in keys
    )
    form = graded_form_keys([VariantConfig])
    assert set(form) == {"<check>.value", "<check>.severity"}
    assert form["<check>.value"].required and form["<check>.severity"].default is None


TOY_PAGE = """
| key | type | default | meaning |
| --- | --- | --- | --- |
| `target` | a column | required | the column |
| `section.strategy` | `grid` or `random` | `random` | the search |
| `section.folds` | integer | `3` | folds |
| `section.old_key` | integer | `1` | gone |
| `section.strategy` | | | twice |

| key | kinds | default |
| --- | --- | --- |
| `derived[].column` | `length`, `ratio` | required |
"""


def _toy_keys() -> dict[str, Key]:
    keys = {}
    for path, kwargs in {
        "target": {"required": True},
        "section": {"section": True, "default": {}},
        "section.strategy": {"default": "random", "allowed": {"grid", "random"}},
        "section.folds": {"default": 5},
        "section.seed": {"default": None},
        "derived[].column": {
            "required": True,
            "kinds": {"length"},
            "union": frozenset({"length", "ratio"}),
        },
    }.items():
        keys[path] = Key(path, **kwargs)
    return keys


def test_rows_are_read_from_tables_headed_key():
    rows = reference_rows(
        TOY_PAGE + "\n| step | node |\n| --- | --- |\n| `x` | `y` |\n"
    )
    assert [row.key for row in rows] == [
        "target",
        "section.strategy",
        "section.folds",
        "section.old_key",
        "section.strategy",
        "derived[].column",
    ]
    assert rows[1].cells["type"] == "`grid` or `random`"


def test_keys_missing_unknown_and_repeated_are_all_reported():
    problems = coverage_problems(_toy_keys(), reference_rows(TOY_PAGE))
    assert sorted(problems) == [
        "section.old_key (line 7): documented, but no model has this key",
        "section.seed: not documented",
        "section.strategy: documented 2 times",
        "section: not documented",
    ]


def test_a_concrete_key_below_a_placeholder_is_an_instance_of_it():
    keys = {"options": Key("options"), "options.<argument>": Key("options.<argument>")}
    page = (
        "| key |\n| --- |\n| `options` |\n| `options.<argument>` |\n| `options.kind` |"
    )
    assert coverage_problems(keys, reference_rows(page)) == []


def test_defaults_allowed_values_and_kinds_are_checked_against_the_key():
    keys, rows = _toy_keys(), reference_rows(TOY_PAGE)
    by_key = {row.key: row for row in rows}
    assert row_problems(keys["target"], by_key["target"], []) == []
    assert row_problems(keys["section.folds"], by_key["section.folds"], []) == [
        "section.folds (line 6): the default cell must start with `5`, found '`3`'"
    ]
    assert row_problems(keys["derived[].column"], by_key["derived[].column"], []) == [
        "derived[].column (line 12): the kinds cell must list ['length']"
    ]
    strategy = Key(
        "section.strategy", default="random", allowed={"grid", "random", "halving"}
    )
    assert row_problems(strategy, rows[1], []) == [
        "section.strategy (line 5): the type cell lacks the allowed value(s) ['halving']"
    ]
    nullable = Key("nullable", default=True, graded=True)
    (row,) = reference_rows(
        "| key | type | default |\n| - | - | - |\n| `nullable` | `true` | `true` |"
    )
    assert row_problems(nullable, row, []) == [
        "nullable (line 3): the type cell must say `{value, severity}` (the form it takes)"
    ]


def test_a_default_filled_in_at_load_time_must_be_shown():
    seed = Key("section.seed", default=None)
    assert default_problems(seed, "`null`: the variant's `seed` (`42`)", [42, 42]) == []
    assert default_problems(seed, "`null`: the variant's `seed`", [42]) == [
        "loading fills in `42`, which the default cell does not show"
    ]
    assert default_problems(seed, "the variant's `seed` (`42`)", [42]) == [
        'the default cell must start with `null`, found "the variant\'s `seed` (`42`)"'
    ]
    flag = Key("split.stratify", default=None)
    assert (
        default_problems(flag, "`null`: `false`, classification `true`", [False, True])
        == []
    )
    true_is_not_1 = default_problems(flag, "`null`: `0` or `1`", [False, True])
    assert true_is_not_1 == [
        "loading fills in `false`, which the default cell does not show",
        "loading fills in `true`, which the default cell does not show",
    ]


# --- the shipped page ---------------------------------------------------------------


def test_the_models_have_keys():
    # Guards the walk: if it found nothing, the next test could not fail.
    keys = model_keys()
    assert {
        "split.seed",
        "schema.columns.<column>.checks.min",
        "derived_features[].to",
        "candidates[].search_space.<argument>.low",
        "compute.cluster.scheduler",
        "serving.max_body_bytes",
    } <= set(keys)
    assert len(keys) > 100


def _opaque(prefix: str, keys: dict[str, Key]) -> bool:
    """A placeholder the models give no keys below (an estimator's argument):
    its value is data of any shape, such as an estimator given as a
    hyperparameter, not configuration keys."""
    if prefix not in keys or not keys[prefix].free:
        return False
    return not any(path.startswith((f"{prefix}.", f"{prefix}[]")) for path in keys)


def raw_key_paths(value: Any, prefix: str, keys: dict[str, Key]) -> Iterator[str]:
    """The key paths of parameters as written, named as the walk names them."""
    if _opaque(prefix, keys):
        return
    if isinstance(value, Mapping):
        for name, child in value.items():
            if prefix in keys and keys[prefix].graded and name in ("value", "severity"):
                path = f"{GRADED_FORM}.{name}"  # the {value, severity} form
            else:
                path = f"{prefix}.{PLACEHOLDERS.get(prefix, name)}" if prefix else name
            yield path
            yield from raw_key_paths(child, path, keys)
    elif isinstance(value, list):
        for item in value:
            yield from raw_key_paths(item, f"{prefix}[]", keys)


def test_every_key_of_the_shipped_parameters_is_a_key_of_the_models():
    # The walk and the files agree on what a key is (placeholders, list items,
    # the {value, severity} form), so the page documents what users write.
    keys = model_keys()
    written = set()
    for top, section in load_raw_parameters(PROJECT_ROOT, env="base").items():
        prefix = top if top in SETTINGS else ""
        written |= set(raw_key_paths(section, prefix, keys))
    assert "schema.columns.<column>.checks.min" in written
    unknown = sorted(written - set(keys))
    assert not unknown, f"keys of conf/base the walk does not know: {unknown}"


def test_the_configuration_reference_documents_exactly_the_models():
    problems = reference_problems(model_keys(), PAGE.read_text(encoding="utf-8"))
    assert not problems, (
        f"{len(problems)} problem(s) in docs/configuration.md against the "
        "configuration models:\n" + "\n".join(problems)
    )


def test_the_example_error_message_is_what_a_run_prints():
    require_variant("housing")
    raw = copy.deepcopy(load_raw_parameters(PROJECT_ROOT, env="base")["housing"])
    raw.setdefault("split", {})["test_sise"] = 0.5
    with pytest.raises(ConfigurationError) as error:
        load_variant("housing", raw)
    page = PAGE.read_text(encoding="utf-8")
    missing = [line for line in str(error.value).splitlines() if line not in page]
    assert not missing, f"the example message on the page differs: {missing}"
