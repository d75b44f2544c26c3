"""pytest wiring of a contract run: progress lines, and each process's results for the runner."""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

import pytest
from schemathesis.core.failures import Failure, FailureGroup

from contract_tests.run.plan import RunPlan
from contract_tests.run.results import CURRENT


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when != "call" and not (report.when == "setup" and report.skipped):
        return
    outcome = "passed" if report.passed else "skipped" if report.skipped else "FAILED"
    print(
        f"  {report.nodeid.split('::', 1)[-1]}: {outcome} "
        f"({CURRENT.total_requests} requests so far)",
        flush=True,
    )


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
        if not isinstance(cause, Failure | FailureGroup | AssertionError):
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
    CURRENT.save(Path(RunPlan.from_env().parts_dir))
