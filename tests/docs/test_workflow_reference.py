"""docs/workflow.md names real nodes and real datasets.

Functions are linked with mkdocstrings cross-references, which the strict
build checks (tests/docs/test_site_build.py). Node names and dataset names are
plain text, so this test checks them: every node of every pipeline template is
named in the walk-through, and every `<variant>.<dataset>` it names is a
dataset of the catalog.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ml_workflow.pipeline_registry import STAGES
from ml_workflow.pipelines import inference

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PAGE = PROJECT_ROOT / "docs" / "workflow.md"
CATALOGS = sorted((PROJECT_ROOT / "conf" / "base").glob("catalog*.yml"))


def _spans() -> set[str]:
    return set(re.findall(r"`([^`\n]+)`", PAGE.read_text(encoding="utf-8")))


def _node_names() -> set[str]:
    templates = [*STAGES.values(), inference.create_pipeline]
    return {node.name for create in templates for node in create().nodes}


def _dataset_names() -> set[str]:
    """Catalog names without the variant: factories and per-variant entries."""
    names = set()
    for path in CATALOGS:
        for key in yaml.safe_load(path.read_text(encoding="utf-8")) or {}:
            names.add(key.split(".", 1)[1] if "." in key else key)
    return names


def test_every_node_is_named_in_the_walk_through():
    nodes = _node_names()
    assert "select_model" in nodes
    missing = sorted(nodes - _spans())
    assert not missing, f"nodes not named in docs/workflow.md: {missing}"


def test_every_dataset_named_in_the_walk_through_is_in_the_catalog():
    named = {
        span.removeprefix("<variant>.")
        for span in _spans()
        if re.fullmatch(r"<variant>\.\w+", span)
    }
    assert "train" in named
    unknown = sorted(named - _dataset_names())
    assert not unknown, f"docs/workflow.md names datasets not in the catalog: {unknown}"


SECTIONS = (
    "problem|schema|cleaning|derived_features|split|preprocessing|candidates"
    "|model_selection|evaluation|compute|serving"
)


def test_every_parameter_named_in_the_walk_through_is_in_the_reference():
    named = {
        span
        for span in _spans()
        if re.fullmatch(rf"(?:{SECTIONS})(?:\[\])?(?:\.[\w<>]+)+", span)
    }
    assert "split.seed" in named
    reference = PROJECT_ROOT / "docs" / "configuration.md"
    documented = set(re.findall(r"`([^`\n]+)`", reference.read_text(encoding="utf-8")))
    unknown = sorted(named - documented)
    assert not unknown, f"docs/workflow.md names undocumented parameters: {unknown}"
