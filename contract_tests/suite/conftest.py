"""pytest wiring of a contract run: one `SuiteRun` per process, built from the run plan when
the session starts (never at import), progress snapshots, and each process's results for
the runner (which prints everything: this process's own output is off, `-p no:terminal`)."""

from __future__ import annotations

import os
from collections.abc import Callable, Generator
from pathlib import Path

import pytest
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.pytest.plugin import SchemaHandleMark, SchemathesisCase

from contract_tests.run.plan import RunPlan
from contract_tests.run.progress import start_reporting
from contract_tests.run.results import RunResults
from contract_tests.run.settings import ENV_API_KEY
from contract_tests.suite import hooks
from contract_tests.suite.ahead import FetchAhead
from contract_tests.suite.session import SuiteRun

RUN = pytest.StashKey[SuiteRun]()
FOR_EVERY_OPERATION = "thinnestai_for_every_operation"


def pytest_sessionstart(session: pytest.Session) -> None:
    plan = RunPlan.from_env()
    key = os.environ.get(ENV_API_KEY)  # the runner hands the key to this process only
    try:
        if not key:
            raise RuntimeError(f"{ENV_API_KEY} is not set: run the suite with `nox -s contract`")
        run = SuiteRun.start(plan, key, FetchAhead.of(session.config))
    except Exception as error:  # the spec or the plan cannot be read: the run cannot be made
        failed = RunResults(errors=[f"the suite could not start: {error}"])
        failed.save(Path(plan.parts_dir))
        raise pytest.UsageError(failed.errors[0]) from error
    hooks.install(run)
    session.config.stash[RUN] = run
    start_reporting(Path(plan.parts_dir), run.results)


@pytest.fixture(scope="session")
def suite_run(request: pytest.FixtureRequest) -> SuiteRun:
    return request.config.stash[RUN]


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makeitem(collector: pytest.Collector, name: str, obj: object) -> object:
    """A test marked `for_every_operation` is parametrized by this run's schema, which exists
    only once the session has started (Schemathesis' own `parametrize` wants it at import)."""
    if not getattr(obj, FOR_EVERY_OPERATION, False):
        return None
    test = collector.config.stash[RUN].schema.parametrize()(obj)
    schema = SchemaHandleMark.get(test)
    return SchemathesisCase.from_parent(collector, test_function=test, name=name, schema=schema)


def for_every_operation(test: Callable[..., None]) -> Callable[..., None]:
    """Mark `test` to run on the cases Schemathesis generates for every operation."""
    setattr(test, FOR_EVERY_OPERATION, True)
    return test


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
            error = f"{item.name}: {kind}: {message}".rstrip(": ")
            item.config.stash[RUN].results.errors.append(error)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    report = yield
    if report.failed:  # e.g. the suite's module cannot be imported: the run cannot be made
        lines = [line for line in report.longreprtext.strip().splitlines() if line.strip()]
        error = f"the suite could not start: {lines[-1] if lines else report.nodeid}"
        collector.config.stash[RUN].results.errors.append(error)
        print(error, flush=True)
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    run = session.config.stash.get(RUN, None)
    if run is not None:
        run.results.save(Path(run.plan.parts_dir))
