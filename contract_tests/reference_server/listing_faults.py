"""Faults of the listing (invariant 10 and listCalls' decisions in contract.md).

A page that breaks the rules alone: deleted calls listed, the wrong order, one call more
than the limit, a `total` below the page, summaries that differ from their records. And a
listing whose pages each look right alone while the pages together do not: `total` that
counts what is not listed, offsets off by one (pages overlap or skip a call), a default page
size other than the documented one, pages cut in one order and sorted in another, and
another account's call in the listing; only the relation between responses, or a fetch by
id, shows those.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from contract_tests.reference_server.behaviour import (
    Behaviour,
    CutPage,
    Listing,
    Page,
    ParseListQuery,
)
from contract_tests.reference_server.changes import (
    Fault,
    on_each_request,
    on_list_query,
    on_pages,
    on_stage,
    on_summaries,
)
from contract_tests.reference_server.data import AS_OF, PRIMARY, SECONDARY, JsonObject
from contract_tests.reference_server.store import ServedCalls, newest_first
from contract_tests.reference_server.validation import ErrorItem, ListQuery

CLAUSE = (
    "Invariant 10: `total` is the exact number of listed calls, so a page holds "
    "`min(limit, max(0, total - offset))` items and consecutive pages tile the listing"
)


# ---- one page --------------------------------------------------------------------------------


def list_deleted_too(listing: Listing, page: Page) -> Page:
    start, limit = listing.query.offset, listing.query.limit
    return Page(listing.calls[start : start + limit], total=len(listing.calls))


def oldest_first(listing: Listing, page: Page) -> Page:
    listable = listing.listable[::-1]
    start = listing.query.offset
    return Page(listable[start : start + listing.query.limit], total=page.total)


def one_more_than_limit(listing: Listing, page: Page) -> Page:
    start = listing.query.offset
    return Page(listing.listable[start : start + listing.query.limit + 1], total=page.total)


def total_below_page(listing: Listing, page: Page) -> Page:
    return Page(page.calls, total=max(len(page.calls) - 1, 0))


def misreport_summary(summary: JsonObject) -> None:
    summary["agent_name"] = f"{summary.get('agent_name', 'Agent')} (archived)"
    if isinstance(summary.get("duration_seconds"), int | float):
        summary["duration_seconds"] += 1.5


# Calls that ended in the last six hours of the data are listed as they were before.
STATUS_CACHE_FILLED = AS_OF - timedelta(hours=6)


def as_cached_before_the_end(summary: JsonObject) -> None:
    """A status cache filled hours ago: a call that has ended since is listed as still
    active, as it was when the cache was filled (its record is right)."""
    ended_at = summary.get("ended_at")
    if summary.get("status") not in ("ended", "error") or not isinstance(ended_at, str):
        return
    if datetime.fromisoformat(ended_at) > STATUS_CACHE_FILLED:
        summary.update(status="active", ended_at=None, duration_seconds=None)


# ---- the pages together ----------------------------------------------------------------------


def _total_counts_deleted(listing: Listing, page: Page) -> Page:
    return Page(page.calls, total=len(listing.calls))


def _shifted_offset(shift: int) -> Callable[[CutPage], CutPage]:
    """Pages after the first start `shift` calls away from where `offset` says."""

    def wrap(cut: CutPage) -> CutPage:
        def shifted(listing: Listing) -> Page:
            query = listing.query
            if query.offset == 0:
                return cut(listing)
            moved = ListQuery(limit=query.limit, offset=max(0, query.offset + shift))
            return Page(cut(Listing(listing.calls, moved)).calls, cut(listing).total)

        return shifted

    return wrap


def _default_limit(size: int) -> Callable[[ParseListQuery], ParseListQuery]:
    def wrap(parse: ParseListQuery) -> ParseListQuery:
        def other_default(params: Mapping[str, str]) -> ListQuery | list[ErrorItem]:
            return parse(params if "limit" in params else {**params, "limit": str(size)})

        return other_default

    return wrap


def _oldest_pages_first(listing: Listing, page: Page) -> Page:
    """Pages cut oldest first (ORDER BY created_at ASC ... OFFSET), each reversed to newest
    first in code: every page is in order alone, the pages are not."""
    oldest_first = listing.listable[::-1]
    start = listing.query.offset
    return Page(oldest_first[start : start + listing.query.limit][::-1], page.total)


def _ties_by_id_ascending(listing: Listing, page: Page) -> Page:
    """Calls created in the same second listed by id ascending, not descending."""
    ordered = sorted(
        listing.listable, key=lambda call: (call.record["created_at"], -call.call_id), reverse=True
    )
    start = listing.query.offset
    return Page(ordered[start : start + listing.query.limit], page.total)


def _leak_a_foreign_call(behaviour: Behaviour) -> Behaviour:
    return on_each_request(_list_a_foreign_call())(behaviour)  # a fresh "done" per server


def _list_a_foreign_call() -> Callable[[ServedCalls], None]:
    """Once, the second account's newest call joins the primary account's listing (it stays
    the second account's: fetched by id with the primary key it is 403)."""
    done = threading.Event()

    def leak(served: ServedCalls) -> None:
        if done.is_set():
            return
        done.set()
        foreign = [
            call for call in served.by_account.get(SECONDARY.account_id, []) if call.listable
        ]
        if foreign:
            mine = served.by_account.get(PRIMARY.account_id, [])
            served.by_account[PRIMARY.account_id] = newest_first([*mine, foreign[0]])

    return leak


PAGE_FAULTS: tuple[Fault, ...] = (
    Fault(
        "deleted-listed",
        "listCalls includes deleted calls (and counts them in total)",
        "Invariant 10: a listed page has no deleted call",
        "list_page_consistent",
        on_pages(list_deleted_too),
    ),
    Fault(
        "wrong-order",
        "listCalls pages run oldest first",
        "Invariant 10: pages are in created_at descending, then id descending order",
        "list_page_consistent",
        on_pages(oldest_first),
    ),
    Fault(
        "page-over-limit",
        "listCalls returns one more call than the limit",
        "Invariant 10: a listed page has at most limit items",
        "list_page_consistent",
        on_pages(one_more_than_limit),
    ),
    Fault(
        "total-too-small",
        "total is one less than the page length (never below 0)",
        "Invariant 10: total >= offset + len(calls)",
        "list_page_consistent",
        on_pages(total_below_page),
    ),
    Fault(
        "summary-mismatch",
        "listed summaries show another agent_name and 1.5 s more duration than the record",
        "Invariant 10: every listed call, fetched by id, matches its summary",
        "listed_calls_match_records",
        on_summaries(misreport_summary),
    ),
    Fault(
        "stale-listing",
        "listCalls reads statuses from a cache filled 6 hours before the data's now: calls that "
        "ended since are listed active, though their records ended long before the listing",
        "Invariant 10: every listed call matches its record; only a change after the listing "
        "was served is movement",
        "listed_calls_not_stale",
        on_summaries(as_cached_before_the_end),
    ),
)

ACROSS_PAGES_FAULTS: tuple[Fault, ...] = (
    Fault(
        "total-counts-deleted",
        "total counts the deleted calls too, which are never listed",
        CLAUSE,
        "list_page_consistent",
        on_pages(_total_counts_deleted),
    ),
    Fault(
        "pages-overlap",
        "a page after the first starts one call early: consecutive pages share a call",
        CLAUSE,
        "pages_tile_the_listing",
        on_stage("cut_page", _shifted_offset(-1)),
    ),
    Fault(
        "pages-skip",
        "a page after the first starts one call late: a call is on no page",
        CLAUSE,
        "pages_tile_the_listing",
        on_stage("cut_page", _shifted_offset(+1)),
    ),
    Fault(
        "default-limit-20",
        "without `limit`, pages hold 20 calls, not the documented 50",
        "listCalls: `limit` defaults to 50",
        "list_page_consistent",
        on_list_query(_default_limit(20)),
    ),
    Fault(
        "pages-cut-oldest-first",
        "pages are cut oldest first and each reversed: every page is in order, the pages are not",
        "listCalls: newest first (`created_at` descending, then `id` descending), across pages",
        "pages_tile_the_listing",
        on_pages(_oldest_pages_first),
    ),
    Fault(
        "ties-by-id-ascending",
        "calls created in the same second are listed by id ascending",
        "listCalls: `created_at` descending, then `id` descending",
        "list_page_consistent",
        on_pages(_ties_by_id_ascending),
    ),
    Fault(
        "foreign-call-listed",
        "another account's newest call is in the primary account's listing",
        "Invariant 10: no call of another account is ever listed",
        "no_foreign_call_listed",
        _leak_a_foreign_call,
    ),
)

LISTING_FAULTS: tuple[Fault, ...] = (*PAGE_FAULTS, *ACROSS_PAGES_FAULTS)
