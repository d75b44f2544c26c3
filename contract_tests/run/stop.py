"""A clean stop on SIGINT (Ctrl-C) or SIGTERM (a CI job cancelled or timed out).

While a run goes, both signals are caught instead of killing the runner: the first one is
remembered and passed on to the suite as SIGINT (pytest then stops sending, finishes the
test it was in and saves what ran), so the runner can still write its reports and exit
with the shell's code for that signal (128 + its number: 130, 143). A later signal, or a
suite that has not stopped within the grace, ends the suite at once: it saves its results
every few seconds, so the reports still hold nearly all it saw.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from types import FrameType, TracebackType
from typing import Any, Self

from contract_tests.errors import stopped_by

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
SAME_STOP_SECONDS = 1.0


class StopSignals:
    """Context manager catching SIGINT and SIGTERM (main thread only: Python delivers signals
    there; elsewhere, e.g. runs started by the kit's tests in threads, it does nothing)."""

    def __init__(self) -> None:
        self.received: signal.Signals | None = None
        self._forward: Callable[[], None] | None = None
        self._insist: Callable[[], None] | None = None
        self._first_at = 0.0
        self._previous: dict[signal.Signals, Any] = {}

    @property
    def exit_code(self) -> int | None:
        return None if self.received is None else stopped_by(self.received)

    @property
    def name(self) -> str | None:
        return None if self.received is None else self.received.name

    def forward_to(self, forward: Callable[[], None], insist: Callable[[], None]) -> None:
        """Call `forward` on the first signal (at once if one came already), and `insist` on
        a later one: a CI runner that cancels a job sends SIGINT, then SIGTERM seconds later,
        then kills; the run must not wait out its grace then."""
        self._forward, self._insist = forward, insist
        if self.received is not None:
            forward()

    def _handle(self, number: int, frame: FrameType | None) -> None:
        now = time.monotonic()
        if self.received is not None:
            # The same Ctrl-C arrives twice within moments (the terminal's, and nox passing it
            # on): only a signal sent later is a second request to stop.
            if now - self._first_at > SAME_STOP_SECONDS and self._insist is not None:
                self._insist()
            return
        self.received, self._first_at = signal.Signals(number), now
        if self._forward is not None:
            self._forward()

    def __enter__(self) -> Self:
        if threading.current_thread() is threading.main_thread():
            for sig in STOP_SIGNALS:
                self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        for sig, previous in self._previous.items():
            signal.signal(sig, previous)
