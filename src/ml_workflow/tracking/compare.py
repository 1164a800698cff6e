"""The last runs of a variant side by side (``kedro experiments compare``).

One row per run, newest first: when it started, its status, the test primary
metric, the diagnosis, the chosen candidate, the registry version and its
current aliases, then only the parameters whose values differ between these
runs (the rest are the same, so they say nothing about the differences).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd

from .tracker import Tracker

MISSING = "-"


def _registry_versions(tracker: Tracker, name: str) -> dict[str, str]:
    """Run id -> ``v<version> <aliases>`` for the variant's registered model."""
    from .registry import aliases_by_version, registered_model_exists  # noqa: PLC0415

    if not registered_model_exists(tracker.client, name):
        return {}
    aliases = aliases_by_version(tracker.client, name)
    found = {}
    for version in tracker.client.search_model_versions(
        filter_string=f"name = '{name}'"
    ):
        named = " ".join(aliases.get(int(version.version), []))
        found[version.run_id] = f"v{version.version} {named}".strip()
    return found


def differing_parameters(runs: list[dict[str, str]]) -> list[str]:
    """The parameter keys whose value is not the same in every run, sorted."""
    keys = sorted({key for params in runs for key in params})
    return [
        key for key in keys if len({params.get(key, MISSING) for params in runs}) > 1
    ]


def recent_runs(tracker: Tracker, variant: str, last: int = 5) -> pd.DataFrame:
    """The variant's last ``last`` runs as a table (empty if it has none)."""
    name = tracker.settings.registered_name(variant)
    experiment = tracker.client.get_experiment_by_name(name)
    if experiment is None:
        return pd.DataFrame()
    runs = tracker.client.search_runs(
        [experiment.experiment_id],
        order_by=["attributes.start_time DESC"],
        max_results=last,
    )
    versions = _registry_versions(tracker, name)
    differing = differing_parameters([run.data.params for run in runs])
    rows: list[dict[str, Any]] = []
    for run in runs:
        tags, metrics = run.data.tags, run.data.metrics
        primary = tags.get("primary_metric")
        score = metrics.get(f"test_{primary}") if primary else None
        rows.append(
            {
                "run": run.info.run_name,
                "started": datetime.fromtimestamp(run.info.start_time / 1000).strftime(
                    "%Y-%m-%d %H:%M"
                ),
                "status": run.info.status,
                f"test {primary or 'score'}": MISSING
                if score is None
                else f"{score:.4g}",
                "diagnosis": tags.get("diagnosis", MISSING),
                "candidate": tags.get("chosen_candidate", MISSING),
                "registry": versions.get(run.info.run_id, MISSING),
                **{key: run.data.params.get(key, MISSING) for key in differing},
            }
        )
    return pd.DataFrame(rows)


__all__ = ["differing_parameters", "recent_runs"]
