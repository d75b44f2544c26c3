"""What one recorded exchange shows on its own: the map step of a judgement.

A pure function of the exchange (and the spec): Schemathesis' built-in response checks, our
checks that need nothing but the exchange (the record invariants, the record asked for,
header forms, the client round trip), and the spec drift it carries (an undocumented path,
method, status, header or property). Everything that needs other exchanges (the listing,
tenancy, credential near-misses) is the fold step's (traffic/state.py). Whatever is kept
of the exchange (a failure's message, its evidence) is filtered of its credentials here.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from typing import Any

from contract_tests.checks.context import CheckContext
from contract_tests.checks.exchange import Exchange
from contract_tests.checks.failures import ContractFailure
from contract_tests.checks.registry import CHECKS, Breach, Check
from contract_tests.checks.undocumented import undocumented_properties
from contract_tests.run.results import Evidence, FailureRecord
from contract_tests.spec import (
    GET_CALL,
    LIST_CALLS,
    documented_headers,
    load_spec,
    match_path,
    project,
    response_schema,
)
from contract_tests.suite.capture import evidence_with, record_of_breach, record_of_builtin
from contract_tests.suite.redaction import FILTERED, credential_form
from contract_tests.traffic.builtin import BuiltinChecks
from contract_tests.traffic.secrets import CREDENTIAL_NAME, Redactor, bearer_key

# Our checks that judge an exchange alone; the others need the recording's state.
NEEDS_STATE = frozenset(
    {
        "list_page_consistent",
        "listed_calls_match_records",
        "no_foreign_call_listed",
        "foreign_call_forbidden",
    }
)
ALONE: tuple[Check, ...] = tuple(check for check in CHECKS if check.name not in NEEDS_STATE)
# Headers every HTTP stack adds: not the API's drift.
TRANSPORT_HEADERS = frozenset(
    {
        "content-type",
        "content-length",
        "content-encoding",
        "transfer-encoding",
        "date",
        "server",
        "connection",
        "keep-alive",
        "vary",
        "etag",
        "cache-control",
        "expires",
        "last-modified",
        "age",
        "via",
        "alt-svc",
        "strict-transport-security",
        "pragma",
        "accept-ranges",
        "access-control-allow-origin",
        "x-content-type-options",
    }
)
NUMBER_SEGMENT = re.compile(r"/\d+(?=/|$)")


@dataclass
class Observed:
    """The saw_state calls of the checks on one exchange."""

    states: list[tuple[str, str]] = field(default_factory=list)

    def saw_state(self, check: str, state: str) -> None:
        self.states.append((check, state))


@dataclass
class Judged:
    """One exchange's judgement: check outcomes, failures (filtered), states, drift."""

    exchange: Exchange
    key: str | None  # the Bearer key, held only while this exchange is judged
    response: str  # "GET /v2/calls 200": how results count it
    passed: list[str] = field(default_factory=list)  # checks that judged it and passed
    failures: list[FailureRecord] = field(default_factory=list)
    states: list[tuple[str, str]] = field(default_factory=list)
    drift: list[str] = field(default_factory=list)
    summary: dict[str, Any] | None = None  # a getCall record as CallSummary + created_at
    redactor: Redactor | None = None

    def clean(self, text: str) -> str:
        if self.redactor is None:
            self.redactor = Redactor.of(self.exchange)
        return self.redactor(text)


def curl_of(exchange: Exchange) -> str:
    """The request as a curl command; credential values left out (written later filtered)."""
    method = exchange.operation.split(" ", 1)[0]
    parts = ["curl", "-X", method, shlex.quote(exchange.url)]
    for name, value in exchange.request.headers:
        shown = "[Filtered]" if CREDENTIAL_NAME.search(name) else value
        parts += ["-H", shlex.quote(f"{name}: {shown}")]
    return " ".join(parts)


