"""No client input makes the API fail: hostile bodies get a 4xx with a message.

The table below is ours (what a fuzzer is unlikely to produce); the
schemathesis test beside it generates requests from the API's own OpenAPI
document. Both run the real app through FastAPI's test client.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi import checks

from ml_workflow.serving.app import build_app
from ml_workflow.serving.registry import load_served_variants

from .conftest import HOUSING

JSON = {"Content-Type": "application/json"}


def housing_with(field: str, literal: str) -> bytes:
    """One housing record whose ``field`` is the raw JSON text ``literal``."""
    body = json.dumps([{**HOUSING, field: "__VALUE__"}])
    return body.replace('"__VALUE__"', literal).encode()


# (case, variant, body, headers, expected status, a phrase of the message)
HOSTILE: list[tuple[str, str, bytes, dict[str, str], int, str]] = [
    (
        "deep array nesting",
        "spam",
        b"[" * 50_000 + b"]" * 50_000,
        JSON,
        422,
        "nested too deeply",
    ),
    (
        "deep object nesting",
        "spam",
        b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
        JSON,
        422,
        "nested too deeply",
    ),
    (
        "NaN",
        "housing",
        housing_with("median_income", "NaN"),
        JSON,
        422,
        "NaN is not a JSON number",
    ),
    (
        "Infinity",
        "housing",
        housing_with("median_income", "Infinity"),
        JSON,
        422,
        "Infinity is not a JSON number",
    ),
    (
        "-Infinity",
        "housing",
        housing_with("latitude", "-Infinity"),
        JSON,
        422,
        "-Infinity is not a JSON number",
    ),
    (
        "number overflowing a float",
        "housing",
        housing_with("median_income", "1e999"),
        JSON,
        422,
        "finite number",
    ),
    (
        "integer of 5,000 digits",
        "housing",
        housing_with("population", "9" * 5000),
        JSON,
        422,
        "not valid JSON",
    ),
    (
        "integer of 400 digits",
        "housing",
        housing_with("population", "9" * 400),
        JSON,
        422,
        "valid number",
    ),
    (
        "true for a number",
        "housing",
        housing_with("median_income", "true"),
        JSON,
        422,
        "valid number",
    ),
    (
        "a numeric string",
        "housing",
        housing_with("median_income", '"8.3"'),
        JSON,
        422,
        "valid number",
    ),
    (
        "a number for a category",
        "housing",
        housing_with("ocean_proximity", "1"),
        JSON,
        422,
        "valid string",
    ),
    (
        "an object for a number",
        "housing",
        housing_with("median_income", '{"a": 1}'),
        JSON,
        422,
        "valid number",
    ),
    (
        "a 6 MB string",
        "spam",
        json.dumps([{"message": "x" * 6_000_000}]).encode(),
        JSON,
        422,
        "[max_length]",
    ),
    (
        "a body over max_body_bytes",
        "spam",
        json.dumps([{"message": "x" * 10_000_001}]).encode(),
        JSON,
        413,
        "exceeds 10000000 bytes",
    ),
    (
        "invalid UTF-8",
        "spam",
        b'[{"message": "\xff\xfe caf\xe9"}]',
        JSON,
        422,
        "not valid UTF-8",
    ),
    (
        "UTF-16",
        "spam",
        '[{"message": "hi"}]'.encode("utf-16"),
        JSON,
        422,
        "not valid UTF-8",
    ),
    (
        "a lone surrogate as a key",
        "spam",
        b'[{"message": "hi", "\\ud800": 1}]',
        JSON,
        422,
        "valid string",
    ),
    (
        "text/plain",
        "spam",
        b'[{"message": "hi"}]',
        {"Content-Type": "text/plain"},
        415,
        "must be JSON",
    ),
    (
        "a form",
        "spam",
        b"message=hi",
        {"Content-Type": "application/x-www-form-urlencoded"},
        415,
        "must be JSON",
    ),
    (
        "multipart",
        "spam",
        b"--x\r\n\r\nhi\r\n--x--",
        {"Content-Type": "multipart/form-data; boundary=x"},
        415,
        "must be JSON",
    ),
    (
        "a duplicate key",
        "spam",
        b'[{"message": "a", "message": "b"}]',
        JSON,
        422,
        "key 'message' appears twice",
    ),
    ("an empty body", "spam", b"", JSON, 422, "not valid JSON"),
    ("whitespace only", "spam", b" \n ", JSON, 422, "not valid JSON"),
    ("trailing garbage", "spam", b'[{"message": "hi"}] x', JSON, 422, "not valid JSON"),
    (
        "an object, not a list",
        "spam",
        b'{"message": "hi"}',
        JSON,
        422,
        "JSON list of records",
    ),
    ("null", "spam", b"null", JSON, 422, "JSON list of records"),
    ("a list of numbers", "spam", b"[1, 2]", JSON, 422, "valid dictionary"),
    ("a list of empty objects", "spam", b"[{}]", JSON, 422, "Field required"),
    (
        "an oversized batch",
        "spam",
        json.dumps([{"message": "a"}] * 1001).encode(),
        JSON,
        413,
        "exceeds the limit of 1000",
    ),
    (
        "a null byte in text",
        "spam",
        b'[{"message": "a\\u0000\\nb"}]',
        JSON,
        422,
        "[single_line]",
    ),
]


@pytest.mark.parametrize(
    ("variant", "body", "headers", "status", "phrase"),
    [case[1:] for case in HOSTILE],
    ids=[case[0] for case in HOSTILE],
)
def test_a_hostile_body_gets_a_4xx_with_a_message(
    client: TestClient,
    variant: str,
    body: bytes,
    headers: dict[str, str],
    status: int,
    phrase: str,
) -> None:
    response = client.post(
        f"/variants/{variant}/predict", content=body, headers=headers
    )
    assert response.status_code == status, response.text[:500]
    answer = response.json()
    message = answer.get("message") or answer["detail"]
    assert phrase in (message if isinstance(message, str) else json.dumps(message))


def test_a_chunked_body_is_cut_off_at_the_byte_limit(client: TestClient) -> None:
    """No Content-Length: the limit is counted while the body streams in."""
    sent: list[int] = []

    def chunks() -> Iterator[bytes]:
        yield b'[{"message": "'
        for _ in range(200):
            sent.append(1)
            yield b"x" * 100_000

    response = client.post("/variants/spam/predict", content=chunks(), headers=JSON)
    assert response.status_code == 413
    assert "exceeds 10000000 bytes" in response.json()["detail"]


def test_an_empty_batch_is_answered_with_no_predictions(client: TestClient) -> None:
    """Not an error: zero records get zero predictions (documented)."""
    response = client.post("/variants/housing/predict", content=b"[]", headers=JSON)
    assert response.status_code == 200
    assert response.json()["predictions"] == []


def test_a_missing_content_type_is_taken_as_json(client: TestClient) -> None:
    response = client.post(
        "/variants/spam/predict", content=b'[{"message": "hi"}]', headers={}
    )
    assert response.status_code == 200, response.text


@pytest.fixture(scope="module")
def loaded_app(served_project) -> Iterator[Any]:
    """The real app with its models loaded (no background reload)."""
    variants, settings = load_served_variants(served_project)
    app = build_app(variants, settings)
    with TestClient(app):  # runs the lifespan: the model thread exists
        yield app


def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    loaded_app: Any,
) -> None:
    """Requests generated from /openapi.json, valid and invalid (bounded)."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", loaded_app)
    conformance = [
        schemathesis.checks.not_a_server_error,
        checks.status_code_conformance,
        checks.content_type_conformance,
        checks.response_schema_conformance,
    ]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8  # both predict routes, health, variants, ...
    for operation in operations:
        # Invalid requests need something to break: a body (a path parameter
        # is any string). Other operations get valid requests only.
        modes = [GenerationMode.POSITIVE]
        modes += [GenerationMode.NEGATIVE] if operation.body else []
        for mode in modes:

            @settings(
                max_examples=12,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def check(case: Any) -> None:
                case.call_and_validate(checks=conformance)

            check()
