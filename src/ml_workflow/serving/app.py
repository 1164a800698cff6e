"""The FastAPI application: health, variant descriptions, predictions, a web page.

Every variant found in configuration is served; each gets its own documented
``POST /variants/<name>/predict`` route whose request body is that variant's
record model, so the OpenAPI document (``/docs``) describes every variant.
Bodies are read as strict JSON (``body.py``); records go through the same code
as batch scoring: the schema's checks, then ``coerce_features`` and the model
via ``predict_records`` (``scoring.py``). Operations endpoints
(``operations_routes.py``) follow the KServe / Open Inference Protocol names.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response

import ml_workflow
from ml_workflow.core.config import Drift, Serving
from ml_workflow.tracking.served import ServedModel
from ml_workflow.variants import project_path as default_project_path

from .answers import error_response as _error
from .answers import json_response as _json
from .answers import unknown_variant as _unknown
from .batching import PredictionBatcher, model_executor
from .body import (
    RequestRefused,
    check_content_type,
    parse_records,
    read_body,
    validate_records,
    validation_problems,
)
from .operations import OperationsMiddleware, ServiceMetrics
from .operations_routes import add_operations_routes
from .registry import (
    LoadedModel,
    ServedVariant,
    ServedVersions,
    load_configuration,
    open_catalog,
)
from .reload import ModelReloader
from .scoring import ModelUnavailable, score_records

logger = logging.getLogger(__name__)

PREDICT_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "the client closed the connection mid-body"},
    413: {"description": "batch or body too large"},
    415: {"description": "the body is not declared as JSON"},
    422: {
        "description": "not strict JSON, not a list, a record fails the schema, "
        "or the model refuses a value"
    },
    503: {"description": "no usable model"},
}


def _unavailable(variant: ServedVariant) -> RequestRefused:
    reason = variant.error or "its model is still loading"
    return RequestRefused(
        503, f"variant {variant.name!r} has no usable model: {reason}"
    )


def _registry(served: ServedModel | None) -> dict[str, Any] | None:
    """The registry version served (``ml_workflow.tracking.served``), if any."""
    if served is None or not served.from_registry:
        return None
    return {
        "name": served.registered_model,
        "version": served.registry_version,
        "aliases": list(served.aliases),
        "selected_by": served.selector,
        "run_id": served.run_id,
    }


def _registry_version(served: ServedModel | None) -> int | None:
    return served.registry_version if served is not None else None


def _response(
    variant: ServedVariant, rows: list[dict], loaded: LoadedModel | None
) -> dict:
    """The answer, naming the model version (and registry version) that scored
    the batch: ``loaded`` is the one model the batch was read from."""
    body: dict[str, Any] = {
        "variant": variant.name,
        "model_version": loaded.version if loaded else None,
        "registry_version": _registry_version(loaded.served if loaded else None),
    }
    return {**body, **variant.task.response_fields(), "predictions": rows}


def _request_body_schema(variant: ServedVariant, limit: int) -> dict[str, Any]:
    items = variant.record_model.model_json_schema(by_alias=True)
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"type": "array", "maxItems": limit, "items": items}
                }
            },
        }
    }


def _status(variant: ServedVariant) -> str:
    return "ready" if variant.ready else "unavailable"


def _describe(
    variant: ServedVariant, settings: Serving, reload_error: str | None
) -> dict[str, Any]:
    loaded = variant.loaded
    reference = (loaded.prediction_reference if loaded else None) or {}
    return {
        "name": variant.name,
        "task": variant.task.NAME,
        "target": variant.problem.target,
        "positive_class": variant.problem.positive_class,
        "status": _status(variant),
        "error": variant.error,
        "reload_error": reload_error,
        "model": {
            "version": variant.version,
            "trained_at": variant.trained_at,
            "sha256": variant.sha256,
            "estimator": type(variant.model).__name__ if variant.ready else None,
            "registry": _registry(variant.served),
        },
        "metrics": variant.metrics,
        # what the web page pre-fills (training medians and modes), and a
        # regression's residual interval: saved with the model version
        "typical_record": reference.get("record"),
        "interval": reference.get("interval"),
        "max_batch_records": settings.max_batch_records,
        "input_schema": variant.record_model.model_json_schema(by_alias=True),
    }


async def _poll(reloader: ModelReloader, interval: float) -> None:
    """Load the served models, then look for new versions every ``interval`` s."""
    while True:
        await asyncio.to_thread(reloader.refresh)
        if interval <= 0:
            return
        await asyncio.sleep(interval)


def _description(variants: dict[str, ServedVariant], settings: Serving) -> str:
    return (
        "Predictions from the served model of every variant (the registry's "
        "champion by default, docs/experiments.md). "
        f"Variants: {', '.join(sorted(variants)) or 'none'}. A request body "
        f"is a strict JSON list of records (at most {settings.max_batch_records}); "
        "a bad record gets 422 naming the record index, field and problem, an "
        "unknown variant 404, an oversized batch 413, a body not declared as "
        "JSON 415, a variant without a usable model 503."
    )


def build_app(  # noqa: PLR0915 - one closure per route
    variants: dict[str, ServedVariant],
    settings: Serving,
    reloader: ModelReloader | None = None,
    drift: Drift | None = None,
) -> FastAPI:
    """The API for ``variants``; with a ``reloader`` it loads (and reloads)
    their models in the background, otherwise they must be loaded already."""
    executor = model_executor()
    batchers = {
        name: PredictionBatcher(partial(score_records, variant), executor)
        for name, variant in variants.items()
    }
    metrics = ServiceMetrics()
    # the records each variant served last, for GET /variants/{name}/drift
    recent = {name: deque(maxlen=settings.recent_records) for name in variants}

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        poller = None
        if reloader is not None:
            poll = _poll(reloader, settings.reload_interval_seconds)
            poller = asyncio.create_task(poll)
        yield
        if poller is not None:
            poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await poller
        executor.shutdown(wait=True, cancel_futures=True)

    app = FastAPI(
        lifespan=lifespan,
        title="ml-workflow",
        version=ml_workflow.__version__,
        description=_description(variants, settings),
    )
    app.add_middleware(OperationsMiddleware, metrics=metrics)
    page = files("ml_workflow.serving").joinpath("static/index.html").read_text()
    limit, max_bytes = settings.max_batch_records, settings.max_body_bytes

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> HTMLResponse:
        return HTMLResponse(page)

    @app.get(
        "/health",
        tags=["service"],
        responses={503: {"description": "a variant has no usable model"}},
    )
    def health() -> Response:
        """``ok`` when every variant has a usable model, else 503 ``degraded``."""
        ok = all(v.ready for v in variants.values())
        states = {name: _status(v) for name, v in variants.items()}
        body = {"status": "ok" if ok else "degraded", "variants": states}
        return _json(body, 200 if ok else 503)

    add_operations_routes(app, variants, metrics, reloader, recent, drift or Drift())

    @app.get("/variants", tags=["service"])
    def list_variants() -> list[dict[str, Any]]:
        """Every served variant: task, status and model version."""
        return [
            {
                "name": v.name,
                "task": v.task.NAME,
                "status": _status(v),
                "model_version": v.version,
                "registry_version": _registry_version(v.served),
            }
            for v in variants.values()
        ]

    @app.get(
        "/variants/{name}",
        tags=["service"],
        responses={404: {"description": "unknown variant"}},
    )
    def describe_variant(name: str) -> Any:
        """Model version, training time, metrics and input schema of a variant."""
        if name not in variants:
            return _unknown(name, variants)
        errors = reloader.reload_errors if reloader else {}
        return _describe(variants[name], settings, errors.get(name))

    def make_predict(variant: ServedVariant):
        batcher = batchers[variant.name]
        predicted = metrics.predictions
        served = recent[variant.name]

        async def predict(request: Request) -> Response:
            try:
                check_content_type(request.headers.get("content-type"))
                payload = parse_records(await read_body(request, max_bytes), limit)
                if not variant.ready:
                    raise _unavailable(variant)
                records = validate_records(variant, payload)
                rows, loaded = await batcher.predict(records)
                answer = _json(_response(variant, rows, loaded))
            except RequestRefused as refused:
                return _error(refused.status, refused.detail, **refused.extra)
            except ModelUnavailable:
                refused = _unavailable(variant)
                return _error(refused.status, refused.detail)
            except ValueError as error:  # the model refuses a value, or says inf
                return _error(422, f"the model cannot score these records: {error}")
            predicted.labels(variant.name, str(loaded.version)).inc(len(rows))
            served.extend(records)
            return answer

        positive = variant.problem.positive_class
        predict.__doc__ = (
            f"Predict with the served {variant.name!r} model ({variant.task.NAME}). "
            "Body: a JSON list of records; returns one prediction per record"
            + (f", with the probability of {positive!r}." if positive else ".")
        )
        return predict

    for variant in variants.values():
        app.add_api_route(
            f"/variants/{variant.name}/predict",
            make_predict(variant),
            methods=["POST"],
            name=f"predict_{variant.name}",
            tags=[variant.name],
            summary=f"Predict {variant.problem.target} ({variant.name})",
            openapi_extra=_request_body_schema(variant, limit),
            responses=PREDICT_RESPONSES,
        )

    @app.post("/variants/{name}/predict", include_in_schema=False)
    def predict_unknown(name: str) -> Response:
        return _unknown(name, variants)

    return app


def create_app(
    project_path: Path | str | None = None, env: str | None = None
) -> FastAPI:
    """Read the project's variants and return the API (uvicorn's app factory).

    The models load in the background once the server starts: liveness
    answers at once, readiness is 503 until every model is loaded.
    ``project_path`` defaults to ``$ML_WORKFLOW_PROJECT`` or the Kedro project
    of the working directory; ``env`` to ``$KEDRO_ENV``.
    """
    path = Path(
        project_path or os.environ.get("ML_WORKFLOW_PROJECT") or default_project_path()
    )
    env = env or os.environ.get("KEDRO_ENV")
    configuration = load_configuration(path, env)
    versions = ServedVersions(configuration.tracking, path)
    reloader = ModelReloader(
        configuration.variants,
        open_catalog(path, env),
        version_of=versions,
        loader=versions.load,
    )
    return build_app(
        configuration.variants, configuration.serving, reloader, configuration.drift
    )


__all__ = ["build_app", "create_app", "score_records", "validation_problems"]
