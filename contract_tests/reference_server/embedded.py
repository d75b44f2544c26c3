"""Run the reference server on 127.0.0.1 in a background thread, for tests and the suite.

with EmbeddedServer(faults=["cost-mismatch"]) as server:
    httpx.get(f"{server.base_url}/v2/calls/77", headers=...)
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Sequence
from types import TracebackType
from typing import Any, Self

import uvicorn

from contract_tests.reference_server.app import create_app
from contract_tests.reference_server.data import Dataset

START_TIMEOUT_SECONDS = 10.0
STOP_TIMEOUT_SECONDS = 10.0


def bind_loopback(port: int = 0) -> socket.socket:
    """A listening socket on 127.0.0.1 (port 0: any free port). OSError when the port is busy."""
    # proto=IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY on accepted connections only when the
    # listening socket says TCP; without it small responses stall ~40 ms (Nagle + delayed ACK).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    # A port freed seconds ago still has connections in TIME_WAIT; without SO_REUSEADDR
    # binding it again fails with "Address already in use" for up to a minute.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def make_server(
    quirks: Sequence[str],
    rate_limit: int | str | None,
    access_log: bool,
    faults: Sequence[str] = (),
) -> uvicorn.Server:
    app = create_app(faults=tuple(faults), quirks=tuple(quirks), rate_limit=rate_limit)
    config = uvicorn.Config(
        app,
        log_level="info" if access_log else "warning",
        access_log=access_log,
        lifespan="off",
        timeout_graceful_shutdown=2,
    )
    return uvicorn.Server(config)


class LoopbackServer:
    """Any ASGI app served by uvicorn on 127.0.0.1 in a background thread: a context manager
    that binds a free port (or `port`), waits until it serves, and stops cleanly."""

    def __init__(self, app: Any, *, port: int = 0, name: str = "loopback-server") -> None:
        config = uvicorn.Config(
            app, log_level="warning", access_log=False, lifespan="off", timeout_graceful_shutdown=2
        )
        self._server = uvicorn.Server(config)
        self._port = port
        self._name = name
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self.base_url = ""

    def __enter__(self) -> Self:
        self._socket = bind_loopback(self._port)
        host, port = self._socket.getsockname()[:2]
        self.base_url = f"http://{host}:{port}"
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket]},
            name=f"{self._name}-{port}",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.__exit__(None, None, None)
                raise RuntimeError(f"the {self._name} did not start on {self.base_url}")
            time.sleep(0.01)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(STOP_TIMEOUT_SECONDS)
            self._thread = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None


class EmbeddedServer(LoopbackServer):
    """The reference server, with any faults and quirks, on loopback.

    Unknown fault or quirk names raise `UnknownNameError` (a ValueError) before anything
    starts; `port` picks a fixed port (OSError when busy); `dataset` serves other data than
    the demo's (`data.new_tenant()`: the primary account without calls)."""

    def __init__(
        self,
        quirks: Sequence[str] = (),
        rate_limit: int | str | None = None,
        port: int = 0,
        faults: Sequence[str] = (),
        dataset: Dataset | None = None,
    ) -> None:
        app = create_app(
            faults=tuple(faults), quirks=tuple(quirks), rate_limit=rate_limit, dataset=dataset
        )
        super().__init__(app, port=port, name="reference server")
