"""Serve a new model version without a restart and without a failed request.

``ModelReloader.refresh`` asks ``served_version`` which version each variant
should serve; for each that changed it loads the new version beside the old
one (SHA-256 and trusted types checked, as at start-up) and then replaces the
variant's ``LoadedModel`` in one assignment. A batch reads the variant's model
once, so requests already being scored finish on the old model and the next
batch uses the new one: no request fails or waits for the load. If the new
version cannot be loaded, the old model keeps serving and the error is logged
and reported (``GET /variants/{name}``).

The API calls ``refresh`` at start-up (in the background: readiness is 503
until every model is loaded), every ``serving.reload_interval_seconds``, and on
``POST /admin/reload``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from .registry import LoadedModel, ServedVariant, load_model, served_version

logger = logging.getLogger(__name__)

VersionOf = Callable[[Any, str], str | None]
Loader = Callable[[Any, str, str | None], LoadedModel]


class ModelReloader:
    """Keep every variant on the version ``version_of`` names."""

    def __init__(
        self,
        variants: dict[str, ServedVariant],
        catalog: Any,
        version_of: VersionOf = served_version,
        loader: Loader = load_model,
    ) -> None:
        self.variants = variants
        self.catalog = catalog
        self.version_of = version_of
        self.loader = loader
        self.reload_errors: dict[str, str] = {}
        self._lock = threading.Lock()  # one refresh at a time (poll, admin, start)

    def refresh(self) -> dict[str, dict[str, str | None]]:
        """Load every changed version; return ``{variant: {from, to}}`` changes."""
        with self._lock:
            changes = {}
            for name, variant in self.variants.items():
                change = self._refresh_one(variant)
                if change:
                    changes[name] = change
            return changes

    def _refresh_one(self, variant: ServedVariant) -> dict[str, str | None] | None:
        try:
            wanted = self.version_of(self.catalog, variant.name)
            if variant.loaded is not None and wanted == variant.version:
                return None
            loaded = self.loader(self.catalog, variant.name, wanted)
        except Exception as error:  # noqa: BLE001 - reported per variant
            # the dataset's own error (listed in troubleshooting), with its name
            failure = f"{variant.name}.model: {error}"
            if variant.loaded is None:
                variant.error = failure
            self.reload_errors[variant.name] = failure
            logger.error(
                "Cannot load a model for variant %r: %s", variant.name, failure
            )
            return None
        previous = variant.version
        variant.loaded, variant.error = loaded, None  # the swap
        self.reload_errors.pop(variant.name, None)
        logger.info(
            "Variant %r now serves model version %s (was %s)",
            variant.name,
            loaded.version,
            previous,
        )
        return {"from": previous, "to": loaded.version}


__all__ = ["ModelReloader"]
