"""What the judgement keeps across exchanges: the fold step, small state per key.

    keys         which keys the recording shows working (hashes), and the near-miss forms of
                 each (checks/credentials.py), so a near-miss answered 200 is caught
    unproven     per key not (yet) seen working: its answers to positive requests and its
                 first requests of another account's calls, counted and judged once it works
    records      the last answer to getCall per (key, call): status and the record as its
                 CallSummary plus created_at, for the listing's fetch-by-id checks
    pages        listCalls pages waiting for the records of their first listed calls (judged
                 once those were recorded, or when pushed out, or at the end)
    listings     the last pages of each listing (key, query): consecutive pages must tile

Every part is bounded (the LRU sizes below), so a recording of any size is judged in the
same memory; what is pushed out is judged with what was seen. The bound costs only
judgements whose exchanges lie further apart than it in the recording.
"""

from __future__ import annotations

import hashlib
from collections import Counter, OrderedDict, deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from contract_tests.checks import credentials, listing
from contract_tests.checks.context import CallAnswer, CheckContext, Fetcher
from contract_tests.checks.exchange import Exchange
from contract_tests.checks.failures import PagesDoNotTile
from contract_tests.checks.registry import LISTED_CALLS_CHECKED
from contract_tests.checks.states import UNFINISHED
from contract_tests.spec import GET_CALL, LIST_CALLS, limit_bounds, offset_bounds
from contract_tests.traffic.one_exchange import Judged

# The bounds of the state (entries; each small): see README "Judging recorded traffic".
MAX_KEYS = 1_000  # working keys remembered, with their near-miss forms
MAX_RECORDS = 5_000  # getCall answers remembered, ~0.5 KB each
MAX_PENDING_PAGES = 32  # pages waiting for their calls' records, ~30 KB each at most
MAX_LISTINGS = 1_000  # listings whose last pages are remembered
PAGES_PER_LISTING = 6  # a window and its two halves, twice over
MAX_HELD_FOREIGN = 4  # requests of another account's calls held per key not yet seen working

K = TypeVar("K")
V = TypeVar("V")


