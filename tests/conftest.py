"""Shared fixtures: the project's real parameters and small samples of the real data.

``parameters`` is what a Kedro run's ``params:`` hold: every variant a mapping
of its validated section models. ``fast_parameters`` is the same with small
cross-validation and diagnostics budgets, for tests about behaviour rather
than model quality; ``tests.budgets`` makes them. ``variant_outputs`` runs
each variant's full pipeline once per session on a small real-data sample;
stage, serving and scoring tests take their inputs from it instead of
repeating the upstream work.
"""

from __future__ import annotations

import functools
import gc
from collections import Counter
from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.once import pickled_once, shared_folder
from tests.project_copy import PROJECT_ROOT

if TYPE_CHECKING:
    import pandas as pd
    from kedro.pipeline import Pipeline

# The xdist controller loads this file too, before it starts any worker, but
# collects and runs nothing: Kedro, scikit-learn and the project's code are
# imported where they are used (PLC0415), so the workers start seconds sooner.

pytest_plugins = ["tests.shared_run"]  # the one trained run several files share

RAW = PROJECT_ROOT / "data" / "01_raw"


@functools.cache
def configured_variants() -> list[str]:
    """The variants this project configures: integration tests run for each of
    them, and tests about a shipped variant skip when a fork has removed it."""
    from ml_workflow.variants import discover_variants  # noqa: PLC0415

    return discover_variants(PROJECT_ROOT, env="base")


def __getattr__(name: str) -> Any:
    """``CONFIGURED_VARIANTS`` (``configured_variants()``), computed when a test
    module first imports it, not when the controller loads this file."""
    if name == "CONFIGURED_VARIANTS":
        return configured_variants()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def raw_parameters() -> dict[str, Any]:
    """All parameters from conf/base as written (plain YAML values)."""
    from ml_workflow.variants import load_raw_parameters  # noqa: PLC0415

    return load_raw_parameters(PROJECT_ROOT, env="base")


@pytest.fixture(scope="session")
def parameters(raw_parameters: dict[str, Any]) -> dict[str, Any]:
    """All parameters from conf/base, validated as a Kedro run sees them."""
    from ml_workflow.core.config import resolve_parameters  # noqa: PLC0415

    return resolve_parameters(raw_parameters)


@pytest.fixture(scope="session")
def fast_parameters(raw_parameters: dict[str, Any]) -> dict[str, Any]:
    """The shipped parameters with small CV, search and diagnostics budgets."""
    from ml_workflow.core.config import resolve_parameters  # noqa: PLC0415
    from tests.budgets import fast_budgets  # noqa: PLC0415

    return resolve_parameters(fast_budgets(raw_parameters))


def require_variant(variant: str) -> None:
    """Skip the calling test when a fork has removed ``variant``."""
    if variant not in configured_variants():
        pytest.skip(f"variant {variant!r} is not configured in this project")


def load_raw(variant: str) -> pd.DataFrame:
    """All of ``<variant>.raw``, loaded through its catalog entry (conf/base)."""
    from kedro.config import OmegaConfigLoader  # noqa: PLC0415
    from kedro.io import AbstractDataset  # noqa: PLC0415

    loader = OmegaConfigLoader(
        str(PROJECT_ROOT / "conf"), base_env="base", default_run_env="base"
    )
    config = dict(loader["catalog"][f"{variant}.raw"])
    config["filepath"] = str(PROJECT_ROOT / config["filepath"])
    return AbstractDataset.from_config(f"{variant}.raw", config).load()


def load_raw_sample(
    variant: str, parameters: dict[str, Any], rows: int = 600
) -> pd.DataFrame:
    """A seeded sample of ``<variant>.raw``, loaded through its catalog entry.

    Classification samples take the same number of rows from each class, so a
    rare class is present; raw row numbers are kept as the index.
    """
    from ml_workflow.core.task import task_for  # noqa: PLC0415

    raw = load_raw(variant)
    problem = parameters[variant]["problem"]
    if not task_for(problem).CATEGORICAL_TARGET:
        return raw.sample(n=min(rows, len(raw)), random_state=0)
    groups = raw.groupby(problem.target, group_keys=False)
    per_class = rows // max(1, groups.ngroups)
    return (
        groups.sample(n=per_class, random_state=0, replace=False)
        if groups.size().min() >= per_class
        else groups.head(per_class)
    )


@pytest.fixture(scope="session")
def housing_params(parameters: dict[str, Any]) -> dict[str, Any]:
    require_variant("housing")
    return parameters["housing"]


@pytest.fixture(scope="session")
def spam_params(parameters: dict[str, Any]) -> dict[str, Any]:
    require_variant("spam")
    return parameters["spam"]


@pytest.fixture(scope="session")
def housing_raw_sample(parameters: dict[str, Any]) -> pd.DataFrame:
    """600 rows of the real housing file (seeded sample, raw row numbers kept)."""
    require_variant("housing")
    return load_raw_sample("housing", parameters)


