"""Rate limiting: a fixed one-second window for `--rate-limit N/s`, and the quirk's pattern.

A throttle is called once per request and says which X-RateLimit-* headers to send and
whether to refuse the request (with the seconds to put in Retry-After).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Verdict:
    headers: dict[str, str] = field(default_factory=dict)
    retry_after: int | None = None  # set when the request is refused with 429


Throttle = Callable[[], Verdict]


def no_throttle() -> Verdict:
    return Verdict()


def parse_rate(text: str) -> int:
    """'20/s' or '20' as requests per second; ValueError when not a positive integer rate."""
    count, _, unit = text.strip().partition("/")
    if unit not in ("", "s", "sec", "second"):
        raise ValueError(f"rate limit {text!r}: only requests per second (N/s) are supported")
    if not count.strip().isdigit() or int(count) < 1:
        raise ValueError(
            f"rate limit {text!r}: expected a positive whole number per second, e.g. 20/s"
        )
    return int(count)


class FixedWindow:
    """At most `limit` requests per wall-clock second, for the whole server."""

    def __init__(self, limit: int, clock: Callable[[], float] = time.time) -> None:
        self.limit = limit
        self._clock = clock
        self._lock = threading.Lock()
        self._window = -1
        self._used = 0

    def __call__(self) -> Verdict:
        now = self._clock()
        window = math.floor(now)
        with self._lock:
            if window != self._window:
                self._window, self._used = window, 0
            self._used += 1
            used = self._used
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(self.limit - used, 0)),
            "X-RateLimit-Reset": str(window + 1),
        }
        return Verdict(headers, retry_after=1 if used > self.limit else None)


class EveryNth:
    """Refuses every `n`th request (the `rate-limited` quirk): a client must back off and retry."""

    def __init__(self, n: int = 3, clock: Callable[[], float] = time.time) -> None:
        self.n = n
        self._clock = clock
        self._lock = threading.Lock()
        self._count = 0

    def __call__(self) -> Verdict:
        with self._lock:
            self._count += 1
            count = self._count
        remaining = (self.n - count % self.n) % self.n
        headers = {
            "X-RateLimit-Limit": str(self.n - 1),
            "X-RateLimit-Remaining": str(max(remaining - 1, 0)),
            "X-RateLimit-Reset": str(math.floor(self._clock()) + 1),
        }
        return Verdict(headers, retry_after=1 if count % self.n == 0 else None)
