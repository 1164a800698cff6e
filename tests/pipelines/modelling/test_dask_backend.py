"""Model selection on a Dask cluster gives the local run's results.

A ``LocalCluster`` on loopback (two worker processes, one thread each) stands
in for a real cluster: the fits are pickled and sent to other processes, as
they would be to other machines. The modelling stage runs through a Kedro
runner once locally and once with ``compute.cluster.scheduler`` set to the
cluster's address; folds and seeds come from parameters, so everything but the
timings must match.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import joblib
import numpy as np
import pandas as pd
import pytest

from ml_workflow.core.config import Compute, load_setting, resolve_parameters
from ml_workflow.errors import ConfigurationError
from ml_workflow.parallel import compute_backend
from ml_workflow.pipeline_registry import build_pipelines
from tests.budgets import fast_budgets
from tests.conftest import CONFIGURED_VARIANTS, load_raw_sample
from tests.kedro_runner import run_pipeline

distributed = pytest.importorskip("distributed")
from tests.dask_cluster import local_cluster  # noqa: E402 - needs distributed

TIMINGS = ["mean_fit_time", "std_fit_time", "mean_score_time", "std_score_time"]


@pytest.fixture(scope="module")
def scheduler_address() -> Iterator[str]:
    with local_cluster(n_workers=2) as cluster:
        yield cluster.scheduler_address


SMALL_MODELS = {"n_estimators": 10, "max_iter": 30}  # forests; boosting rounds


def _with_scheduler(raw: dict[str, Any], address: str | None) -> dict[str, Any]:
    """The small-budget parameters, validated, with the shared compute section
    naming ``address`` (None: run here), as conf/local or --params would.

    Forests and boosting get few trees and rounds: the test is about where the
    fits run, not about the models.
    """
    small = fast_budgets(raw)
    for variant in CONFIGURED_VARIANTS:
        for candidate in small[variant]["candidates"]:
            if not any(kind in candidate["estimator"] for kind in ("Forest", "Boost")):
                continue
            fixed = candidate.get("hyperparameters") or {}
            fixed.update({k: v for k, v in SMALL_MODELS.items() if k in fixed})
            for key in SMALL_MODELS:
                (candidate.get("search_space") or {}).pop(key, None)
    compute = {"n_jobs": 1, "cluster": {"scheduler": address, "connect_timeout": 10}}
    return resolve_parameters({**small, "compute": compute})


def _assert_close(local: Any, remote: Any) -> None:
    """Equal, floats to 1e-9 relative (nested dicts and lists compared item by item)."""
    if isinstance(local, dict):
        assert local.keys() == remote.keys()
        for key in local:
            _assert_close(local[key], remote[key])
    elif isinstance(local, list):
        assert len(local) == len(remote)
        for left, right in zip(local, remote, strict=True):
            _assert_close(left, right)
    elif isinstance(local, float):
        assert local == pytest.approx(remote, rel=1e-9)
    else:
        assert local == remote


def _modelling_run(
    variant: str, inputs: dict[str, Any], parameters: dict[str, Any]
) -> dict[str, Any]:
    modelling = build_pipelines([variant])["modelling"]
    return run_pipeline(modelling, inputs, parameters)


@pytest.mark.parametrize("variant", CONFIGURED_VARIANTS)
def test_cluster_run_equals_local_run(
    variant: str,
    raw_parameters: dict[str, Any],
    fast_parameters: dict[str, Any],
    scheduler_address: str,
) -> None:
    local_parameters = _with_scheduler(raw_parameters, None)
    remote_parameters = _with_scheduler(raw_parameters, scheduler_address)
    assert remote_parameters["compute"].cluster.scheduler == scheduler_address
    upstream = build_pipelines([variant])[variant].to_outputs(
        f"{variant}.train", f"{variant}.feature_transform"
    )
    raw = load_raw_sample(variant, fast_parameters, rows=300)
    prepared = run_pipeline(upstream, {f"{variant}.raw": raw}, local_parameters)
    inputs = {
        name: prepared[name]
        for name in (f"{variant}.train", f"{variant}.feature_transform")
    }
    train = inputs[f"{variant}.train"]

    local = _modelling_run(variant, inputs, local_parameters)
    remote = _modelling_run(variant, inputs, remote_parameters)

    # The same folds and seeds, so the same fold scores, choice and tuned
    # hyperparameters. Scores are compared to 1e-9 relative, not bit for bit:
    # a worker runs BLAS on one thread, this process may use several, and a
    # different summation order changes the last bits of a float.
    pd.testing.assert_frame_equal(
        local[f"{variant}.leaderboard"].drop(columns="fit_time_seconds"),
        remote[f"{variant}.leaderboard"].drop(columns="fit_time_seconds"),
        rtol=1e-9,
    )
    _assert_close(
        local[f"{variant}.model_selection_report"],
        remote[f"{variant}.model_selection_report"],
    )
    # A chosen candidate without a search space is refitted as it is: its
    # table has no timings to drop (housing's blend on this sample).
    pd.testing.assert_frame_equal(
        local[f"{variant}.search_results"].drop(columns=TIMINGS, errors="ignore"),
        remote[f"{variant}.search_results"].drop(columns=TIMINGS, errors="ignore"),
        rtol=1e-9,
    )
    # Chosen candidate, tuned hyperparameters, best CV score, decision threshold.
    _assert_close(local[f"{variant}.model_summary"], remote[f"{variant}.model_summary"])
    # The refitted models agree on the training rows.
    rows = train.drop(columns=fast_parameters[variant]["problem"].target)
    np.testing.assert_array_equal(
        local[f"{variant}.model"].predict(rows),
        remote[f"{variant}.model"].predict(rows),
    )


def test_cluster_backend_sends_fits_to_the_workers_and_cleans_up(
    scheduler_address: str,
) -> None:
    def where() -> str:
        return distributed.get_worker().address

    settings = Compute.model_validate(
        {"n_jobs": 1, "cluster": {"scheduler": scheduler_address}}
    )
    with compute_backend(settings) as n_jobs:
        ran_on = set(
            joblib.Parallel(n_jobs=n_jobs)(joblib.delayed(where)() for _ in range(8))
        )
    assert n_jobs == -1
    assert ran_on and all(address.startswith("tcp://127.0.0.1") for address in ran_on)
    # No default backend or client is left behind for later code.
    assert joblib.parallel.get_active_backend()[0].__class__.__name__ != (
        "DaskDistributedBackend"
    )
    with pytest.raises(ValueError, match="No clients found"):
        distributed.default_client()


def test_no_scheduler_runs_locally_with_the_configured_jobs() -> None:
    settings = Compute.model_validate({"n_jobs": 3, "cluster": {"scheduler": None}})
    with compute_backend(settings) as n_jobs:
        assert n_jobs == 3
    # no cluster section at all
    with compute_backend(Compute.model_validate({"n_jobs": 2})) as n_jobs:
        assert n_jobs == 2


def test_unreachable_scheduler_is_a_configuration_error_naming_it() -> None:
    address = "tcp://127.0.0.1:1"  # nothing listens on port 1
    settings = Compute.model_validate(
        {"cluster": {"scheduler": address, "connect_timeout": 1}}
    )
    with (
        pytest.raises(ConfigurationError, match="compute.cluster.scheduler") as error,
        compute_backend(settings),
    ):
        pass
    assert address in str(error.value)


@pytest.mark.parametrize(
    ("cluster", "message"),
    [
        (["tcp://a:1"], "compute.cluster: Input should be a valid dictionary"),
        ({"scheduler": 8786}, "compute.cluster.scheduler: Input should be a valid"),
        ("tcp://x", "compute.cluster: Input should be a valid dictionary"),
        ({"scheduler": ""}, "compute.cluster.scheduler: String should have at least"),
        ({"connect_timeout": 0}, "compute.cluster.connect_timeout: Input should be"),
        ({"schedular": "tcp://a:1"}, "compute.cluster.schedular: unknown key"),
    ],
)
def test_malformed_cluster_settings_are_refused(cluster: Any, message: str) -> None:
    """Refused when the parameters are loaded, before any node runs."""
    with pytest.raises(ConfigurationError, match=message):
        load_setting("compute", {"cluster": cluster})
    with pytest.raises(ConfigurationError, match=message):
        resolve_parameters({"compute": {"cluster": cluster}})


def test_compute_settings_are_shared_and_default_to_every_core() -> None:
    compute = resolve_parameters({})["compute"]
    assert compute == Compute(n_jobs=-1, threads_per_fit=1)
    assert compute.cluster.scheduler is None
    for bad in (0, -2, 1.5, True):
        with pytest.raises(ConfigurationError, match="compute.n_jobs"):
            load_setting("compute", {"n_jobs": bad})
