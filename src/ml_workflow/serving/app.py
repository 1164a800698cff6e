"""The FastAPI application: health, variant descriptions, predictions, a web page.

Every variant found in configuration is served; each gets its own documented
``POST /variants/<name>/predict`` route whose request body is that variant's
record model, so the OpenAPI document (``/docs``) describes every variant.
Records go through the same code as batch scoring: the schema's checks, then
``coerce_features`` and the model via ``predict_records``.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from importlib.resources import files
from pathlib import Path
from typing import Any

import pandas as pd
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import ValidationError

import ml_workflow
from ml_workflow.core.coercion import coerce_features
from ml_workflow.core.config import Serving
from ml_workflow.core.predict import predict_records
from ml_workflow.variants import project_path as default_project_path

from .batching import PredictionBatcher, model_executor
from .records import record_problems
from .registry import ServedVariant, load_served_variants

MAX_REPORTED_PROBLEMS = 100


def _error(status: int, detail: Any, **extra: Any) -> JSONResponse:
    return JSONResponse({"detail": detail, **extra}, status_code=status)


def _unknown(name: str, variants: dict[str, ServedVariant]) -> JSONResponse:
    return _error(404, f"unknown variant {name!r}; served variants: {sorted(variants)}")


def validation_problems(error: ValidationError) -> list[dict[str, Any]]:
    """One ``{record, field, problem}`` per failed check, from Pydantic's errors."""
    problems = []
    for item in error.errors(include_url=False)[:MAX_REPORTED_PROBLEMS]:
        location = item["loc"]
        record = location[0] if location and isinstance(location[0], int) else None
        field = str(location[1]) if len(location) > 1 else None
        problems.append(
            {
                "record": record,
                "field": field,
                "problem": item["msg"],
                "type": item["type"],
            }
        )
    return problems


def _summary(problems: list[dict[str, Any]], total: int) -> str:
    first = problems[0]
    where = f"record {first['record']}" + (
        f", field {first['field']!r}" if first["field"] else ""
    )
    more = f" (and {total - 1} more problem(s))" if total > 1 else ""
    return f"{where}: {first['problem']}{more}"


def score_records(variant: ServedVariant, records: list[Any]) -> list[dict]:
    """Prediction rows for validated records: batch scoring's own functions."""
    if not records:
        return []
    frame = pd.DataFrame.from_records(
        [record.model_dump(by_alias=True) for record in records],
        columns=variant.columns,
    )
    features = coerce_features(frame, variant.problem)
    predictions = predict_records(variant.model, features, variant.problem)
    return variant.task.prediction_rows(predictions)


def _registry(variant: ServedVariant) -> dict[str, Any] | None:
    """The registry version served (``ml_workflow.tracking.served``), if any."""
    served = variant.served
    if served is None or not served.from_registry:
        return None
    return {
        "name": served.registered_model,
        "version": served.registry_version,
        "aliases": list(served.aliases),
        "selected_by": served.selector,
        "run_id": served.run_id,
    }


def _registry_version(variant: ServedVariant) -> int | None:
    served = variant.served
    return served.registry_version if served is not None else None


def _response(variant: ServedVariant, rows: list[dict]) -> dict[str, Any]:
    body: dict[str, Any] = {
        "variant": variant.name,
        "model_version": variant.version,
        "registry_version": _registry_version(variant),
    }
    return {**body, **variant.task.response_fields(), "predictions": rows}


def _request_body_schema(variant: ServedVariant, limit: int) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "array",
                        "maxItems": limit,
                        "items": variant.record_model.model_json_schema(by_alias=True),
                    }
                }
            },
        }
    }


def _checks_of_parsed(variant: ServedVariant, payload: list[Any]) -> list[dict]:
    """The schema checks' problems of the records that parse, when others do not,
    so one answer names every problem of the request."""
    parsed, positions = [], []
    for position, item in enumerate(payload):
        try:
            parsed.append(variant.record_model.model_validate(item))
        except ValidationError:
            continue
        positions.append(position)
    return [
        {**problem, "record": positions[problem["record"]]}
        for problem in record_problems(parsed, variant.schema)
    ]


class RequestRefused(Exception):
    """A request the API answers with an error status instead of predictions."""

    def __init__(self, status: int, detail: Any, **extra: Any) -> None:
        super().__init__(detail)
        self.status, self.detail, self.extra = status, detail, extra


