"""Response rewrites for the HTTP-level quirks: headers a real stack adds, compression,
chunked transfer, closed connections and slow answers. Each takes the finished response and
gives back the one to send; none changes what the body means.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import itertools
import uuid
from collections.abc import AsyncIterator, Callable

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

ResponseChange = Callable[[Request, Response], Response]
CHUNKS = 3  # a chunked body is sent in this many pieces
REQUEST_ID_NAMESPACE = uuid.UUID("6f1c0e9a-4b7d-4835-9a0b-5e2d7149ac3f")


def _with_body(response: Response, body: bytes) -> Response:
    response.body = body
    response.headers["content-length"] = str(len(body))
    return response


def _add_vary(response: Response, name: str) -> None:
    present = [part.strip().lower() for part in response.headers.get("vary", "").split(",")]
    if name.lower() not in present:
        vary = response.headers.get("vary")
        response.headers["Vary"] = f"{vary}, {name}" if vary else name


def utf8_charset(request: Request, response: Response) -> Response:
    """Most frameworks (Express, Spring, ASP.NET) name the charset of a JSON body."""
    if response.headers.get("content-type") == "application/json":
        response.headers["content-type"] = "application/json; charset=utf-8"
    return response


def request_ids() -> ResponseChange:
    """A counter-based request id, as a gateway or tracing middleware stamps on answers."""
    counter = itertools.count(1)

    def stamp(request: Request, response: Response) -> Response:
        response.headers["X-Request-Id"] = str(uuid.uuid5(REQUEST_ID_NAMESPACE, str(next(counter))))
        return response

    return stamp


def proxy_headers(request: Request, response: Response) -> Response:
    """What a load balancer, CDN and security middleware add in front of an API. Date and
    Server are not added: uvicorn already sends both, and a second Date would be invalid."""
    headers = response.headers
    headers["Via"] = "1.1 google"
    headers["Cache-Control"] = "no-store"
    headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    headers["X-Content-Type-Options"] = "nosniff"
    _add_vary(response, "Accept-Encoding")
    if response.status_code == 200:
        # Weak: the same entity may later be sent gzip-compressed (as nginx does).
        headers["ETag"] = f'W/"{hashlib.sha256(response.body).hexdigest()[:20]}"'
    return response


def bearer_challenge(request: Request, response: Response) -> Response:
    """RFC 6750 section 3: the challenge names a realm, and an error code when a token was sent
    (a request without credentials gets no error code)."""
    if response.status_code != 401:
        return response
    challenge = 'Bearer realm="thinnest.ai"'
    if request.headers.get("authorization") is not None:
        challenge += (
            ', error="invalid_token", error_description="The API key is missing, malformed, '
            'unknown or expired"'
        )
    response.headers["WWW-Authenticate"] = challenge
    return response


def _accepts_gzip(accept_encoding: str) -> bool:
    for part in accept_encoding.split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            quality = params.strip().removeprefix("q=").strip() or "1"
            try:
                return float(quality) > 0
            except ValueError:
                return False
    return False


def gzipped(request: Request, response: Response) -> Response:
    """Compression as nginx or Starlette's GZipMiddleware does it: only when the client's
    Accept-Encoding allows gzip (python-requests and httpx send `gzip, deflate`)."""
    _add_vary(response, "Accept-Encoding")
    if not _accepts_gzip(request.headers.get("accept-encoding", "")):
        return response
    if "content-encoding" in response.headers or isinstance(response, StreamingResponse):
        return response
    response.headers["Content-Encoding"] = "gzip"
    return _with_body(response, gzip.compress(response.body, mtime=0))


def chunked(request: Request, response: Response) -> Response:
    """A streaming framework (or a proxy that buffers nothing) sends the body in pieces, with
    `Transfer-Encoding: chunked` and no Content-Length."""
    if isinstance(response, StreamingResponse):
        return response
    body = bytes(response.body)
    size = max(1, -(-len(body) // CHUNKS))
    pieces = [body[start : start + size] for start in range(0, len(body), size)]

    async def stream() -> AsyncIterator[bytes]:
        for piece in pieces:
            yield piece

    streamed = StreamingResponse(stream(), status_code=response.status_code)
    streamed.raw_headers = [
        (name, value) for name, value in response.raw_headers if name != b"content-length"
    ]
    return streamed


def connection_close(request: Request, response: Response) -> Response:
    """A server (or proxy) that does not keep connections alive: uvicorn closes the connection
    after a response that says `Connection: close`."""
    response.headers["Connection"] = "close"
    return response


class Delayed(Response):
    """`inner`, sent after `seconds` (the event loop keeps serving others meanwhile)."""

    def __init__(self, inner: Response, seconds: float) -> None:
        # No super().__init__: this response has no body of its own, only the inner one's.
        self.inner, self.seconds = inner, seconds
        self.status_code = inner.status_code
        self.raw_headers = inner.raw_headers  # shared: later header changes reach `inner`
        self.background = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await asyncio.sleep(self.seconds)
        await self.inner(scope, receive, send)


def every_nth_slow(every: int, seconds: float) -> ResponseChange:
    """A server under load, a cold cache or a garbage-collection pause: now and then an answer
    takes a while, still well within any sane time-out."""
    counter = itertools.count(1)

    def slow(request: Request, response: Response) -> Response:
        if next(counter) % every:
            return response
        response.headers["Server-Timing"] = f"app;dur={seconds * 1000:.0f}"  # as servers say it
        return Delayed(response, seconds)

    return slow
