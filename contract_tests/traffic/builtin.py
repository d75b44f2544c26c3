"""Schemathesis' built-in response checks over a recorded exchange: schema, status, content
type, documented headers, no 5xx, with the suite's configuration.

The suite runs them inside `case.validate_response`; here each recorded exchange becomes a
Schemathesis case of its operation and a response, and the same check functions judge it,
so a breach gets the identity the suite gives it (Schemathesis' own key of the breach).
Checks that judge a case by how it was generated (negative_data_rejection,
positive_data_acceptance, ignored_auth, missing_required_header) cannot judge traffic
nobody generated, and are not run.

Speed (the judge's budget is ~0.3 ms an exchange): a Schemathesis case costs ~40 us to make
(a random id, a snapshot of every component), so one case per operation is made once and
given each exchange's parameters. The checks whose verdict is a function of the operation
and the status alone (and the content type) run once per such kind of answer while they
pass; a failure is judged again each time, for its own details.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests
import schemathesis
from requests.structures import CaseInsensitiveDict
from schemathesis import Case, Response
from schemathesis.checks import CheckContext, not_a_server_error, run_checks, run_checks_for
from schemathesis.core.failures import Failure
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from contract_tests.checks.exchange import Exchange
from contract_tests.run.plan import RunPlan
from contract_tests.spec import SPEC_PATH
from contract_tests.suite.schema import schemathesis_config

RESPONSE_CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
)
BUILTIN_NAMES = tuple(check.__name__ for check in RESPONSE_CHECKS)
# What the verdict of these checks depends on besides the operation (see _memo_key).
BY_STATUS = frozenset({"not_a_server_error", "status_code_conformance"})
BY_CONTENT_TYPE = frozenset({"content_type_conformance"})
MAX_REMEMBERED_PASSES = 10_000  # kinds of answer (operation, status, content type) kept


@dataclass(frozen=True)
class BuiltinVerdict:
    check: str
    failure: Failure | None  # None: it passed


class BuiltinChecks:
    """The spec loaded once; a Schemathesis check context per operation."""

    def __init__(self) -> None:
        # The suite's configuration (formats validated, checks that do not apply disabled);
        # the base URL and key it names are never used: nothing is sent.
        plan = RunPlan("http://recorded.invalid", (), (), 1, 0, None, 1.0, "")
        config = schemathesis.Config.from_dict(schemathesis_config(plan, "recorded"))
        self.schema = schemathesis.openapi.from_path(SPEC_PATH, config=config)
        self._operations: dict[str, tuple[Case[Any], CheckContext] | None] = {}
        self._passed: set[tuple[str, ...]] = set()  # _memo_key of checks that passed

    def _operation(self, label: str) -> tuple[Case[Any], CheckContext] | None:
        if label not in self._operations:
            method, path = label.split(" ", 1)
            try:
                operation = self.schema[path][method]
            except LookupError:  # not an operation of the spec: drift, judged elsewhere
                self._operations[label] = None
                return None
            config = self.schema.config.checks_config_for(operation=operation, phase=None)
            context = CheckContext(
                override=None,
                auth=None,
                headers=None,
                config=config,
                transport_kwargs=None,
                response_checks=run_checks_for(self.schema).for_responses(),
            )
            # The response checks read a case's operation (and its meta, None: no scenario);
            # the parameters are set per exchange for any hook that reads them.
            self._operations[label] = (operation.Case(), context)
        return self._operations[label]

    def judge(self, exchange: Exchange) -> list[BuiltinVerdict]:
        """Every response check on `exchange`; [] when its operation is not in the spec."""
        found = self._operation(exchange.operation)
        if found is None:
            return []
        case, context = found
        query: dict[str, Any] = {}
        for name, value in exchange.request.query:
            query.setdefault(name, []).append(value)
        case.path_parameters = dict(exchange.request.path_parameters)
        case.query = {k: v[0] if len(v) == 1 else v for k, v in query.items()}
        # Filled in by hand: `requests.Request(...).prepare()` re-parses the URL (~0.15 ms).
        prepared = requests.PreparedRequest()
        prepared.method = exchange.operation.split(" ", 1)[0]
        prepared.url = exchange.url
        prepared.headers = CaseInsensitiveDict()
        headers: dict[str, list[str]] = {}
        for name, value in exchange.response_headers:
            headers.setdefault(name.lower(), []).append(value)
        response = Response(
            exchange.status, headers, exchange.body, prepared, exchange.elapsed, verify=True
        )
        if exchange.decoded is not None:  # the body parsed once for every check (read only)
            response._deserialized = exchange.decoded
        verdicts: list[BuiltinVerdict] = []
        to_run = []
        for check in RESPONSE_CHECKS:
            if _memo_key(check.__name__, exchange) in self._passed:
                verdicts.append(BuiltinVerdict(check.__name__, None))
            else:
                to_run.append(check)

        def on_failure(name: str, collected: set[Failure], failure: Failure) -> None:
            verdicts.append(BuiltinVerdict(name, failure))

        def on_success(name: str, _: Any) -> None:
            verdicts.append(BuiltinVerdict(name, None))
            key = _memo_key(name, exchange)
            if key is not None and len(self._passed) < MAX_REMEMBERED_PASSES:
                self._passed.add(key)

        run_checks(
            case=case,
            response=response,
            ctx=context,
            checks=to_run,
            on_failure=on_failure,
            on_success=on_success,
        )
        return verdicts


def _memo_key(check: str, exchange: Exchange) -> tuple[str, ...] | None:
    """What `check`'s verdict on `exchange` is a function of, when it is one of few things:
    not_a_server_error and status_code_conformance read the status (and the operation's
    documented statuses), content_type_conformance also the first Content-Type."""
    if check in BY_STATUS:
        return (check, exchange.operation, str(exchange.status))
    if check in BY_CONTENT_TYPE:
        content_type = exchange.response_header("content-type")
        return (check, exchange.operation, str(exchange.status), repr(content_type))
    return None
