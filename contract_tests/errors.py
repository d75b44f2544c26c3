"""What a command's exit code means, and the one base of every "the run could not be made" error.

    ExitCode        0 CONFORMS, 1 VIOLATES, 2 COULD_NOT_RUN, 3 COVERAGE_SHORT,
                    130 INTERRUPTED (SIGINT), 143 TERMINATED (SIGTERM)
    CouldNotRun     the run could not be made (bad option, missing key, bad spec, unreachable
      |             host...): its message is one line that says what to do; exit 2
      +-- every such error of the kit (settings, spec, lint, generation, accepted breaks...)

A light module: every CLI imports it before anything heavy.
"""

from __future__ import annotations

import enum
import signal


class ExitCode(enum.IntEnum):
    CONFORMS = 0  # the server (or the spec change) is fine
    VIOLATES = 1  # a violation was found: the verdict, not a failure of the tool
    COULD_NOT_RUN = 2  # bad input or an internal error: nothing was judged
    COVERAGE_SHORT = 3  # no violation seen, but the run did not verify what was asked
    INTERRUPTED = 128 + signal.SIGINT  # 130
    TERMINATED = 128 + signal.SIGTERM  # 143


def stopped_by(received: signal.Signals) -> ExitCode:
    """The shell's exit code for a process ended by `received` (SIGINT or SIGTERM)."""
    return ExitCode(128 + int(received))


class CouldNotRun(Exception):
    """The run could not be made; `str(error)` is one line that says what to do (exit 2)."""
