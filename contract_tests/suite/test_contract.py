"""The contract suite: every operation of the spec, property-tested, stateful, and invariant 11.

Run it with `nox -s contract` (scripts/contract.py), which resolves the target and the plan.

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
from schemathesis.specs.openapi.checks import ignored_auth

from contract_tests.run.plan import RunPlan
from contract_tests.run.results import CURRENT
from contract_tests.suite import hooks, probes
from contract_tests.suite.fetch import get_call_case
from contract_tests.suite.schema import load_schema

PLAN = RunPlan.from_env()
schema = load_schema(PLAN)
hooks.install(schema, PLAN)

# Known calls fetched one by one, so every invariant sees every record (bounded for staging:
# 100 requests at the default 10/s is ten seconds).
MAX_KNOWN_CALLS_FETCHED = 100
MAX_FOREIGN_CALLS_FETCHED = 10


def judged() -> suppress:
    """Check failures inside are already recorded by the after_validate hook: keep going."""
    return suppress(Failure, FailureGroup)


def skip_when_stopped() -> None:
    if CURRENT.stopped_early:
        pytest.skip(CURRENT.stopped_early)


@schema.parametrize()
def test_operation(case: Case[Any]) -> None:
    """Examples, coverage and fuzzing phases, positive and negative data, every check."""
    if CURRENT.stopped_early:
        return  # Hypothesis draws the rest of its examples without sending them
    with judged():
        case.call_and_validate()


def test_input_edges() -> None:
    """Every input at its edges (call_id, limit, offset), probed on purpose: ~20 requests."""
    skip_when_stopped()
    probes.probe_input_edges(schema, PLAN)


def test_listing_as_a_whole() -> None:
    """Pages compared across boundaries, the last page and the end: ~15 requests."""
    skip_when_stopped()
    probes.probe_listing(schema)


def test_credential_near_misses() -> None:
    """A key that is almost right, on both operations: ~20 requests, each answered 401."""
    skip_when_stopped()
    probes.probe_credentials(schema, PLAN)


class ListThenGet(schema.as_state_machine()):  # type: ignore[misc]
    """A stateful run: listCalls, then getCall on listed ids (OpenAPI links in the spec)."""

    def validate_response(self, response: Any, case: Case[Any], *args: Any, **kwargs: Any) -> None:
        with judged():
            super().validate_response(response, case, *args, **kwargs)


def test_list_then_get() -> None:
    """A stateful run: listCalls, then getCall on listed ids (OpenAPI links in the spec)."""
    skip_when_stopped()
    seed(PLAN.seed)(ListThenGet).run(
        settings=settings(
            max_examples=max(3, PLAN.max_examples // 5),
            stateful_step_count=PLAN.stateful_max_steps,
            deadline=None,
            database=None,
            # No shrinking: failures are recorded as they come and the run goes on.
            phases=[Phase.explicit, Phase.generate],
        )
    )


def _fetch_each(call_ids: list[int], activity: str) -> None:
    for call_id in call_ids:
        if CURRENT.stopped_early:
            return
        CURRENT.activity = activity
        # ignored_auth re-sends each request twice without a valid key; the generated cases
        # already probe it many times, so these loops spare the server (and staging) that.
        with judged():
            get_call_case(schema, call_id).call_and_validate(excluded_checks=[ignored_auth])


def test_every_known_call() -> None:
    """Every known call once (at most 100), so the record invariants see each of them."""
    skip_when_stopped()
    if not PLAN.call_ids:
        CURRENT.skipped["known calls"] = "no call ids given and listCalls returned none"
        pytest.skip("no known call ids")
    # The plan lists discovered ids in diverse order (run/target.py): the first are of
    # every status and type the listing shows.
    known = list(PLAN.call_ids[:MAX_KNOWN_CALLS_FETCHED])
    _fetch_each(known, "known calls GET /v2/calls/{id}")


def test_foreign_calls_are_forbidden() -> None:
    """Invariant 11: another account's calls, fetched with this key, are 403."""
    skip_when_stopped()
    if not PLAN.foreign_call_ids:
        reason = "no foreign call ids given: set THINNESTAI_FOREIGN_CALL_IDS or --foreign-call-ids"
        CURRENT.skipped["foreign_call_forbidden"] = reason
        pytest.skip(reason)
    _fetch_each(
        list(PLAN.foreign_call_ids[:MAX_FOREIGN_CALLS_FETCHED]), "foreign calls GET /v2/calls/{id}"
    )
