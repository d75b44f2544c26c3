"""What the endpoint functions share: retries, hooks, logging, and walking a listing page by page.

Retries: a GET is sent again, at most `client.max_retries` times (default 2; 0 turns retries
off), when the answer is

- 429: after the Retry-After seconds, at most RETRY_AFTER_CAP (30 s); after the back-off
  below when the 429 has no Retry-After that can be read;
- 502, 503 or 504, or no answer (a time-out, a connection error): after an exponential
  back-off, BACKOFF_FIRST * 2**n seconds (n = retries so far) at most BACKOFF_MAX, times a
  random factor between 0.75 and 1 (jitter), so that clients do not retry in step.

Nothing else is retried. The last answer is the result; when there is none, the client raises
errors.APITimeoutError or errors.APIConnectionError, httpx's last error as its __cause__.

Hooks: the client's `on_request` functions get each httpx.Request before it is sent,
`on_response` each httpx.Response, `on_retry` a client.RetryEvent before each retry waits. The
asyncio functions await a hook that returns an awaitable; the sync functions raise TypeError
for one.

Logging, to `logging.getLogger("thinnestai_calls_client")`: at INFO one line per exchange
(method, path, status or error, elapsed milliseconds, retries so far) and one per retry (its
number and wait); at DEBUG also the headers sent and received and the first DEBUG_BODY_CHARS
characters of each body. Authorization, cookies and other credential headers are written as
[Filtered], and so is the client's key wherever it appears. Set THINNESTAI_LOG=info or debug to
get these lines on stderr without configuring logging (configure_logging_from_env).
"""

import asyncio
import inspect
import logging
import os
import random
import sys
import time
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Generic, Protocol, TypeVar

import httpx

from ..client import AuthenticatedClient, Client, RetryEvent, as_timeout
from ..errors import (
    APIConnectionError,
    APITimeoutError,
    ListingChangedError,
    retry_after_seconds,
)
from ..types import UNSET, Unset

RETRY_AFTER_CAP = 30.0
BACKOFF_FIRST = 0.5
BACKOFF_MAX = 8.0
RETRIED_STATUSES = frozenset({429, 502, 503, 504})
# Time-outs; refused, reset or broken connections; a server that closed without answering.
RETRIED_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)

logger = logging.getLogger("thinnestai_calls_client")
LOG_ENV = "THINNESTAI_LOG"
LOG_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
DEBUG_BODY_CHARS = 1000
FILTERED = "[Filtered]"
# Header names (lower case) whose values are never logged.
SECRET_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-api-key",
        "api-key",
    }
)


def configure_logging_from_env(environ: Mapping[str, str] = os.environ) -> int | None:
    """Set up this package's logger from THINNESTAI_LOG (`info` or `debug`, any case).

    Sets the logger's level and, when logging has no handler anywhere (the program did not
    configure it), adds one that writes to stderr. Unset or empty: nothing is done. Another value
    is ignored with a warning (RuntimeWarning) naming the accepted ones; a bad setting never stops
    a program. Runs once when the package's api module is imported. Returns the level set, if any.
    """
    value = environ.get(LOG_ENV, "").strip()
    if not value:
        return None
    level = LOG_LEVELS.get(value.lower())
    if level is None:
        accepted = ", ".join(LOG_LEVELS)
        warnings.warn(
            f"{LOG_ENV}={value!r} is not one of {accepted}: ignored, logging is left as it is",
            RuntimeWarning,
            stacklevel=2,
        )
        return None
    logger.setLevel(level)
    if not logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s")
        )
        logger.addHandler(handler)
    return level


configure_logging_from_env()


class _Redactor:
    """Keeps the client's key (and credential headers) out of what is logged."""

    def __init__(self, client: AuthenticatedClient | Client) -> None:
        token = getattr(client, "token", "")
        self.secrets = [token] if isinstance(token, str) and len(token) >= 4 else []

    def text(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, FILTERED)
        return text

    def headers(self, headers: httpx.Headers) -> str:
        shown = {
            name: FILTERED if name.lower() in SECRET_HEADERS else self.text(value)
            for name, value in headers.items()
        }
        return repr(shown)

    def body(self, content: bytes) -> str:
        text = content[:DEBUG_BODY_CHARS].decode("utf-8", errors="replace")
        cut = f" ... ({len(content)} bytes)" if len(content) > DEBUG_BODY_CHARS else ""
        return repr(self.text(text)) + cut


def _target(request: httpx.Request, redact: _Redactor) -> str:
    return f"{request.method} {redact.text(request.url.raw_path.decode('ascii', errors='replace'))}"


def _log_request(request: httpx.Request, redact: _Redactor) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "request %s headers=%s",
            _target(request, redact),
            redact.headers(request.headers),
        )


