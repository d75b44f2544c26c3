"""What a run's exit code means, in one place: 0 conforms, 1 violates, 2 could not run,
3 no violation seen but the coverage asked by --require-coverage was not reached, and
128 + the signal's number when a stop signal ended it (130 SIGINT, 143 SIGTERM)."""

from __future__ import annotations

import signal

CONFORMS, VIOLATES, COULD_NOT_RUN, COVERAGE_SHORT = 0, 1, 2, 3


def stopped_by(received: signal.Signals) -> int:
    """The shell's exit code for a process ended by `received`."""
    return 128 + int(received)
