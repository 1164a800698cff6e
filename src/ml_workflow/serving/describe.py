"""What the API says about a variant: its description and status, the
predict answer naming the model that scored it, and the OpenAPI pieces of the
predict routes (``app.py`` wires them to the routes)."""

from __future__ import annotations

from typing import Any

from ml_workflow.core.config import Serving
from ml_workflow.tracking.served import ServedModel

from .body import RequestRefused
from .registry import LoadedModel, ServedVariant

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


def unavailable(variant: ServedVariant) -> RequestRefused:
    """503 for a variant without a usable model, with the reason."""
    reason = variant.error or "its model is still loading"
    return RequestRefused(
        503, f"variant {variant.name!r} has no usable model: {reason}"
    )


def registry_info(served: ServedModel | None) -> dict[str, Any] | None:
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


def registry_version(served: ServedModel | None) -> int | None:
    """The registry version served, or None outside a registry."""
    return served.registry_version if served is not None else None


def prediction_answer(
    variant: ServedVariant, rows: list[dict], loaded: LoadedModel | None
) -> dict:
    """The answer, naming the model version (and registry version) that scored
    the batch: ``loaded`` is the one model the batch was read from."""
    body: dict[str, Any] = {
        "variant": variant.name,
        "model_version": loaded.version if loaded else None,
        "registry_version": registry_version(loaded.served if loaded else None),
    }
    return {**body, **variant.task.response_fields(), "predictions": rows}


def request_body_schema(variant: ServedVariant, limit: int) -> dict[str, Any]:
    """OpenAPI request body of a predict route: at most ``limit`` records."""
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


def status_of(variant: ServedVariant) -> str:
    """``ready`` when the variant has a usable model, else ``unavailable``."""
    return "ready" if variant.ready else "unavailable"


def describe(
    variant: ServedVariant, settings: Serving, reload_error: str | None
) -> dict[str, Any]:
    """``GET /variants/{name}``: model, metrics, typical record and input schema."""
    loaded = variant.loaded
    reference = (loaded.prediction_reference if loaded else None) or {}
    return {
        "name": variant.name,
        "task": variant.task.NAME,
        "target": variant.problem.target,
        "positive_class": variant.problem.positive_class,
        "status": status_of(variant),
        "error": variant.error,
        "reload_error": reload_error,
        "model": {
            "version": variant.version,
            "trained_at": variant.trained_at,
            "sha256": variant.sha256,
            "estimator": type(variant.model).__name__ if variant.ready else None,
            "registry": registry_info(variant.served),
        },
        "metrics": variant.metrics,
        # what the web page pre-fills (training medians and modes), and a
        # regression's residual interval: saved with the model version
        "typical_record": reference.get("record"),
        "interval": reference.get("interval"),
        "max_batch_records": settings.max_batch_records,
        "input_schema": variant.record_model.model_json_schema(by_alias=True),
    }


def api_description(variants: dict[str, ServedVariant], settings: Serving) -> str:
    """The OpenAPI description: what a body is and what each error code means."""
    return (
        "Predictions from the served model of every variant (the registry's "
        "champion by default, docs/experiments.md). "
        f"Variants: {', '.join(sorted(variants)) or 'none'}. A request body "
        f"is a strict JSON list of records (at most {settings.max_batch_records}); "
        "a bad record gets 422 naming the record index, field and problem, an "
        "unknown variant 404, an oversized batch 413, a body not declared as "
        "JSON 415, a variant without a usable model 503."
    )


__all__ = [
    "PREDICT_RESPONSES",
    "api_description",
    "describe",
    "prediction_answer",
    "registry_info",
    "registry_version",
    "request_body_schema",
    "status_of",
    "unavailable",
]
