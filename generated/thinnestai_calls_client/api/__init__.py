"""What the endpoint functions share: retries, and walking a listing page by page.

Retries: a GET is sent again, at most `client.max_retries` times (default 2; 0 turns retries
off), when the answer is

- 429: after the Retry-After seconds, at most RETRY_AFTER_CAP (30 s); after the back-off
  below when the 429 has no Retry-After that can be read;
- 502, 503 or 504, or no answer (a time-out, a connection error): after an exponential
  back-off, BACKOFF_FIRST * 2**n seconds (n = retries so far) at most BACKOFF_MAX, times a
  random factor between 0.75 and 1 (jitter), so that clients do not retry in step.

Nothing else is retried. The last answer is the result; when there is none, the last httpx
error is raised, with a note saying how many retries were made.
"""

import asyncio
import random
import time
from collections.abc import Sequence
from typing import Any, Generic, Protocol, TypeVar

import httpx

from ..client import AuthenticatedClient, Client
from ..errors import ListingChangedError, retry_after_seconds

RETRY_AFTER_CAP = 30.0
BACKOFF_FIRST = 0.5
BACKOFF_MAX = 8.0
RETRIED_STATUSES = frozenset({429, 502, 503, 504})
# Time-outs; refused, reset or broken connections; a server that closed without answering.
RETRIED_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


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
            if self.made:
                error.add_note(f"(after {self.made} retries)")
            return None
        return self._next(backoff(self.made))

    def _next(self, seconds: float) -> float:
        self.made += 1
        return seconds


# Module attributes, so that a test can make the waits instant.
_sleep = time.sleep
_async_sleep = asyncio.sleep


def send(
    client: AuthenticatedClient | Client, request: dict[str, Any]
) -> tuple[httpx.Response, int]:
    """Send `request` (httpx.Client.request's arguments) with retries: the last response,
    and the number of retries it took."""
    retries = _Retries(client, request["method"])
    while True:
        try:
            response = client.get_httpx_client().request(**request)
        except RETRIED_ERRORS as error:
            wait = retries.wait_after_error(error)
            if wait is None:
                raise
        else:
            wait = retries.wait_after(response)
            if wait is None:
                return response, retries.made
        _sleep(wait)


async def asend(
    client: AuthenticatedClient | Client, request: dict[str, Any]
) -> tuple[httpx.Response, int]:
    """`send` for the client's httpx.AsyncClient."""
    retries = _Retries(client, request["method"])
    while True:
        try:
            response = await client.get_async_httpx_client().request(**request)
        except RETRIED_ERRORS as error:
            wait = retries.wait_after_error(error)
            if wait is None:
                raise
        else:
            wait = retries.wait_after(response)
            if wait is None:
                return response, retries.made
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
    "MAX_RECOVERIES",
    "RETRIED_ERRORS",
    "RETRIED_STATUSES",
    "RETRY_AFTER_CAP",
    "PageWalk",
    "asend",
    "backoff",
    "send",
]
