"""Find the project's variants and read its parameters the way a Kedro run does.

A variant is a top-level parameters key holding a ``problem`` section, e.g.
``housing:`` in ``conf/base/parameters_housing.yml``. Adding a parameters file
(and, if the catalog factories do not cover it, a raw-data entry) adds a
variant: no code names the variants.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from kedro.framework.project import settings
from kedro.utils import find_kedro_project

from ml_workflow.core.config import VariantConfig, load_variant, resolve_parameters
from ml_workflow.core.config.loading import variant_names

__all__ = [
    "discover_variants",
    "load_parameters",
    "load_raw_parameters",
    "load_variant_config",
    "project_path",
    "variant_names",
]


def project_path() -> Path:
    """Return the Kedro project the current directory belongs to.

    Falls back to the source checkout this package lives in, for code that
    runs outside a project directory (e.g. a notebook started elsewhere).
    """
    return find_kedro_project(Path.cwd()) or Path(__file__).resolve().parents[2]


def load_raw_parameters(
    path: Path | None = None, env: str | None = None
) -> dict[str, Any]:
    """The project's merged parameters as written (not validated)."""
    root = path or project_path()
    loader = settings.CONFIG_LOADER_CLASS(
        conf_source=str(root / settings.CONF_SOURCE),
        env=env or os.environ.get("KEDRO_ENV"),
        **settings.CONFIG_LOADER_ARGS,
    )
    return dict(loader["parameters"])


def load_parameters(path: Path | None = None, env: str | None = None) -> dict[str, Any]:
    """The project's parameters validated, as a Kedro run's ``params:`` see them."""
    return resolve_parameters(load_raw_parameters(path, env))


def load_variant_config(
    name: str, path: Path | None = None, env: str | None = None
) -> VariantConfig:
    """One variant's whole validated configuration."""
    return load_variant(name, load_raw_parameters(path, env)[name])


def discover_variants(path: Path | None = None, env: str | None = None) -> list[str]:
    """Return the names of the variants configured in the project."""
    return variant_names(load_raw_parameters(path, env))
