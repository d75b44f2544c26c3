"""The contract suite: every operation of the spec, property-tested, stateful, and invariant 11.

Run it with `nox -s contract` (scripts/contract.py), which resolves the target and the plan;
conftest.py builds the run (suite/session.py) from the plan when the session starts.

A check failure does not end a test: it is recorded (suite/hooks.py, once per distinct
breach, with its count) and the run goes on to the end of its budget, so one known bug does
not hide the others and a faulty server gets as many requests as a clean one. The verdict is
the runner's, from the recorded failures. `--max-failures N` ends the run sooner.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

import pytest
from hypothesis import Phase, seed, settings
from schemathesis import Case
from schemathesis.core.failures import Failure, FailureGroup

from contract_tests.suite import probes
from contract_tests.suite.conftest import for_every_operation
from contract_tests.suite.session import SuiteRun


def judged() -> suppress:
    """Check failures inside are already recorded by the after_validate hook: keep going."""
    return suppress(Failure, FailureGroup)


def skip_when_stopped(run: SuiteRun) -> None:
    if run.results.stopped_early:
        pytest.skip(run.results.stopped_early)


# The budget-independent tests come first: they need no generation, so the run's first
# request goes out as soon as the session has started.


def test_every_known_call(suite_run: SuiteRun) -> None:
    """Every known call once (at most 100), so the record invariants see each of them."""
    skip_when_stopped(suite_run)
    plan = suite_run.plan
    if not plan.call_ids:
        suite_run.results.skipped["known calls"] = "no call ids given and listCalls returned none"
        pytest.skip("no known call ids")
    # The plan lists discovered ids in diverse order (run/target.py): the first are of
    # every status and type the listing shows.
    known = probes.known_calls(plan.call_ids)
    try:  # the first of them were fetched while the process started (suite/ahead.py)
        probes.fetch_each(suite_run, known, "known calls GET /v2/calls/{id}")
    finally:  # a run stopped early sends nothing more
        suite_run.transport.stop_fetching_ahead()


def test_foreign_calls_are_forbidden(suite_run: SuiteRun) -> None:
    """Invariant 11: another account's calls, fetched with this key, are 403."""
    skip_when_stopped(suite_run)
    plan = suite_run.plan
    if not plan.foreign_call_ids:
        reason = "no foreign call ids given: set THINNESTAI_FOREIGN_CALL_IDS or --foreign-call-ids"
        suite_run.results.skipped["foreign_call_forbidden"] = reason
        pytest.skip(reason)
    foreign = list(plan.foreign_call_ids[: probes.MAX_FOREIGN_CALLS_FETCHED])
    probes.fetch_each(suite_run, foreign, "foreign calls GET /v2/calls/{id}")


def test_input_edges(suite_run: SuiteRun) -> None:
    """Every input at its edges (call_id, limit, offset), probed on purpose: ~20 requests."""
    skip_when_stopped(suite_run)
    probes.probe_input_edges(suite_run, suite_run.plan.call_ids)


def test_listing_as_a_whole(suite_run: SuiteRun) -> None:
    """Pages compared across boundaries, the last page and the end: ~15 requests."""
    skip_when_stopped(suite_run)
    probes.probe_listing(suite_run)


def test_credential_near_misses(suite_run: SuiteRun) -> None:
    """A key that is almost right, on both operations: ~20 requests, each answered 401."""
    skip_when_stopped(suite_run)
    probes.probe_credentials(suite_run, suite_run.plan.call_ids)


@for_every_operation
def test_operation(case: Case[Any], suite_run: SuiteRun) -> None:
    """Examples, coverage and fuzzing phases, positive and negative data, every check."""
    if suite_run.results.stopped_early:
        return  # Hypothesis draws the rest of its examples without sending them
    with judged():
        case.call_and_validate(additional_checks=suite_run.checks)


def test_list_then_get(suite_run: SuiteRun) -> None:
    """A stateful run: listCalls, then getCall on listed ids (OpenAPI links in the spec)."""
    skip_when_stopped(suite_run)
    checks = suite_run.checks

    class ListThenGet(suite_run.schema.as_state_machine()):  # type: ignore[misc]
        def validate_response(self, response: Any, case: Case[Any], **kwargs: Any) -> None:
            with judged():
                super().validate_response(response, case, additional_checks=checks, **kwargs)

    plan = suite_run.plan
    seed(plan.seed)(ListThenGet).run(
        settings=settings(
            max_examples=max(3, plan.max_examples // 5),
            stateful_step_count=plan.stateful_max_steps,
            deadline=None,
            database=None,
            # No shrinking: failures are recorded as they come and the run goes on.
            phases=[Phase.explicit, Phase.generate],
        )
    )
