"""Every refusal of the project's commands reaches the user as its own message.

Read from what the CLI prints, in a subprocess, as a user sees it: the
message itself, no ``NoneType: None`` and no hint about a ``--verbose`` flag
that does not exist.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.project_copy import copy_project

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(
        tmp_path_factory.mktemp("project"),
        ("conf", "pyproject.toml", ".telemetry", "src"),
    )
    data = root / "incoming"
    data.mkdir()
    (data / "grades.csv").write_text(
        "size,grade\n"
        + "".join(f"{i % 7}.5,{('low', 'mid', 'high')[i % 3]}\n" for i in range(60))
    )
    (data / "dupes.csv").write_text("price,city,price\n1,a,2\n3,b,4\n")
    return root


def kedro(project: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kedro", *arguments],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


REFUSALS = {
    "misspelt target": (
        [
            "variant",
            "create",
            "grades",
            "--data",
            "incoming/grades.csv",
            "--target",
            "grad",
        ],
        "column(s) ['grad'] are not in the data; found ['size', 'grade']",
    ),
    "bad variant name": (
        [
            "variant",
            "create",
            "Grades!",
            "--data",
            "incoming/grades.csv",
            "--target",
            "grade",
        ],
        "variant name 'Grades!' must be a lower-case Python identifier",
    ),
    "remove an unknown variant": (
        ["variant", "remove", "nosuch"],
        "no variant 'nosuch': ",
    ),
    "regression of text labels": (
        [
            "variant",
            "create",
            "grades",
            "--data",
            "incoming/grades.csv",
            "--target",
            "grade",
            "--task",
            "regression",
        ],
        "target 'grade' holds text labels ['high', 'low', 'mid']",
    ),
    "duplicate column names": (
        [
            "variant",
            "create",
            "dupes",
            "--data",
            "incoming/dupes.csv",
            "--target",
            "city",
        ],
        "has column name(s) used more than once: ['price']",
    ),
}


@pytest.mark.parametrize("refusal", list(REFUSALS))
def test_a_refusal_prints_its_own_message(project: Path, refusal: str) -> None:
    arguments, expected = REFUSALS[refusal]
    result = kedro(project, *arguments)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert expected in " ".join(output.split()), output
    assert "NoneType" not in output and "--verbose" not in output
