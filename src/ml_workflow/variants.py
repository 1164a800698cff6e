"""Find the project's variants in its configuration.

A variant is a top-level parameters key holding a ``problem`` section, e.g.
``housing:`` in ``conf/base/parameters_housing.yml``. Adding a parameters file
(and, if the catalog factories do not cover it, a raw-data entry) adds a
variant: no code names the variants.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kedro.framework.project import settings
from kedro.utils import find_kedro_project


def variant_names(parameters: Mapping[str, Any]) -> list[str]:
    """Return the names of the parameter sections that define a problem, sorted."""
    return sorted(
        name
        for name, section in parameters.items()
        if isinstance(section, Mapping) and isinstance(section.get("problem"), Mapping)
    )


def project_path() -> Path:
    """Return the Kedro project the current directory belongs to.

    Falls back to the source checkout this package lives in, for code that
    runs outside a project directory (e.g. a notebook started elsewhere).
    """
    return find_kedro_project(Path.cwd()) or Path(__file__).resolve().parents[2]


def load_parameters(path: Path | None = None, env: str | None = None) -> dict[str, Any]:
    """Load the project's parameters the way a Kedro session would."""
    root = path or project_path()
    loader = settings.CONFIG_LOADER_CLASS(
        conf_source=str(root / settings.CONF_SOURCE),
        env=env or os.environ.get("KEDRO_ENV"),
        **settings.CONFIG_LOADER_ARGS,
    )
    return dict(loader["parameters"])


def discover_variants(path: Path | None = None, env: str | None = None) -> list[str]:
    """Return the names of the variants configured in the project."""
    return variant_names(load_parameters(path, env))