def _log_response(
    request: httpx.Request,
    response: httpx.Response,
    started: float,
    retries: int,
    redact: _Redactor,
) -> None:
    elapsed = (time.perf_counter() - started) * 1000
    if logger.isEnabledFor(logging.INFO):
        logger.info(
            "%s %s in %.0f ms (retries so far: %d)",
            _target(request, redact),
            response.status_code,
            elapsed,
            retries,
        )
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "response %s %s headers=%s body=%s",
            _target(request, redact),
            response.status_code,
            redact.headers(response.headers),
            redact.body(response.content),
        )


def _log_error(
    request: httpx.Request,
    error: httpx.HTTPError,
    started: float,
    retries: int,
    redact: _Redactor,
) -> None:
    elapsed = (time.perf_counter() - started) * 1000
    if logger.isEnabledFor(logging.INFO):
        logger.info(
            "%s no answer (%s: %s) in %.0f ms (retries so far: %d)",
            _target(request, redact),
            type(error).__name__,
            redact.text(str(error)),
            elapsed,
            retries,
        )


def _log_retry(event: RetryEvent, allowed: int, redact: _Redactor) -> None:
    if logger.isEnabledFor(logging.INFO):
        why = (
            str(event.response.status_code)
            if event.response is not None
            else type(event.error).__name__
        )
        logger.info(
            "%s retry %d of %d after %s: waiting %.2f s",
            _target(event.request, redact),
            event.attempt,
            allowed,
            why,
            event.wait,
        )


def backoff(retries: int) -> float:
    """Seconds to wait before retry number `retries + 1` of a failure without Retry-After."""
    return min(BACKOFF_FIRST * 2.0**retries, BACKOFF_MAX) * random.uniform(0.75, 1.0)


class _Retries:
    """Counts one request's retries and says how long to wait before the next, if any."""

    def __init__(self, client: AuthenticatedClient | Client, method: str) -> None:
        self.allowed = client.max_retries if method.upper() == "GET" else 0
        self.made = 0

    def wait_after(self, response: httpx.Response) -> float | None:
        if self.made >= self.allowed or response.status_code not in RETRIED_STATUSES:
            return None
        asked = (
            retry_after_seconds(response.headers)
            if response.status_code == 429
            else None
        )
        return self._next(
            backoff(self.made) if asked is None else min(asked, RETRY_AFTER_CAP)
        )

    def wait_after_error(self, error: httpx.HTTPError) -> float | None:
        if self.made >= self.allowed:
            return None
        return self._next(backoff(self.made))

    def _next(self, seconds: float) -> float:
        self.made += 1
        return seconds


def _no_answer(
    error: httpx.HTTPError, request: httpx.Request, retries: int, redact: _Redactor
) -> APIConnectionError:
    """The client's error for httpx's `error` (raise it `from error`)."""
    kind = (
        APITimeoutError
        if isinstance(error, httpx.TimeoutException)
        else APIConnectionError
    )
    after = f" after {retries} retries" if retries else ""
    message = f"{_target(request, redact)}: no answer{after} ({type(error).__name__}: {redact.text(str(error))})"
    return kind(message, request=request, retries=retries)


def _build(
    http: httpx.Client | httpx.AsyncClient,
    client: AuthenticatedClient | Client,
    request: dict[str, Any],
    timeout: float | httpx.Timeout | None | Unset,
) -> httpx.Request:
    options = client.request_options()
    arguments = {**request, **options}
    if "headers" in request and "headers" in options:
        arguments["headers"] = {**request["headers"], **options["headers"]}
    if not isinstance(timeout, Unset):
        arguments["timeout"] = as_timeout(timeout)
    return http.build_request(**arguments)


def _call_hooks(hooks: Iterable[Any], argument: object) -> None:
    for hook in hooks:
        result = hook(argument)
        if inspect.isawaitable(result):
            if inspect.iscoroutine(result):
                result.close()
            raise TypeError(
                f"hook {hook!r} is async: use it with the asyncio functions, not sync ones"
            )


async def _await_hooks(hooks: Iterable[Any], argument: object) -> None:
    for hook in hooks:
        result = hook(argument)
        if inspect.isawaitable(result):
            await result


# Module attributes, so that a test can make the waits instant.
_sleep = time.sleep
_async_sleep = asyncio.sleep


def send(
    client: AuthenticatedClient | Client,
    request: dict[str, Any],
    timeout: float | httpx.Timeout | None | Unset = UNSET,
) -> tuple[httpx.Response, int]:
    """Send `request` (httpx.Client.build_request's arguments) with retries, hooks and logging:
    the last response, and the number of retries it took. `timeout` (seconds, an httpx.Timeout
    or None) replaces the client's for this call. No answer raises errors.APIConnectionError or
    errors.APITimeoutError once the retries are spent."""
    http = client.get_httpx_client()
    built = _build(http, client, request, timeout)
    retries = _Retries(client, built.method)
    redact = _Redactor(client)
    while True:
        _call_hooks(client.on_request, built)
        _log_request(built, redact)
        started = time.perf_counter()
        try:
            response = http.send(built)
        except httpx.HTTPError as error:
            _log_error(built, error, started, retries.made, redact)
            wait = (
                retries.wait_after_error(error)
                if isinstance(error, RETRIED_ERRORS)
                else None
            )
            if wait is None:
                raise _no_answer(error, built, retries.made, redact) from error
            event = RetryEvent(
                request=built, attempt=retries.made, wait=wait, error=error
            )
        else:
            _log_response(built, response, started, retries.made, redact)
            _call_hooks(client.on_response, response)
            wait = retries.wait_after(response)
            if wait is None:
                return response, retries.made
            event = RetryEvent(
                request=built, attempt=retries.made, wait=wait, response=response
            )
        _log_retry(event, retries.allowed, redact)
        _call_hooks(client.on_retry, event)
        _sleep(wait)


