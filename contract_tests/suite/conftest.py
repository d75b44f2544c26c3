"""pytest wiring of a contract run: progress lines, and each process's results for the runner."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract_tests.hooks import sync_rate_limit_waits
from contract_tests.plan import RunPlan
from contract_tests.results import CURRENT


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when != "call" and not (report.when == "setup" and report.skipped):
        return
    outcome = "passed" if report.passed else "skipped" if report.skipped else "FAILED"
    print(
        f"\n  {report.nodeid.split('::', 1)[-1]}: {outcome} "
        f"({CURRENT.total_requests} requests so far)",
        flush=True,
    )
    if report.failed and not CURRENT.failures:
        # A failure with no check failure recorded: the run itself broke (network, time-out...).
        lines = [line for line in report.longreprtext.strip().splitlines() if line.strip()]
        # The last "E   " line names the exception; the very last line is often a curl or a note.
        raised = [line[1:].strip() for line in lines if line.startswith("E ")]
        reason = raised[-1] if raised else lines[-1] if lines else "failed"
        CURRENT.errors.append(f"{report.nodeid.split('::', 1)[-1]}: {reason}")


def pytest_sessionfinish(session: pytest.Session) -> None:
    sync_rate_limit_waits()
    CURRENT.save(Path(RunPlan.from_env().parts_dir))
