"""The project's Kedro context: parameters arrive typed and checked, before any node runs.

Kedro builds the catalog's ``params:`` entries from ``context.params``; this
context validates them first with ``ml_workflow.core.config`` (the variants
the run touches, ``compute`` and ``serving``), so a typo, a wrong value or a
contradiction in a parameters file or a ``--params`` override fails in
seconds, naming the variant and the key path, and nodes receive frozen
models with every default filled (``params:housing.split`` is a ``Split``).
"""

from __future__ import annotations

from typing import Any

import click
from kedro.config import MissingConfigException
from kedro.framework.context import KedroContext

from ml_workflow.core.config import resolve_parameters
from ml_workflow.errors import ConfigurationError


class InvalidParameters(ConfigurationError, click.ClickException):
    """A ``ConfigurationError`` that the ``kedro`` CLI prints as its message
    (``Error: ...``, exit code 1) instead of a page of traceback: the mistake
    is in a parameters file, not in the code."""

    def __init__(self, message: str) -> None:
        ConfigurationError.__init__(self, message)
        click.ClickException.__init__(self, message)


def _namespaces(pipeline_names: list[str]) -> set[str]:
    """The variants (namespaces) the named registered pipelines run."""
    from kedro.framework.project import pipelines  # noqa: PLC0415 - lazy registry

    return {
        node.namespace.split(".")[0]
        for name in pipeline_names
        if name in pipelines
        for node in pipelines[name].nodes
        if node.namespace
    }


class ProjectContext(KedroContext):
    """``KedroContext`` whose parameters are the validated configuration."""

    @property
    def params(self) -> dict[str, Any]:
        """The merged parameters (base, run environment, ``--params``), validated.

        A run validates the variants its pipelines touch (Kedro sets
        ``_pipelines_to_validate`` to the run's pipelines; there is no public
        accessor), so a broken variant does not block running another one;
        anything else (a notebook, ``kedro viz``) validates every variant.
        Kedro's own type-hint validation is not needed on top: every section
        a node reads is already its model.
        """
        scope = getattr(self, "_pipelines_to_validate", None)
        cached = getattr(self, "_ml_workflow_params", None)
        if cached is not None and cached[0] == scope:
            return cached[1]
        try:
            raw = dict(self.config_loader["parameters"])
        except MissingConfigException:
            raw = {}
        only = None if scope is None else _namespaces(list(scope))
        try:
            resolved = resolve_parameters(raw, only=only)
        except ConfigurationError as error:
            raise InvalidParameters(str(error)) from None
        self._ml_workflow_params = (scope, resolved)
        return resolved


__all__ = ["InvalidParameters", "ProjectContext"]
