"""One real ``kedro run`` of the whole project, shared by the test files that
need a trained project (a pytest plugin, loaded by ``tests/conftest.py``).

``trained_run`` copies the project, samples the housing file to
``HOUSING_ROWS`` rows (the SMS file stays whole: its row counts are checked),
writes the small budgets of ``tests.budgets`` and runs ``kedro run`` in a
subprocess, once per test process. Each file that uses it takes its own copy
(``copy_trained``), so no file sees another's changes.

A session fixture is built once per xdist worker, so the files in
``SHARED_RUN_FILES`` must run on the same worker: ``pytest_xdist_make_scheduler``
makes them one work unit of ``--dist loadfile``. A file that uses the fixture
without being listed is an error at collection, not a silent second run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.project_copy import copy_project, write_fast_budgets

# Test files that read the shared run (paths as pytest's node ids spell them).
SHARED_RUN_FILES = (
    "tests/test_end_to_end.py",
    "tests/test_nothing_lost.py",
    "tests/test_resume.py",
)
SHARED_RUN_SCOPE = "shared trained run"
HOUSING_ROWS = 2000
HOUSING_FILE = Path("data") / "01_raw" / "california_housing.csv"


@dataclass(frozen=True)
class TrainedRun:
    """The trained project (to copy, never to change) and its run's output."""

    project: Path
    result: subprocess.CompletedProcess[str]


def sample_raw_data(project: Path) -> None:
    """The shared run's data in ``project``: a seeded sample of the housing file."""
    import pandas as pd  # noqa: PLC0415 - this plugin loads in the xdist controller

    housing = project / HOUSING_FILE
    if housing.is_file():
        sample = pd.read_csv(housing).sample(n=HOUSING_ROWS, random_state=0)
        sample.to_csv(housing, index=False)


def run_kedro(
    project: Path, *arguments: str, timeout: int = 900, **environment: str
) -> subprocess.CompletedProcess[str]:
    """``kedro <arguments>`` in ``project``, telemetry off, lines not wrapped."""
    return subprocess.run(
        [sys.executable, "-m", "kedro", *arguments],
        cwd=project,
        env={
            **os.environ,
            "KEDRO_DISABLE_TELEMETRY": "1",
            "COLUMNS": "200",
            **environment,
        },
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="session")
def trained_run(tmp_path_factory: pytest.TempPathFactory) -> TrainedRun:
    """``kedro run`` of every variant in a project copy, once per test process."""
    project = copy_project(tmp_path_factory.mktemp("trained_run"))
    sample_raw_data(project)
    write_fast_budgets(project)  # these tests are about outputs and files
    return TrainedRun(project, run_kedro(project, "run"))


def copy_trained(trained_run: TrainedRun, destination: Path) -> Path:
    """A copy of the trained project that the caller may change."""
    result = trained_run.result
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    shutil.copytree(trained_run.project, destination, dirs_exist_ok=True)
    return destination


def _test_file(nodeid: str) -> str:
    """The file part of a test's node id, as ``SHARED_RUN_FILES`` spells it."""
    return nodeid.split("::", 1)[0]


def work_unit(nodeid: str) -> str:
    """The xdist work unit of a test: its file, or the files sharing the run."""
    file = _test_file(nodeid)
    return SHARED_RUN_SCOPE if file in SHARED_RUN_FILES else file


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Refuse a file that uses ``trained_run`` without sharing its worker."""
    for item in items:
        file = _test_file(item.nodeid)
        if "trained_run" in getattr(item, "fixturenames", ()) and (
            file not in SHARED_RUN_FILES
        ):
            raise pytest.UsageError(
                f"{file} uses the trained_run fixture: add it to SHARED_RUN_FILES "
                "in tests/shared_run.py, so it runs on the same xdist worker"
            )


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadfile``, with ``SHARED_RUN_FILES`` as one work unit."""
    if config.getvalue("dist") != "loadfile":
        return None  # another distribution was asked for: xdist's own
    from xdist.scheduler import LoadFileScheduling  # noqa: PLC0415

    class SharedRunScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    return SharedRunScheduling(config, log)
