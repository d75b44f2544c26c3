"""One request and its response, as plain data: what every check judges.

Any source of traffic can build one: the suite (from a Schemathesis case and response), a
HAR entry, a replay, a test driving a server in-process. Nothing here imports Schemathesis
or an HTTP library.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from contract_tests.spec import match_path

Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Request:
    """What is sent: an operation of the spec ("GET /v2/calls/{call_id}"), its path
    parameters as text, the query and headers as (name, value) pairs in order (a name may
    repeat)."""

    operation: str
    path_parameters: Mapping[str, str] = field(default_factory=dict)
    query: Pairs = ()
    headers: Pairs = ()

    def query_value(self, name: str) -> str | None:
        """The one value of query parameter `name`; None when absent or repeated."""
        values = [value for key, value in self.query if key == name]
        return values[0] if len(values) == 1 else None

    def header(self, name: str) -> str | None:
        """The first value of header `name` (any letter case); None when absent."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)

    @property
    def path(self) -> str:
        """The path with its parameters filled in (as sent, not URL-encoded)."""
        path = self.operation.split(" ", 1)[1]
        for name, value in self.path_parameters.items():
            path = path.replace("{" + name + "}", value)
        return path


@dataclass(frozen=True, eq=False)
class Exchange:
    """A request and the answer it got. `origin` is whatever the source keeps beside it
    (the suite: the Schemathesis case and response), never read by a check. `received_at`
    is when the answer arrived by the client's clock (None when the source does not say)."""

    request: Request
    status: int
    response_headers: Pairs
    body: bytes
    url: str = ""
    elapsed: float = 0.0  # seconds
    origin: Any = None
    received_at: datetime | None = None

    @property
    def operation(self) -> str:
        return self.request.operation

    @cached_property
    def decoded(self) -> Any:
        """The JSON body, parsed once for every check; None when it is not JSON."""
        try:
            return json.loads(self.body)
        except ValueError:  # not JSON, or not UTF-8 text (UnicodeDecodeError is a ValueError)
            return None

    def json_object(self, operation: str, status: int = 200) -> dict[str, Any] | None:
        """The JSON object answered to `operation` with `status`; None for anything else."""
        if self.operation != operation or self.status != status:
            return None
        body = self.decoded
        return body if isinstance(body, dict) else None

    def response_header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((value for key, value in self.response_headers if key.lower() == wanted), None)


def request_from_url(method: str, url: str, headers: Pairs) -> Request:
    """The Request of a recorded `method url` (a HAR entry, a log line): its operation and
    path parameters read against the spec's paths (the raw path when it is none of them)."""
    parts = urlsplit(url)
    matched = match_path(parts.path)
    template, parameters = matched if matched is not None else (parts.path, {})
    query = tuple(parse_qsl(parts.query, keep_blank_values=True))
    return Request(f"{method.upper()} {template}", parameters, query, headers)


Sender = Callable[[Request], Exchange]
"""Sends a request and returns the exchange: how a probe or a follow-up fetch reaches the
server, whatever carries it (the suite's transport, an httpx client, a test app)."""
