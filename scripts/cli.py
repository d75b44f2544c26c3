"""What every command under scripts/ shares: one way to end, whatever happens inside.

    @command("breaking")            main(argv) -> ExitCode, wrapped:
    def main(argv=None): ...          CouldNotRun        -> "breaking: <message>", exit 2
                                      KeyboardInterrupt  -> "breaking: interrupted", exit 130
    if __name__ == "__main__":        any other error    -> "breaking: internal error: <Type>:
        run(main)                                           <message> (please report this)", exit 2

Exit 1 means "violates", so a crash must never end with it. THINNESTAI_DEBUG=1 adds the
traceback of an internal error. `run` is the process entry: it exits with main's code, and
quietly (141, as a shell reports a writer stopped by SIGPIPE) when its output was piped into a
command that stopped reading, such as `head`.
"""

from __future__ import annotations

import argparse
import functools
import os
import signal
import sys
import traceback
from collections.abc import Callable
from typing import NoReturn

from contract_tests.errors import CouldNotRun, ExitCode

ENV_DEBUG = "THINNESTAI_DEBUG"
PIPE_CLOSED = 128 + signal.SIGPIPE  # 141: what a shell reports for a writer SIGPIPE stopped

Main = Callable[[list[str] | None], ExitCode]


class UsageError(CouldNotRun):
    """A bad option or argument; the message says what to give instead."""


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a bad option is one line and exit 2 (argparse prints the usage too)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see --help)")


def one_line(text: str) -> str:
    """A message as a single line: a report on stderr must never spill over several."""
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def command(name: str) -> Callable[[Main], Main]:
    """Decorate a command's main(argv) so that it ends the same way as every other."""

    def decorate(main: Main) -> Main:
        @functools.wraps(main)
        def wrapped(argv: list[str] | None = None) -> ExitCode:
            try:
                return main(argv)
            except CouldNotRun as error:
                print(f"{name}: {one_line(str(error))}", file=sys.stderr)
                return ExitCode.COULD_NOT_RUN
            except KeyboardInterrupt:
                print(f"{name}: interrupted", file=sys.stderr)
                return ExitCode.INTERRUPTED
            except BrokenPipeError:
                raise  # the reader of the output went away: `run` ends quietly
            except Exception as error:  # a bug of the kit: nothing was judged, so not exit 1
                if os.environ.get(ENV_DEBUG):
                    traceback.print_exc()
                what = ": ".join(filter(None, [type(error).__name__, one_line(str(error))]))
                print(f"{name}: internal error: {what} (please report this)", file=sys.stderr)
                return ExitCode.COULD_NOT_RUN

        return wrapped

    return decorate


def run(main: Main) -> NoReturn:
    """`python -m scripts.<command>`: exit with main's code.

    SIGPIPE stays ignored, as Python sets it: with its default action, a contract run whose
    embedded server answered a connection the suite had just closed (at a stop) was killed by
    the signal. A closed stdout is handled here instead."""
    try:
        code = main(None)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python flushes stdout again at exit: point it at /dev/null so that is quiet too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(PIPE_CLOSED)
    sys.exit(code)
