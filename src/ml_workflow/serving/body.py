"""Read a prediction request's body as strict JSON, refusing hostile input early.

The API answers any client input with a 4xx and a message, never a 5xx. The
body must be:

- declared as JSON (``Content-Type: application/json`` or ``application/*+json``;
  a missing header is taken as JSON), else 415;
- at most ``serving.max_body_bytes`` long, counted while it streams in (so a
  chunked body with no ``Content-Length`` cannot fill the memory), else 413;
- UTF-8 (RFC 8259), else 422;
- strict JSON: no ``NaN``/``Infinity`` (Python's parser accepts them), no key
  twice in one object (the parser would keep the last one silently), and
  nested at most as deep as the parser's recursion allows, else 422;
- a list of at most ``serving.max_batch_records`` items, else 422 or 413;
- records that parse into the variant's record model (``records.py``: types
  only) and pass the schema's checks (``record_problems``: the one validation
  engine, as in batch scoring), else 422 with one ``{record, field, problem}``
  per failed check, type and value problems of every record at once.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError
from starlette.requests import ClientDisconnect, Request

from .records import record_problems

JSON_TYPES = ("application/json",)
MAX_REPORTED_PROBLEMS = 100


class RequestRefused(Exception):
    """A request the API answers with an error status instead of predictions."""

    def __init__(self, status: int, detail: Any, **extra: Any) -> None:
        super().__init__(detail)
        self.status, self.detail, self.extra = status, detail, extra


def _refuse_constant(name: str) -> Any:
    raise RequestRefused(
        422,
        f"request body is not valid JSON: {name} is not a JSON number "
        "(send null for a missing value)",
    )


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    record = dict(pairs)
    if len(record) != len(pairs):
        seen: set[str] = set()
        twice = next(key for key, _ in pairs if key in seen or seen.add(key))
        raise RequestRefused(
            422,
            f"request body is not valid JSON: key {twice!r} appears twice in an object",
        )
    return record


def check_content_type(value: str | None) -> None:
    """Refuse a body declared as anything but JSON (415)."""
    if value is None:
        return
    media_type = value.split(";", 1)[0].strip().lower()
    if media_type in JSON_TYPES or (
        media_type.startswith("application/") and media_type.endswith("+json")
    ):
        return
    raise RequestRefused(
        415,
        f"request body must be JSON (Content-Type: application/json), found {value!r}",
    )


async def read_body(request: Request, max_bytes: int) -> bytes:
    """The raw body, refused with 413 as soon as it exceeds ``max_bytes``."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise RequestRefused(413, f"request body exceeds {max_bytes} bytes")
    chunks, size = [], 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_bytes:
                raise RequestRefused(413, f"request body exceeds {max_bytes} bytes")
            chunks.append(chunk)
    except ClientDisconnect:
        raise RequestRefused(400, "the client closed the connection mid-body") from None
    return b"".join(chunks)


def parse_records(raw: bytes, limit: int) -> list[Any]:
    """The body as a list of at most ``limit`` JSON values (strict JSON)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RequestRefused(422, f"request body is not valid UTF-8: {error}") from None
    try:
        payload = json.loads(
            text, parse_constant=_refuse_constant, object_pairs_hook=_unique_keys
        )
    except RecursionError:
        raise RequestRefused(
            422, "request body is not valid JSON: nested too deeply"
        ) from None
    except ValueError as error:  # JSONDecodeError, or an integer of > 4300 digits
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
    return payload


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


def _checks_of_parsed(variant: Any, payload: list[Any]) -> list[dict[str, Any]]:
    """The schema checks' problems of the records that parse, when others do
    not, so one answer names every problem of the request."""
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


def _refused(problems: list[dict[str, Any]], total: int) -> RequestRefused:
    shown = problems[:MAX_REPORTED_PROBLEMS]
    return RequestRefused(422, shown, message=_summary(shown, total))


def validate_records(variant: Any, payload: list[Any]) -> list[Any]:
    """The payload as the variant's record models, or a 422 naming each problem."""
    try:
        records = variant.records_adapter.validate_python(payload)
    except ValidationError as error:
        checks = _checks_of_parsed(variant, payload)
        problems = sorted(
            validation_problems(error) + checks,
            key=lambda problem: problem["record"] or 0,
        )
        raise _refused(problems, error.error_count() + len(checks)) from None
    problems = record_problems(records, variant.schema)
    if problems:
        raise _refused(problems, len(problems))
    return records


__all__ = [
    "RequestRefused",
    "check_content_type",
    "parse_records",
    "read_body",
    "validate_records",
    "validation_problems",
]
