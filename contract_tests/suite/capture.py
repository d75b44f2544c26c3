"""The evidence of a failure: the failing exchange as plain data, with the API key filtered.

Every text of the exchange (URL, headers, body) is filtered in every form `key_forms` knows,
and the Authorization header's value is dropped but for its scheme (`Bearer [Filtered]`): a
report never needs it, only its form and what kind of credential it was (so that a replay
can send the same kind).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from contract_tests.checks.exchange import Exchange, request_from_url
from contract_tests.checks.registry import Breach, clause_text
from contract_tests.run.results import MAX_EVIDENCE_BODY, Evidence, FailureRecord
from contract_tests.suite.redaction import credential_form, scrub


def _text(content: bytes) -> str:
    return content.decode("utf-8", "replace")[:MAX_EVIDENCE_BODY]


def evidence_of(
    exchange: Exchange, key: str, reason: str = "", http_version: str = "1.1"
) -> Evidence:
    """`exchange` as evidence, every text filtered of `key`."""
    headers = []
    credential = ""
    for name, value in exchange.request.headers:
        if name.lower() == "authorization":
            credential = "key" if value == f"Bearer {key}" else "other"
            value = credential_form(value, key)
        headers.append([scrub(name, key), scrub(value, key)])
    received = datetime.now(UTC)
    method = exchange.operation.split(" ", 1)[0]
    return Evidence(
        started=(received - timedelta(seconds=exchange.elapsed)).isoformat(),
        milliseconds=round(exchange.elapsed * 1000, 3),
        method=method.upper(),
        url=scrub(exchange.url, key),
        request_headers=headers,
        request_body=None,  # every operation is a GET
        credential=credential,
        status=exchange.status,
        reason=reason,
        http_version=f"HTTP/{http_version}",
        response_headers=[
            [scrub(name, key), scrub(value, key)] for name, value in exchange.response_headers
        ],
        mime_type=scrub(exchange.response_header("content-type") or "", key),
        response_body=scrub(_text(exchange.body), key),
        response_size=len(exchange.body),
    )


def breach_record(breach: Breach, key: str, curl: str, phase: str) -> FailureRecord:
    """A breach as the results keep it, every text filtered of `key`."""
    identity = breach.identity
    return FailureRecord(
        check=identity.check,
        clause=clause_text(identity.check),
        operation=identity.operation,
        title=f"{identity.clause}: {breach.title}",
        message=scrub(breach.message, key),
        curl=scrub(curl, key),
        phase=phase,
        kind=identity.kind,
        clause_ref=identity.clause,
        field=identity.field,
    )


def exchange_from_evidence(evidence: Evidence, key: str) -> Exchange:
    """The exchange a piece of evidence recorded, to judge again; the Authorization header,
    filtered in the evidence, carries `key` again when it held the run's key."""
    headers: list[tuple[str, str]] = []
    for name, value in evidence.request_headers:
        if name.lower() == "authorization":
            value = f"Bearer {key}" if evidence.credential == "key" else value
        headers.append((name, value))
    return Exchange(
        request=request_from_url(evidence.method, evidence.url, tuple(headers)),
        status=evidence.status,
        response_headers=tuple((name, value) for name, value in evidence.response_headers),
        body=evidence.response_body.encode(),
        url=evidence.url,
        elapsed=evidence.milliseconds / 1000,
        received_at=datetime.fromisoformat(evidence.started)
        + timedelta(milliseconds=evidence.milliseconds),
    )
