"""Which files of a variant's run go to MLflow, and where.

Everything the variant's nodes wrote on the ``reporting`` and ``models``
layers of the catalog (the kedro-viz layer in each entry's metadata) is
logged, so a new report or table in the pipeline is tracked without code here:

- files (JSON, CSV, Markdown) as they are on disk, under ``<layer>/``; a
  versioned entry's file is this run's version;
- a folder of figures (``report_figures``) under ``<layer>/<folder>/``, so
  ``report.md``'s ``figures/...`` links work inside the artifact tree;
- each Plotly figure as interactive HTML under ``<layer>/plots/`` (the figure
  JSON itself is for kedro-viz; plotly.js is loaded from its CDN, so viewing
  them needs a network connection);
- the model itself is not a file artifact: ``ml_workflow.tracking.model`` logs it.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kedro.pipeline import Pipeline

from ml_workflow.catalog_files import catalog_files
from ml_workflow.run_transaction import layer_of

TRACKED_LAYERS = ("reporting", "models")


@dataclass(frozen=True)
class Artifact:
    """A local file or folder, and the artifact folder it is logged under."""

    path: Path
    artifact_path: str


def saved_path(catalog: Any, name: str) -> Path | None:
    """The local file or folder the entry ``name`` wrote in this run, or None.

    For a versioned entry that is this session's version (the save version is
    fixed per session), not whichever version happens to be newest. Found
    through the catalog's public configuration (``ml_workflow.catalog_files``).
    """
    files = catalog_files(catalog, [name]).get(name)
    if files is None:
        return None
    if files.versioned:
        path = files.version_file(catalog.get(name).resolve_save_version())
    else:
        path = files.path
    return path if path.exists() else None


def _is_plotly(dataset: Any) -> bool:
    return type(dataset).__module__.startswith("kedro_datasets.plotly")


def _is_model(dataset: Any) -> bool:
    return type(dataset).__name__ == "SkopsModelDataset"


def variant_outputs(pipeline: Pipeline, variant: str) -> list[str]:
    """The datasets the variant's nodes of ``pipeline`` write, sorted."""
    return sorted(pipeline.only_nodes_with_namespaces([variant]).all_outputs())


def _write_html(dataset: Any, catalog: Any, name: str, html: Path) -> None:
    """A Plotly figure as a standalone HTML page (plotly.js from its CDN).

    The saved figure JSON is embedded as is, without building and validating a
    ``Figure`` from it (seconds for the bigger data-profile figures).
    """
    import plotly.io  # noqa: PLC0415

    path = saved_path(catalog, name)
    figure = json.loads(path.read_text()) if path else catalog.load(name)
    plotly.io.write_html(figure, html, include_plotlyjs="cdn", validate=False)


@contextmanager
def collect_artifacts(
    catalog: Any, pipeline: Pipeline, variant: str
) -> Iterator[list[Artifact]]:
    """The variant's tracked outputs as ``Artifact``s (HTML figures are written
    to a temporary folder that lives as long as the context)."""
    with tempfile.TemporaryDirectory(prefix="ml_workflow_plots_") as scratch:
        artifacts: list[Artifact] = []
        for name in variant_outputs(pipeline, variant):
            dataset = catalog.get(name)
            layer = layer_of(dataset)
            if layer not in TRACKED_LAYERS or _is_model(dataset):
                continue
            if _is_plotly(dataset):
                html = Path(scratch) / f"{name.removeprefix(variant + '.')}.html"
                _write_html(dataset, catalog, name, html)
                artifacts.append(Artifact(html, f"{layer}/plots"))
                continue
            path = saved_path(catalog, name)
            if path is None:
                continue
            where = f"{layer}/{path.name}" if path.is_dir() else layer
            artifacts.append(Artifact(path, where))
        yield artifacts


__all__ = ["Artifact", "collect_artifacts", "saved_path", "variant_outputs"]
