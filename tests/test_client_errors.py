"""Every way a call can fail is an errors.ThinnestAIError, each with its own class (issue 24).

Against real sockets on 127.0.0.1: a refused connection, a server that never answers, TLS
spoken to a plain HTTP server, bytes that are not HTTP, a server that closes without answering
or cuts its body short, a body that cannot be decoded, a success body that is not the documented
JSON, odd statuses, and a listing that never holds still. Retry waits are recorded, not slept.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import re
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import httpx
import pytest
from safety_servers import RawServer, closed_port, http_answer, silent_port
from thinnestai_calls_client import AuthenticatedClient, errors
from thinnestai_calls_client.api.calls import get_call, list_calls

TOKEN = "tai_errors_test_key_0123456789"
Spec = dict[str, Any]
pytestmark = pytest.mark.usefixtures("waits")  # retry waits are recorded, not slept


def json_answer(status: str, body: object, **headers: str) -> bytes:
    content = json.dumps(body).encode()
    return http_answer(status, content, {"Content-Type": "application/json", **headers})


SCENARIO = re.compile(rb"^x-scenario: *([\w-]+)", re.IGNORECASE | re.MULTILINE)
ANSWERS: dict[str, bytes] = {}


def raw(answer: bytes) -> str:
    """A scenario of the scripted server: it answers `answer` to a request naming it."""
    name = f"answer-{len(ANSWERS)}"
    ANSWERS[name] = answer
    return name


@pytest.fixture(scope="module")
def scripted() -> Iterator[str]:
    """One server for every scripted answer: the request's X-Scenario header picks it."""

    def answer(head: bytes) -> bytes:
        match = SCENARIO.search(head)
        return ANSWERS[match.group(1).decode()] if match else b""

    with RawServer(answer) as server:
        yield server.base_url


@contextmanager
def refusing() -> Iterator[str]:
    yield f"http://127.0.0.1:{closed_port()}"


@contextmanager
def silent() -> Iterator[str]:
    with silent_port() as port:
        yield f"http://127.0.0.1:{port}"


