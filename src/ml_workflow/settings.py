"""Project settings. There is no need to edit this file unless you want to change values
from the Kedro defaults. For further information, including these default values, see
https://docs.kedro.org/en/stable/configure/configuration_basics/#configuration"""

# Instantiated project hooks (executed Last-In-First-Out).
# RunTransactionHooks: a failed run restores every result it overwrote and deletes
# the new ones, so earlier models, metrics and reports survive; it keeps the
# working data and moves the new results to data/.resume, which Kedro's
# `--from-nodes` resume hint then uses (docs/troubleshooting.md).
# ProvenanceHooks: records raw-file hashes, row counts and the code version of
# every trained model in 08_reporting/<variant>/provenance.json (saved with the
# model, so the transaction undoes or stashes it with the model).
# ReleaseMemoryHooks: returns the memory pyarrow caches after Parquet reads and
# writes, and the C heap's free memory after each node, to the OS (it did not
# lower the 5M-row fit peak, which is the model's own arrays: docs/benchmarks.md).
# MlflowTrackingHooks: one MLflow run per trained variant, its model registered
# and promoted to champion only if it beats the current one (docs/experiments.md).
# Its before_pipeline_run goes first (an unreachable tracking server stops the
# run before anything else) and its after_pipeline_run last (after the
# provenance record is written). ServedModelHooks: batch scoring loads the
# model version tracking.serve selects. Neither imports MLflow unless used.
# WarmWorkersHooks: starts the cross-validation workers in the background as
# the run begins (listed first, so it runs after the tracking checks).
from ml_workflow.hooks import (  # noqa: E402
    ProvenanceHooks,
    RunTransactionHooks,
    provenance_outputs,
)
from ml_workflow.memory_hooks import ReleaseMemoryHooks  # noqa: E402
from ml_workflow.tracking.hooks import MlflowTrackingHooks  # noqa: E402
from ml_workflow.tracking.serving_hooks import ServedModelHooks  # noqa: E402
from ml_workflow.worker_hooks import WarmWorkersHooks  # noqa: E402

HOOKS = (
    WarmWorkersHooks(),
    RunTransactionHooks(extra_outputs=provenance_outputs),
    ProvenanceHooks(),
    ReleaseMemoryHooks(),
    MlflowTrackingHooks(),
    ServedModelHooks(),
)

# Installed plugins for which to disable hook auto-registration.
# DISABLE_HOOKS_FOR_PLUGINS = ("kedro-viz",)

# Class that manages the KedroSession.
# from kedro.framework.session import KedroSession
# SESSION_CLASS = KedroSession

# Class that manages storing KedroSession data.
# from kedro.framework.session.store import BaseSessionStore
# SESSION_STORE_CLASS = BaseSessionStore
# Keyword arguments to pass to the `SESSION_STORE_CLASS` constructor.
# SESSION_STORE_ARGS = {
#     "path": "./sessions"
# }

# Directory that holds configuration.
# CONF_SOURCE = "conf"

# Class that manages how configuration is loaded.
# from kedro.config import OmegaConfigLoader

# CONFIG_LOADER_CLASS = OmegaConfigLoader

# Keyword arguments to pass to the `CONFIG_LOADER_CLASS` constructor.
CONFIG_LOADER_ARGS = {
    "base_env": "base",
    "default_run_env": "local",
    # conf/local (or another environment) may set one key of a section, e.g.
    # `compute: {n_jobs: 4}`, without repeating the rest: parameters are merged
    # key by key ("soft"), not section by section (Kedro's default).
    "merge_strategy": {"parameters": "soft"},
    # "config_patterns": {
    #     "spark" : ["spark*/"],
    #     "parameters": ["parameters*", "parameters*/**", "**/parameters*"],
    # }
}

# Class that manages Kedro's library components. ProjectContext validates every
# parameters file (and --params) into typed configuration before any node runs.
from ml_workflow.context import ProjectContext  # noqa: E402

CONTEXT_CLASS = ProjectContext

# Class that manages the Data Catalog.
# from kedro.io import DataCatalog
# DATA_CATALOG_CLASS = DataCatalog
