"""Start the cross-validation workers while the data is still being prepared.

A run's first cross-validation waits for joblib's worker processes to start
and to import scikit-learn, pandas and the project's model code before they
can unpickle a fold's Pipeline: a three-fold linear regression of housing took
4.6 s cold and 0.3 s once the workers were up (measured). ``WarmWorkersHooks``
starts them in a background thread as the run begins, so those imports
overlap cleaning, profiling and the split, which run in the main process.

A pure optimisation: the workers are the ones the fits then use (joblib's
reusable executor, sized by ``compute.n_jobs``), and nothing is started for a
run that fits nothing in workers (no model selection, or one candidate with
no search and no threshold to tune, as ``pipelines.modelling.plan`` decides
for the nodes, and no learning curve or permutation importance), fits in its
own process (``n_jobs: 1``) or sends its fits to a Dask cluster. Nor for a
variant that reads free text: a long text's selection and search fit in
threads (`ml_workflow.parallel.fit_workers`), and warm workers would sit idle
through them holding about 200 MB each, until its diagnostics start their
own; how long the text is is known only once the data is loaded, so a short
text's fits start their workers themselves. Two idle workers cost
``benchmarks/overhead.py``'s one-model run about 10 s of CPU and 4 s of wall
time on 2 cores, and doubled its memory (measured). A failure here is
logged at debug level, never raised: the fits start their workers themselves
as before.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any

import joblib
from kedro.framework.hooks import hook_impl

from ml_workflow.core.config import Candidate, Compute, ModelSelection, Problem
from ml_workflow.core.config.loading import load_setting, load_variant
from ml_workflow.errors import ConfigurationError

logger = logging.getLogger(__name__)

SELECTION_NODES = frozenset({"select_model", "tune_model"})
"""Nodes that fit in workers unless their variant has a single candidate with
nothing to search or tune (`variant_fits_in_workers`)."""
DIAGNOSTIC_NODES = frozenset({"compute_learning_curve", "compute_feature_importance"})
"""Nodes that always fit or score in workers."""
_SETTLE_SECONDS = 0.2  # each task waits, so that every worker takes one


def _import_model_code() -> bool:
    """Import in a worker what unpickling a candidate Pipeline needs."""
    import sklearn.ensemble  # noqa: F401, PLC0415
    import sklearn.linear_model  # noqa: F401, PLC0415
    import sklearn.model_selection  # noqa: F401, PLC0415

    import ml_workflow.core.model_builder  # noqa: F401, PLC0415

    time.sleep(_SETTLE_SECONDS)
    return True


def warm_workers(n_jobs: int) -> None:
    """Start ``n_jobs`` joblib workers and import the model code in each."""
    try:
        joblib.Parallel(n_jobs=n_jobs)(
            joblib.delayed(_import_model_code)() for _ in range(n_jobs)
        )
    except Exception:  # noqa: BLE001 - an optimisation must never fail a run
        logger.debug("The joblib workers were not warmed up", exc_info=True)


def _selection_sections(
    variant: Mapping[str, Any], name: str
) -> tuple[Problem, Sequence[Candidate], ModelSelection] | None:
    """The variant's problem, candidates and model selection, validated with
    their defaults: as the run's catalog holds them, else validated here (None
    when the parameters do not validate: the nodes' own validation reports it)."""
    problem, candidates = variant.get("problem"), variant.get("candidates")
    selection = variant.get("model_selection")
    if (
        isinstance(problem, Problem)
        and isinstance(selection, ModelSelection)
        and isinstance(candidates, tuple | list)
        and all(isinstance(candidate, Candidate) for candidate in candidates)
    ):
        return problem, candidates, selection
    try:
        config = load_variant(name, variant)
    except ConfigurationError:
        return None
    return config.problem, config.candidates, config.model_selection


def variant_fits_in_workers(variant: Any, name: str = "variant") -> bool:
    """Whether a variant's parameters (raw or validated) make model selection or
    tuning fit in worker processes: something to compare, search or tune, as
    the modelling nodes decide it (``pipelines.modelling.plan``), and no free
    text, which may be long enough to fit in threads
    (`ml_workflow.parallel.fit_workers`). Unsure (not a valid variant): yes."""
    if not isinstance(variant, Mapping):
        return True
    sections = _selection_sections(variant, name)
    if sections is None:
        return True
    problem, candidates, selection = sections
    # imported when a run starts, once the pipeline registry has loaded the
    # modelling package: `kedro` commands that run nothing do not pay for it
    from ml_workflow.parallel import fit_workers  # noqa: PLC0415
    from ml_workflow.pipelines.modelling.plan import fits_in_workers  # noqa: PLC0415

    return fit_workers(problem) == "processes" and fits_in_workers(
        candidates, selection
    )


def _reads_text(variant: Any, name: str) -> bool:
    """Whether a variant (raw or validated parameters) reads free text; unsure: no."""
    sections = (
        _selection_sections(variant, name) if isinstance(variant, Mapping) else None
    )
    return sections is not None and bool(sections[0].features.text)


def _uses_workers(pipeline: Any, parameters: Mapping[str, Any] | None) -> bool:
    for node in pipeline.nodes:
        short = node.name.split(".")[-1]
        name = node.namespace or "variant"
        variant = None if parameters is None else parameters.get(node.namespace or "")
        if short in DIAGNOSTIC_NODES and not _reads_text(variant, name):
            return True
        if short in SELECTION_NODES and (
            parameters is None or variant_fits_in_workers(variant, name)
        ):
            return True
    return False


def workers_to_warm(
    pipeline: Any, compute: Any, parameters: Mapping[str, Any] | None = None
) -> int:
    """How many local workers the run's fits will use (0: none to warm).

    ``compute`` is the run's ``params:compute``: the validated ``Compute``
    settings, or their raw mapping; ``parameters`` the run's parameters, raw
    or validated (None: unknown, so any model selection counts as fitting in
    workers).
    """
    if not _uses_workers(pipeline, parameters):
        return 0
    if isinstance(compute, Mapping):
        try:
            compute = load_setting("compute", compute)
        except ConfigurationError:
            return 0  # the nodes' own validation reports it
    if not isinstance(compute, Compute) or compute.cluster.scheduler is not None:
        return 0
    workers = joblib.effective_n_jobs(compute.n_jobs)
    return workers if workers > 1 else 0


class WarmWorkersHooks:
    """Warm the cross-validation workers up in the background as a run starts."""

    def __init__(self) -> None:
        self.thread: threading.Thread | None = None
        """The background thread of the last run that warmed workers up."""

    @hook_impl
    def before_pipeline_run(self, pipeline: Any, catalog: Any) -> None:
        try:
            compute = catalog.load("params:compute")
        except Exception:  # noqa: BLE001 - no shared settings: nothing to warm
            return
        try:
            parameters = catalog.load("parameters")
        except Exception:  # noqa: BLE001 - unknown: decide by the nodes alone
            parameters = None
        if not isinstance(parameters, Mapping):
            parameters = None
        workers = workers_to_warm(pipeline, compute, parameters)
        if not workers:
            return
        self.thread = threading.Thread(
            target=warm_workers, args=(workers,), name="warm-workers", daemon=True
        )
        self.thread.start()


__all__ = [
    "WarmWorkersHooks",
    "variant_fits_in_workers",
    "warm_workers",
    "workers_to_warm",
]
