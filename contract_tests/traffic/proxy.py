"""A reverse proxy on 127.0.0.1 that judges every exchange passing through it.

    client --> proxy --> upstream (staging)      request forwarded unchanged, streamed, any
           <--       <--                         method; the response streamed back as the
                 |                               upstream sent it (status, headers, raw bytes)
                 +--> queue --> judge thread --> TrafficJudge (the recording judge's checks,
                                                 listing and tenancy state kept across requests)

The judgement happens off the request path, in one thread, after the response is sent, so
the proxy adds little latency and never changes an answer. The `Authorization` header is
passed through and never logged; the judge filters it (and every credential-looking value)
from all it keeps. Bodies larger than MAX_JUDGED_BODY are passed through but not judged.
"""

from __future__ import annotations

import queue
import threading
import time
import zlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx

from contract_tests.checks.exchange import Exchange, request_from_url
from contract_tests.traffic.judge import TrafficJudge

# Hop-by-hop headers (RFC 9110 7.6.1): each connection's own, never forwarded.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
    }
)
MAX_JUDGED_BODY = 8 * 1024 * 1024  # bytes of a response kept for the judge
QUEUE_SIZE = 1_000  # exchanges waiting for the judge; past it they pass unjudged (counted)

Message = dict[str, Any]


class JudgeThread:
    """The one thread that judges: exchanges are queued by the proxy, judged in order."""

    def __init__(self, judge: TrafficJudge) -> None:
        self.judge = judge
        self.unjudged = 0  # exchanges that passed while the queue was full
        self._queue: queue.Queue[tuple[Exchange, str] | None] = queue.Queue(QUEUE_SIZE)
        self._thread = threading.Thread(target=self._run, name="proxy-judge", daemon=True)
        self._thread.start()

    def submit(self, exchange: Exchange, started: str) -> None:
        try:
            self._queue.put_nowait((exchange, started))
        except queue.Full:
            self.unjudged += 1

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            self.judge.take(*item)

    def close(self) -> None:
        """Judge what is queued, then the pages still waiting for records."""
        self._queue.put(None)
        self._thread.join()
        self.judge.finish()


def _decoded(body: bytes, encoding: str) -> bytes:
    """The body as the API wrote it, for the judge (the client gets the raw bytes)."""
    encoding = encoding.strip().lower()
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompress(body, 16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompress(body)
    return body


class JudgingProxy:
    """The ASGI app: forwards to `upstream`, hands each exchange to `judged`."""

    def __init__(self, upstream: str, judged: JudgeThread, timeout: float = 30.0) -> None:
        self.upstream = upstream.rstrip("/")
        self.judged = judged
        self.timeout = timeout
        self._client: httpx.AsyncClient | None = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:  # made in the server's event loop, on the first request
            self._client = httpx.AsyncClient(
                timeout=self.timeout,
                follow_redirects=False,
                limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
            )
            # httpx adds Accept, Accept-Encoding, User-Agent of its own: the request is the
            # client's, unchanged (an Accept-Encoding it did not send would change the answer).
            for name in list(self._client.headers):
                del self._client.headers[name]
        return self._client

    async def __call__(self, scope: Message, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        started = datetime.now(UTC).isoformat()
        clock = time.perf_counter()
        target = self.upstream + scope["raw_path"].decode("latin-1")
        if scope.get("query_string"):
            target += "?" + scope["query_string"].decode("latin-1")
        headers = [
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, value in scope["headers"]
            if name.decode("latin-1").lower() not in HOP_BY_HOP
        ]
        has_body = any(
            name.lower() in (b"content-length", b"transfer-encoding")
            for name, _ in scope["headers"]
        )
        request = self._http().build_request(
            scope["method"],
            target,
            headers=headers,
            content=_request_body(receive) if has_body else None,
        )
        try:
            response = await self._http().send(request, stream=True)
        except httpx.HTTPError as error:
            await _bad_gateway(send, f"the upstream did not answer: {type(error).__name__}")
            return
        kept = bytearray()
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": response.status_code,
                    "headers": [
                        (name, value)
                        for name, value in response.headers.raw
                        if name.decode("latin-1").lower() not in HOP_BY_HOP
                    ],
                }
            )
            async for chunk in response.aiter_raw():
                if len(kept) <= MAX_JUDGED_BODY:
                    kept += chunk
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            await response.aclose()
        if len(kept) > MAX_JUDGED_BODY:
            return
        try:
            body = _decoded(bytes(kept), response.headers.get("content-encoding", ""))
        except zlib.error:
            body = bytes(kept)
        exchange = Exchange(
            request=request_from_url(scope["method"], target, tuple(headers)),
            status=response.status_code,
            response_headers=tuple(response.headers.multi_items()),
            body=body,
            url=target,
            elapsed=time.perf_counter() - clock,
        )
        self.judged.submit(exchange, started)


async def _request_body(receive: Any) -> AsyncIterator[bytes]:
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return
        yield message.get("body", b"")
        if not message.get("more_body", False):
            return


async def _bad_gateway(send: Any, why: str) -> None:
    body = ('{"title": "Bad Gateway", "detail": "' + why + '"}').encode()
    await send(
        {
            "type": "http.response.start",
            "status": 502,
            "headers": [(b"content-type", b"application/json"), (b"x-judging-proxy", b"1")],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})