async def asend(
    client: AuthenticatedClient | Client,
    request: dict[str, Any],
    timeout: float | httpx.Timeout | None | Unset = UNSET,
) -> tuple[httpx.Response, int]:
    """`send` for the client's httpx.AsyncClient; hooks may be async functions."""
    http = client.get_async_httpx_client()
    built = _build(http, client, request, timeout)
    retries = _Retries(client, built.method)
    redact = _Redactor(client)
    while True:
        await _await_hooks(client.on_request, built)
        _log_request(built, redact)
        started = time.perf_counter()
        try:
            response = await http.send(built)
        except httpx.HTTPError as error:
            _log_error(built, error, started, retries.made, redact)
            wait = (
                retries.wait_after_error(error)
                if isinstance(error, RETRIED_ERRORS)
                else None
            )
            if wait is None:
                raise _no_answer(error, built, retries.made, redact) from error
            event = RetryEvent(
                request=built, attempt=retries.made, wait=wait, error=error
            )
        else:
            _log_response(built, response, started, retries.made, redact)
            await _await_hooks(client.on_response, response)
            wait = retries.wait_after(response)
            if wait is None:
                return response, retries.made
            event = RetryEvent(
                request=built, attempt=retries.made, wait=wait, response=response
            )
        _log_retry(event, retries.allowed, redact)
        await _await_hooks(client.on_retry, event)
        await _async_sleep(wait)


class Identified(Protocol):
    id: int


Item = TypeVar("Item", bound=Identified)

MAX_RECOVERIES = 10


class PageWalk(Generic[Item]):
    """Offset paging through a listing that changes while it is walked: each item once.

    A listing is newest first. A call that arrives between two requests shifts every later
    item down by one, so a plain walk (offsets 0, limit, 2 * limit, ...) would get the last
    item of the page before again; a call deleted from a page already walked shifts items up,
    so the walk would skip one unseen. Hence each page after the first starts on the last item
    of the page before, and must hold an item already taken: that proves it joins the pages
    before (new calls arrive only at the top, so no untaken item can sit between), and its
    untaken items are the new ones. Items already taken (those shifted down) are skipped by id.

    A page holding no item already taken does not join: if `total` grew, calls arrived and
    pushed the items down by as many, so the walk looks there; otherwise (calls were deleted)
    it starts again from the newest item, skipping what it has taken. After MAX_RECOVERIES
    such pages it raises ListingChangedError rather than chase a listing that never holds still
    (more calls arriving than a page holds, between every two requests).

    Usage: `while not walk.done:` fetch the page at `walk.offset` of `walk.limit` items, then
    `yield from walk.take(page.items, page.total)`.
    """

    def __init__(self, limit: int) -> None:
        if limit < 2:
            raise ValueError(
                f"limit must be at least 2 for pages to overlap (got {limit})"
            )
        self.limit = limit
        self.offset = 0
        self.done = False
        self.recoveries = 0
        self._last_at = (
            0  # the offset of the last item taken, and the total, at that page
        )
        self._total = 0
        self._taken: set[int] = set()

    def take(self, items: Sequence[Item], total: int) -> list[Item]:
        """The items of the page fetched at `offset` not taken before; moves `offset` on."""
        if self.offset and not any(item.id in self._taken for item in items):
            self._recover(total)
            return []
        fresh = [item for item in items if item.id not in self._taken]
        self._taken.update(item.id for item in fresh)
        if len(items) < self.limit:
            self.done = True
        else:
            self.offset += len(items) - 1
            self._last_at, self._total = self.offset, total
        return fresh

    def _recover(self, total: int) -> None:
        self.recoveries += 1
        if self.recoveries > MAX_RECOVERIES:
            raise ListingChangedError(
                f"the listing kept changing: {MAX_RECOVERIES} times a page did not join the one"
                " before"
            )
        pushed_to = self._last_at + total - self._total
        if total > self._total and pushed_to != self.offset:
            self.offset = pushed_to
        else:
            self.offset = 0


__all__ = [
    "BACKOFF_FIRST",
    "BACKOFF_MAX",
    "DEBUG_BODY_CHARS",
    "LOG_ENV",
    "MAX_RECOVERIES",
    "RETRIED_ERRORS",
    "RETRIED_STATUSES",
    "RETRY_AFTER_CAP",
    "PageWalk",
    "asend",
    "backoff",
    "configure_logging_from_env",
    "logger",
    "send",
]
