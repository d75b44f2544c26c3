"""Logging and hooks of the generated client (issue 24).

`THINNESTAI_LOG=debug` in a fresh interpreter against a loopback server that answers 429 then
200 and echoes the key back: the request, the retry with its wait and the answer are logged,
and the key is nowhere in the output, raw or base64. Then the INFO line's fields, a bad
THINNESTAI_LOG, and the on_request/on_response/on_retry hooks, sync and async.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import json
import logging
import os
import subprocess
import sys
import warnings
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import thinnestai_calls_client.api as runtime
from client_doubles import Script
from safety_servers import RawServer, http_answer
from thinnestai_calls_client import AuthenticatedClient
from thinnestai_calls_client.api.calls import get_call
from thinnestai_calls_client.client import RetryEvent
from thinnestai_calls_client.models import Call

KEY = "tai_live_logging_secret_5f2c9a7e"
Spec = dict[str, Any]


@pytest.fixture(scope="module")
def call_body(spec: Spec) -> bytes:
    return json.dumps(
        copy.deepcopy(spec["components"]["examples"]["EndedWebCall"]["value"])
    ).encode()


class LimitedThenOk:
    """A 429 (Retry-After: 0.1) whose body and headers echo the request head, key included;
    then the call."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.requests = 0

    def __call__(self, head: bytes) -> bytes:
        self.requests += 1
        if self.requests == 1:
            echo = head.decode("latin-1").replace("\r\n", " | ")
            body = json.dumps({"detail": f"slow down; you sent {echo}"}).encode()
            headers = {"Retry-After": "0.1", "Content-Type": "application/json", "X-Echo": echo}
            return http_answer("429 Too Many Requests", body, headers)
        headers = {"Content-Type": "application/json", "Set-Cookie": f"session={KEY}"}
        return http_answer("200 OK", self.body, headers)


SCRIPT = """
import os, sys
from thinnestai_calls_client import AuthenticatedClient
from thinnestai_calls_client.api.calls import get_call
with AuthenticatedClient(base_url=sys.argv[1], token=os.environ["THINNESTAI_API_KEY"]) as client:
    response = get_call.sync_detailed(77, client=client)
print(response.status_code.value, response.retries)
"""


def run_logged(base_url: str, level: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "THINNESTAI_LOG": level, "THINNESTAI_API_KEY": KEY}
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, base_url],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )


def secret_forms(key: str) -> list[str]:
    forms = [key]
    for text in (key, f"Bearer {key}", f":{key}", f"{key}:"):
        encoded = base64.b64encode(text.encode()).decode()
        forms += [encoded, encoded.rstrip("="), base64.urlsafe_b64encode(text.encode()).decode()]
    return forms


def test_debug_logs_the_request_the_retry_and_the_answer_but_never_the_key(
    call_body: bytes,
) -> None:
    server_answers = LimitedThenOk(call_body)
    with RawServer(server_answers) as server:
        result = run_logged(server.base_url, "debug")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "1"]
    log = result.stderr
    lines = log.splitlines()
    assert any("DEBUG request GET /v2/calls/77 headers=" in line for line in lines), log
    assert any(
        "INFO GET /v2/calls/77 429 in " in line and "(retries so far: 0)" in line for line in lines
    )
    assert any("GET /v2/calls/77 retry 1 of 2 after 429: waiting 0.10 s" in line for line in lines)
    assert any(
        "INFO GET /v2/calls/77 200 in " in line and "(retries so far: 1)" in line for line in lines
    )
    assert any("DEBUG response GET /v2/calls/77 200 headers=" in line for line in lines)
    assert "'authorization': '[Filtered]'" in log and "'set-cookie': '[Filtered]'" in log
    assert "slow down; you sent" in log  # the echoing body was logged, filtered
    assert log.index(" 429 in ") < log.index("retry 1 of 2") < log.index(" 200 in ")
    for form in secret_forms(KEY):
        assert form not in log, f"the key leaked as {form!r}"
        assert form not in result.stdout


def test_info_logs_one_line_per_request_without_bodies(call_body: bytes) -> None:
    with RawServer(LimitedThenOk(call_body)) as server:
        result = run_logged(server.base_url, "INFO")

    lines = [line for line in result.stderr.splitlines() if "thinnestai_calls_client" in line]
    assert len(lines) == 3, result.stderr  # the 429, the retry, the 200
    assert all(" INFO " in line for line in lines)
    assert "headers=" not in result.stderr and "slow down" not in result.stderr


def test_without_thinnestai_log_nothing_is_written(call_body: bytes) -> None:
    with RawServer(LimitedThenOk(call_body)) as server:
        result = run_logged(server.base_url, "")

    assert (result.returncode, result.stderr) == (0, "")


@pytest.fixture
def package_logger() -> Iterator[logging.Logger]:
    """The package's logger, restored after the test."""
    logger = logging.getLogger("thinnestai_calls_client")
    level, handlers = logger.level, list(logger.handlers)
    yield logger
    logger.setLevel(level)
    logger.handlers[:] = handlers


