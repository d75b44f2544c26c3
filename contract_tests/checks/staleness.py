"""When a listing was served, and whether a listed call's status was already out of date then.

Invariant 10 lets an unfinished call move on between the listing and the fetch by id. The
record says when it last changed (`updated_at`; `ended_at` and `started_at` come no later,
invariant 2): a change dated after the listing was served is movement; a change dated before
it is one the listing should have shown, so the listing is stale.

When the listing was served: its `Date` header (the server's clock, which wrote the record's
timestamps too), with DATE_TOLERANCE for a gateway that writes Date with a clock of its own;
without one, when the request was sent by the client's clock (the answer cannot be older),
with CLIENT_CLOCK_TOLERANCE for the skew between the client's clock and the server's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from contract_tests.checks.exchange import Exchange
from contract_tests.checks.failures import ListingStale
from contract_tests.checks.invariants import _instant as instant

DATE_TOLERANCE = timedelta(seconds=5)
CLIENT_CLOCK_TOLERANCE = timedelta(minutes=5)


@dataclass(frozen=True)
class ServedAt:
    moment: datetime  # the listing was served at or after this moment
    tolerance: timedelta  # how much earlier a change must be dated to count as before it
    source: str  # for the message: "its Date header" or "the client's clock"


def _http_date(text: str) -> datetime | None:
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def served_at(exchange: Exchange) -> ServedAt | None:
    """When `exchange`'s answer was served at the earliest; None when nothing says."""
    date = exchange.response_header("date")
    moment = _http_date(date) if date else None
    if moment is not None:
        return ServedAt(moment, DATE_TOLERANCE, "its Date header")
    if exchange.received_at is not None:
        sent = exchange.received_at - timedelta(seconds=exchange.elapsed)
        return ServedAt(sent, CLIENT_CLOCK_TOLERANCE, "the client's clock")
    return None


def listed_status_current(
    call_id: int, listed: object, record: Mapping[str, Any], served: ServedAt
) -> None:
    """Invariant 10: a call listed in status `listed` whose record (fetched after the
    listing) is in a later status must have changed after the listing was served; raises
    ListingStale when the record's `updated_at` is more than the tolerance before it."""
    updated = instant(record.get("updated_at"))
    if updated is None or updated >= served.moment - served.tolerance:
        return
    lag = served.moment - updated
    raise ListingStale(
        f"call {call_id} was listed {listed!r}, but its record is {record.get('status')!r} "
        f"since {record.get('updated_at')}, {_duration(lag)} before the listing was served "
        f"({served.source}, {served.moment.isoformat()}; tolerance {_duration(served.tolerance)})",
        field="status",
        kind="listed as before a change made before the listing",
    )


def _duration(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    for unit, size in (("d", 86_400), ("h", 3_600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit}"
    return f"{seconds} s"
