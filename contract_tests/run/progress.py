"""Progress while a run goes: the suite's processes report, the runner shows.

(Each process also saves its whole results every few seconds, so a run whose suite had to be
killed at a stop still reports what it saw.)

Each pytest process writes a small snapshot of its results (requests, failures, what it is
sending now) to the parts folder twice a second, from a daemon thread; the runner reads them
and shows one line: live and rewritten on a terminal, a plain line every few seconds in a
CI log, so a run is never silent for long. The same thread ends its process cleanly (as
Ctrl-C would) when the runner that started it has gone, so no process is left behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from contract_tests.run.results import RunResults

SNAPSHOT_INTERVAL = 0.5  # seconds between a process's snapshots
RESULTS_INTERVAL = 2.0  # seconds between saves of its whole results (what a kill leaves)
PLAIN_LINE_INTERVAL = 4.0  # seconds between plain lines when the output is not a terminal
SNAPSHOT_GLOB = "progress-*.json"


@dataclass(frozen=True)
class Snapshot:
    requests: int = 0
    failures: int = 0  # failing check results
    distinct: int = 0  # distinct breaches
    activity: str = "starting"

    @classmethod
    def of(cls, results: RunResults) -> Snapshot:
        return cls(
            requests=results.total_requests,
            failures=sum(results.failures.values()),
            distinct=results.distinct_failures,
            activity=results.activity,
        )


def _write(folder: Path, snapshot: Snapshot) -> None:
    path = folder / f"progress-{os.getpid()}.json"
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(snapshot.__dict__), encoding="utf-8")
    os.replace(partial, path)  # a reader never sees half a file


def start_reporting(folder: Path, results: RunResults) -> None:
    """In a suite process: snapshot `results` into `folder` until the process ends, and stop
    the process (SIGINT, so pytest finishes and saves what ran) if its parent goes away."""
    parent = os.getppid()

    def report() -> None:
        saved = time.monotonic()
        while True:
            # The folder may be gone at the very end, or a counter resized while it was read.
            with contextlib.suppress(OSError, RuntimeError):
                _write(folder, Snapshot.of(results))
                if time.monotonic() - saved >= RESULTS_INTERVAL:
                    results.save(folder)  # so a process killed at a stop still leaves its results
                    saved = time.monotonic()
            if os.getppid() != parent:
                os.kill(os.getpid(), signal.SIGINT)
                return
            time.sleep(SNAPSHOT_INTERVAL)

    threading.Thread(target=report, name="contract-progress", daemon=True).start()


def read_snapshots(folder: Path) -> Snapshot:
    """The sum of every process's latest snapshot (a missing or torn file counts as none)."""
    total = Snapshot()
    for path in folder.glob(SNAPSHOT_GLOB):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        total = Snapshot(
            requests=total.requests + int(data.get("requests", 0)),
            failures=total.failures + int(data.get("failures", 0)),
            distinct=total.distinct + int(data.get("distinct", 0)),
            activity=str(data.get("activity", total.activity)),
        )
    return total


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes}:{seconds:02d}"


def describe(snapshot: Snapshot, elapsed: float) -> str:
    rate = snapshot.requests / elapsed if elapsed > 0 else 0.0
    failures = (
        f"{snapshot.distinct} distinct failures ({snapshot.failures} failing checks)"
        if snapshot.failures
        else "no failures"
    )
    return (
        f"{snapshot.requests} requests ({rate:.0f}/s) | {snapshot.activity} | {failures} | "
        f"{_clock(elapsed)}"
    )


class ProgressLine:
    """Shows progress on `stream`: rewritten in place on a terminal, else a plain line every
    PLAIN_LINE_INTERVAL seconds and whenever the run moves to another activity."""

    def __init__(self, stream: TextIO = sys.stdout, *, live: bool | None = None) -> None:
        self._stream = stream
        self._live = stream.isatty() if live is None else live
        self._started = time.monotonic()
        self._last_plain = 0.0
        self._last_activity = ""
        self._shown = False

    def update(self, snapshot: Snapshot) -> None:
        now = time.monotonic()
        text = f"contract: {describe(snapshot, now - self._started)}"
        if self._live:
            self._stream.write("\r\x1b[2K" + text)
            self._shown = True
        elif now - self._last_plain >= PLAIN_LINE_INTERVAL or (
            snapshot.activity != self._last_activity and now - self._last_plain >= 1.0
        ):
            self._stream.write(text + "\n")
            self._last_plain, self._last_activity = now, snapshot.activity
        self._stream.flush()

    def close(self) -> None:
        """End the live line so the summary starts on a line of its own."""
        if self._live and self._shown:
            self._stream.write("\n")
            self._stream.flush()
