"""Faults in the form of a response: its status code, media type and documented headers.

Each changes the finished response (the `finish` stage), or the 429s of the throttle, and
leaves what the body says alone.
"""

from __future__ import annotations

from email.utils import formatdate

from starlette.requests import Request
from starlette.responses import Response

from contract_tests.reference_server.changes import Fault, on_responses, on_stage
from contract_tests.reference_server.ratelimit import EveryNth, Throttle, Verdict


def _rebuilt(
    response: Response, *, status: int | None = None, body: bytes | None = None, media_type: str
) -> Response:
    """The same response with another status, body or content type (other headers kept)."""
    headers = {
        name: value
        for name, value in response.headers.items()
        if name not in ("content-type", "content-length")
    }
    return Response(
        content=response.body if body is None else body,
        status_code=response.status_code if status is None else status,
        headers=headers,
        media_type=media_type,
    )


def text_plain_success(request: Request, response: Response) -> Response:
    if response.status_code != 200:
        return response
    return _rebuilt(response, media_type="text/plain")


def html_errors(request: Request, response: Response) -> Response:
    if response.status_code not in (403, 404):
        return response
    reason = "Forbidden" if response.status_code == 403 else "Not Found"
    page = f"<html><body><h1>{reason}</h1></body></html>".encode()
    return _rebuilt(response, body=page, media_type="text/html")


def gone_for_not_found(request: Request, response: Response) -> Response:
    if response.status_code != 404:
        return response
    return _rebuilt(
        response,
        status=410,
        body=b'{"detail":"Call gone","status":410}',
        media_type="application/json",
    )


def drop_www_authenticate(request: Request, response: Response) -> Response:
    if "www-authenticate" in response.headers:
        del response.headers["www-authenticate"]
    return response


def plenty_remaining(request: Request, response: Response) -> Response:
    response.headers["X-RateLimit-Remaining"] = "plenty"
    return response


def dated_retry_after(throttle: Throttle) -> Throttle:
    """Every tenth request is 429 with Retry-After as an HTTP date, not seconds."""
    every_tenth = EveryNth(10)

    def refuse() -> Verdict:
        verdict = every_tenth()
        if verdict.retry_after is None:
            return throttle()
        return Verdict({**verdict.headers, "Retry-After": formatdate(usegmt=True)}, 0)

    return refuse


RESPONSE_FAULTS: tuple[Fault, ...] = (
    Fault(
        "wrong-content-type",
        "every 200 body is sent as text/plain",
        "The call record / listCalls: JSON bodies (`application/json`)",
        "content_type_conformance",
        on_responses(text_plain_success),
    ),
    Fault(
        "non-json-error-body",
        "403 and 404 are answered with a text/html page",
        "Errors: every error body is JSON (`application/json`)",
        "content_type_conformance",
        on_responses(html_errors),
    ),
    Fault(
        "undocumented-status-code",
        "404 is answered as 410 Gone",
        "Operations in scope: getCall answers 200, 401, 403, 404, 422, 429",
        "status_code_conformance",
        on_responses(gone_for_not_found),
    ),
    Fault(
        "missing-www-authenticate",
        "401 is sent without the WWW-Authenticate header",
        "Errors: 401 carries header `WWW-Authenticate: Bearer`",
        "response_headers_conformance",
        on_responses(drop_www_authenticate),
    ),
    Fault(
        "bad-ratelimit-header",
        "every response says `X-RateLimit-Remaining: plenty`",
        "Errors: X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset are integers",
        "response_headers_conformance",
        on_responses(plenty_remaining),
    ),
    Fault(
        "retry-after-date",
        "every tenth request is 429 with Retry-After as an HTTP date, not seconds",
        "Errors: 429 carries `Retry-After` (seconds)",
        "header_forms",
        on_stage("throttle", dated_retry_after),
    ),
)
