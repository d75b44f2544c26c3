"""Per-call options (issue 24): `with_options(timeout=, max_retries=, headers=)` is a light copy
that shares the connection pool, and every endpoint function takes `timeout=`, sync and async.

The reference server runs on 127.0.0.1 behind a middleware that notes each request's client
port (one port, one connection) and can answer late.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from thinnestai_calls_client import AuthenticatedClient, errors
from thinnestai_calls_client.api.calls import get_call, list_calls
from thinnestai_calls_client.models import Call

from contract_tests.reference_server import DEMO, create_app
from contract_tests.reference_server.embedded import LoopbackServer

SLOW_SECONDS = 0.6


class Watching:
    """The reference server's app; notes each request's client port, and answers a request
    with an `X-Slow` header SLOW_SECONDS late."""

    def __init__(self) -> None:
        self.app = create_app()
        self.ports: list[int] = []
        self.headers: list[dict[str, str]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.ports.append(scope["client"][1])
            headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
            self.headers.append(headers)
            if "x-slow" in headers:
                await asyncio.sleep(SLOW_SECONDS)
        await self.app(scope, receive, send)


@pytest.fixture
def server() -> Iterator[tuple[str, Watching]]:
    app = Watching()
    with LoopbackServer(app, name="watched reference server") as running:
        yield running.base_url, app


def test_with_options_applies_to_that_call_only_and_shares_the_pool(
    server: tuple[str, Watching],
) -> None:
    base_url, app = server
    with AuthenticatedClient(base_url=base_url, token=DEMO.api_key) as client:
        assert isinstance(get_call.sync(77, client=client), Call)  # opens the one connection
        hurried = client.with_options(timeout=0.2, max_retries=0, headers={"X-Trace": "t-1"})
        assert isinstance(get_call.sync(77, client=hurried), Call)  # same pool, no new connection
        assert hurried.get_httpx_client() is client.get_httpx_client()

        started = time.monotonic()
        with pytest.raises(errors.APITimeoutError) as raised:
            get_call.sync(77, client=hurried.with_options(headers={"X-Slow": "1"}))
        gave_up_after = time.monotonic() - started

        slow = client.with_options(headers={"X-Slow": "1"})  # the client's own 10 s time-out
        answered = get_call.sync_detailed(77, client=slow)

    assert gave_up_after < SLOW_SECONDS and raised.value.retries == 0
    assert isinstance(answered.parsed, Call) and answered.retries == 0
    assert len(set(app.ports[:2])) == 1, app.ports  # two calls, one connection
    assert [h.get("x-trace") for h in app.headers] == [None, "t-1", "t-1", None]
    assert client.max_retries == 2 and hurried.max_retries == 0  # the original is unchanged
    assert all(h["authorization"] == f"Bearer {DEMO.api_key}" for h in app.headers)


def test_timeout_on_a_function_applies_to_that_call_only(server: tuple[str, Watching]) -> None:
    base_url, _ = server
    slow = {"X-Slow": "1"}
    with AuthenticatedClient(base_url=base_url, token=DEMO.api_key, max_retries=0) as client:
        slow_client = client.with_options(headers=slow)
        with pytest.raises(errors.APITimeoutError):
            get_call.sync(77, client=slow_client, timeout=0.2)
        with pytest.raises(errors.APITimeoutError):
            list_calls.sync_detailed(client=slow_client, timeout=httpx.Timeout(0.2))
        assert isinstance(get_call.sync(77, client=slow_client), Call)


def test_async_with_options_and_timeout(server: tuple[str, Watching]) -> None:
    base_url, app = server

    async def calls() -> list[object]:
        async with AuthenticatedClient(base_url=base_url, token=DEMO.api_key) as client:
            first = await get_call.asyncio(77, client=client)
            hurried = client.with_options(timeout=0.2, max_retries=0)
            second = await get_call.asyncio(77, client=hurried)
            assert hurried.get_async_httpx_client() is client.get_async_httpx_client()
            slow = hurried.with_options(headers={"X-Slow": "1"})
            try:
                await get_call.asyncio(77, client=slow)
            except errors.APITimeoutError as error:
                third: object = error
            try:
                await get_call.asyncio(
                    77, client=client.with_options(headers={"X-Slow": "1"}), timeout=0.2
                )
            except errors.APITimeoutError as error:
                fourth: object = error
            listed = [call.id async for call in list_calls.asyncio_all(client=hurried, timeout=5.0)]
            return [first, second, third, fourth, listed]

    first, second, third, fourth, listed = asyncio.run(calls())

    assert isinstance(first, Call) and isinstance(second, Call)
    assert type(third) is errors.APITimeoutError and type(fourth) is errors.APITimeoutError
    assert listed == list(DEMO.listed_call_ids)
    assert app.ports[0] == app.ports[1]


def recorded_timeouts(call: Any) -> list[dict[str, float | None]]:
    """The time-out each request of `call(client)` carried, through a mock transport."""
    seen: list[dict[str, float | None]] = []
    page = {"calls": [], "total": 0}

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return httpx.Response(200, json=page if request.url.path == "/v2/calls" else {})

    async def answer_async(request: httpx.Request) -> httpx.Response:
        return answer(request)

    client = AuthenticatedClient(
        base_url="https://api.thinnest.ai",
        token="tai_options",
        httpx_args={"transport": httpx.MockTransport(answer)},
    )
    client.set_async_httpx_client(
        httpx.AsyncClient(
            base_url="https://api.thinnest.ai", transport=httpx.MockTransport(answer_async)
        )
    )
    try:
        result = call(client)
        if asyncio.iscoroutine(result):
            asyncio.run(result)
    except errors.APIResponseValidationError:
        pass  # get_call's `{}` is no Call: only the request matters here
    return seen


async def collect(iterator: Any) -> list[Any]:
    return [item async for item in iterator]


ONE_SECOND = {"connect": 1.0, "read": 1.0, "write": 1.0, "pool": 1.0}
FUNCTIONS = {
    "get_call.sync": lambda c: get_call.sync(77, client=c, timeout=1.0),
    "get_call.sync_detailed": lambda c: get_call.sync_detailed(77, client=c, timeout=1.0),
    "get_call.asyncio": lambda c: get_call.asyncio(77, client=c, timeout=1.0),
    "get_call.asyncio_detailed": lambda c: get_call.asyncio_detailed(77, client=c, timeout=1.0),
    "list_calls.sync": lambda c: list_calls.sync(client=c, timeout=1.0),
    "list_calls.sync_detailed": lambda c: list_calls.sync_detailed(client=c, timeout=1.0),
    "list_calls.asyncio": lambda c: list_calls.asyncio(client=c, timeout=1.0),
    "list_calls.asyncio_detailed": lambda c: list_calls.asyncio_detailed(client=c, timeout=1.0),
    "list_calls.sync_all": lambda c: list(list_calls.sync_all(client=c, timeout=1.0)),
    "list_calls.asyncio_all": lambda c: collect(list_calls.asyncio_all(client=c, timeout=1.0)),
    "with_options": lambda c: list_calls.sync(client=c.with_options(timeout=1.0)),
    "with_options-async": lambda c: list_calls.asyncio(client=c.with_options(timeout=1.0)),
}


@pytest.mark.parametrize("call", FUNCTIONS.values(), ids=FUNCTIONS.keys())
def test_every_function_sends_its_timeout(call: Any) -> None:
    assert recorded_timeouts(call) == [ONE_SECOND]


def test_without_an_option_the_httpx_clients_timeout_rules() -> None:
    """A client given with set_httpx_client keeps its own time-out (the README says so)."""
    seen = recorded_timeouts(lambda c: list_calls.sync(client=c.with_options(max_retries=0)))
    assert seen == [{"connect": 10.0, "read": 10.0, "write": 10.0, "pool": 10.0}]
    assert recorded_timeouts(lambda c: list_calls.sync(client=c, timeout=None)) == [
        {"connect": None, "read": None, "write": None, "pool": None}
    ]


def test_with_options_checks_max_retries_and_keeps_what_it_is_not_given() -> None:
    client = AuthenticatedClient(
        base_url="https://api.thinnest.ai", token="tai_options", max_retries=4
    )
    with pytest.raises(ValueError, match="max_retries"):
        client.with_options(max_retries=-1)
    copy = client.with_options(headers={"A": "1"}).with_options(headers={"B": "2"})
    assert copy.max_retries == 4
    assert copy.request_options() == {"headers": {"A": "1", "B": "2"}}
    assert client.request_options() == {}
