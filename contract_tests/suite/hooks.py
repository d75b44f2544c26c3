"""Schemathesis hooks of a run: real ids into generated requests, and what the run observes.

Observations go to `results.CURRENT`: check outcomes with the first failure of each kind
and its exchange (the evidence, suite/capture.py), undocumented properties, and the share of
positive getCall requests that reached a real call. (Requests are counted, and the key
redacted, in the run's transport: transport.py.)
"""

from __future__ import annotations

import re
from typing import Any

from hypothesis import strategies as st
from schemathesis import Case, CheckResult, HookContext, Response
from schemathesis.core.failures import CustomFailure, Failure
from schemathesis.engine import Status
from schemathesis.schemas import BaseSchema

from contract_tests.checks import registry as checks
from contract_tests.checks.body import response_json
from contract_tests.checks.undocumented import undocumented_properties
from contract_tests.run.plan import RunPlan, api_key
from contract_tests.run.results import CURRENT, FailureRecord
from contract_tests.spec import GET_CALL, response_schema
from contract_tests.suite.capture import capture

MAX_CALL_ID = 2**63 - 1
# Out of four positive getCall cases, three go to a known id and one keeps its random id (404s).
REAL_ID_SHARE = 3


# The parts of a custom check's message that vary between instances of one breach.
_VARYING = re.compile(r"'[^']*'|\"[^\"]*\"|\d{4}-\d\d-\d\dT[\d:.]+Z?|-?\d+(?:\.\d+)?(?:e-?\d+)?")


def breach_kind(failure: Failure) -> str:
    """What makes a failure distinct: Schemathesis' own identity of a breach (the status,
    the schema path, the missing header...), or for our checks the clause and the shape of
    the message with its values taken out ("the page has N calls; limit was N")."""
    if isinstance(failure, CustomFailure):
        return message_kind(failure.message)
    return f"{type(failure).__name__}:{failure._unique_key}"


def message_kind(message: str) -> str:
    """A check's message with its values taken out: "invariant 10: the page has _ calls"."""
    first_line = (message.strip().splitlines() or [""])[0]
    clause, colon, detail = first_line.partition(": ")  # "invariant 10: <detail>"
    return (clause + colon + _VARYING.sub("_", detail))[:160]


def _is_valid_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_CALL_ID


def install(schema: BaseSchema, plan: RunPlan) -> None:
    """Register this run's hooks on `schema`."""
    known_ids, foreign_ids = plan.call_ids, plan.foreign_call_ids
    checks.FOREIGN_IDS.update(foreign_ids)
    draw_ids = tuple(known_ids) + tuple(foreign_ids)

    @schema.hook
    def flatmap_path_parameters(
        context: HookContext, path_parameters: dict[str, Any]
    ) -> st.SearchStrategy[dict[str, Any]]:
        # Only a valid id is swapped: negative cases must stay invalid to mean anything.
        if context.operation is None or context.operation.label != GET_CALL or not path_parameters:
            return st.just(path_parameters)
        original = path_parameters.get("call_id")
        if not draw_ids or not _is_valid_id(original):
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
            CURRENT.positive_get_call[response.status_code] += 1
            if (case.path_parameters or {}).get("call_id") in draw_ids:
                CURRENT.real_id_requests += 1
        found = response_schema(label, response.status_code)
        if found is None:
            return
        body = response_json(response)
        if body is None:
            return
        for name in undocumented_properties(body, found[0], found[1] or label):
            CURRENT.undocumented[name] += 1

    @schema.hook
    def after_validate(
        context: HookContext, case: Case[Any], response: Response, results: list[CheckResult]
    ) -> None:
        phase = case.meta.phase.name.value if case.meta is not None else "follow-up"
        judged = f"{case.operation.label} {response.status_code}"
        for result in results:
            if result.status in (Status.SUCCESS, Status.FAILURE):
                CURRENT.saw_judged(result.name, judged)
            if result.status == Status.SUCCESS:
                CURRENT.passes[result.name] += 1
            elif result.status == Status.FAILURE and result.failure is not None:
                record = FailureRecord(
                    check=result.name,
                    clause=checks.clause_text(result.name),
                    operation=case.operation.label,
                    title=result.failure.title,
                    message=(result.failure.message or "").strip(),
                    curl=case.as_curl_command(headers=dict(response.request.headers)),
                    phase=phase,
                    kind=breach_kind(result.failure),
                )
                CURRENT.record_failure(record)
                # Evidence for the first occurrence of each distinct failure that is kept.
                if record.key in CURRENT.examples and record.key not in CURRENT.exchanges:
                    CURRENT.exchanges[record.key] = capture(case, response, api_key())
        if plan.max_failures and CURRENT.distinct_failures >= plan.max_failures:
            CURRENT.stopped_early = (
                f"stopped after {CURRENT.distinct_failures} distinct failures (--max-failures "
                f"{plan.max_failures})"
            )
