"""pytest wiring of a contract run: progress snapshots, and each process's results for the
runner (which prints everything: this process's own output is off, `-p no:terminal`)."""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

import pytest
from schemathesis.core.failures import Failure, FailureGroup

from contract_tests.run.plan import RunPlan
from contract_tests.run.progress import start_reporting
from contract_tests.run.results import CURRENT

PARTS = Path(RunPlan.from_env().parts_dir)


def pytest_sessionstart(session: pytest.Session) -> None:
    start_reporting(PARTS, CURRENT)


def _root_cause(error: BaseException) -> BaseException:
    """The first exception inside (Hypothesis and Schemathesis wrap them in groups)."""
    while isinstance(error, BaseExceptionGroup) and error.exceptions:
        error = error.exceptions[0]
    return error


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.failed and call.excinfo is not None:
        cause = _root_cause(call.excinfo.value)
        # A check failure is a verdict on the server; anything else means the run broke.
        if not isinstance(cause, Failure | FailureGroup | AssertionError | KeyboardInterrupt):
            kind = f"{type(cause).__module__}.{type(cause).__qualname__}"
            message = (str(cause).strip().splitlines() or [""])[0]
            CURRENT.errors.append(f"{item.name}: {kind}: {message}".rstrip(": "))
    return report


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.failed:  # e.g. the spec cannot be loaded: the run cannot be made
        lines = [line for line in report.longreprtext.strip().splitlines() if line.strip()]
        error = f"the suite could not start: {lines[-1] if lines else report.nodeid}"
        CURRENT.errors.append(error)
        print(error, flush=True)


def pytest_sessionfinish(session: pytest.Session) -> None:
    CURRENT.save(PARTS)
