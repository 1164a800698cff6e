"""A runnable copy of the project, for tests and benchmarks that run Kedro in it.

Free of Kedro and pytest imports at module level, so the benchmark scripts can
use it without Kedro's start-up logging in their output.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]

# What a runnable copy of the project needs: configuration, code, metadata, raw data.
PROJECT_FILES = ("conf", "src", "pyproject.toml", ".telemetry", "data/01_raw")


def copy_project(destination: Path, names: Sequence[str] = PROJECT_FILES) -> Path:
    """Copy ``names`` of this project into ``destination`` to run Kedro in.

    Caches, build metadata and ``conf/local`` (a developer's own settings) are
    left behind; an empty ``conf/local`` is created, as Kedro expects one.
    """
    ignore = shutil.ignore_patterns(
        "__pycache__", "*.egg-info", ".pytest_cache", "local"
    )
    for name in names:
        source = PROJECT_ROOT / name
        (destination / name).parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=ignore)
        elif source.exists():
            shutil.copy2(source, destination / name)
    (destination / "conf" / "local").mkdir(parents=True, exist_ok=True)
    return destination


# Machine settings for test runs: fits in the run's own process (a pool of
# worker processes costs seconds to start and these runs fit small data) and no
# MLflow tracking (about 10 s of start-up per run; tests/tracking runs it).
TEST_SETTINGS = {"compute": {"n_jobs": 1}, "tracking": {"enabled": False}}


def write_fast_budgets(project: Path, *, tracking: bool = False) -> Path:
    """Small CV, search and diagnostics budgets (``tests.budgets``) for every
    variant of ``project``, and ``TEST_SETTINGS``, in its
    ``conf/local/parameters.yml``; ``tracking=True`` keeps MLflow tracking on.

    For ``kedro run`` tests about outputs and files rather than model quality;
    Kedro merges the file over ``conf/base`` key by key.
    """
    import yaml  # noqa: PLC0415 - keep the module free of heavy imports

    from ml_workflow.core.config import variant_names  # noqa: PLC0415
    from ml_workflow.variants import load_raw_parameters  # noqa: PLC0415
    from tests.budgets import fast_budgets  # noqa: PLC0415

    fast = fast_budgets(load_raw_parameters(project, env="base"))
    path = project / "conf" / "local" / "parameters.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    settings = {"compute": TEST_SETTINGS["compute"]}
    if not tracking:
        settings["tracking"] = TEST_SETTINGS["tracking"]
    variants = {name: fast[name] for name in variant_names(fast)}
    path.write_text(yaml.safe_dump({**settings, **variants}))
    return path
