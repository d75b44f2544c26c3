"""The HTTP session every request of a contract run goes through.

One place decides how the suite behaves on the wire, for generated cases, the stateful run,
Schemathesis' own auth probes and the suite's follow-up fetches alike (`use_run_session`
makes the schema's transport send with this session whenever no other is given):
- every response is counted and has the API key redacted before anything reads it;
- a 429 that carries `Retry-After` is waited out and sent again (urllib3's Retry does the
  waiting; we only cap it so a hostile header cannot stall a CI job for hours);
- a 429 without `Retry-After` is not retried: it reaches the checks, which flag the header;
- redirects are never followed, so the key never travels to another host.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from schemathesis import Case, Response
from schemathesis.schemas import BaseSchema
from schemathesis.transport.requests import RequestsTransport
from urllib3.exceptions import InvalidHeader
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from contract_tests.checks.headers import header_forms
from contract_tests.checks.registry import clause_text
from contract_tests.run.results import CURRENT, FailureRecord
from contract_tests.spec import operation_label
from contract_tests.suite.hooks import message_kind
from contract_tests.suite.redaction import redact_key, redact_text

MAX_RETRY_AFTER = 30.0  # seconds: the longest single wait a run accepts
MAX_RATE_LIMIT_RETRIES = 3


class RetryAfterOn429(Retry):
    """Retry only a 429 that says when to come back, waiting at most MAX_RETRY_AFTER."""

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        return (
            status_code == 429
            and has_retry_after
            and super().is_retry(method, status_code, has_retry_after)
        )

    def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
        judge_waited_out(response)
        try:
            seconds = super().get_retry_after(response)
        except InvalidHeader:  # not seconds nor a date: judged above; retry without waiting
            return None
        if seconds is None:
            return None
        waited = min(max(seconds, 0.0), MAX_RETRY_AFTER)
        CURRENT.rate_limit_waits += 1
        CURRENT.rate_limit_wait_seconds += waited
        return waited


def judge_waited_out(response: BaseHTTPResponse) -> None:
    """A 429 that is waited out never reaches Schemathesis' checks: count it and judge its
    headers here (the run must still see a malformed Retry-After or X-RateLimit-*)."""
    path = urlsplit(response.url or "").path
    label = operation_label("GET", path)
    CURRENT.requests[f"{label} {response.status}"] += 1
    CURRENT.saw_judged("header_forms", f"{label} {response.status}")
    try:
        header_forms(response.headers.items())
    except AssertionError as error:
        CURRENT.record_failure(
            FailureRecord(
                check="header_forms",
                clause=clause_text("header_forms"),
                operation=label,
                title="Custom check failed: `header_forms`",
                message=redact_text(str(error)),
                curl=redact_text(f"curl -X GET '{response.url}'"),
                phase="429 waited out",
                kind=message_kind(str(error)),
            )
        )
    else:
        CURRENT.passes["header_forms"] += 1


def new_session() -> requests.Session:
    """A session with no credentials of its own: the key is added per request, never stored."""
    retry = RetryAfterOn429(
        total=MAX_RATE_LIMIT_RETRIES,
        connect=0,
        read=0,
        redirect=0,
        status_forcelist={429},
        allowed_methods={"GET", "HEAD"},
        respect_retry_after_header=True,
        raise_on_status=False,
        backoff_factor=0,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


# The session of this process: pytest runs one test at a time per process.
SESSION = new_session()


def count_and_redact(response: Response) -> None:
    """Every response of the run: the key removed, and counted by operation and status."""
    redact_key(response)
    request = response.request
    path = urlsplit(request.url or "").path
    label = operation_label(request.method or "GET", path)
    CURRENT.requests[f"{label} {response.status_code}"] += 1


class RunSessionTransport(RequestsTransport):
    """Schemathesis' requests transport, sending with the run's session by default.

    Schemathesis' auth probes drop the session they were given (it might hold credentials) and
    would get a fresh one without our 429 handling; ours holds no credentials, so it is safe
    to reuse for them."""

    def send(
        self, case: Case[Any], *, session: requests.Session | None = None, **kwargs: Any
    ) -> Response:
        phase = "follow-up and probes"
        if case.meta is not None:  # generated cases; the suite's loops set their own activity
            phase = case.meta.phase.name.value
            CURRENT.activity = f"{phase} {case.operation.label}"
        response = super().send(case, session=session or SESSION, **kwargs)
        CURRENT.phase_requests[phase] += 1
        count_and_redact(response)
        return response


RUN_TRANSPORT = RunSessionTransport()


def use_run_session(schema: BaseSchema) -> None:
    """Make every request sent for `schema` go through the run's session."""
    schema.__class__ = type(
        schema.__class__.__name__,
        (schema.__class__,),
        {"transport": property(lambda self: RUN_TRANSPORT)},
    )
