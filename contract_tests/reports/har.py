"""evidence.har: the first failing exchange of each distinct failure, as HAR 1.2, which
browsers' developer tools, HAR viewers and proxies open.

Written with `harfile`, the HAR writer Schemathesis itself uses for its `--report har` (it
comes with the pinned Schemathesis): it knows HAR 1.2's required fields and their order, so
this module only maps our exchanges onto its records. Each entry's comment names the
failure's number, check, clause and distinct-failure key; an Authorization header's comment
says what kind of credential it held (its value is always [Filtered]), which a replay needs.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import harfile

from contract_tests.reports.evidence import HAR_NAME, entry_numbers, scrubbed_exchanges, scrubber
from contract_tests.run.results import Evidence, FailureRecord
from contract_tests.run.runner import RunOutcome

CREATOR = "thinnestai-contract-kit"
CREDENTIALS = {
    "key": "the run's API key",
    "other": "a credential other than the run's key (made up by the suite)",
}


def _version() -> str:
    try:
        return metadata.version(CREATOR)
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def _headers(pairs: list[list[str]], credential: str = "") -> list[harfile.Record]:
    return [
        harfile.Record(
            name=name,
            value=value,
            comment=CREDENTIALS.get(credential) if name.lower() == "authorization" else None,
        )
        for name, value in pairs
    ]


def _headers_size(pairs: list[list[str]]) -> int:
    """The header block's bytes as sent, without the start line (HAR allows -1 for unknown)."""
    return sum(len(f"{name}: {value}\r\n".encode()) for name, value in pairs) + 2


def _request(exchange: Evidence) -> harfile.Request:
    query = urlsplit(exchange.url).query
    body = exchange.request_body
    return harfile.Request(
        method=exchange.method,
        url=exchange.url,
        httpVersion=exchange.http_version,
        headers=_headers(exchange.request_headers, exchange.credential),
        queryString=[
            harfile.Record(name=name, value=value)
            for name, value in parse_qsl(query, keep_blank_values=True)
        ],
        postData=None if body is None else harfile.PostData(mimeType="", text=body),
        headersSize=_headers_size(exchange.request_headers),
        bodySize=0 if body is None else len(body.encode()),
    )


def _response(exchange: Evidence) -> harfile.Response:
    kept = len(exchange.response_body.encode())
    cut = kept < exchange.response_size
    location = [value for name, value in exchange.response_headers if name.lower() == "location"]
    return harfile.Response(
        status=exchange.status,
        statusText=exchange.reason,
        httpVersion=exchange.http_version,
        headers=_headers(exchange.response_headers),
        content=harfile.Content(
            size=exchange.response_size,
            mimeType=exchange.mime_type,
            text=exchange.response_body,
            comment=f"cut to its first {kept} bytes" if cut else None,
        ),
        redirectURL=location[0] if location else "",
        headersSize=_headers_size(exchange.response_headers),
        bodySize=exchange.response_size,
    )


def _comment(number: int, record: FailureRecord) -> str:
    clause = record.clause or "see the spec"
    return f"failure {number}: {record.check} ({clause}); distinct failure: {record.key}"


def write_har(outcome: RunOutcome, report_dir: Path) -> Path | None:
    """evidence.har in `report_dir`, one entry per distinct failure with evidence; None (and
    any older file removed, so it cannot be taken for this run's) when there is none."""
    path = report_dir / HAR_NAME
    numbers = entry_numbers(outcome.results)
    if not numbers:
        path.unlink(missing_ok=True)
        return None
    exchanges = scrubbed_exchanges(outcome)
    scrub = scrubber(outcome)
    creator = harfile.Creator(name=CREATOR, version=_version())
    seed = outcome.plan.seed
    with harfile.open(path, creator=creator, comment=f"contract run, seed {seed}") as har:
        for key, number in numbers.items():
            exchange = exchanges[key]
            # The wait is the only phase measured (requests gives the time to the answer).
            har.add_entry(
                startedDateTime=exchange.started,
                time=exchange.milliseconds,
                request=_request(exchange),
                response=_response(exchange),
                timings=harfile.Timings(send=0, wait=exchange.milliseconds, receive=0),
                comment=scrub(_comment(number, outcome.results.examples[key])),
            )
    return path
