"""Stale listings (issue 22, item 5): a listed call whose status its record, fetched after the
listing, dates as changed before the listing was served is stale; a later change is movement.

The fault that makes the check fire (`stale-listing`) and the live-data quirk it must stay
quiet on are proven in tests/test_fault_proofs.py; here are the clocks it reads, and a live
server whose calls do move between the listing and the fetch.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from contract_tests.checks import staleness
from contract_tests.checks.context import CheckContext, Fetcher
from contract_tests.checks.exchange import Exchange, Request
from contract_tests.checks.failures import ListingStale
from contract_tests.checks.registry import listed_calls_not_stale
from contract_tests.reference_server import DEMO, EmbeddedServer
from contract_tests.spec import GET_CALL, LIST_CALLS

SERVED = datetime(2026, 3, 25, 18, 0, tzinfo=UTC)


def listing(date: str | None, received_at: datetime | None = None) -> Exchange:
    headers = (("Date", date),) if date is not None else ()
    return Exchange(Request(LIST_CALLS), 200, headers, b"{}", elapsed=0.5, received_at=received_at)


def record(updated_at: datetime) -> dict[str, object]:
    return {"id": 7, "status": "ended", "updated_at": updated_at.isoformat()}


def test_the_date_header_says_when_the_listing_was_served() -> None:
    served = staleness.served_at(listing(format_datetime(SERVED, usegmt=True)))
    assert served is not None and served.moment == SERVED
    assert served.tolerance == staleness.DATE_TOLERANCE


def test_without_a_date_the_clients_clock_says_it_with_a_wider_tolerance() -> None:
    served = staleness.served_at(listing(None, received_at=SERVED))
    assert served is not None and served.moment == SERVED - timedelta(seconds=0.5)
    assert served.tolerance == staleness.CLIENT_CLOCK_TOLERANCE
    assert staleness.served_at(listing("not a date")) is None


@pytest.mark.parametrize(
    ("updated", "stale"),
    [
        (timedelta(hours=-1), True),  # ended an hour before the listing: the listing is stale
        (-staleness.DATE_TOLERANCE - timedelta(seconds=1), True),
        (-staleness.DATE_TOLERANCE, False),  # within the tolerance: movement
        (timedelta(seconds=30), False),  # after the listing: movement
    ],
)
def test_a_change_before_the_listing_is_stale_and_after_it_movement(
    updated: timedelta, stale: bool
) -> None:
    served = staleness.ServedAt(SERVED, staleness.DATE_TOLERANCE, "its Date header")
    if stale:
        with pytest.raises(ListingStale, match="listed 'active'"):
            staleness.listed_status_current(7, "active", record(SERVED + updated), served)
    else:
        staleness.listed_status_current(7, "active", record(SERVED + updated), served)


def test_calls_that_move_on_a_live_server_are_movement_not_staleness() -> None:
    """List, let the live data end the oldest active call, then judge the old listing."""
    with EmbeddedServer(quirks=("live-data",)) as server, httpx.Client() as client:

        def send(request: Request) -> Exchange:
            answer = client.get(f"{server.base_url}{request.path}", headers=dict(request.headers))
            return Exchange(
                request,
                answer.status_code,
                tuple(answer.headers.items()),
                answer.content,
                received_at=datetime.now(UTC),
            )

        keyed = (("Authorization", f"Bearer {DEMO.api_key}"),)
        page = send(Request(LIST_CALLS, headers=keyed))
        listed = {call["id"]: call["status"] for call in page.decoded["calls"][:20]}
        for _ in range(8):  # the live data ends its oldest active call every 7th request
            send(Request(GET_CALL, {"call_id": str(DEMO.call_ids[0])}, headers=keyed))
        fetcher = Fetcher(send, DEMO.api_key, GET_CALL)
        assert listed_calls_not_stale(page, CheckContext(DEMO.api_key, fetcher=fetcher))
        now = {call_id: (fetcher.record(call_id) or {}).get("status") for call_id in listed}
        moved = [call_id for call_id, status in listed.items() if now[call_id] != status]
    assert moved, "no listed call moved on: the test judged no movement"
