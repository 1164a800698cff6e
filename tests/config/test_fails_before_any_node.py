"""A configuration mistake stops a run before its first node, and touches no output.

Each case runs the real Kedro session of a copy of the project whose earlier
outputs are in place, with one mistake in ``--params``; the run must fail
with the key path in the message, before any node ran, leaving every file
under ``data/`` byte for byte as it was.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from ml_workflow.errors import ConfigurationError
from tests.project_copy import copy_project
from tests.sessions import failing_session_run, nested


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copy with stand-ins for an earlier run's models and reports."""
    root = copy_project(tmp_path_factory.mktemp("project"))
    for variant in ("housing", "spam"):
        models = root / "data" / "06_models" / variant / "model.skops" / "2026-01-01"
        models.mkdir(parents=True)
        (models / "model.skops").write_bytes(b"an earlier model")
        reports = root / "data" / "08_reporting" / variant
        reports.mkdir(parents=True)
        (reports / "metrics.json").write_text('{"test": {"r2": 0.87}}')
    return root


def fingerprint(root: Path) -> dict[str, str]:
    """Every file under ``data/`` but the raw inputs, with its hash."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted((root / "data").rglob("*"))
        if path.is_file() and "01_raw" not in path.parts
    }


MISTAKES = {
    "unknown key": ({"housing.split.test_sise": 0.5}, "housing.split.test_sise"),
    "wrong type": (
        {"housing.evaluation.learning_curve.cv": "one"},
        "housing.evaluation.learning_curve.cv",
    ),
    "out of range": ({"housing.split.test_size": 1.5}, "housing.split.test_size"),
    "contradiction": ({"housing.split.stratify": True}, "housing.split.stratify"),
    "unknown estimator": (
        {"housing.candidates": [{"name": "x", "estimator": "sklearn.nope.Model"}]},
        "housing.candidates[0] ('x').estimator",
    ),
    "bad search space": (
        {
            "housing.candidates": [
                {
                    "name": "ridge",
                    "estimator": "sklearn.linear_model.Ridge",
                    "search_space": {"alpah": [1.0]},
                }
            ]
        },
        "housing.candidates[0] ('ridge').search_space.alpah",
    ),
}


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_a_mistake_fails_the_run_before_any_node_and_changes_nothing(
    project: Path, mistake: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime_params, key_path = MISTAKES[mistake]
    before = fingerprint(project)
    error, started = failing_session_run(
        project, "housing", monkeypatch, nested(runtime_params), ConfigurationError
    )
    assert f"  - {key_path}" in str(error)
    assert started == []  # no node ran
    assert fingerprint(project) == before


@pytest.mark.slow
def test_the_cli_prints_the_message_and_exits_nonzero(project: Path) -> None:
    before = fingerprint(project)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kedro",
            "run",
            "--pipelines",
            "housing",
            "--params",
            "housing.split.test_sise=0.5",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "housing.split.test_sise: unknown key" in output
    assert "Running node" not in output
    assert fingerprint(project) == before
