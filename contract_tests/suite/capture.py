"""The evidence of a failure: the failing exchange as plain data, with the API key filtered.

The transport has already filtered the key from the response; here every text of the
exchange (URL, headers, bodies) is filtered again, in every form `key_forms` knows, and the
Authorization header's value is dropped whole: a report never needs it, only what kind of
credential it was (so that a replay can send the same kind).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from schemathesis import Case, Response

from contract_tests.run.results import MAX_EVIDENCE_BODY, Exchange
from contract_tests.suite.redaction import FILTERED, scrub

__all__ = ["FILTERED", "capture", "scrub"]


def _text(content: bytes | str | None) -> str | None:
    if content is None:
        return None
    text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    return text[:MAX_EVIDENCE_BODY]


def _body(body: object, key: str) -> str | None:
    """A request body as text (GETs send none; a streamed body is not kept)."""
    if isinstance(body, bytes | str):
        return scrub(_text(body) or "", key)
    return None


def capture(case: Case[Any], response: Response, key: str) -> Exchange:
    """The exchange of `response` (sent for `case`), every text filtered of `key`."""
    request = response.request
    headers = []
    credential = ""
    for name, value in request.headers.items():
        if name.lower() == "authorization":
            credential = "key" if value == f"Bearer {key}" else "other"
            value = FILTERED
        headers.append([scrub(name, key), scrub(str(value), key)])
    received = datetime.now(UTC)
    return Exchange(
        started=(received - timedelta(seconds=response.elapsed)).isoformat(),
        milliseconds=round(response.elapsed * 1000, 3),
        method=(request.method or case.method).upper(),
        url=scrub(request.url or "", key),
        request_headers=headers,
        request_body=_body(request.body, key),
        credential=credential,
        status=response.status_code,
        reason=response.message,
        http_version=f"HTTP/{response.http_version}",
        response_headers=[
            [scrub(name, key), scrub(value, key)]
            for name, values in response.headers.items()
            for value in values
        ],
        mime_type=scrub((response.headers.get("content-type") or [""])[0], key),
        response_body=scrub(_text(response.content) or "", key),
        response_size=response.content_size,
    )
