"""Every dataset factory of conf/base/catalog.yml is on a layer in docs/architecture.md.

Rule: each factory ``"{variant}.<name>"`` must appear as the code span
`` `<name>` `` in the architecture page (a ``{placeholder}`` inside the name is
written ``*``, e.g. `` `*_plot` ``), so a new dataset cannot ship without its
place in the layer table.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CATALOG = PROJECT_ROOT / "conf" / "base" / "catalog.yml"
PAGE = PROJECT_ROOT / "docs" / "architecture.md"


def factory_names(catalog: dict) -> set[str]:
    """``"{variant}.{plot}_plot"`` -> ``"*_plot"``; non-factory entries are skipped."""
    prefix = "{variant}."
    return {
        re.sub(r"\{[^}]+\}", "*", key.removeprefix(prefix))
        for key in catalog
        if key.startswith(prefix)
    }


def test_factory_names_drop_the_variant_and_star_other_placeholders():
    catalog = {"{variant}.train": {}, "{variant}.{plot}_plot": {}, "_anchor": {}}
    assert factory_names(catalog) == {"train", "*_plot"}


def test_every_catalog_factory_is_in_the_architecture_layer_table():
    names = factory_names(yaml.safe_load(CATALOG.read_text(encoding="utf-8")))
    spans = set(re.findall(r"`([^`\n]+)`", PAGE.read_text(encoding="utf-8")))
    assert len(names) > 10
    missing = sorted(names - spans)
    assert not missing, f"catalog factories not in docs/architecture.md: {missing}"
