"""The clean reference server never answers 5xx, whatever it is sent.

Schemathesis (4.x Python API) generates requests from the spec, negative and positive, with
a valid demo key so they reach validation and look-up rather than stopping at 401; they go
over real HTTP to the EmbeddedServer, so uvicorn's own parsing is exercised too. A handful of
hand-written oddities that a schema-driven generator would not send complete the picture.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from contract_tests.reference_server import DEMO, EmbeddedServer
from scripts.codegen import SPEC

SCHEMA = schemathesis.openapi.from_path(str(SPEC))
AUTH = {"Authorization": f"Bearer {DEMO.api_key}"}
FUZZ = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with EmbeddedServer() as server:
        yield server.base_url


@pytest.mark.parametrize("mode", [GenerationMode.NEGATIVE, GenerationMode.POSITIVE])
def test_generated_requests_never_get_a_server_error(base_url: str, mode: GenerationMode) -> None:
    statuses: set[int] = set()

    @FUZZ
    @given(case=SCHEMA.as_strategy(generation_mode=mode, headers=AUTH))
    def check(case: Any) -> None:
        response = case.call(base_url=base_url, timeout=10)
        statuses.add(response.status_code)
        case.validate_response(response, checks=[not_a_server_error])

    check()
    assert statuses, "no request was sent"
    assert max(statuses) < 500
    # Negative data must reach validation (422), positive data the look-up (200 or 404).
    assert (422 in statuses) if mode == GenerationMode.NEGATIVE else (200 in statuses)


ODD_PATHS = [
    "/v2/calls/%00",
    "/v2/calls/%FF%FE",
    "/v2/calls/%2F%2F",
    "/v2/calls/..%2F..%2Fetc",
    "/v2/calls/" + "9" * 20_000,
    "/v2/calls/१२३",
    "/v2/calls/77/",
    "//v2/calls/77",
    "/v2/calls?limit=%FF&offset=%00",
    "/v2/calls?limit=1&limit=2&offset=-0",
    "/v2/calls?limit=" + "1" * 10_000,
    "/v2/calls?offset=1e3",
    "/v2/calls?%=%",
]
KEY = DEMO.api_key.encode()
ODD_HEADERS: list[dict[bytes, bytes]] = [
    {b"Authorization": "Bearer \u00e9\u00e8".encode("latin-1")},
    {b"Authorization": b"Bearer \xff\xfe"},
    {b"Authorization": b"Bearer " + b"k" * 10_000},
    {b"Authorization": b"bearer " + KEY},
    {b"Authorization": b"Basic dXNlcjpwYXNz"},
    {b"Authorization": b"Bearer  " + KEY},
    {b"Authorization": b"Bearer " + KEY, b"Accept": b"text/html"},
    {b"Authorization": b"Bearer " + KEY, b"Content-Type": b"application/json"},
]


def test_odd_requests_never_get_a_server_error(base_url: str) -> None:
    with httpx.Client(base_url=base_url, timeout=10) as client:
        for path in ODD_PATHS:
            for headers in (AUTH, {}):
                response = client.get(path, headers=headers)
                assert response.status_code < 500, (path, response.status_code)
        for odd in ODD_HEADERS:
            for path in ("/v2/calls/77", "/v2/calls"):
                response = client.get(path, headers=odd)
                assert response.status_code < 500, (odd, response.status_code)
        for method in ("HEAD", "OPTIONS", "POST", "DELETE", "TRACE"):
            response = client.request(method, "/v2/calls/77", headers=AUTH, content=b"{")
            assert response.status_code < 500, (method, response.status_code)