class Bounded(Generic[K, V]):
    """A mapping that forgets its least recently used entry past `size`."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def pop(self, key: K) -> V | None:
        return self._items.pop(key, None)

    def put(self, key: K, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


def fingerprint(authorization: tuple[str, ...], query: tuple[tuple[str, str], ...]) -> bytes:
    """What a request presented as credentials, hashed: the near-miss map keeps no key."""
    return hashlib.sha256(repr((authorization, query)).encode()).digest()


# The query parameters a near-miss probe puts a key in.
QUERY_CREDENTIALS = frozenset(
    name for miss in credentials.near_misses("x" * 16) for name, _ in miss.query
)


# Each near-miss probe without what it sent (the key): what a near-miss is judged by.
PROBE_ONLY = {
    check: credentials.NearMiss(check, what, ()) for check, what in credentials.PROBES.items()
}


def presented(exchange: Exchange) -> bytes:
    authorization = tuple(v for n, v in exchange.request.headers if n.lower() == "authorization")
    query = tuple((n, v) for n, v in exchange.request.query if n in QUERY_CREDENTIALS)
    return fingerprint(authorization, query)


class Keys:
    """Working keys and their near-miss forms. A key is working once it is answered 2xx and is
    no near-miss of a working key (or is THINNESTAI_API_KEY); a near-miss is recognised when
    its key was seen working earlier in the recording."""

    def __init__(self, given: str | None) -> None:
        self._working: Bounded[str, bool] = Bounded(MAX_KEYS)
        self._near: Bounded[bytes, credentials.NearMiss] = Bounded(MAX_KEYS * 10)
        self.given = given
        if given:
            self._work(given)

    def _work(self, key: str) -> None:
        self._working.put(key_hash(key), True)
        for miss in credentials.near_misses(key):
            # Kept as its probe alone (what it sent held the key): no key text stays, and
            # one entry costs its fingerprint.
            self._near.put(fingerprint(miss.authorization, miss.query), PROBE_ONLY[miss.check])

    def near_miss(self, exchange: Exchange) -> credentials.NearMiss | None:
        return self._near.get(presented(exchange))

    def working(self, key: str | None, status: int) -> bool:
        """Whether `key` is a working key, learning it from a 2xx when none is given."""
        if key is None:
            return False
        known = self._working.get(key_hash(key)) is not None
        if not known and self.given is None and 200 <= status < 300:
            self._work(key)
            return True
        return known

    @property
    def count(self) -> int:
        return len(self._working)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:24]


@dataclass
class Unproven:
    """What a key did before it was seen working (a first 2xx may come late: a new account's
    first answers are 404s and 403s), counted and judged once it is."""

    answers: Counter[int] = field(default_factory=Counter)  # its positive requests' statuses
    # (the exchange, when) of its first requests of another account's calls (held with the
    # key itself, bounded: MAX_HELD_FOREIGN per key, MAX_KEYS keys)
    foreign: list[tuple[Judged, str]] = field(default_factory=list)


@dataclass
class StoredAnswer:
    seq: int  # where in the recording it was answered
    status: int
    record: Mapping[str, Any] | None  # as CallSummary, plus created_at


class RecordedFetcher(Fetcher):
    """Follow-ups answered from the recording, never sent: the answer recorded for a call by
    the same key after the page was served, or before it when the call had already finished
    (a record of an unfinished call fetched before the listing may rightly be older)."""

    def __init__(self, lookup: Callable[[int], StoredAnswer | None], seq: int) -> None:
        super().__init__(self._never, "", GET_CALL)
        self._lookup = lookup
        self._seq = seq

    @staticmethod
    def _never(request: Any) -> Exchange:
        raise AssertionError("a recorded judgement sends nothing")

    def call(self, call_id: int, *, fresh: bool = False) -> CallAnswer:
        stored = self._lookup(call_id)
        if stored is None:
            return (0, None)
        record = stored.record
        later = stored.seq > self._seq
        if not later and (record is None or record.get("status") in UNFINISHED):
            return (0, None)
        return (stored.status, record)

    def record(self, call_id: int) -> Mapping[str, Any] | None:
        """Any record of the call, whenever recorded: for what never changes (created_at)."""
        stored = self._lookup(call_id)
        return stored.record if stored is not None else None

    def again(self, exchange: Exchange) -> Exchange:
        return exchange  # the recording holds what was answered; nothing is sent again


@dataclass
class PendingPage:
    seq: int
    key: str  # the key hash
    judged: Judged  # holds the key itself only while the page waits (bounded)
    started: str
    waiting: set[int] = field(default_factory=set)

    @property
    def exchange(self) -> Exchange:
        return self.judged.exchange


@dataclass
class SeenPage:
    seq: int
    offset: int
    limit: int
    total: int
    ids: tuple[Any, ...]
    in_window: bool = False  # compared as the suite compares (a window and its halves)

    def as_page(self) -> dict[str, Any]:
        return {"calls": [{"id": call_id} for call_id in self.ids], "total": self.total}


class Records:
    def __init__(self) -> None:
        self._answers: Bounded[tuple[str, int], StoredAnswer] = Bounded(MAX_RECORDS)

    def keep(self, key: str, judged: Judged, seq: int) -> int | None:
        """The getCall answer, kept for the listing checks; its call id when it is kept."""
        exchange = judged.exchange
        raw = exchange.request.path_parameters.get("call_id", "")
        if not (raw.isascii() and raw.isdigit()) or exchange.status not in (200, 403):
            return None
        if exchange.status == 200 and judged.summary is None:
            return None  # not the record of this call: record_is_the_call_asked_for says so
        self._answers.put((key, int(raw)), StoredAnswer(seq, exchange.status, judged.summary))
        return int(raw)

    def lookup(self, key: str) -> Callable[[int], StoredAnswer | None]:
        return lambda call_id: self._answers.get((key, call_id))

    def has(self, key: str, call_id: int) -> bool:
        return self._answers.get((key, call_id)) is not None


class Pages:
    """Pages waiting for the records of their first listed calls."""

    def __init__(self) -> None:
        self._pending: deque[PendingPage] = deque()

    def wait(self, page: PendingPage, records: Records) -> Iterator[PendingPage]:
        """Queue `page`; yields the pages that are ready (or pushed out) now."""
        body = page.exchange.json_object(LIST_CALLS) or {}
        calls = body.get("calls") if isinstance(body.get("calls"), list) else []
        for summary in (calls or [])[:LISTED_CALLS_CHECKED]:
            call_id = summary.get("id") if isinstance(summary, dict) else None
            if isinstance(call_id, int) and not records.has(page.key, call_id):
                page.waiting.add(call_id)
        self._pending.append(page)
        yield from self._ready()
        while len(self._pending) > MAX_PENDING_PAGES:
            yield self._pending.popleft()

    def recorded(self, key: str, call_id: int) -> Iterator[PendingPage]:
        for page in self._pending:
            if page.key == key:
                page.waiting.discard(call_id)
        yield from self._ready()

    def _ready(self) -> Iterator[PendingPage]:
        ready = [page for page in self._pending if not page.waiting]
        for page in ready:
            self._pending.remove(page)
        yield from ready

    def flush(self) -> Iterator[PendingPage]:
        while self._pending:
            yield self._pending.popleft()


def _paging(exchange: Exchange) -> tuple[int, int] | None:
    values = {"limit": limit_bounds()[2], "offset": offset_bounds()[2]}
    for name in values:
        given = [v for k, v in exchange.request.query if k == name]
        if len(given) > 1 or (given and not given[0].isdigit()):
            return None
        if given:
            values[name] = int(given[0])
    return values["offset"], values["limit"]


class Listings:
    """The last pages of each listing: consecutive pages must tile it (invariant 10)."""

    def __init__(self) -> None:
        self._pages: Bounded[tuple[str, tuple[tuple[str, str], ...]], deque[SeenPage]] = Bounded(
            MAX_LISTINGS
        )

    def judge(self, key: str, exchange: Exchange, seq: int, context: CheckContext) -> bool:
        """Tiling against the pages of the same listing before it (same key, query and
        total); raises PagesDoNotTile. False when there was nothing to compare."""
        body = exchange.json_object(LIST_CALLS)
        paging = _paging(exchange)
        if body is None or paging is None or not isinstance(body.get("total"), int):
            return False
        offset, limit = paging
        others = tuple(
            sorted((k, v) for k, v in exchange.request.query if k not in ("limit", "offset"))
        )
        page = SeenPage(seq, offset, limit, body["total"], tuple(listing.listed_ids(body)))
        recent = self._pages.get((key, others))
        if recent is None:
            recent = deque(maxlen=PAGES_PER_LISTING)
            self._pages.put((key, others), recent)
        earlier = [seen for seen in recent if seen.total == page.total]
        recent.append(page)
        compared = False
        for window, first, second in _triples(earlier, page):
            # The suite's own comparison; its pages are not compared in pairs again.
            window.in_window = first.in_window = second.in_window = True
            context.observations.saw_state("pages_tile_the_listing", "page boundaries compared")
            listing.pages_tile_the_listing(
                window.as_page(), first.as_page(), second.as_page(), first.offset, first.limit
            )
            return True
        for seen in earlier:
            if seen.in_window or seen.limit != page.limit:
                continue
            if _positions_meet(seen, page):
                context.observations.saw_state("pages_tile_the_listing", "page boundaries compared")
                _agree(seen, page)
                compared = True
        return compared


def _triples(
    earlier: list[SeenPage], page: SeenPage
) -> Iterator[tuple[SeenPage, SeenPage, SeenPage]]:
    """(window, first, second) among the pages with `page` in it: a window of limit 2L and
    its two halves, as the suite's listing probe fetches them."""
    pages = [*earlier, page]
    for window in pages:
        for first in pages:
            for second in pages:
                if page not in (window, first, second):
                    continue
                half = first.limit
                if (
                    window.limit == 2 * half
                    and second.limit == half
                    and first.offset == window.offset
                    and second.offset == first.offset + half
                ):
                    yield window, first, second


def _positions_meet(one: SeenPage, two: SeenPage) -> bool:
    low, high = sorted((one, two), key=lambda seen: seen.offset)
    return low.offset < high.offset <= low.offset + len(low.ids) and bool(high.ids)


def _agree(one: SeenPage, two: SeenPage) -> None:
    """Two pages of one listing hold the same call at every offset both cover, and no call
    at two offsets."""
    low, high = sorted((one, two), key=lambda seen: seen.offset)
    at = {low.offset + i: call_id for i, call_id in enumerate(low.ids)}
    where = {call_id: offset for offset, call_id in at.items()}
    for i, call_id in enumerate(high.ids):
        offset = high.offset + i
        if offset in at and at[offset] != call_id:
            kind = "overlap" if call_id in where else "gap"
            raise PagesDoNotTile(
                f"the pages at offset {low.offset} and {high.offset} (limit {low.limit}) "
                f"disagree on the call at offset {offset}: {at[offset]!r} and {call_id!r}",
                field="offset",
                kind=kind,
            )
        if offset not in at and call_id in where:
            raise PagesDoNotTile(
                f"call {call_id!r} is at offset {where[call_id]} on one page and {offset} on "
                "the next",
                field="offset",
                kind="overlap",
            )
