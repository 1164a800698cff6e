"""Renaming a fork and removing a shipped variant, on a scratch copy."""

from __future__ import annotations

from pathlib import Path

import pytest

from ml_workflow.errors import ConfigurationError
from ml_workflow.scaffold.fork import remove_variant, rename_project
from tests.project_copy import copy_project

# These tests are about the shipped variants; a fork that removes one skips them.
pytestmark = pytest.mark.requires_variants("housing", "spam")


@pytest.fixture
def fork(tmp_path: Path) -> Path:
    copy = copy_project(
        tmp_path / "fork",
        ("conf", "src", "tests", "pyproject.toml", "README.md", ".gitignore"),
    )
    raw = copy / "data" / "01_raw"
    raw.mkdir(parents=True)  # stand-in raw files: only their names matter here
    for name in ("california_housing.csv", "sms_spam.tsv"):
        (raw / name).write_text("header\n")
    return copy


def test_rename_replaces_package_and_project_names_everywhere(fork: Path) -> None:
    changed = rename_project(fork, "churn_model", "churn-model")
    assert not (fork / "src" / "ml_workflow").exists()
    assert (fork / "src" / "churn_model" / "pipeline_registry.py").exists()
    pyproject = (fork / "pyproject.toml").read_text()
    assert 'package_name = "churn_model"' in pyproject
    assert 'project_name = "churn-model"' in pyproject
    assert fork / "pyproject.toml" in changed
    leftovers = [
        path
        for path in fork.rglob("*")
        if path.is_file()
        and path.suffix in {".py", ".toml", ".md", ".yml"}
        and "ml_workflow" in path.read_text()
    ]
    assert leftovers == []


def test_rename_refuses_an_invalid_package_name(fork: Path) -> None:
    with pytest.raises(ConfigurationError, match="not a valid Python package name"):
        rename_project(fork, "Churn-Model")


def test_remove_variant_deletes_its_configuration_and_raw_data(fork: Path) -> None:
    removed = remove_variant(fork, "spam")
    assert not (fork / "conf/base/parameters_spam.yml").exists()
    assert not (fork / "conf/base/catalog_spam.yml").exists()
    assert not (fork / "data/01_raw/sms_spam.tsv").exists()
    assert (fork / "data/01_raw/california_housing.csv").exists()
    assert (fork / "conf/base/parameters_housing.yml").exists()
    assert "sms_spam.tsv" not in (fork / ".gitignore").read_text()
    assert len(removed) == 3


def test_remove_unknown_variant_is_refused(fork: Path) -> None:
    with pytest.raises(ConfigurationError, match="no variant 'churn'"):
        remove_variant(fork, "churn")
