"""Everything one suite process holds, built once from the run plan and handed around.

    plan + key  ->  results (what the run saw)
                ->  transport (session, 429 waits, key filtered, counted)  ->  schema
                ->  check context (key, foreign ids, fetcher, observations)  ->  our checks,
                    adapted for Schemathesis

Nothing of it lives in a module global: the pytest side (conftest.py) builds one `SuiteRun`
per process and passes it to the tests and hooks.
"""

from __future__ import annotations

import time
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import requests
from schemathesis import Case, Response
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import ignored_auth
from urllib3 import HTTPHeaderDict
from urllib3.response import BaseHTTPResponse

from contract_tests.checks import headers
from contract_tests.checks.context import CheckContext, Fetcher
from contract_tests.checks.exchange import Exchange, Request
from contract_tests.checks.failures import ContractFailure
from contract_tests.checks.registry import CHECKS, Breach, Check
from contract_tests.run.plan import RunPlan
from contract_tests.run.results import RunResults
from contract_tests.spec import GET_CALL, operation_label
from contract_tests.suite import probes
from contract_tests.suite.adapter import Adapter, SchemathesisCheck, exchange_of
from contract_tests.suite.ahead import Answer, FetchAhead
from contract_tests.suite.capture import breach_record
from contract_tests.suite.schema import load_schema
from contract_tests.suite.transport import (
    FOLLOW_UP,
    RunSchema,
    RunTransport,
    new_session,
    retry_after_on_429,
)


@dataclass
class SuiteRun:
    plan: RunPlan
    key: str
    results: RunResults
    transport: RunTransport
    schema: RunSchema
    context: CheckContext
    adapter: Adapter
    checks: list[SchemathesisCheck]
    sender: SchemathesisSender

    @classmethod
    def start(cls, plan: RunPlan, key: str, ahead: FetchAhead | None = None) -> SuiteRun:
        results = RunResults()
        waited_out = partial(judge_waited_out, results, key)
        session = new_session(retry_after_on_429(waited_out, results))
        transport = RunTransport(session, results, key, frozenset(plan.foreign_call_ids), ahead)
        schema = load_schema(plan, transport)
        sender = SchemathesisSender(schema, plan)
        context = CheckContext(
            api_key=key,
            foreign_ids=frozenset(plan.foreign_call_ids),
            fetcher=Fetcher(sender, key, GET_CALL),
            observations=results,
        )
        adapter = Adapter(context)
        checks = [adapter.adapt(check) for check in CHECKS]
        return cls(plan, key, results, transport, schema, context, adapter, checks, sender)

    # ---- what the probes need of a prober (suite/probes.py) ----

    def send(self, request: Request) -> Exchange:
        answer = self._fetched_ahead(request)
        if answer is None:
            return self.sender(request)  # the transport stops the fetching ahead first
        case = self.sender.case_of(request)
        if answer.response.request.url != case.as_transport_kwargs()["url"]:
            # Never judged as the answer to the request the suite means (a base URL that
            # Schemathesis joins otherwise): sent again, as the run's transport sends it.
            return self.sender(request)
        response = Response.from_requests(answer.response, verify=True)
        self.transport.received(response)
        self.results.phase_requests[FOLLOW_UP] += 1
        return exchange_of(case, response, answer.received_at)

    def _fetched_ahead(self, request: Request) -> Answer | None:
        """The answer suite/ahead.py fetched for `request`, when it is a known call's fetch."""
        ahead, call_id = self.transport.ahead, request.path_parameters.get("call_id")
        if ahead is None or call_id is None or request != probes.get_call(self, call_id):
            return None
        return ahead.take(call_id)

    def stopped(self) -> bool:
        return bool(self.results.stopped_early)

    def doing(self, activity: str) -> None:
        self.results.activity = activity

    def judge(self, exchange: Exchange, *extra: Check) -> None:
        """Every check of the run, and `extra`, on an exchange the suite sent (failures are
        recorded by the after_validate hook; the run goes on)."""
        case, response = exchange.origin
        additional = [*self.checks, *(self.adapter.adapt(check) for check in extra)]
        with suppress(Failure, FailureGroup):
            case.validate_response(
                response, additional_checks=additional, excluded_checks=[ignored_auth]
            )


def judge_waited_out(results: RunResults, key: str, response: BaseHTTPResponse) -> None:
    """A 429 that is waited out never reaches Schemathesis' checks: count it and judge its
    headers here (the run must still see a malformed Retry-After or X-RateLimit-*)."""
    label = operation_label("GET", urlsplit(response.url or "").path)
    results.requests[f"{label} {response.status}"] += 1
    results.saw_judged("header_forms", f"{label} {response.status}")
    try:
        headers.header_forms(response.headers.items())
    except ContractFailure as failure:
        breach = Breach.of(failure, "header_forms", label)
        curl = f"curl -X GET '{response.url}'"
        results.record_failure(breach_record(breach, key, curl, "429 waited out"))
    else:
        results.passes["header_forms"] += 1


class SchemathesisSender:
    """Sends a request as a case of its operation, through the run's transport (rate cap,
    429 waits, key filtered, counted)."""

    def __init__(self, schema: RunSchema, plan: RunPlan) -> None:
        self.schema = schema
        self.plan = plan

    def case_of(self, request: Request) -> Case[Any]:
        """`request` as a case of its operation (a repeated query name keeps every value)."""
        method, path = request.operation.split(" ", 1)
        query: dict[str, Any] = {}
        for name, value in request.query:
            query.setdefault(name, []).append(value)
        return self.schema[path][method].Case(
            path_parameters=dict(request.path_parameters) or None,
            query={k: v[0] if len(v) == 1 else v for k, v in query.items()} or None,
            headers={name: value for name, value in request.headers} or None,
        )

    def __call__(self, request: Request) -> Exchange:
        names = [name.lower() for name, _ in request.headers]
        case = self.case_of(request)
        if len(names) != len(set(names)):
            response = self._send_repeated_headers(case, request)
        else:
            response = case.call()
        return exchange_of(case, response)

    def _send_repeated_headers(self, case: Case[Any], request: Request) -> Response:
        """One request with a header repeated: requests and Schemathesis merge headers by
        name, so the prepared request gets urllib3's multi-valued header dict. It bypasses
        Schemathesis' rate limiter, so it keeps the run's rate by pausing first."""
        transport = self.schema.run_transport
        assert transport is not None, "a run's schema sends with the run's transport"
        transport.stop_fetching_ahead()
        time.sleep(self.plan.seconds_between_requests)
        url = case.as_transport_kwargs()["url"]
        prepared = requests.Request("GET", url).prepare()
        sent = HTTPHeaderDict({name: str(value) for name, value in prepared.headers.items()})
        for name, value in request.headers:
            sent.add(name, value)
        prepared.headers = sent  # type: ignore[assignment]
        raw = transport.session.send(prepared, allow_redirects=False, timeout=self.plan.timeout)
        response = Response.from_requests(raw, verify=True)
        transport.received(response)
        return response
