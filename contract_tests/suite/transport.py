"""The HTTP session every request of a contract run goes through.

One place decides how the suite behaves on the wire, for generated cases, the stateful run,
Schemathesis' own auth probes and the suite's probes and follow-up fetches alike (`RunSchema`
sends with the run's transport whenever no other session is given):
- every response is counted and has the API key filtered before anything reads it;
- a 429 that carries `Retry-After` is waited out and sent again (urllib3's Retry does the
  waiting; we only cap it so a hostile header cannot stall a CI job for hours);
- a 429 without `Retry-After` is not retried: it reaches the checks, which flag the header;
- redirects are never followed, so the key never travels to another host.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from schemathesis import Case, Response
from schemathesis.specs.openapi.schemas import OpenApiSchema
from schemathesis.transport.requests import RequestsTransport
from urllib3.exceptions import InvalidHeader
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from contract_tests.checks.exchange import request_from_url
from contract_tests.run.results import RunResults
from contract_tests.run.warnings import is_positive
from contract_tests.spec import operation_label
from contract_tests.suite.ahead import FetchAhead
from contract_tests.suite.redaction import FILTERED, key_forms

FOLLOW_UP = "follow-up and probes"  # the phase of the requests the suite sends itself
MAX_RETRY_AFTER = 30.0  # seconds: the longest single wait a run accepts
MAX_RATE_LIMIT_RETRIES = 3

WaitedOut = Callable[[BaseHTTPResponse], None]


def retry_after_on_429(waited_out: WaitedOut, results: RunResults) -> Retry:
    """Retry only a 429 that says when to come back, waiting at most MAX_RETRY_AFTER;
    `waited_out` judges each 429 before it is waited out (no check would see it otherwise)."""

    class RetryAfterOn429(Retry):
        def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
            return (
                status_code == 429
                and has_retry_after
                and super().is_retry(method, status_code, has_retry_after)
            )

        def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
            waited_out(response)
            try:
                seconds = super().get_retry_after(response)
            except InvalidHeader:  # not seconds nor a date: judged; retry without waiting
                return None
            if seconds is None:
                return None
            waited = min(max(seconds, 0.0), MAX_RETRY_AFTER)
            results.rate_limit_waits += 1
            results.rate_limit_wait_seconds += waited
            return waited

    return RetryAfterOn429(
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


class RunSession(requests.Session):
    """requests reads the proxy and CA-bundle variables of the environment again for every
    request (a walk over os.environ, ~5 % of a run's time); they do not change during a run,
    so this session reads them once per origin and set of options."""

    def __init__(self) -> None:
        super().__init__()
        self._environment: dict[tuple[str, ...], dict[str, Any]] = {}

    def merge_environment_settings(
        self, url: str, proxies: Any, stream: Any, verify: Any, cert: Any
    ) -> dict[str, Any]:
        scheme, netloc = urlsplit(url)[:2]
        key = (
            scheme,
            netloc,
            repr(sorted((proxies or {}).items())),
            *map(repr, (stream, verify, cert)),
        )
        if key not in self._environment:
            self._environment[key] = super().merge_environment_settings(
                url, proxies, stream, verify, cert
            )
        settings = self._environment[key]
        return {**settings, "proxies": dict(settings["proxies"])}


def new_session(retry: Retry) -> requests.Session:
    """A session with no credentials of its own: the key is added per request, never stored."""
    session = RunSession()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _text(value: str | bytes) -> str:
    return value if isinstance(value, str) else value.decode("latin-1")


def filter_key(response: Response, key: str) -> None:
    """Replace the API key wherever a server echoed it back (body or headers)."""
    forms = key_forms(key)
    for form in forms:
        raw = form.encode()
        if raw in response.content:
            response.content = response.content.replace(raw, FILTERED.encode())
    # One look at all header values first: an echo in a header is rare, a response common.
    values = "\n".join(value for values in response.headers.values() for value in values)
    echoed = [form for form in forms if form in values]
    for name, values_of_name in response.headers.items():
        if any(form in value for form in echoed for value in values_of_name):
            changed = list(values_of_name)
            for form in echoed:
                changed = [value.replace(form, FILTERED) for value in changed]
            response.headers[name] = changed


class RunTransport(RequestsTransport):
    """Schemathesis' requests transport, sending with the run's session by default, counting
    every response and filtering the key from it.

    Schemathesis' auth probes drop the session they were given (it might hold credentials) and
    would get a fresh one without our 429 handling; ours holds no credentials, so it is safe
    to reuse for them."""

    def __init__(
        self,
        session: requests.Session,
        results: RunResults,
        key: str,
        foreign_ids: frozenset[int] = frozenset(),
        ahead: FetchAhead | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.results = results
        self.key = key
        self.foreign_ids = foreign_ids  # calls of another account: a request for one is no
        # positive request (run/warnings.py)
        self.ahead = ahead  # the known calls fetched while the process started (ahead.py)

    def stop_fetching_ahead(self) -> None:
        """Before the transport's own first request: nothing else is in flight after it."""
        if self.ahead is not None:
            self.ahead.finish()
            self.ahead = None

    def send(
        self, case: Case[Any], *, session: requests.Session | None = None, **kwargs: Any
    ) -> Response:
        self.stop_fetching_ahead()
        phase = FOLLOW_UP
        if case.meta is not None:  # generated cases; the suite's loops set their own activity
            phase = case.meta.phase.name.value
            self.results.activity = f"{phase} {case.operation.label}"
        response = super().send(case, session=session or self.session, **kwargs)
        self.results.phase_requests[phase] += 1
        self.received(response)
        return response

    def received(self, response: Response) -> None:
        """Every response of the run: the key filtered, counted by operation and status,
        and among the answers to positive requests (the warnings read them)."""
        filter_key(response, self.key)
        request = response.request
        label = operation_label(request.method or "GET", urlsplit(request.url or "").path)
        self.results.requests[f"{label} {response.status_code}"] += 1
        sent = request_from_url(
            request.method or "GET",
            request.url or "",
            tuple((name, _text(value)) for name, value in request.headers.items()),
        )
        if is_positive(sent, self.key, self.foreign_ids):
            self.results.positive_requests[response.status_code] += 1


@dataclass(eq=False)
class RunSchema(OpenApiSchema):
    """The spec as Schemathesis loads it, sending every request with the run's transport."""

    run_transport: RunTransport | None = field(default=None, repr=False)

    @property
    def transport(self) -> Any:
        return self.run_transport if self.run_transport is not None else super().transport

    def clone(self, **changes: Any) -> RunSchema:
        """Schemathesis clones the schema for each parametrized test: keep the transport."""
        cloned = super().clone(**changes)
        cloned.run_transport = self.run_transport
        return cloned
