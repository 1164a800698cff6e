"""What operators expect of a service: Prometheus metrics and request ids.

- ``/metrics`` (Prometheus text format, through ``prometheus_client``):
  ``ml_workflow_http_requests_total`` and the latency histogram
  ``ml_workflow_http_request_duration_seconds`` by route template, method and
  status (a path that matches no route counts as ``unmatched``, so random URLs
  cannot create unbounded series), and ``ml_workflow_predictions_total`` by
  variant and model version. With several server processes
  (``kedro serve --workers N``) set ``PROMETHEUS_MULTIPROC_DIR`` (the command
  does) and every process's counts are summed.
- Every request gets an id: the client's ``X-Request-ID`` when it is a short
  printable token, else a new one. It is returned in the ``X-Request-ID``
  header and written in every log line of the request (``request_id``).
"""

from __future__ import annotations

import logging
import os
import re
import time
import uuid
from contextvars import ContextVar
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID: ContextVar[str] = ContextVar("request_id", default="-")
_CLIENT_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# Seconds: single records take milliseconds, large batches up to seconds.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)


class ServiceMetrics:
    """The API's Prometheus metrics, in a registry of their own (one per app)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        labels = ("route", "method", "status")
        self.requests = Counter(
            "ml_workflow_http_requests",
            "HTTP requests answered, by route template, method and status.",
            labels,
            registry=self.registry,
        )
        self.latency = Histogram(
            "ml_workflow_http_request_duration_seconds",
            "Time from request to the end of the response, by route and status.",
            labels,
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.predictions = Counter(
            "ml_workflow_predictions",
            "Records predicted, by variant and model version.",
            ("variant", "model_version"),
            registry=self.registry,
        )

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        labels = (route, method, str(status))
        self.requests.labels(*labels).inc()
        self.latency.labels(*labels).observe(seconds)

    def exposition(self) -> tuple[bytes, str]:
        """The Prometheus text of this process, or of all of them in multiprocess mode."""
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
            return generate_latest(registry), CONTENT_TYPE_LATEST
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


def request_id_of(scope: Scope) -> str:
    """The client's ``X-Request-ID`` if it is a sane token, else a new id."""
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            if _CLIENT_ID.fullmatch(text):
                return text
            break
    return uuid.uuid4().hex


class OperationsMiddleware:
    """Pure ASGI middleware: request id in context and header, metrics per request."""

    def __init__(self, app: ASGIApp, metrics: ServiceMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = 500  # if the app fails before it answers

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message).append("x-request-id", request_id)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            route = scope.get("route")
            self.metrics.observe(
                getattr(route, "path", "unmatched"),
                scope["method"],
                status,
                time.perf_counter() - started,
            )
            REQUEST_ID.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` (``-`` outside a request) to every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's logging configuration with the request id in every line."""
    from uvicorn.config import LOGGING_CONFIG  # noqa: PLC0415 - serving only

    config: dict[str, Any] = {
        **LOGGING_CONFIG,
        "filters": {"request_id": {"()": RequestIdFilter}},
    }
    config["formatters"] = {
        name: {**formatter, "fmt": formatter["fmt"] + " request_id=%(request_id)s"}
        for name, formatter in LOGGING_CONFIG["formatters"].items()
    }
    config["handlers"] = {
        name: {**handler, "filters": ["request_id"]}
        for name, handler in LOGGING_CONFIG["handlers"].items()
    }
    config["loggers"] = {
        **LOGGING_CONFIG["loggers"],
        "ml_workflow": {"handlers": ["default"], "level": "INFO", "propagate": False},
    }
    return config


__all__ = [
    "REQUEST_ID",
    "OperationsMiddleware",
    "RequestIdFilter",
    "ServiceMetrics",
    "log_config",
    "request_id_of",
]