def credential_kind(exchange: Exchange, working: bool) -> str:
    """What the Authorization header held, as evidence says it: "key" (a key the recording
    shows working), "other", or "" (none)."""
    if not any(name.lower() == "authorization" for name, _ in exchange.request.headers):
        return ""
    return "key" if working else "other"


def drift_of(exchange: Exchange) -> list[str]:
    """What the exchange shows that the spec does not document."""
    method, path = exchange.operation.split(" ", 1)
    if match_path(path) is None:
        return [f"undocumented path: {method} {NUMBER_SEGMENT.sub('/{id}', path)}"]
    operation = load_spec()["paths"][path].get(method.lower())
    if operation is None:
        return [f"undocumented method: {exchange.operation}"]
    responses = operation.get("responses", {})
    response = responses.get(str(exchange.status))
    if response is None:
        return [f"undocumented status: {exchange.operation} {exchange.status}"]
    found = []
    named = {name.lower() for name in response.get("headers", {})} | set(documented_headers())
    for name, _ in exchange.response_headers:
        lowered = name.lower()
        if lowered not in named and lowered not in TRANSPORT_HEADERS:
            found.append(f"undocumented header: {lowered} ({exchange.operation} {exchange.status})")
    schema = response_schema(exchange.operation, exchange.status)
    body = exchange.decoded
    if schema is not None and body is not None:
        properties = undocumented_properties(body, schema[0], schema[1] or exchange.operation)
        found += sorted(properties)
    return found


def judge_alone(exchange: Exchange, builtin: BuiltinChecks, phase: str) -> Judged:
    """Every check that can judge `exchange` by itself, its failures filtered."""
    key = bearer_key(exchange)
    judged = Judged(exchange, key, f"{exchange.operation} {exchange.status}")
    curl = ""
    for verdict in builtin.judge(exchange):
        if verdict.failure is None:
            judged.passed.append(verdict.check)
            continue
        curl = curl or curl_of(exchange)
        judged.failures.append(
            record_of_builtin(
                verdict.check, exchange.operation, verdict.failure, curl, phase, judged.clean
            )
        )
    observed = Observed()
    context = CheckContext(api_key=key or "", observations=observed)
    for check in ALONE:
        try:
            applies = check.judge(exchange, context)
        except ContractFailure as failure:
            breach = Breach.of(failure, check.name, exchange.operation)
            curl = curl or curl_of(exchange)
            judged.failures.append(record_of_breach(breach, curl, phase, judged.clean))
        else:
            if applies:
                judged.passed.append(check.name)
    judged.states = observed.states
    judged.drift = [judged.clean(name) for name in drift_of(exchange)]
    judged.summary = summary_of(exchange)
    return judged


def summary_of(exchange: Exchange) -> dict[str, Any] | None:
    """A getCall 200's record as the listing checks compare it (CallSummary and created_at),
    when it is the record of the call asked for."""
    record = exchange.json_object(GET_CALL)
    raw = exchange.request.path_parameters.get("call_id", "")
    if record is None or not raw.isdigit() or record.get("id") != int(raw):
        return None
    return {**project(record, "CallSummary"), "created_at": record.get("created_at")}


def portable(judged: Judged) -> Judged:
    """`judged` made cheap to send to another process: the parsed body is dropped (sent as
    objects it costs more than its bytes) but for a listCalls page, which the fold reads."""
    if judged.exchange.operation != LIST_CALLS:
        judged.exchange.__dict__.pop("decoded", None)
    judged.redactor = None
    return judged


def evidence_for(judged: Judged, working_key: bool, started: str) -> Evidence:
    """The exchange as evidence: credential headers dropped whole, every text filtered."""
    kind = credential_kind(judged.exchange, working_key)

    def conceal(name: str, value: str) -> str | None:
        if not CREDENTIAL_NAME.search(name.lower()):
            return None
        return credential_form(value) if name.lower() == "authorization" else FILTERED

    return evidence_with(judged.exchange, judged.clean, conceal, kind, started)
