"""The entries of a HAR file as a replay needs them: the request, the answer recorded, and
the failure the kit's entry comment names (none for a HAR another tool wrote).

Any HAR 1.2 file is read: the kit's evidence.har, or a browser's or a proxy's export. Only
what is needed to send the request again and to compare the answers is kept.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from contract_tests.run.settings import ConfigError

# Headers the transport sets itself for every request; a replay must not send stale copies
# (and a browser's cookies, referer or fetch metadata say nothing about the contract).
NOT_REPLAYED = {
    "host",
    "content-length",
    "connection",
    "accept-encoding",
    "user-agent",
    "x-schemathesis-testcaseid",
    "authorization",
    "cookie",
    "referer",
    "origin",
}
# The kit's entry comment: "failure 3: cost_adds_up (clause); distinct failure: KEY".
KIT_COMMENT = re.compile(r"^failure \d+: (?P<check>\S+) .*?(?:; distinct failure: (?P<key>.+))?$")

Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Recorded:
    """One HAR entry. `authorization` holds the Authorization values as recorded (filtered
    or not), `authorization_comment` the kit's comment on the first one (older kit HARs
    wrote no form, only that comment); `check` and `key` the failure the kit recorded."""

    number: int
    method: str
    url: str
    path: str
    query: Pairs
    headers: Pairs  # what is sent again, in order
    authorization: tuple[str, ...]
    authorization_comment: str
    status: int
    reason: str
    response_headers: Pairs
    body: bytes
    started: datetime | None
    elapsed: float  # seconds
    check: str = ""
    key: str = ""


def _entries(har: Path) -> list[Any]:
    try:
        document = json.loads(har.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"cannot read {har}: {error.strerror or error}") from None
    except ValueError:
        raise ConfigError(
            f"{har} is not JSON: give the evidence.har a contract run wrote, or a HAR export"
        ) from None
    entries = document.get("log", {}).get("entries") if isinstance(document, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{har} holds no HAR entries: give the evidence.har of a failing run")
    return entries


def _pairs(records: Any) -> Pairs:
    return tuple((str(record["name"]), str(record["value"])) for record in records or [])


def _started(text: object) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _body(content: Any) -> bytes:
    """The recorded body (HAR exports may hold it base64-encoded)."""
    text = str(content.get("text") or "")
    if content.get("encoding") == "base64":
        try:
            return base64.b64decode(text)
        except ValueError:
            return b""
    return text.encode()


def _recorded(number: int, entry: Any, har: Path) -> Recorded:
    try:
        request, response = entry["request"], entry["response"]
        url = str(request["url"])
        headers = request.get("headers") or []
        auth = [h for h in headers if str(h["name"]).lower() == "authorization"]
        query = _pairs(request.get("queryString"))
        content = response.get("content") or {}
        status = int(response["status"])
    except (KeyError, TypeError, ValueError):
        raise ConfigError(
            f"entry {number} of {har} is not a HAR 1.2 request and response"
        ) from None
    failed = KIT_COMMENT.match(str(entry.get("comment") or ""))
    return Recorded(
        number=number,
        method=str(request.get("method", "GET")).upper(),
        url=url,
        path=urlsplit(url).path,
        query=query or tuple(parse_qsl(urlsplit(url).query, keep_blank_values=True)),
        headers=tuple(pair for pair in _pairs(headers) if pair[0].lower() not in NOT_REPLAYED),
        authorization=tuple(str(h["value"]) for h in auth),
        authorization_comment=str(auth[0].get("comment") or "") if auth else "",
        status=status,
        reason=str(response.get("statusText") or ""),
        response_headers=_pairs(response.get("headers")),
        body=_body(content),
        started=_started(entry.get("startedDateTime")),
        elapsed=float(entry.get("time") or 0) / 1000,
        check=failed.group("check") if failed else "",
        key=(failed.group("key") or "") if failed else "",
    )


def read_entries(har: Path, number: int | None = None) -> list[Recorded]:
    """Every entry of `har` (or entry `number`, 1 for the first); ConfigError when the file
    or the entry cannot be read."""
    entries = _entries(har)
    if number is None:
        return [_recorded(n, entry, har) for n, entry in enumerate(entries, 1)]
    if not 1 <= number <= len(entries):
        raise ConfigError(
            f"--entry {number}: {har} has entries 1 to {len(entries)} (summary.md names each)"
        )
    return [_recorded(number, entries[number - 1], har)]
