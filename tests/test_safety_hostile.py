"""Hostile or broken servers: a clear one-line reason and the right exit code, never a hang
or a traceback.

Exit codes (contract.md's promise, design.md's principle):
- 2, the run could not be made: nothing answers (refused, DNS, TLS, silence), or the answer
  cannot be read as HTTP at all (a body cut short). The target resolver says why on stderr.
- 1, the server answered and violates the contract: a body that is not JSON or not UTF-8, a
  redirect (no documented status is a 3xx), a page padded to 50 MB where a call is expected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from safety_servers import (
    AsgiServer,
    RawServer,
    closed_port,
    http_answer,
    run_contract,
    silent_port,
)

from contract_tests.reference_server import DEMO, create_app

pytestmark = pytest.mark.timeout(90)

KEY = DEMO.api_key
JSON = {"Content-Type": "application/json"}
EMPTY_PAGE = b'{"calls": [], "total": 0}'
BIG_BODY_BYTES = 50_000_000
RUN_TIMEOUT = 45.0  # seconds: far above any case here; a run that needs it is hanging
# Local servers: no need for the 10/s a --base-url run is capped at by default (a whole run
# against a server that answers every request wrongly took 20 s at that pace).
UNCAPPED = ("--rate-limit", "1000/s")


def is_list_calls(head: bytes) -> bool:
    return head.startswith((b"GET /v2/calls?", b"GET /v2/calls "))


def cut_short(head: bytes) -> bytes:
    """Promises 1000 bytes, sends a few, closes."""
    return http_answer("200 OK", b'{"calls": [', JSON, length=1000)


class CutGetCallShort:
    """The reference server, but every getCall body stops after a few bytes of the promised
    Content-Length (listCalls and the preflight are correct): the run starts, then breaks."""

    def __init__(self) -> None:
        self.app = create_app()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v2/calls/"):
            await self.app(scope, receive, send)
            return

        async def cut(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": message.get("body", b"")[:10], "more_body": False}
            await send(message)

        await self.app(scope, receive, cut)


@contextmanager
def cut_after_listing() -> Iterator[str]:
    with AsgiServer(CutGetCallShort()) as server:
        yield server.base_url


def html(head: bytes) -> bytes:
    return http_answer(
        "200 OK", b"<html><body>maintenance</body></html>", {"Content-Type": "text/html"}
    )


def invalid_utf8(head: bytes) -> bytes:
    return http_answer("200 OK", b'{"calls": [], "total": "\xff\xfe\xfd"}', JSON)


def fifty_megabytes(head: bytes) -> bytes:
    # Padded with whitespace: valid JSON, so the run reads and parses all of it every time.
    return http_answer("200 OK", EMPTY_PAGE + b" " * BIG_BODY_BYTES, JSON)


@dataclass(frozen=True)
class Case:
    serve: Callable[[], AbstractContextManager[str]]  # yields the base URL
    options: tuple[str, ...]
    exit_code: int
    says: str  # part of the one line (stderr) or summary (stdout) that explains the result


@contextmanager
def raw(answer: Callable[[bytes], bytes], scheme: str = "http") -> Iterator[str]:
    with RawServer(answer, read_timeout=0.5) as server:
        yield f"{scheme}://127.0.0.1:{server.port}"


@contextmanager
def nothing_listening() -> Iterator[str]:
    yield f"http://127.0.0.1:{closed_port()}"


@contextmanager
def unresolvable() -> Iterator[str]:
    yield "http://calls.thinnestai.invalid"  # .invalid never resolves (RFC 2606)


@contextmanager
def never_answers() -> Iterator[str]:
    with silent_port() as port:
        yield f"http://127.0.0.1:{port}"


CASES = {
    "connection refused": Case(nothing_listening, (), 2, "Connection refused"),
    "DNS failure": Case(unresolvable, (), 2, "cannot resolve host"),
    "TLS to a plain HTTP port": Case(lambda: raw(html, "https"), (), 2, "TLS handshake"),
    "accepts, never answers": Case(
        never_answers, ("--timeout", "1"), 2, "did not answer within 1s"
    ),
    "closes mid-body": Case(lambda: raw(cut_short), (), 2, "without sending complete message body"),
    "closes mid-body after listing": Case(cut_after_listing, (), 2, "ChunkedEncodingError"),
    "not JSON": Case(lambda: raw(html), (), 1, "Undocumented Content-Type"),
    "invalid UTF-8": Case(lambda: raw(invalid_utf8), (), 1, "codec can't decode"),
    # Every answer is 50 MB: the run would go on to its budget (gigabytes); one failure is enough.
    "50 MB body": Case(
        lambda: raw(fifty_megabytes), ("--max-failures", "1"), 1, "response_schema_conformance"
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_broken_server_gives_a_clear_result(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    with case.serve() as base_url:
        run = run_contract(
            base_url,
            KEY,
            tmp_path,
            "--max-examples",
            "1",
            *UNCAPPED,
            *case.options,
            timeout=RUN_TIMEOUT,
        )
    assert "Traceback" not in run.output, run.output
    assert run.exit_code == case.exit_code, run.output
    assert case.says in run.output, run.output
    if case.exit_code == 2 and not run.stdout:  # stopped before the suite: one line
        assert run.stderr.count("\n") == 1 and run.stderr.startswith("contract: "), run.stderr


def redirect_to(location: str) -> Callable[[bytes], bytes]:
    def answer(head: bytes) -> bytes:
        path = head.split(b" ", 2)[1].decode("latin-1")
        return http_answer("302 Found", b"", {"Location": f"{location}{path}"})

    return answer


def test_a_redirect_to_another_host_is_not_followed_so_the_key_stays(tmp_path: Path) -> None:
    """The other host must receive nothing at all: not the key, not even a request."""
    with (
        RawServer(lambda head: http_answer("200 OK", EMPTY_PAGE, JSON)) as other,
        RawServer(redirect_to(other.base_url)) as redirecting,
    ):
        run = run_contract(
            redirecting.base_url,
            KEY,
            tmp_path,
            "--max-examples",
            "1",
            *UNCAPPED,
            timeout=RUN_TIMEOUT,
        )
    assert other.heads == []
    assert "Traceback" not in run.output
    assert run.exit_code == 1, run.output
    assert "status_code_conformance" in run.stdout
    assert "a redirect, not followed" in run.stdout
    assert len(redirecting.heads) > 1  # the suite did run against it