@pytest.fixture(scope="session")
def spam_raw_sample(parameters: dict[str, Any]) -> pd.DataFrame:
    """300 spam and 300 ham rows of the real SMS file, read as the catalog reads it."""
    require_variant("spam")
    return load_raw_sample("spam", parameters)


@pytest.fixture(scope="session")
def registry() -> dict[str, Pipeline]:
    from ml_workflow.pipeline_registry import build_pipelines  # noqa: PLC0415

    return build_pipelines(configured_variants())


@pytest.fixture(scope="session")
def raw_samples(parameters: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """A small seeded sample of every configured variant's raw data."""
    return {
        variant: load_raw_sample(variant, parameters)
        for variant in configured_variants()
    }


@pytest.fixture(scope="session")
def variant_outputs(
    registry, raw_samples, fast_parameters, tmp_path_factory, worker_id
) -> dict[str, dict[str, Any]]:
    """Every dataset each variant's full pipeline produces on its sample, run
    once per session with ``fast_parameters``: these tests are about
    behaviour, not about the shipped models' quality. The objects are shared
    by every test of the session: a test must not change what it reads.

    Under xdist each variant is run once, by the first worker to need it, and
    pickled in the session's shared temporary folder; the others wait for the
    file and read it (pytest-xdist's documented pattern for a session fixture
    run once). Workers start from different variants, so two workers run two
    variants side by side instead of one running both while the other waits.
    """
    from tests.kedro_runner import run_pipeline  # noqa: PLC0415

    variants = configured_variants()

    def run(variant: str) -> dict[str, Any]:
        return run_pipeline(
            registry[variant],
            {f"{variant}.raw": raw_samples[variant]},
            fast_parameters,
        )

    if worker_id == "master":  # not under xdist
        return {variant: run(variant) for variant in variants}
    shared = shared_folder(tmp_path_factory, worker_id)
    start = int(worker_id.removeprefix("gw")) % max(1, len(variants))
    outputs = {
        variant: pickled_once(
            shared / f"variant_outputs_{variant}.pickle",
            functools.partial(run, variant),
        )
        for variant in [*variants[start:], *variants[:start]]
    }
    return {variant: outputs[variant] for variant in variants}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "requires_variants(*names): skip unless these variants are configured "
        "(a fork may remove the shipped ones)",
    )


@pytest.hookimpl(wrapper=True)
def pytest_collection(session: pytest.Session) -> Generator[object]:
    """Collect with the garbage collector off, then exempt what importing the
    test modules made from it (see ``pytest_runtest_teardown``): each full
    collection during the imports walked every module loaded so far, ~1.5 s
    of a worker's ~7 s of collection."""
    gc.disable()
    try:
        return (yield)
    finally:
        gc.freeze()  # a little garbage of the imports too: not worth a walk
        gc.enable()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(
    item: pytest.Item, nextitem: pytest.Item | None
) -> Generator[None]:
    """After a test file's last test: collect its garbage, then exempt what
    is left (the session's fixtures, modules imported on the way) from the
    garbage collector.

    The modules, classes and functions of scikit-learn, MLflow, Streamlit and
    the rest live as long as the process, and so do session fixtures; every
    full collection walked them all again (~0.2 s a time, several seconds per
    worker over a run). ``gc.freeze`` leaves only what later tests make to be
    collected; what the tests check is unchanged.
    """
    yield
    if nextitem is None or nextitem.path != item.path:
        gc.collect()
        gc.freeze()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the heaviest test files first, and skip tests about a shipped
    variant that this project no longer configures."""
    _heaviest_files_first(items)
    configured = set(configured_variants())
    for item in items:
        needed = {
            name
            for mark in item.iter_markers("requires_variants")
            for name in mark.args
        }
        params = getattr(getattr(item, "callspec", None), "params", {})
        if isinstance(params.get("variant"), str):
            needed.add(params["variant"])
        missing = sorted(needed - configured)
        if missing:
            item.add_marker(
                pytest.mark.skip(
                    reason=f"variant(s) {missing} not configured in this project"
                )
            )


def _heaviest_files_first(items: list[pytest.Item]) -> None:
    """Order xdist's work units (test files, and the files sharing one trained
    run, ``tests.shared_run``) by their number of ``slow`` tests (those run the
    kedro CLI), most first; tests keep their order within a unit.

    pytest-xdist (``--dist loadfile --no-loadscope-reorder``, pyproject.toml)
    hands units to its workers in this order. Alphabetically, the files with
    the most ``kedro run``s came last, and one worker ran them alone for
    minutes while the other had nothing left to do.
    """
    from tests.shared_run import work_unit  # noqa: PLC0415 - a plugin: loaded by now

    slow = Counter(
        work_unit(item.nodeid) for item in items if item.get_closest_marker("slow")
    )
    items.sort(key=lambda item: -slow[work_unit(item.nodeid)])  # stable
