"""What a run's exit code means: contract_tests/errors.py holds the one definition."""

from __future__ import annotations

from contract_tests.errors import ExitCode, stopped_by

CONFORMS, VIOLATES = ExitCode.CONFORMS, ExitCode.VIOLATES
COULD_NOT_RUN, COVERAGE_SHORT = ExitCode.COULD_NOT_RUN, ExitCode.COVERAGE_SHORT

__all__ = ["CONFORMS", "COULD_NOT_RUN", "COVERAGE_SHORT", "VIOLATES", "stopped_by"]
