"""JSON answers of the API: compact, ASCII-escaped (any echoed client text encodes)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from fastapi.responses import Response


def json_response(body: Any, status: int = 200) -> Response:
    """A JSON response; ASCII-escaped, so any client text echoed back encodes."""
    content = json.dumps(body, separators=(",", ":"), allow_nan=False)
    return Response(content.encode(), status_code=status, media_type="application/json")


def error_response(status: int, detail: Any, **extra: Any) -> Response:
    """``{"detail": ..., **extra}`` with ``status``."""
    return json_response({"detail": detail, **extra}, status)


def unknown_variant(name: str, variants: Mapping[str, Any]) -> Response:
    """404 naming the served variants."""
    return error_response(
        404, f"unknown variant {name!r}; served variants: {sorted(variants)}"
    )


__all__ = ["error_response", "json_response", "unknown_variant"]
