"""The operations endpoints, in the spirit of KServe's Open Inference Protocol.

- ``GET /v2/health/live``: 200 while the process answers (liveness);
- ``GET /v2/health/ready``: 200 once every configured variant's model is
  loaded, 503 before (readiness); ``GET /v2/models/{name}/ready`` per variant;
- ``GET /metrics``: Prometheus metrics (``operations.py``);
- ``POST /admin/reload``: serve each variant's current version now
  (``reload.py``; the server also polls every ``serving.reload_interval_seconds``);
- ``GET /variants/{name}/drift``: the drift report (``ml_workflow.core.drift``) of
  the last ``serving.recent_records`` records the variant served, against the
  reference saved with the served model.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI
from fastapi.responses import Response

from ml_workflow.core.coercion import coerce_features
from ml_workflow.core.config import Drift
from ml_workflow.core.drift import drift_report

from .answers import error_response as _error
from .answers import json_response as _json
from .answers import unknown_variant as _unknown
from .operations import ServiceMetrics
from .registry import ServedVariant
from .reload import ModelReloader
from .scoring import records_frame


def _states(variants: Mapping[str, ServedVariant]) -> dict[str, str]:
    return {n: "ready" if v.ready else "unavailable" for n, v in variants.items()}


def served_drift(
    variant: ServedVariant, records: list[Any], drift: Drift
) -> dict[str, Any]:
    """The drift report of ``records`` (validated) against the served model's reference."""
    loaded = variant.loaded
    features = coerce_features(records_frame(variant, records), variant.problem)
    report = drift_report(features, loaded.drift_reference, drift)
    return {"variant": variant.name, "model_version": loaded.version, **report}


def add_operations_routes(  # noqa: PLR0913 - the app's parts these routes read
    app: FastAPI,
    variants: Mapping[str, ServedVariant],
    metrics: ServiceMetrics,
    reloader: ModelReloader | None,
    recent: Mapping[str, deque],
    drift: Drift,
) -> None:
    """Add the liveness, readiness, metrics, reload and drift routes to ``app``."""

    @app.get("/v2/health/live", tags=["operations"])
    def live() -> Response:
        """The process answers (liveness): 200 from start-up to shutdown."""
        return _json({"live": True})

    @app.get(
        "/v2/health/ready",
        tags=["operations"],
        responses={503: {"description": "a model is not loaded (yet)"}},
    )
    def ready() -> Response:
        """200 once every configured variant's model is loaded, else 503."""
        ok = all(v.ready for v in variants.values())
        return _json({"ready": ok, "variants": _states(variants)}, 200 if ok else 503)

    @app.get(
        "/v2/models/{name}/ready",
        tags=["operations"],
        responses={
            404: {"description": "unknown variant"},
            503: {"description": "not loaded (yet)"},
        },
    )
    def model_ready(name: str) -> Response:
        """200 when this variant's model is loaded, else 503."""
        if name not in variants:
            return _unknown(name, variants)
        variant = variants[name]
        body = {"name": name, "ready": variant.ready, "model_version": variant.version}
        return _json(body, 200 if variant.ready else 503)

    @app.get("/metrics", include_in_schema=False)
    def prometheus() -> Response:
        content, media_type = metrics.exposition()
        return Response(content, media_type=media_type)

    if reloader is not None:

        @app.post("/admin/reload", tags=["operations"])
        async def reload_models() -> Response:
            """Serve each variant's current version now (see ``served_version``)."""
            changes = await asyncio.to_thread(reloader.refresh)
            return _json({"changes": changes, "errors": reloader.reload_errors})

    @app.get(
        "/variants/{name}/drift",
        tags=["operations"],
        responses={
            404: {"description": "unknown variant"},
            409: {"description": "no records served yet, or no drift reference"},
        },
    )
    async def drift_of_served_records(name: str) -> Response:
        """Drift of the records served recently from the model's training split."""
        if name not in variants:
            return _unknown(name, variants)
        variant, records = variants[name], list(recent[name])
        if variant.loaded is None or variant.loaded.drift_reference is None:
            return _error(
                409,
                f"variant {name!r} has no drift reference: its model is not loaded, "
                "or was trained before drift references were saved (retrain it)",
            )
        if not records:
            return _error(409, f"variant {name!r} has served no records yet")
        report = await asyncio.to_thread(served_drift, variant, records, drift)
        return _json(report)


__all__ = ["add_operations_routes", "served_drift"]