def test_a_bad_thinnestai_log_is_ignored_with_a_warning_naming_the_values(
    package_logger: logging.Logger,
) -> None:
    level = package_logger.level
    with pytest.warns(RuntimeWarning, match=r"THINNESTAI_LOG='bogus' is not one of debug, info"):
        assert runtime.configure_logging_from_env({"THINNESTAI_LOG": "bogus"}) is None

    assert package_logger.level == level
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert runtime.configure_logging_from_env({"THINNESTAI_LOG": " Debug "}) == logging.DEBUG
        assert runtime.configure_logging_from_env({}) is None


def test_a_program_that_configured_logging_gets_no_second_handler(
    package_logger: logging.Logger,
) -> None:
    package_logger.handlers.clear()
    root = logging.getLogger()
    assert root.handlers, "pytest's own capture handler is configured"

    runtime.configure_logging_from_env({"THINNESTAI_LOG": "info"})

    assert package_logger.handlers == [] and package_logger.level == logging.INFO


def test_the_info_line_names_method_path_status_elapsed_and_retries(
    caplog: pytest.LogCaptureFixture, call_body: bytes
) -> None:
    caplog.set_level(logging.INFO, logger="thinnestai_calls_client")

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=call_body, headers={"Content-Type": "application/json"})

    transport = httpx.MockTransport(answer)
    with AuthenticatedClient(
        base_url="https://api.thinnest.ai", token=KEY, httpx_args={"transport": transport}
    ) as client:
        get_call.sync(77, client=client)

    (record,) = caplog.records
    assert record.levelno == logging.INFO
    assert record.getMessage().startswith("GET /v2/calls/77 200 in ")
    assert record.getMessage().endswith(" ms (retries so far: 0)")
    assert KEY not in caplog.text


# Hooks


def answers(call_body: bytes) -> Script:
    return Script(
        httpx.Response(429, headers={"Retry-After": "3"}, json={"detail": "slow"}),
        httpx.ConnectError("refused"),
        httpx.Response(200, content=call_body),
    )


def test_hooks_see_each_request_answer_and_retry(waits: list[float], call_body: bytes) -> None:
    seen: list[tuple[str, Any]] = []
    client = AuthenticatedClient(
        base_url="https://api.thinnest.ai",
        token=KEY,
        httpx_args={"transport": httpx.MockTransport(answers(call_body))},
        on_request=[lambda request: seen.append(("request", request.url.path))],
        on_response=[lambda response: seen.append(("response", response.status_code))],
        on_retry=[lambda event: seen.append(("retry", event))],
    )
    with client:
        response = get_call.sync_detailed(77, client=client)

    assert isinstance(response.parsed, Call) and response.retries == 2
    kinds = [kind for kind, _ in seen]
    assert kinds == ["request", "response", "retry", "request", "retry", "request", "response"]
    first, second = (value for kind, value in seen if kind == "retry")
    assert isinstance(first, RetryEvent) and isinstance(second, RetryEvent)
    assert (first.attempt, first.wait, first.response and first.response.status_code) == (
        1,
        3.0,
        429,
    )
    assert first.error is None
    assert second.attempt == 2 and 0.75 <= second.wait <= 1.0
    assert isinstance(second.error, httpx.ConnectError) and second.response is None
    assert waits == [first.wait, second.wait]


def test_async_hooks_are_awaited(waits: list[float], call_body: bytes) -> None:
    seen: list[str] = []

    async def on_request(request: httpx.Request) -> None:
        await asyncio.sleep(0)
        seen.append("request")

    async def on_retry(event: RetryEvent) -> None:
        seen.append(f"retry {event.attempt} {event.wait}")

    script = answers(call_body)

    async def fetch() -> Any:
        async def answer(request: httpx.Request) -> httpx.Response:
            return script(request)

        async with AuthenticatedClient(
            base_url="https://api.thinnest.ai",
            token=KEY,
            httpx_args={"transport": httpx.MockTransport(answer)},
            on_request=[on_request],
            on_response=[lambda response: seen.append(f"response {response.status_code}")],
            on_retry=[on_retry],
        ) as client:
            return await get_call.asyncio(77, client=client)

    assert isinstance(asyncio.run(fetch()), Call)
    assert seen[:4] == ["request", "response 429", "retry 1 3.0", "request"]
    assert seen[-2:] == ["request", "response 200"]


def test_an_async_hook_on_a_sync_call_is_refused(call_body: bytes) -> None:
    async def on_request(request: httpx.Request) -> None:
        pass

    client = AuthenticatedClient(
        base_url="https://api.thinnest.ai",
        token=KEY,
        httpx_args={
            "transport": httpx.MockTransport(Script(httpx.Response(200, content=call_body)))
        },
        on_request=[on_request],
    )
    with client, pytest.raises(TypeError, match="is async: use it with the asyncio functions"):
        get_call.sync(77, client=client)


def test_hooks_are_shared_by_with_options_copies(call_body: bytes) -> None:
    paths: list[str] = []
    client = AuthenticatedClient(
        base_url="https://api.thinnest.ai",
        token=KEY,
        httpx_args={
            "transport": httpx.MockTransport(Script(httpx.Response(200, content=call_body)))
        },
        on_request=[lambda request: paths.append(request.url.path)],
    )
    with client:
        get_call.sync(77, client=client.with_options(timeout=3.0))

    assert paths == ["/v2/calls/77"]
