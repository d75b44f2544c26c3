"""Re-send every failure of a HAR and classify each FIXED, STILL FAILING, FLAKY or NOT
COMPARABLE: python -m scripts.replay (or nox -s replay -- reports/contract/evidence.har
[--entry N] [--times N] [--base-url URL])."""

from __future__ import annotations

import sys

from contract_tests.errors import ExitCode
from scripts.cli import command, run


@command("replay")
def main(argv: list[str] | None = None) -> ExitCode:
    from contract_tests.run.replay import replay

    # A bad file, entry or setting raises ConfigError, a CouldNotRun: one line and exit 2.
    verdict = replay(sys.argv[1:] if argv is None else argv)
    print("\n".join(verdict.lines))
    return ExitCode(verdict.exit_code)


if __name__ == "__main__":
    run(main)
