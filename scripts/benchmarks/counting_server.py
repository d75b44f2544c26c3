"""The reference server behind an ASGI middleware that logs every request it answers.

The log is what makes the two tools comparable: requests per second, time to the first
request and "which request first carried the fault" are read from the server, not from
either tool's own account. With `shadow=True` every request is also answered by a clean
copy of the app, and a request whose answer differs is marked as changed by the fault.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contract_tests.reference_server import create_app
from contract_tests.reference_server.embedded import LoopbackServer

START_TIMEOUT_SECONDS = 10.0
STOP_TIMEOUT_SECONDS = 10.0
MAX_LOGGED_REQUESTS = 200_000  # bounded memory even if a tool runs away


@dataclass(frozen=True)
class SeenRequest:
    at: float  # time.perf_counter() when the request arrived
    method: str
    target: str  # path, plus "?query" when there is one
    status: int
    changed_by_fault: bool


@dataclass(frozen=True)
class Answer:
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes


async def _answer_of(app: ASGIApp, scope: Scope) -> Answer:
    """Run `app` on a bodiless request and collect what it sends."""
    status, body = 0, b""
    headers: tuple[tuple[bytes, bytes], ...] = ()

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status, headers, body
        if message["type"] == "http.response.start":
            status = message["status"]
            headers = tuple((bytes(k), bytes(v)) for k, v in message.get("headers", []))
        elif message["type"] == "http.response.body":
            body += message.get("body", b"")

    await app(scope, receive, send)
    return Answer(status, headers, body)


class CountingApp:
    """ASGI middleware: answers with `app`, logs each request, optionally diffs with `clean`."""

    def __init__(self, app: ASGIApp, clean: ASGIApp | None) -> None:
        self._app = app
        self._clean = clean
        self._lock = threading.Lock()
        self.log: list[SeenRequest] = []

    def reset(self) -> None:
        with self._lock:
            self.log = []

    def snapshot(self) -> list[SeenRequest]:
        with self._lock:
            return list(self.log)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        arrived = time.perf_counter()
        answer = await _answer_of(self._app, scope)
        changed = False
        if self._clean is not None:
            changed = await _answer_of(self._clean, scope) != answer
        query = scope.get("query_string", b"").decode("latin-1")
        target = scope["path"] + (f"?{query}" if query else "")
        with self._lock:
            if len(self.log) < MAX_LOGGED_REQUESTS:
                self.log.append(
                    SeenRequest(arrived, scope["method"], target, answer.status, changed)
                )
        await send(
            {"type": "http.response.start", "status": answer.status, "headers": answer.headers}
        )
        await send({"type": "http.response.body", "body": answer.body})


class CountingServer(LoopbackServer):
    """The reference server (with `faults`) on a free loopback port, counting what it serves.

    with CountingServer(faults=("cost-mismatch",), shadow=True) as server:
        ... server.base_url ... server.app.snapshot()
    """

    def __init__(self, faults: Sequence[str] = (), *, shadow: bool = False) -> None:
        clean = create_app() if shadow and faults else None
        self.app = CountingApp(create_app(faults=tuple(faults)), clean)
        super().__init__(self.app, name="bench counting server")
