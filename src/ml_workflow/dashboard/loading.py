"""Load every variant as the API serves it, and keep the catalog for the plots.

The API's own steps (``serving.registry``): the typed configuration, the
project's catalog, and ``load_served_models`` (``ServedVersions``) to choose
and load each variant's model (the registry's champion by default). The catalog
is kept because the model card reads the evaluation's figures through it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ml_workflow.serving.registry import (
    ServedVariant,
    load_configuration,
    load_served_models,
    open_catalog,
)

logger = logging.getLogger(__name__)

# The evaluation's figures the model card shows, when a run saved them.
CARD_PLOTS = ("prediction_plot", "error_plot", "feature_importance_plot")


@dataclass
class Dashboard:
    """The served variants and the catalog they were read from."""

    project_path: Path
    variants: dict[str, ServedVariant]
    catalog: Any

    def figures(self, variant: str) -> dict[str, Any]:
        """The card's Plotly figures of ``variant``'s last evaluation run, by name
        (missing ones are left out: a project may not have evaluated yet)."""
        found = {}
        for plot in CARD_PLOTS:
            try:
                found[plot] = self.catalog.load(f"{variant}.{plot}")
            except Exception:  # noqa: BLE001 - a figure is optional
                logger.info("No %s.%s to show", variant, plot)
        return found


def load_dashboard(project_path: Path, env: str | None = None) -> Dashboard:
    """Every configured variant with its served model loaded (or its error)."""
    configuration = load_configuration(project_path, env)
    catalog = open_catalog(project_path, env)
    load_served_models(configuration, catalog, project_path)
    return Dashboard(project_path, configuration.variants, catalog)


__all__ = ["CARD_PLOTS", "Dashboard", "load_dashboard"]
