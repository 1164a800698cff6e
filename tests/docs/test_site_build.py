"""The documentation site builds with ``mkdocs build --strict``.

Strict mode turns every warning into a failure: a link to a missing page or
anchor, a page left out of the nav, a cross-reference such as
``[select_model][ml_workflow.pipelines.modelling.nodes.select_model]`` to a
function that was renamed, or a docstring mkdocstrings cannot parse.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SOURCE = PROJECT_ROOT / "src" / "ml_workflow"
REFERENCE = PROJECT_ROOT / "docs" / "reference"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site_dir = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", site_dir],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert result.returncode == 0, (
        f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
    )
    return site_dir


def test_strict_build_writes_every_guide_page(site: Path):
    for page in (
        "workflow",
        "architecture",
        "configuration",
        "data_validation",
        "plots_and_report",
        "forking",
        "deployment",
        "troubleshooting",
    ):
        assert (site / page / "index.html").is_file(), page


def test_api_reference_renders_node_docstrings(site: Path):
    html = (site / "reference" / "pipelines" / "modelling" / "index.html").read_text(
        encoding="utf-8"
    )
    # The anchor the walk-through's cross-references point at.
    assert 'id="ml_workflow.pipelines.modelling.nodes.select_model"' in html


def test_walk_through_links_into_the_api_reference(site: Path):
    html = (site / "workflow" / "index.html").read_text(encoding="utf-8")
    assert (
        "reference/pipelines/modelling/#ml_workflow.pipelines.modelling.nodes.select_model"
        in html
    )


def _modules() -> set[str]:
    modules = set()
    for path in SOURCE.rglob("*.py"):
        parts = path.relative_to(SOURCE.parent).with_suffix("").parts
        if parts[-1] in {"__init__", "__main__"}:
            continue
        modules.add(".".join(parts))
    return modules


def test_every_module_has_an_api_reference_entry():
    documented = {
        line.removeprefix(":::").strip()
        for page in REFERENCE.rglob("*.md")
        for line in page.read_text(encoding="utf-8").splitlines()
        if line.startswith(":::")
    }
    missing = sorted(_modules() - documented)
    assert not missing, f"modules without a ::: entry in docs/reference/: {missing}"


def test_docstrings_use_markdown_not_sphinx_roles():
    """mkdocstrings renders Markdown: a Sphinx role shows up as literal ``:mod:``."""
    role = re.compile(r":(?:mod|func|class|meth|attr|exc|data):`")
    offenders = [
        f"{path.relative_to(PROJECT_ROOT)}:{number}: {line.strip()}"
        for path in sorted(SOURCE.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if role.search(line)
    ]
    assert not offenders, "Sphinx roles in docstrings:\n" + "\n".join(offenders)
