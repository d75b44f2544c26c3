"""Recorded exchanges of the Calls API, read as a stream: HAR 1.2 and NDJSON.

    HAR 1.2   browser developer tools, proxies, the kit's own evidence.har: read entry by
              entry with ijson (an incremental JSON parser), never the whole document
    NDJSON    what gateways and log pipelines export, one exchange a line:
              {"request": {"method", "url", "headers"},
               "response": {"status", "headers", "body"}, "started": RFC 3339}
              headers an object of name to value (a list for a repeated header), the body
              as text; optional "elapsed_ms"

Each exchange becomes the checks' plain `Exchange` (its operation matched against the spec's
paths). A file that is neither, or an entry without what an exchange needs, is a ConfigError:
one line naming the file and the entry or line, exit 2. The writers (HAR and NDJSON) are
what the kit's tests record with.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import ijson

from contract_tests.checks.exchange import Exchange, request_from_url
from contract_tests.run.settings import ConfigError

FORMATS = "HAR 1.2 or NDJSON (one exchange a line, see README: Judging recorded traffic)"


@dataclass(frozen=True)
class Recorded:
    """One exchange of a recording, where it was found ("FILE entry 3", "FILE line 7")."""

    exchange: Exchange
    started: str
    where: str


def _pairs(headers: Any, where: str) -> tuple[tuple[str, str], ...]:
    """Headers as (name, value) pairs: HAR's [{name, value}] or NDJSON's {name: value|[...]}."""
    if isinstance(headers, list):
        try:
            return tuple((str(item["name"]), str(item["value"])) for item in headers)
        except (KeyError, TypeError):
            raise ConfigError(f"{where}: a header is not a {{name, value}} object") from None
    if isinstance(headers, Mapping):
        pairs: list[tuple[str, str]] = []
        for name, value in headers.items():
            values = value if isinstance(value, list) else [value]
            pairs += [(str(name), str(item)) for item in values]
        return tuple(pairs)
    if headers is None:
        return ()
    raise ConfigError(f"{where}: headers must be a list (HAR) or an object (NDJSON)")


def _exchange(
    method: Any,
    url: Any,
    request_headers: Any,
    status: Any,
    response_headers: Any,
    body: bytes,
    elapsed_ms: Any,
    where: str,
) -> Exchange:
    if not isinstance(method, str) or not isinstance(url, str) or not url:
        raise ConfigError(f"{where}: the request needs a method and a URL")
    try:
        code = int(status)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: the response status {status!r} is not a number") from None
    request = request_from_url(method, url, _pairs(request_headers, where))
    try:
        elapsed = float(elapsed_ms or 0) / 1000
    except (TypeError, ValueError):
        elapsed = 0.0
    return Exchange(request, code, _pairs(response_headers, where), body, url, elapsed)


def _har_body(content: Any, where: str) -> bytes:
    if not isinstance(content, Mapping):
        return b""
    text = content.get("text") or ""
    if not isinstance(text, str):
        raise ConfigError(f"{where}: response.content.text is not text")
    if content.get("encoding") == "base64":
        try:
            return base64.b64decode(text, validate=True)
        except binascii.Error:
            raise ConfigError(f"{where}: response.content.text is not valid base64") from None
    return text.encode()


def har_exchange(entry: Any, where: str) -> Recorded:
    """One HAR 1.2 entry as a recorded exchange."""
    if not isinstance(entry, Mapping):
        raise ConfigError(f"{where} is not a HAR entry object")
    request, response = entry.get("request"), entry.get("response")
    if not isinstance(request, Mapping) or not isinstance(response, Mapping):
        raise ConfigError(f"{where} has no request and response")
    exchange = _exchange(
        request.get("method"),
        request.get("url"),
        request.get("headers"),
        response.get("status"),
        response.get("headers"),
        _har_body(response.get("content"), where),
        entry.get("time"),
        where,
    )
    return Recorded(exchange, str(entry.get("startedDateTime") or ""), where)


def ndjson_exchange(line: bytes | str, where: str) -> Recorded:
    """One NDJSON line as a recorded exchange."""
    try:
        item = json.loads(line)
    except ValueError:
        raise ConfigError(f"{where} is not JSON: give {FORMATS}") from None
    if not isinstance(item, Mapping):
        raise ConfigError(f"{where} is not an exchange object: give {FORMATS}")
    request, response = item.get("request"), item.get("response")
    if not isinstance(request, Mapping) or not isinstance(response, Mapping):
        raise ConfigError(f"{where} has no request and response objects")
    body = response.get("body")
    if body is not None and not isinstance(body, str):
        raise ConfigError(f"{where}: response.body must be text")
    exchange = _exchange(
        request.get("method"),
        request.get("url"),
        request.get("headers"),
        response.get("status"),
        response.get("headers"),
        (body or "").encode(),
        item.get("elapsed_ms"),
        where,
    )
    return Recorded(exchange, str(item.get("started") or ""), where)


def _first_character(handle: IO[bytes]) -> bytes:
    while True:
        char = handle.read(1)
        if not char or not char.isspace():
            return char


def _is_har(path: Path) -> bool:
    """A HAR is one JSON document, `{"log": ...`; NDJSON has an exchange on its first line."""
    if path.suffix.lower() == ".har":
        return True
    if path.suffix.lower() in (".ndjson", ".jsonl"):
        return False
    with path.open("rb") as handle:
        if _first_character(handle) != b"{":
            return False
        first_line = handle.readline()
    return b'"log"' in first_line[:200] or not first_line.rstrip().endswith(b"}")


def read_raw(path: Path) -> Iterator[tuple[str, Any, str]]:
    """("har", entry, where) or ("ndjson", line, where) for each exchange, streamed: the cheap
    step a parallel judge keeps in one process, leaving the parsing to its workers."""
    try:
        if _is_har(path):
            with path.open("rb") as handle:
                entries = ijson.items(handle, "log.entries.item", use_float=True)
                for number, entry in enumerate(entries, 1):
                    yield "har", entry, f"{path} entry {number}"
        else:
            with path.open("rb") as handle:
                for number, line in enumerate(handle, 1):
                    if line.strip():
                        yield "ndjson", line, f"{path} line {number}"
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror or error}") from None
    except ijson.JSONError as error:
        raise ConfigError(f"{path} is not a HAR 1.2 file ({error}): give {FORMATS}") from None


def parse_raw(kind: str, item: Any, where: str) -> Recorded:
    return har_exchange(item, where) if kind == "har" else ndjson_exchange(item, where)


def read_recording(path: Path) -> Iterator[Recorded]:
    """Every exchange of `path`, one at a time, in the order recorded."""
    for kind, item, where in read_raw(path):
        yield parse_raw(kind, item, where)


# ---- writing (the kit's tests record with these) ---------------------------------------------


def _method(exchange: Exchange) -> str:
    return exchange.operation.split(" ", 1)[0]


def ndjson_line(exchange: Exchange, started: str) -> str:
    """One exchange as an NDJSON line (repeated headers as lists)."""

    def headers(pairs: Iterable[tuple[str, str]]) -> dict[str, str | list[str]]:
        found: dict[str, list[str]] = {}
        for name, value in pairs:
            found.setdefault(name, []).append(value)
        return {name: values[0] if len(values) == 1 else values for name, values in found.items()}

    return json.dumps(
        {
            "request": {
                "method": _method(exchange),
                "url": exchange.url,
                "headers": headers(exchange.request.headers),
            },
            "response": {
                "status": exchange.status,
                "headers": headers(exchange.response_headers),
                "body": exchange.body.decode("utf-8", "replace"),
            },
            "started": started,
            "elapsed_ms": round(exchange.elapsed * 1000, 3),
        }
    )


def write_ndjson(exchanges: Iterable[tuple[Exchange, str]], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for exchange, started in exchanges:
            handle.write(ndjson_line(exchange, started) + "\n")
    return path


def write_har(exchanges: Iterable[tuple[Exchange, str]], path: Path) -> Path:
    """The exchanges as HAR 1.2 (written with harfile, as evidence.har is)."""
    import harfile

    creator = harfile.Creator(name="thinnestai-contract-kit", version="recording")
    with harfile.open(path, creator=creator) as har:
        for exchange, started in exchanges:
            request_headers = [harfile.Record(name=n, value=v) for n, v in exchange.request.headers]
            response_headers = [
                harfile.Record(name=n, value=v) for n, v in exchange.response_headers
            ]
            milliseconds = round(exchange.elapsed * 1000, 3)
            har.add_entry(
                startedDateTime=started,
                time=milliseconds,
                request=harfile.Request(
                    method=_method(exchange),
                    url=exchange.url,
                    httpVersion="HTTP/1.1",
                    headers=request_headers,
                    queryString=[
                        harfile.Record(name=n, value=v) for n, v in exchange.request.query
                    ],
                    headersSize=-1,
                    bodySize=0,
                ),
                response=harfile.Response(
                    status=exchange.status,
                    statusText="",
                    httpVersion="HTTP/1.1",
                    headers=response_headers,
                    content=harfile.Content(
                        size=len(exchange.body),
                        mimeType=exchange.response_header("content-type") or "",
                        text=exchange.body.decode("utf-8", "replace"),
                    ),
                    redirectURL="",
                    headersSize=-1,
                    bodySize=len(exchange.body),
                ),
                timings=harfile.Timings(send=0, wait=milliseconds, receive=0),
            )
    return path
