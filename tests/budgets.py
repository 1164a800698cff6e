"""Small cross-validation, search and diagnostics budgets for tests.

Tests about behaviour (outputs exist, are consistent, nothing leaks) do not
need the shipped budgets, which are sized for model quality. ``fast_budgets``
returns a copy of raw parameters with, for every variant, 2-fold CV, a
2-setting search and light diagnostics, and the fits in the test's own
process (``compute.n_jobs: 1``: on these small samples a pool of worker
processes costs more to start and feed than the fits it runs — a toy
selection of 120 rows took 22 s with the shipped ``-1`` and 1 s without);
everything else is the shipped configuration, validated by the same models.
"""

from __future__ import annotations

import copy
from typing import Any

from ml_workflow.core.config.loading import variant_names
from ml_workflow.core.task import task_class
from tests.project_copy import TEST_SETTINGS

FAST = {
    "model_selection": {
        "cv_folds": 2,
        "search": {"n_iter": 2, "cv_folds": 2},
    },
    "evaluation": {
        "permutation_importance": {"n_repeats": 2, "max_rows": 300},
        "learning_curve": {"cv": 2, "train_sizes": [0.5, 1.0], "max_rows": 400},
    },
}
FAST_THRESHOLD_FOLDS = 2


def _merged(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict | None):
            merged[key] = _merged(merged.get(key) or {}, value)
        else:
            merged[key] = value
    return merged


def fast_budgets(raw_parameters: dict[str, Any]) -> dict[str, Any]:
    """``raw_parameters`` with small budgets for every variant and in-process
    fits (a deep copy)."""
    fast = copy.deepcopy(raw_parameters)
    fast["compute"] = {**fast.get("compute", {}), **TEST_SETTINGS["compute"]}
    for name in variant_names(fast):
        variant = _merged(fast[name], FAST)
        selection = variant["model_selection"]
        tunes = task_class(variant["problem"]).TUNES_THRESHOLD
        if "threshold" not in selection and tunes:
            selection["threshold"] = {}  # the task's default, made explicit
        if isinstance(selection.get("threshold"), dict):
            selection["threshold"] = {
                **selection["threshold"],
                "cv_folds": FAST_THRESHOLD_FOLDS,
            }
        fast[name] = variant
    return fast
