"""The evidence of a failure: the failing exchange as plain data, with the API key filtered.

Every text of the exchange (URL, headers, body) is filtered in every form `key_forms` knows,
and the Authorization header's value is dropped but for its scheme (`Bearer [Filtered]`): a
report never needs it, only its form and what kind of credential it was (so that a replay
can send the same kind).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

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
    credential = ""
    for name, value in exchange.request.headers:
        if name.lower() == "authorization":
            credential = "key" if value == f"Bearer {key}" else "other"
    received = datetime.now(UTC)
    started = (received - timedelta(seconds=exchange.elapsed)).isoformat()

    def conceal(name: str, value: str) -> str | None:
        return credential_form(value, key) if name.lower() == "authorization" else None

    clean = partial(scrub, key=key)
    return evidence_with(exchange, clean, conceal, credential, started, reason, http_version)


def evidence_with(
    exchange: Exchange,
    clean: Callable[[str], str],
    conceal: Callable[[str, str], str | None],
    credential: str,
    started: str,
    reason: str = "",
    http_version: str = "1.1",
) -> Evidence:
    """`exchange` as evidence: every text through `clean`, and each header value that
    `conceal(name, value)` replaces written as it says (the Authorization header as its form,
    `Bearer [Filtered]`); `credential` says what the Authorization header held ("key",
    "other" or "")."""

    def written(name: str, value: str) -> list[str]:
        concealed = conceal(name, value)
        return [clean(name), clean(value) if concealed is None else concealed]

    headers = [written(name, value) for name, value in exchange.request.headers]
    method = exchange.operation.split(" ", 1)[0]
    return Evidence(
        started=started,
        milliseconds=round(exchange.elapsed * 1000, 3),
        method=method.upper(),
        url=clean(exchange.url),
        request_headers=headers,
        request_body=None,  # every operation is a GET
        credential=credential,
        status=exchange.status,
        reason=reason,
        http_version=f"HTTP/{http_version}",
        response_headers=[written(name, value) for name, value in exchange.response_headers],
        mime_type=clean(exchange.response_header("content-type") or ""),
        response_body=clean(_text(exchange.body)),
        response_size=len(exchange.body),
    )


def breach_record(breach: Breach, key: str, curl: str, phase: str) -> FailureRecord:
    """A breach as the results keep it, every text filtered of `key`."""
    return record_of_breach(breach, curl, phase, partial(scrub, key=key))


def record_of_breach(
    breach: Breach, curl: str, phase: str, clean: Callable[[str], str]
) -> FailureRecord:
    """A breach of our checks as the results keep it, every text through `clean`."""
    identity = breach.identity
    return FailureRecord(
        check=identity.check,
        clause=clause_text(identity.check),
        operation=identity.operation,
        title=f"{identity.clause}: {breach.title}",
        message=clean(breach.message),
        curl=clean(curl),
        phase=phase,
        kind=identity.kind,
        clause_ref=identity.clause,
        field=identity.field,
    )


def record_of_builtin(
    check: str, operation: str, failure: Any, curl: str, phase: str, clean: Callable[[str], str]
) -> FailureRecord:
    """A failure of a Schemathesis built-in check (a `schemathesis.core.failures.Failure`),
    keyed by Schemathesis' own identity of the breach (the status, the schema path...)."""
    return FailureRecord(
        check=check,
        clause=clause_text(check),
        operation=operation,
        title=failure.title,
        message=clean((failure.message or "").strip()),
        curl=clean(curl),
        phase=phase,
        kind=f"{type(failure).__name__}:{failure._unique_key}",
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