@contextmanager
def tls_to_plain_http() -> Iterator[str]:
    """A plain HTTP server that answers as soon as a client connects (before its TLS hello)."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            with connection:
                connection.sendall(http_answer("200 OK", b"{}"))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(2)
        listener.close()


ERROR_BODY = {"detail": "no", "status": 0}
# name, server, client options, the class raised, httpx's error chained (or None)
Server = Callable[[], AbstractContextManager[str]] | str  # a server, or a scripted answer
FAILURES: list[tuple[str, Server, dict[str, Any], type, Any]] = [
    ("refused", refusing, {}, errors.APIConnectionError, httpx.ConnectError),
    ("silent", silent, {"timeout": httpx.Timeout(0.2)}, errors.APITimeoutError, httpx.ReadTimeout),
    (
        "tls-to-plain-http",
        tls_to_plain_http,
        {"max_retries": 0},
        errors.APIConnectionError,
        httpx.ConnectError,
    ),
    (
        "not-http",
        raw(b"SSH-2.0-OpenSSH_9.6\r\n\r\n"),
        {},
        errors.APIConnectionError,
        httpx.RemoteProtocolError,
    ),
    ("closed-silently", raw(b""), {}, errors.APIConnectionError, httpx.RemoteProtocolError),
    (
        "body-cut-short",
        raw(http_answer("200 OK", b'{"id": 7', length=5000)),
        {},
        errors.APIConnectionError,
        httpx.RemoteProtocolError,
    ),
    (
        "undecodable-gzip",
        raw(http_answer("200 OK", b"not gzip at all", {"Content-Encoding": "gzip"})),
        {},
        errors.APIConnectionError,
        httpx.DecodingError,
    ),
    (
        "html-200",
        raw(http_answer("200 OK", b"<html>maintenance</html>", {"Content-Type": "text/html"})),
        {},
        errors.APIResponseValidationError,
        None,
    ),
    (
        "json-of-another-shape-200",
        raw(json_answer("200 OK", ["not", "a", "call"])),
        {},
        errors.APIResponseValidationError,
        None,
    ),
    (
        "401",
        raw(json_answer("401 Unauthorized", ERROR_BODY, **{"WWW-Authenticate": "Bearer"})),
        {"raise_on_error_status": True},
        errors.AuthenticationError,
        None,
    ),
    (
        "403",
        raw(json_answer("403 Forbidden", ERROR_BODY)),
        {"raise_on_error_status": True},
        errors.PermissionDeniedError,
        None,
    ),
    (
        "404",
        raw(json_answer("404 Not Found", ERROR_BODY)),
        {"raise_on_error_status": True},
        errors.NotFoundError,
        None,
    ),
    (
        "422",
        raw(
            json_answer(
                "422 Unprocessable Entity", {"detail": [{"loc": ["path"], "msg": "m", "type": "t"}]}
            )
        ),
        {"raise_on_error_status": True},
        errors.UnprocessableEntityError,
        None,
    ),
    (
        "429-after-retries",
        raw(json_answer("429 Too Many Requests", ERROR_BODY, **{"Retry-After": "1"})),
        {"raise_on_error_status": True},
        errors.RateLimitError,
        None,
    ),
    (
        "520-html",
        raw(http_answer("520 Origin Error", b"<html>520</html>")),
        {"raise_on_error_status": True},
        errors.APIStatusError,
        None,
    ),
    (
        "500",
        raw(json_answer("500 Internal Server Error", ERROR_BODY)),
        {"raise_on_error_status": True},
        errors.APIStatusError,
        None,
    ),
    (
        "204-undocumented",
        raw(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"),
        {"raise_on_unexpected_status": True},
        errors.UnexpectedStatus,
        None,
    ),
    (
        "302-undocumented",
        raw(http_answer("302 Found", b"", {"Location": "https://elsewhere.invalid/"})),
        {"raise_on_unexpected_status": True},
        errors.UnexpectedStatus,
        None,
    ),
]


def fail_with(base_url: str, scenario: str = "", **options: Any) -> errors.ThinnestAIError:
    """get_call.sync(77) against `base_url`: the ThinnestAIError it raised (a failure if none)."""
    with AuthenticatedClient(base_url=base_url, token=TOKEN, **options) as client:
        try:
            get_call.sync(77, client=client.with_options(headers={"X-Scenario": scenario}))
        except errors.ThinnestAIError as error:
            return error
    raise AssertionError("the call did not fail")


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    ("server", "options", "expected", "cause"),
    [failure[1:] for failure in FAILURES],
    ids=[failure[0] for failure in FAILURES],
)
def test_every_failure_is_caught_as_thinnestai_error_with_its_own_class(
    scripted: str,
    server: Server,
    options: dict[str, Any],
    expected: type[errors.ThinnestAIError],
    cause: type[BaseException] | None,
) -> None:
    if isinstance(server, str):
        error = fail_with(scripted, server, **options)
    else:
        with server() as base_url:
            error = fail_with(base_url, **options)

    assert type(error) is expected, repr(error)
    assert isinstance(error, errors.APIError)
    assert error.request is not None and error.request.url.path == "/v2/calls/77"
    assert TOKEN not in str(error)
    if cause is not None:
        assert isinstance(error.__cause__, cause), repr(error.__cause__)


def test_the_failure_table_covers_every_class_of_the_tree() -> None:
    raised = {failure[3] for failure in FAILURES}
    tree = {
        value
        for value in vars(errors).values()
        if isinstance(value, type) and issubclass(value, errors.ThinnestAIError)
    }
    # The bases are not raised themselves; ListingChangedError has its own test below.
    assert tree - raised == {errors.ThinnestAIError, errors.APIError, errors.ListingChangedError}


def test_no_answer_is_raised_after_the_retries_with_their_count(waits: list[float]) -> None:
    with refusing() as base_url:
        error = fail_with(base_url, max_retries=2)

    assert type(error) is errors.APIConnectionError
    assert error.retries == 2 and len(waits) == 2
    assert "after 2 retries" in str(error)


NOT_FOUND = raw(json_answer("404 Not Found", {"detail": "Call not found"}))


def test_a_status_error_keeps_the_answer(scripted: str) -> None:
    error = fail_with(scripted, NOT_FOUND, raise_on_error_status=True)

    assert isinstance(error, errors.NotFoundError)
    assert (error.status_code, error.parsed and error.parsed.detail) == (404, "Call not found")


@pytest.mark.timeout(20)
def test_async_calls_raise_the_same_classes() -> None:
    async def fail(base_url: str, **options: Any) -> type:
        async with AuthenticatedClient(base_url=base_url, token=TOKEN, **options) as client:
            try:
                await get_call.asyncio(77, client=client)
            except errors.ThinnestAIError as error:
                return type(error)
        raise AssertionError("the call did not fail")

    async def all_three(refused: str, quiet: str, tls: str) -> list[type]:
        failing = asyncio.gather(
            fail(refused),
            fail(quiet, timeout=httpx.Timeout(0.2), max_retries=0),
            fail(tls),
        )
        return list(await asyncio.wait_for(failing, timeout=15))

    with refusing() as refused, silent() as quiet, tls_to_plain_http() as tls:
        classes = asyncio.run(all_three(refused, quiet, tls))

    assert classes == [errors.APIConnectionError, errors.APITimeoutError, errors.APIConnectionError]


def test_a_listing_that_never_holds_still_is_a_thinnestai_error(spec: Spec) -> None:
    media = spec["paths"]["/v2/calls"]["get"]["responses"]["200"]["content"]["application/json"]
    summary = copy.deepcopy(media["examples"]["page"]["value"]["calls"][1])
    fresh = itertools.count(10_000, -1)

    def new_calls_every_time(head: bytes) -> bytes:
        calls = [{**summary, "id": next(fresh)} for _ in range(5)]
        return json_answer("200 OK", {"calls": calls, "total": 1000})

    with (
        RawServer(new_calls_every_time) as server,
        AuthenticatedClient(base_url=server.base_url, token=TOKEN) as client,
        pytest.raises(errors.ThinnestAIError) as raised,
    ):
        list(list_calls.sync_all(client=client, limit=5))

    assert type(raised.value) is errors.ListingChangedError
    assert isinstance(raised.value, RuntimeError)  # what it was before the tree


def test_wrong_arguments_are_not_call_failures() -> None:
    with pytest.raises(ValueError, match="max_retries") as raised:
        AuthenticatedClient(base_url="http://127.0.0.1:9", token=TOKEN, max_retries=-1)
    assert not isinstance(raised.value, errors.ThinnestAIError)
