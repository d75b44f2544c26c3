"""Requests the suite sends on purpose, where generated data would find a breach only by luck.

- the edges of every input (checks/edges.py): ~20 requests;
- the listing as a whole (checks/listing.py): pages fetched back to back across a few page
  boundaries, the last page and the end: ~15 requests;
- credential near-misses (checks/credentials.py): ~20 requests;
- the known calls and another account's calls, each fetched once.

They know nothing of Schemathesis: a `Prober` sends each request and judges its exchange
with every check of the run plus the probe's own. The suite's prober sends through the run's
transport and judges through Schemathesis (built-in checks too); a test's prober sends to a
server in-process and judges with our checks alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from contract_tests.checks import credentials, edges, listing
from contract_tests.checks.context import CheckContext
from contract_tests.checks.exchange import Exchange, Request
from contract_tests.checks.registry import Check
from contract_tests.spec import GET_CALL, LIST_CALLS

PAGE = 10  # listing walk: small pages, so a window of two fits the order check's 20 fetches
BOUNDARIES = 3  # page boundaries compared (each: 3 requests, 6 when the listing moved)
# Known calls fetched one by one, so every invariant sees every record (bounded for staging:
# 100 requests at the default 10/s is ten seconds).
MAX_KNOWN_CALLS_FETCHED = 100
MAX_FOREIGN_CALLS_FETCHED = 10


class Prober(Protocol):
    context: CheckContext

    def send(self, request: Request) -> Exchange: ...

    def judge(self, exchange: Exchange, *extra: Check) -> None: ...

    def stopped(self) -> bool: ...

    def doing(self, activity: str) -> None: ...


def keyed(prober: Prober) -> tuple[tuple[str, str], ...]:
    return (("Authorization", f"Bearer {prober.context.api_key}"),)


def get_call(prober: Prober, call_id: int | str) -> Request:
    return Request(GET_CALL, {"call_id": str(call_id)}, headers=keyed(prober))


def known_calls(call_ids: tuple[int, ...]) -> list[int]:
    """The known calls fetched by id, in the order the plan gives (suite/ahead.py fetches the
    same, ahead)."""
    return list(call_ids[:MAX_KNOWN_CALLS_FETCHED])


# ---- calls fetched by id -----------------------------------------------------------------


def fetch_each(prober: Prober, call_ids: list[int], activity: str) -> None:
    """Each call once, judged by every check (the record invariants see every record).
    (The suite's prober leaves out ignored_auth, which re-sends each request twice without
    a valid key: the generated cases already probe it many times.)"""
    for call_id in call_ids:
        if prober.stopped():
            return
        prober.doing(activity)
        prober.judge(prober.send(get_call(prober, call_id)))


# ---- the edges of every input ------------------------------------------------------------


def edge_id(call_ids: tuple[int, ...]) -> int:
    """The known id the edges are probed around: one whose digits read differently in octal
    and decimal when there is one (so a leading zero read as octal shows), else the largest."""
    octal_readable = [i for i in call_ids if i >= 8 and set(str(i)) <= set("01234567")]
    return (octal_readable or sorted(call_ids) or [1])[-1]


def edge_check(edge: edges.Edge, plain: Exchange) -> Check:
    answer = (plain.status, plain.decoded)

    def input_edges_answered_as_documented(exchange: Exchange, context: CheckContext) -> bool:
        edges.input_edges_answered_as_documented(edge, exchange.status, exchange.decoded, answer)
        return True

    return Check(
        "input_edges_answered_as_documented",
        input_edges_answered_as_documented,
        edges.input_edges_answered_as_documented.__doc__ or "",
    )


def probe_input_edges(prober: Prober, call_ids: tuple[int, ...]) -> None:
    known_id = edge_id(call_ids)
    plain = prober.send(get_call(prober, known_id))
    for edge in edges.edges(known_id):
        if prober.stopped():
            return
        prober.doing(f"probing input edges ({edge.operation})")
        if edge.operation == "getCall":
            request = get_call(prober, edge.path_value or "")
        else:
            request = Request(LIST_CALLS, query=edge.query, headers=keyed(prober))
        prober.judge(prober.send(request), edge_check(edge, plain))


# ---- the listing as a whole --------------------------------------------------------------


def _page(prober: Prober, **query: int) -> tuple[Exchange, Mapping[str, Any]]:
    pairs = tuple((key, str(value)) for key, value in query.items())
    exchange = prober.send(Request(LIST_CALLS, query=pairs, headers=keyed(prober)))
    return exchange, exchange.json_object(LIST_CALLS) or {}


def _tiling_check(window: Mapping[str, Any], first: Mapping[str, Any], offset: int) -> Check:
    def pages_tile_the_listing(exchange: Exchange, context: CheckContext) -> bool:
        second = exchange.json_object(LIST_CALLS) or {}
        listing.pages_tile_the_listing(window, first, second, offset, PAGE)
        return True

    return Check(
        "pages_tile_the_listing",
        pages_tile_the_listing,
        listing.pages_tile_the_listing.__doc__ or "",
    )


def probe_listing(prober: Prober) -> None:
    """Page boundaries compared back to back; the last page and the end of the listing."""
    prober.doing("walking the listing")
    exchange, first = _page(prober)  # the documented default limit
    prober.judge(exchange)
    total = first.get("total")
    for boundary in range(BOUNDARIES):
        offset = 2 * PAGE * boundary
        if prober.stopped() or not isinstance(total, int) or offset + PAGE >= total:
            break
        compare_pages(prober, offset)
    if isinstance(total, int) and total > 0 and not prober.stopped():
        for offset in (total - 1, total):  # the last call, then nothing
            prober.judge(_page(prober, limit=PAGE, offset=offset)[0])


def compare_pages(prober: Prober, offset: int) -> None:
    """The window (limit 2L) and its two halves, back to back; once more if they differ or
    the listing moved; judged only on pages that agree on `total`."""
    observations = prober.context.observations
    for attempt in range(2):
        window = _page(prober, limit=2 * PAGE, offset=offset)
        first = _page(prober, limit=PAGE, offset=offset)
        second = _page(prober, limit=PAGE, offset=offset + PAGE)
        if not listing.same_total([window[1], first[1], second[1]]):
            continue  # the listing moved between the requests: nothing to judge soundly
        ids = listing.listed_ids
        if ids(window[1]) == ids(first[1]) + ids(second[1]) or attempt == 1:
            prober.judge(window[0])
            prober.judge(first[0])
            prober.judge(second[0], _tiling_check(window[1], first[1], offset))
            observations.saw_state("pages_tile_the_listing", "page boundaries compared")
            return
    observations.saw_state("pages_tile_the_listing", "listing moved: not judged")


# ---- credential near-misses --------------------------------------------------------------


def near_miss_probe_check(miss: credentials.NearMiss) -> Check:
    verdict = credentials.near_miss_check(miss)

    def judge(exchange: Exchange, context: CheckContext) -> bool:
        verdict(exchange.status)
        return True

    return Check(miss.check, judge, verdict.__doc__ or "")


def probe_credentials(prober: Prober, call_ids: tuple[int, ...]) -> None:
    known_id = str(call_ids[0] if call_ids else 1)
    for miss in credentials.near_misses(prober.context.api_key):
        for label in (LIST_CALLS, GET_CALL):
            if prober.stopped():
                return
            prober.doing(f"probing credentials ({label})")
            path = {"call_id": known_id} if label == GET_CALL else {}
            sent = tuple(("Authorization", value) for value in miss.authorization)
            request = Request(label, path, miss.query, sent)
            prober.judge(prober.send(request), near_miss_probe_check(miss))


def every_probe(prober: Prober, call_ids: tuple[int, ...], foreign_ids: tuple[int, ...]) -> None:
    """All a run sends whatever its budget: the known calls, another account's calls, the
    edges, the listing and the credential near-misses (what proves most faults in-process)."""
    fetch_each(prober, known_calls(call_ids), "known calls")
    fetch_each(prober, list(foreign_ids[:MAX_FOREIGN_CALLS_FETCHED]), "foreign calls")
    probe_input_edges(prober, call_ids)
    probe_listing(prober)
    probe_credentials(prober, call_ids)
