"""Servers on 127.0.0.1 for the safety tests, and a way to run the contract command against them.

- `AsgiServer(app)`: any ASGI app (the reference server, or a recording or hostile one) in a
  background thread, like the embedded server.
- `RawServer(answer)`: a socket server that reads a request head and writes raw bytes back,
  for answers no framework would send (a truncated body, invalid UTF-8, 50 MB).
- `silent_port()`, `closed_port()`: a port that accepts and never answers, one that refuses.
- `run_contract(...)`: `python -m scripts.contract` in a subprocess, bounded in time.
"""

from __future__ import annotations

import os
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from contract_tests.reference_server.embedded import LoopbackServer

PROJECT_ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_SECONDS = 10.0
MAX_REQUEST_HEAD = 65_536  # a request head larger than this is not read further


# Any ASGI app (the reference server, or a recording or hostile one) on a free loopback port.
AsgiServer = LoopbackServer


@dataclass
class Recorder:
    """An ASGI middleware that notes every HTTP request it passes on: method, path, and when."""

    app: Any
    seen: list[tuple[str, str]] = field(default_factory=list)
    times: list[float] = field(default_factory=list)  # time.monotonic() on arrival

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.times.append(time.monotonic())
            self.seen.append((scope["method"], scope["path"]))
        await self.app(scope, receive, send)


def read_request_head(connection: socket.socket) -> bytes:
    """The bytes up to the blank line that ends a request head (bounded, no body expected)."""
    head = b""
    while b"\r\n\r\n" not in head and len(head) < MAX_REQUEST_HEAD:
        chunk = connection.recv(4096)
        if not chunk:
            break
        head += chunk
    return head


Answer = Callable[[bytes], bytes]  # request head -> the raw bytes to send before closing


class RawServer:
    """Answers every connection with `answer(request_head)` as raw bytes, then closes it."""

    def __init__(self, answer: Answer, read_timeout: float = 5.0) -> None:
        self.heads: list[bytes] = []
        heads = self.heads

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                connection: socket.socket = self.request
                connection.settimeout(read_timeout)
                try:
                    head = read_request_head(connection)
                    heads.append(head)
                    connection.sendall(answer(head))
                except OSError:
                    pass  # the client gave up first: fine, it is what some tests provoke

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port: int = self._server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> RawServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(START_TIMEOUT_SECONDS)


def http_answer(
    status: str, body: bytes, headers: dict[str, str] | None = None, length: int | None = None
) -> bytes:
    """A raw HTTP/1.1 answer; `length` overrides Content-Length (to lie about it)."""
    lines = [f"HTTP/1.1 {status}", f"Content-Length: {len(body) if length is None else length}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


@contextmanager
def silent_port() -> Iterator[int]:
    """A port whose connections are accepted by the kernel (backlog) and never answered."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # like every server the kit starts
    try:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        yield sock.getsockname()[1]
    finally:
        sock.close()


def closed_port() -> int:
    """A port nothing listens on (bound then closed: the kernel refuses connections to it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ContractRun:
    exit_code: int
    stdout: str
    stderr: str
    seconds: float
    report_dir: Path
    home: Path = field(default_factory=Path)

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def contract_command(base_url: str, report_dir: Path, options: tuple[str, ...]) -> list[str]:
    command = [sys.executable, "-m", "scripts.contract", "--base-url", base_url]
    return [*command, "--report-dir", str(report_dir), *options]


def contract_env(api_key: str, home: Path, tmp: Path) -> dict[str, str]:
    """The caller's environment without THINNESTAI_*/PYTEST_* settings, with the key given and
    HOME and TMPDIR in the test's folder (so every file the run writes can be found)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("THINNESTAI_", "PYTEST_", "HYPOTHESIS_"))
    }
    env.update(
        THINNESTAI_API_KEY=api_key,
        HOME=str(home),
        TMPDIR=str(tmp),
        PYTHONPATH=str(PROJECT_ROOT),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def run_contract(
    base_url: str,
    api_key: str,
    scratch: Path,
    *options: str,
    timeout: float = 60,
    stop_after: float | None = None,
) -> ContractRun:
    """`python -m scripts.contract --base-url URL` with HOME, TMPDIR and reports in `scratch`.

    `timeout` fails the test (subprocess.TimeoutExpired) when the run does not end in time;
    `stop_after` instead ends a run that is still going after that many seconds (SIGTERM to
    its process group: the runner and its pytest child), for tests that need only its start.
    """
    home, tmp, report_dir = scratch / "home", scratch / "tmp", scratch / "reports"
    for folder in (home, tmp, report_dir):
        folder.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with subprocess.Popen(
        contract_command(base_url, report_dir, options),
        cwd=PROJECT_ROOT,
        env=contract_env(api_key, home, tmp),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        start_new_session=True,  # its own process group, so that stopping it stops pytest too
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=stop_after or timeout)
        except subprocess.TimeoutExpired:
            stop_group(process)
            stdout, stderr = process.communicate(timeout=10)
            if stop_after is None:
                raise AssertionError(f"the run did not end within {timeout}s: {stdout}") from None
    return ContractRun(
        exit_code=process.returncode,
        stdout=stdout,
        stderr=stderr,
        seconds=time.monotonic() - started,
        report_dir=report_dir,
        home=home,
    )


def stop_group(process: subprocess.Popen[str]) -> None:
    """SIGTERM to the process group this test started, SIGKILL if it lingers."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
