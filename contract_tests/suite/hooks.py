"""Schemathesis hooks of a run: real ids into generated requests, and what the run observes.

Observations go to the run's results (suite/session.py): check outcomes with the first
failure of each distinct identity and its exchange (the evidence, suite/capture.py),
undocumented properties, and the share of positive getCall requests that reached a real
call. (Requests are counted, and the key filtered, in the run's transport: transport.py.)
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st
from schemathesis import Case, CheckResult, HookContext, Response
from schemathesis.core.failures import Failure
from schemathesis.engine import Status

from contract_tests.checks.undocumented import undocumented_properties
from contract_tests.run.results import FailureRecord
from contract_tests.spec import GET_CALL, id_bounds, response_schema
from contract_tests.suite.adapter import ClauseBroken
from contract_tests.suite.capture import breach_record, evidence_of, record_of_builtin
from contract_tests.suite.redaction import scrub

if TYPE_CHECKING:
    from contract_tests.suite.session import SuiteRun

# Out of four positive getCall cases, three go to a known id and one keeps its random id (404s).
REAL_ID_SHARE = 3


def failure_record(
    run: SuiteRun, case: Case[Any], response: Response, failure: Failure, check: str, phase: str
) -> FailureRecord:
    """A failure as the results keep it: ours by its identity, a built-in check's by
    Schemathesis' own identity of the breach (the status, the schema path, the header...)."""
    curl = case.as_curl_command(headers=dict(response.request.headers))
    if isinstance(failure, ClauseBroken):
        return breach_record(failure.breach, run.key, curl, phase)
    clean = partial(scrub, key=run.key)
    return record_of_builtin(check, case.operation.label, failure, curl, phase, clean)


def install(run: SuiteRun) -> None:
    """Register this run's hooks on its schema."""
    plan, results, schema = run.plan, run.results, run.schema
    draw_ids = tuple(plan.call_ids) + tuple(plan.foreign_call_ids)
    low, high = id_bounds()

    def valid_id(value: object) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high

    @schema.hook
    def flatmap_path_parameters(
        context: HookContext, path_parameters: dict[str, Any]
    ) -> st.SearchStrategy[dict[str, Any]]:
        # Only a valid id is swapped: negative cases must stay invalid to mean anything.
        if context.operation is None or context.operation.label != GET_CALL or not path_parameters:
            return st.just(path_parameters)
        original = path_parameters.get("call_id")
        if not draw_ids or not valid_id(original):
            return st.just(path_parameters)
        real = st.sampled_from(draw_ids).map(
            lambda call_id: {**path_parameters, "call_id": call_id}
        )
        return st.integers(0, REAL_ID_SHARE).flatmap(
            lambda pick: st.just(path_parameters) if pick == 0 else real
        )

    @schema.hook
    def after_call(context: HookContext, case: Case[Any], response: Response) -> None:
        label = case.operation.label
        if (
            label == GET_CALL
            and case.meta is not None
            and case.meta.generation.mode.value == "positive"
        ):
            results.positive_get_call[response.status_code] += 1
            if (case.path_parameters or {}).get("call_id") in draw_ids:
                results.real_id_requests += 1
        found = response_schema(label, response.status_code)
        if found is None:
            return
        body = run.adapter.exchange(case, response).decoded
        if body is None:
            return
        for name in undocumented_properties(body, found[0], found[1] or label):
            results.undocumented[name] += 1

    @schema.hook
    def after_validate(
        context: HookContext, case: Case[Any], response: Response, results_: list[CheckResult]
    ) -> None:
        phase = case.meta.phase.name.value if case.meta is not None else "follow-up"
        judged = f"{case.operation.label} {response.status_code}"
        for result in results_:
            if result.status in (Status.SUCCESS, Status.FAILURE):
                results.saw_judged(result.name, judged)
            if result.status == Status.SUCCESS:
                results.passes[result.name] += 1
            elif result.status == Status.FAILURE and result.failure is not None:
                record = failure_record(run, case, response, result.failure, result.name, phase)
                results.record_failure(record)
                # Evidence for the first occurrence of each distinct failure that is kept.
                if record.key in results.examples and record.key not in results.exchanges:
                    exchange = run.adapter.exchange(case, response)
                    results.exchanges[record.key] = evidence_of(
                        exchange, run.key, response.message, response.http_version
                    )
        if plan.max_failures and results.distinct_failures >= plan.max_failures:
            results.stopped_early = (
                f"stopped after {results.distinct_failures} distinct failures (--max-failures "
                f"{plan.max_failures})"
            )
