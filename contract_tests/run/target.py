"""Where a run goes: the embedded reference server, or a remote server checked before any test.

Problems that mean "the run cannot be made" surface here, before pytest starts, as one
`ConfigError` line: an unreachable host, a DNS or TLS failure, a time-out, a rejected key.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from contract_tests.run.settings import ENV_API_KEY, ConfigError, Settings

DISCOVERY_PAGE = 100  # listCalls' maximum page
MAX_PREFLIGHT_BYTES = 5_000_000  # enough for a page of summaries; a larger body is not read


@dataclass(frozen=True)
class Target:
    base_url: str
    api_key: str = field(repr=False)
    call_ids: tuple[int, ...]
    foreign_call_ids: tuple[int, ...]
    description: str
    notes: tuple[str, ...] = ()


@contextmanager
def open_target(
    settings: Settings, faults: Sequence[str] = (), quirks: Sequence[str] = ()
) -> Iterator[Target]:
    """The target of `settings`; starts and stops the embedded server when there is no URL.

    `faults` and `quirks` pick reference-server behaviours (used by the kit's own tests)."""
    if settings.embedded:
        from contract_tests.reference_server import DEMO, EmbeddedServer

        with EmbeddedServer(faults=faults, quirks=quirks) as server:
            try:
                listed, _ = preflight(server.base_url, DEMO.api_key, settings.timeout)
            except ConfigError:  # a fault that refuses the demo key: the suite will say so
                listed = ()
            # Listed ids in diverse order first, then those never listed (deleted calls).
            known = (*listed, *(i for i in DEMO.call_ids if i not in set(listed)))
            yield Target(
                base_url=server.base_url,
                api_key=DEMO.api_key,
                call_ids=settings.call_ids or known,
                foreign_call_ids=settings.foreign_call_ids or DEMO.foreign_call_ids,
                description="embedded reference server"
                + (f", faults {', '.join(faults)}" if faults else "")
                + (f", quirks {', '.join(quirks)}" if quirks else ""),
            )
        return
    assert settings.base_url is not None and settings.api_key is not None
    discovered, notes = preflight(settings.base_url, settings.api_key, settings.timeout)
    yield Target(
        base_url=settings.base_url,
        api_key=settings.api_key,
        call_ids=settings.call_ids or discovered,
        foreign_call_ids=settings.foreign_call_ids,
        description="remote server",
        notes=notes,
    )


def _unreachable(base_url: str, error: httpx.HTTPError, timeout: float) -> ConfigError:
    host = urlsplit(base_url).hostname
    if isinstance(error, httpx.TimeoutException):
        return ConfigError(
            f"{base_url} did not answer within {timeout:g}s: check the server, or raise --timeout"
        )
    reason = str(error) or type(error).__name__
    lowered = reason.lower()
    if (
        "name or service not known" in lowered
        or "nodename nor servname" in lowered
        or ("temporary failure in name resolution" in lowered)
    ):
        return ConfigError(f"cannot resolve host {host!r}: check --base-url ({reason})")
    if "ssl" in lowered or "certificate" in lowered or "tls" in lowered:
        return ConfigError(
            f"TLS handshake with {host} failed: check the URL and certificate ({reason})"
        )
    return ConfigError(f"cannot reach {base_url}: {reason}. Is the server up and the URL right?")


def preflight(
    base_url: str, api_key: str, timeout: float
) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """One listCalls request: proves the target answers and the key is accepted, and
    discovers call ids. Returns (ids, notes)."""
    url = f"{base_url}/v2/calls"
    headers = {"Authorization": f"Bearer {api_key}", "Accept": "application/json"}
    try:
        with (
            httpx.Client(timeout=timeout, follow_redirects=False) as client,
            client.stream(
                "GET", url, params={"limit": DISCOVERY_PAGE}, headers=headers
            ) as response,
        ):
            body = b""
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_PREFLIGHT_BYTES:
                    break
    except httpx.HTTPError as error:
        raise _unreachable(base_url, error, timeout) from None
    if response.status_code == 401:
        raise ConfigError(f"{base_url} rejected the API key (401): check {ENV_API_KEY}")
    if response.is_redirect:
        note = (
            f"listCalls answered {response.status_code} (a redirect, not followed so the key "
            "stays with this host); no call ids discovered"
        )
        return (), (note,)
    if response.status_code != 200 or len(body) > MAX_PREFLIGHT_BYTES:
        return (), (f"listCalls answered {response.status_code}; no call ids discovered",)
    try:
        page = json.loads(body)
        summaries = [
            summary
            for summary in page["calls"]
            if isinstance(summary.get("id"), int) and summary["id"] >= 1
        ]
    except (ValueError, KeyError, TypeError, AttributeError):
        return (), ("listCalls did not return a readable page; no call ids discovered",)
    ids = diverse_order(summaries)
    kinds = len({(summary.get("status"), summary.get("type")) for summary in summaries})
    return ids, (f"{len(ids)} call ids discovered with listCalls ({kinds} status x type kinds)",)


def diverse_order(summaries: list[dict[str, Any]]) -> tuple[int, ...]:
    """Listed ids, one of each (status, type) kind in turn, so that the first few fetched
    cover every kind the listing shows (a pending inbound call, an error web call...), not
    only the most common one."""
    groups: dict[tuple[Any, Any], list[int]] = {}
    for summary in summaries:
        groups.setdefault((summary.get("status"), summary.get("type")), []).append(summary["id"])
    ordered: list[int] = []
    for round_ in itertools.zip_longest(*groups.values()):
        ordered += [call_id for call_id in round_ if call_id is not None]
    return tuple(ordered)
