"""The suite's process: `python -m pytest`, with the known calls fetched ahead meanwhile.

`python -m contract_tests.suite.launch ARGS...` starts the thread of suite/ahead.py first,
then pytest with ARGS and the thread handed over as a plugin object: the run's first
requests go out while pytest, Schemathesis and Hypothesis are still being imported.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from contract_tests.suite.ahead import FetchAhead

if TYPE_CHECKING:
    import pytest


def main() -> int | pytest.ExitCode:
    ahead = FetchAhead.start()
    import pytest  # after the thread has started: this import is what it overlaps

    return pytest.main(sys.argv[1:], plugins=[ahead])


if __name__ == "__main__":
    raise SystemExit(main())
