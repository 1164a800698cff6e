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
from .describe import (
    PREDICT_RESPONSES,
    api_description,
    describe,
    prediction_answer,
    registry_version,
    request_body_schema,
    status_of,
    unavailable,
)
from .operations import OperationsMiddleware, ServiceMetrics
from .operations_routes import add_operations_routes
from .registry import (
    ServedVariant,
    ServedVersions,
    load_configuration,
    open_catalog,
)
from .reload import ModelReloader
from .scoring import ModelUnavailable, score_records

logger = logging.getLogger(__name__)


async def _poll(reloader: ModelReloader, interval: float) -> None:
    """Load the served models, then look for new versions every ``interval`` s."""
    while True:
        await asyncio.to_thread(reloader.refresh)
        if interval <= 0:
            return
        await asyncio.sleep(interval)


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
        description=api_description(variants, settings),
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
        states = {name: status_of(v) for name, v in variants.items()}
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
                "status": status_of(v),
                "model_version": v.version,
                "registry_version": registry_version(v.served),
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
        return describe(variants[name], settings, errors.get(name))

    def make_predict(variant: ServedVariant):
        batcher = batchers[variant.name]
        predicted = metrics.predictions
        served = recent[variant.name]

        async def predict(request: Request) -> Response:
            try:
                check_content_type(request.headers.get("content-type"))
                payload = parse_records(await read_body(request, max_bytes), limit)
                if not variant.ready:
                    raise unavailable(variant)
                records = validate_records(variant, payload)
                rows, loaded = await batcher.predict(records)
                answer = _json(prediction_answer(variant, rows, loaded))
            except RequestRefused as refused:
                return _error(refused.status, refused.detail, **refused.extra)
            except ModelUnavailable:
                refused = unavailable(variant)
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
            openapi_extra=request_body_schema(variant, limit),
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
