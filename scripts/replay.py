"""Re-send one failing request of a contract run and judge it again: python -m scripts.replay
(or nox -s replay -- reports/contract/evidence.har --entry N [--base-url URL])."""

from __future__ import annotations

import signal
import sys

from contract_tests.run.exit_codes import COULD_NOT_RUN, stopped_by
from contract_tests.run.settings import ConfigError


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet when piped into `head`
    from contract_tests.run.replay import replay

    try:
        verdict = replay(sys.argv[1:] if argv is None else argv)
    except ConfigError as error:
        print(f"replay: {error}", file=sys.stderr)
        return COULD_NOT_RUN
    except KeyboardInterrupt:
        print("replay: interrupted", file=sys.stderr)
        return stopped_by(signal.SIGINT)
    print("\n".join(verdict.lines))
    return verdict.exit_code


if __name__ == "__main__":
    sys.exit(main())
