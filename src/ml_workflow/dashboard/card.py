"""The model card's content: the served version, its metrics against the
baseline, the diagnosis and the interval, from what the API reads."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ml_workflow.pipelines.evaluation.plot_nodes import decision_threshold
from ml_workflow.serving.registry import ServedVariant

_SPLITS = ("test", "baseline", "train")


def metrics_table(metrics: dict[str, Any] | None) -> pd.DataFrame:
    """One row per metric: the model on the test split, the dummy baseline on
    the test split, the model on its own training split (the evaluation's
    ``metrics.json``)."""
    if not metrics:
        return pd.DataFrame(columns=["metric", *_SPLITS])
    names = list(metrics.get("test") or {})
    rows = [
        {"metric": name, **{s: (metrics.get(s) or {}).get(name) for s in _SPLITS}}
        for name in names
    ]
    return pd.DataFrame(rows, columns=["metric", *_SPLITS])


def threshold_of(variant: ServedVariant) -> float | None:
    """A binary model's decision threshold on the positive class's probability."""
    if variant.problem.positive_class is None or variant.model is None:
        return None
    return decision_threshold(variant.model)


def model_facts(variant: ServedVariant) -> dict[str, Any]:
    """Version, registry entry, estimator, metric and diagnosis, for the card."""
    metrics = variant.metrics or {}
    served = variant.served
    return {
        "task": variant.task.NAME,
        "target": variant.problem.target,
        "model version": variant.version,
        "trained at": variant.trained_at,
        "registry version": served.registry_version
        if served and served.from_registry
        else None,
        "estimator": (metrics.get("model") or {}).get("estimator")
        or (type(variant.model).__name__ if variant.model is not None else None),
        "primary metric": metrics.get("primary_metric"),
        "diagnosis": metrics.get("diagnosis"),
        "decision threshold": threshold_of(variant),
    }


def interval_text(interval: dict[str, Any] | None, prediction: float) -> str | None:
    """The range a regression prediction is read with, in words."""
    if not interval:
        return None
    low, high = prediction + interval["low"], prediction + interval["high"]
    return (
        f"Likely between {low:,.2f} and {high:,.2f}: "
        f"{interval['level']:.0%} of held-out training records' errors fell in "
        "this range"
    )


__all__ = ["interval_text", "metrics_table", "model_facts", "threshold_of"]