async def _read_records(
    request: Request, variant: ServedVariant, limit: int, max_bytes: int
) -> list[Any]:
    """Parse and validate the body: 413 too big, 422 bad, 503 no model."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise RequestRefused(413, f"request body exceeds {max_bytes} bytes")
    raw = await request.body()
    if len(raw) > max_bytes:
        raise RequestRefused(413, f"request body exceeds {max_bytes} bytes")
    try:
        payload = json.loads(raw)
    except ValueError as error:
        raise RequestRefused(422, f"request body is not valid JSON: {error}") from None
    if not isinstance(payload, list):
        raise RequestRefused(
            422,
            "request body must be a JSON list of records (objects), found "
            f"{type(payload).__name__}",
        )
    if len(payload) > limit:
        raise RequestRefused(
            413,
            f"batch of {len(payload)} records exceeds the limit of {limit} "
            "(serving.max_batch_records); split it into smaller requests",
        )
    if not variant.ready:
        raise RequestRefused(
            503, f"variant {variant.name!r} has no usable model: {variant.error}"
        )
    try:
        records = variant.records_adapter.validate_python(payload)
    except ValidationError as error:
        checks = _checks_of_parsed(variant, payload)
        problems = sorted(
            validation_problems(error) + checks,
            key=lambda problem: problem["record"] or 0,
        )
        total = error.error_count() + len(checks)
        shown = problems[:MAX_REPORTED_PROBLEMS]
        raise RequestRefused(422, shown, message=_summary(shown, total)) from None
    problems = record_problems(records, variant.schema)
    if problems:
        shown = problems[:MAX_REPORTED_PROBLEMS]
        raise RequestRefused(422, shown, message=_summary(shown, len(problems)))
    return records


def _describe(variant: ServedVariant, settings: Serving) -> dict[str, Any]:
    return {
        "name": variant.name,
        "task": variant.task.NAME,
        "target": variant.problem.target,
        "positive_class": variant.problem.positive_class,
        "status": "ready" if variant.ready else "unavailable",
        "error": variant.error,
        "model": {
            "version": variant.version,
            "trained_at": variant.trained_at,
            "sha256": variant.sha256,
            "estimator": type(variant.model).__name__ if variant.ready else None,
            "registry": _registry(variant),
        },
        "metrics": variant.metrics,
        "max_batch_records": settings.max_batch_records,
        "input_schema": variant.record_model.model_json_schema(by_alias=True),
    }


def build_app(variants: dict[str, ServedVariant], settings: Serving) -> FastAPI:
    """The API for already loaded variants (``create_app`` loads them)."""
    executor = model_executor()
    batchers = {
        name: PredictionBatcher(partial(score_records, variant), executor)
        for name, variant in variants.items()
    }

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        executor.shutdown(wait=False, cancel_futures=True)

    app = FastAPI(
        lifespan=lifespan,
        title="ml-workflow",
        version=ml_workflow.__version__,
        description=(
            "Predictions from the served model of every variant (the registry's "
            "champion by default, docs/experiments.md). "
            f"Variants: {', '.join(sorted(variants)) or 'none'}. A request body "
            "is a JSON list of records (at most "
            f"{settings.max_batch_records}); a bad record gets 422 naming the "
            "record index, field and problem, an unknown variant 404, an "
            "oversized batch 413, a variant without a usable model 503."
        ),
    )
    page = files("ml_workflow.serving").joinpath("static/index.html").read_text()
    limit = settings.max_batch_records
    max_bytes = settings.max_body_bytes

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> HTMLResponse:
        return HTMLResponse(page)

    @app.get("/health", tags=["service"])
    def health() -> JSONResponse:
        """``ok`` when every variant has a usable model, else 503 ``degraded``."""
        states = {
            name: "ready" if v.ready else "unavailable" for name, v in variants.items()
        }
        ok = all(v.ready for v in variants.values())
        return JSONResponse(
            {"status": "ok" if ok else "degraded", "variants": states},
            status_code=200 if ok else 503,
        )

    @app.get("/variants", tags=["service"])
    def list_variants() -> list[dict[str, Any]]:
        """Every served variant: task, status and model version."""
        return [
            {
                "name": v.name,
                "task": v.task.NAME,
                "status": "ready" if v.ready else "unavailable",
                "model_version": v.version,
                "registry_version": _registry_version(v),
            }
            for v in variants.values()
        ]

    @app.get("/variants/{name}", tags=["service"])
    def describe_variant(name: str) -> Any:
        """Model version, training time, metrics and input schema of a variant."""
        if name not in variants:
            return _unknown(name, variants)
        return _describe(variants[name], settings)

    def make_predict(variant: ServedVariant):
        async def predict(request: Request) -> JSONResponse:
            try:
                records = await _read_records(request, variant, limit, max_bytes)
            except RequestRefused as refused:
                return _error(refused.status, refused.detail, **refused.extra)
            rows = await batchers[variant.name].predict(records) if records else []
            return JSONResponse(_response(variant, rows))

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
            responses={
                413: {"description": "batch too large"},
                422: {"description": "a record fails the schema"},
                503: {"description": "no usable model"},
            },
        )

    @app.post("/variants/{name}/predict", include_in_schema=False)
    def predict_unknown(name: str) -> JSONResponse:
        return _unknown(name, variants)

    return app


def create_app(
    project_path: Path | str | None = None, env: str | None = None
) -> FastAPI:
    """Load the project's variants and return the API (uvicorn's app factory).

    ``project_path`` defaults to ``$ML_WORKFLOW_PROJECT`` or the Kedro project
    of the working directory; ``env`` to ``$KEDRO_ENV``.
    """
    path = Path(
        project_path or os.environ.get("ML_WORKFLOW_PROJECT") or default_project_path()
    )
    variants, settings = load_served_variants(path, env or os.environ.get("KEDRO_ENV"))
    return build_app(variants, settings)


__all__ = ["build_app", "create_app", "score_records", "validation_problems"]
