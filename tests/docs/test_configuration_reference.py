"""Every parameter key in conf/base appears in docs/configuration.md.

Rule: every key path of every ``conf/base/parameters_*.yml`` is written as an
inline code span in the reference, exactly. Paths are dotted; a variant's keys
are relative to the variant (``split.seed`` for ``housing.split.seed``), a
non-variant file keeps its top key (``serving.max_batch_records``). Mappings
inside lists get ``[]`` (``candidates[].search_space``). Mappings whose keys the
user chooses (column names, estimator arguments) are named by a placeholder
(``PLACEHOLDERS``), so ``schema.columns.longitude.checks.min`` must be
documented as ``schema.columns.<column>.checks.min``: every key *below* a
placeholder is still checked. Values (including lists of scalars) are not keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from ml_workflow.scaffold.variant import plan_variant, render_parameters

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PARAMETER_FILES = sorted((PROJECT_ROOT / "conf" / "base").glob("parameters*.yml"))
PAGE = PROJECT_ROOT / "docs" / "configuration.md"

# Mappings whose keys are chosen by the user, not by the project: the key is
# replaced by the placeholder (documented as such in the reference).
PLACEHOLDERS = {
    "schema.columns": "<column>",
    "candidates[].hyperparameters": "<argument>",
    "candidates[].search_space": "<argument>",
    "preprocessing.text_vectorizer": "<argument>",
}


def key_paths(value: Any, prefix: str = "") -> Iterator[str]:
    """Yield the dotted path of every key in ``value``, depth first."""
    if isinstance(value, Mapping):
        placeholder = PLACEHOLDERS.get(prefix)
        for key, child in value.items():
            name = placeholder or str(key)
            path = f"{prefix}.{name}" if prefix else name
            yield path
            yield from key_paths(child, path)
    elif isinstance(value, list):
        for item in value:
            yield from key_paths(item, f"{prefix}[]")


def parameter_paths(parameters: Mapping[str, Any]) -> set[str]:
    """Key paths of one parameters file: variants relative, others absolute."""
    paths: set[str] = set()
    for top, section in parameters.items():
        if isinstance(section, Mapping) and "problem" in section:
            paths.update(key_paths(section))
        else:
            paths.update(key_paths({top: section}))
    return paths


def documented(page_text: str) -> set[str]:
    """Every inline code span of a Markdown page."""
    return set(re.findall(r"`([^`\n]+)`", page_text))


def undocumented(paths: set[str], page_text: str) -> list[str]:
    return sorted(paths - documented(page_text))


def shipped_paths() -> set[str]:
    paths: set[str] = set()
    for path in PARAMETER_FILES:
        paths.update(parameter_paths(yaml.safe_load(path.read_text(encoding="utf-8"))))
    return paths


# --- the rule, on small hand-made parameters --------------------------------


def test_variant_keys_are_relative_and_lists_get_brackets():
    parameters = {
        "churn": {
            "problem": {"task": "classification", "features": {"numeric": ["a"]}},
            "derived_features": [{"name": "r", "kind": "ratio"}],
            "split": {"seed": 1},
        },
        "serving": {"max_batch_records": 10},
    }
    assert parameter_paths(parameters) == {
        "problem",
        "problem.task",
        "problem.features",
        "problem.features.numeric",
        "derived_features",
        "derived_features[].name",
        "derived_features[].kind",
        "split",
        "split.seed",
        "serving",
        "serving.max_batch_records",
    }


def test_user_chosen_keys_become_placeholders_and_their_children_are_kept():
    parameters = {
        "churn": {
            "problem": {},
            "schema": {"columns": {"age": {"checks": {"min": 0}}}},
            "candidates": [
                {"hyperparameters": {"alpha": 1}, "search_space": {"alpha": {"low": 1}}}
            ],
        }
    }
    paths = parameter_paths(parameters)
    assert "schema.columns.<column>.checks.min" in paths
    assert "candidates[].hyperparameters.<argument>" in paths
    assert "candidates[].search_space.<argument>.low" in paths
    assert not any("age" in path or "alpha" in path for path in paths)


def test_a_new_key_is_reported_with_every_other_missing_key():
    page = "`problem` `problem.task` `split`"
    paths = {"problem", "problem.task", "split", "split.seed", "split.new_key"}
    assert undocumented(paths, page) == ["split.new_key", "split.seed"]


def test_a_key_mentioned_only_inside_a_longer_path_is_not_documented():
    assert undocumented({"split.seed"}, "`model_selection.split.seed`") == [
        "split.seed"
    ]


# --- the shipped configuration -----------------------------------------------


def test_the_shipped_parameters_have_keys():
    # Guards the walk: if it found nothing, the next test could not fail.
    assert {"problem.task", "schema.columns.<column>.checks.min"} <= shipped_paths()


def test_every_shipped_parameter_key_is_in_the_configuration_reference():
    missing = undocumented(shipped_paths(), PAGE.read_text(encoding="utf-8"))
    assert not missing, (
        f"{len(missing)} parameter key(s) of conf/base are not in "
        f"docs/configuration.md (write each as `path`):\n" + "\n".join(missing)
    )


@pytest.mark.parametrize(
    ("target", "text"), [("churned", ("note",)), ("price", ())], ids=str
)
def test_every_key_kedro_variant_create_writes_is_in_the_reference(target, text):
    # A fork's new variants come from this generator; their keys must be
    # documented too, or the test above fails on the fork's first variant.
    rows = 60
    frame = pd.DataFrame(
        {
            "age": [float(18 + i % 50) for i in range(rows)],
            "city": [("north", "south", "east")[i % 3] for i in range(rows)],
            "note": [f"message number {i} with a few words" for i in range(rows)],
            "churned": [("yes", "no")[i % 2] for i in range(rows)],
            "price": [100.0 + 3.5 * i for i in range(rows)],
        }
    )
    plan = plan_variant(
        frame,
        "churn",
        target=target,
        raw_filepath="data/01_raw/churn.csv",
        file_kind="csv",
        text=text,
    )
    paths = parameter_paths(yaml.safe_load(render_parameters(plan)))
    assert {"problem.task", "candidates[].estimator"} <= paths
    assert undocumented(paths, PAGE.read_text(encoding="utf-8")) == []
