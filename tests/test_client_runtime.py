"""The generated client at run time: retries, typed errors, every page (issue 14).

Against httpx.MockTransport (answers scripted per request) and the reference server on
loopback. Waits are recorded instead of slept (`thinnestai_calls_client.api._sleep`), except
where a test must show that Retry-After: 1 really waits a second.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import datetime
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import thinnestai_calls_client.api as runtime
from client_doubles import Answer, Script
from hypothesis import given, settings
from hypothesis import strategies as st
from thinnestai_calls_client import AuthenticatedClient, errors
from thinnestai_calls_client.api.calls import get_call, list_calls
from thinnestai_calls_client.models import Call, CallSummary, Error, ValidationError

from contract_tests.reference_server import DEMO, EmbeddedServer, create_app
from contract_tests.reference_server.data import PRIMARY, Dataset, StoredCall, demo_dataset
from contract_tests.reference_server.embedded import LoopbackServer

BASE_URL = "https://api.thinnest.ai"
Spec = dict[str, Any]


def client_for(handler: Callable[[httpx.Request], httpx.Response], **options: Any) -> Any:
    return AuthenticatedClient(
        base_url=BASE_URL,
        token="tai_test",
        httpx_args={"transport": httpx.MockTransport(handler)},
        **options,
    )


def async_client_for(script: Script, **options: Any) -> AuthenticatedClient:
    async def answer(request: httpx.Request) -> httpx.Response:
        return script(request)

    return AuthenticatedClient(
        base_url=BASE_URL,
        token="tai_test",
        httpx_args={"transport": httpx.MockTransport(answer)},
        **options,
    )


@pytest.fixture(scope="module")
def call_body(spec: Spec) -> dict[str, Any]:
    value: dict[str, Any] = copy.deepcopy(spec["components"]["examples"]["EndedWebCall"]["value"])
    return value


def ok(body: dict[str, Any]) -> httpx.Response:
    return httpx.Response(200, json=body)


def status(code: int, **headers: str) -> httpx.Response:
    return httpx.Response(code, json={"detail": "scripted", "status": code}, headers=headers)


# Retries


def test_a_429_with_retry_after_1_is_retried_after_a_second(call_body: dict[str, Any]) -> None:
    script = Script(status(429, **{"Retry-After": "1"}), ok(call_body))

    with client_for(script) as client:
        response = get_call.sync_detailed(77, client=client)

    assert isinstance(response.parsed, Call)
    assert (response.status_code, response.retries, script.requests) == (200, 1, 2)
    assert script.times[1] - script.times[0] >= 1.0


@pytest.mark.parametrize("code", [502, 503, 504])
def test_a_gateway_error_is_retried_with_growing_jittered_backoff(
    waits: list[float], call_body: dict[str, Any], code: int
) -> None:
    script = Script(status(code), status(code), ok(call_body))

    with client_for(script) as client:
        response = get_call.sync_detailed(77, client=client)

    assert (response.status_code, response.retries, script.requests) == (200, 2, 3)
    first, second = waits
    assert 0.375 <= first <= 0.5  # BACKOFF_FIRST times a jitter factor in [0.75, 1]
    assert 0.75 <= second <= 1.0  # doubled


def test_the_backoff_is_capped_and_jittered() -> None:
    samples = [runtime.backoff(10) for _ in range(200)]

    assert all(0.75 * runtime.BACKOFF_MAX <= wait <= runtime.BACKOFF_MAX for wait in samples)
    assert len(set(samples)) > 1


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError("refused"), httpx.ReadTimeout("silent"), httpx.RemoteProtocolError("cut")],
    ids=["connect-error", "read-timeout", "closed-without-answer"],
)
def test_no_answer_is_retried(
    waits: list[float], call_body: dict[str, Any], failure: Exception
) -> None:
    script = Script(failure, ok(call_body))

    with client_for(script) as client:
        response = get_call.sync_detailed(77, client=client)

    assert (response.status_code, response.retries, len(waits)) == (200, 1, 1)


def test_the_last_answer_is_returned_when_retries_are_spent(waits: list[float]) -> None:
    script = Script(status(503))

    with client_for(script, max_retries=3) as client:
        response = get_call.sync_detailed(77, client=client)

    assert (response.status_code, response.retries, script.requests) == (503, 3, 4)


def test_the_last_error_is_raised_when_retries_are_spent(waits: list[float]) -> None:
    script = Script(httpx.ConnectError("refused"))

    with client_for(script) as client, pytest.raises(errors.APIConnectionError) as raised:
        get_call.sync_detailed(77, client=client)

    assert script.requests == 3
    assert raised.value.retries == 2 and "after 2 retries" in str(raised.value)
    assert isinstance(raised.value.__cause__, httpx.ConnectError)


@pytest.mark.parametrize("code", [400, 401, 403, 404, 422, 500, 501])
def test_other_statuses_are_never_retried(waits: list[float], code: int) -> None:
    script = Script(status(code))

    with client_for(script) as client:
        response = get_call.sync_detailed(77, client=client)

    assert (response.status_code, response.retries, script.requests, waits) == (code, 0, 1, [])


@pytest.mark.parametrize(
    "answer",
    [status(429, **{"Retry-After": "1"}), status(503), httpx.ConnectError("refused")],
    ids=["429", "503", "connect-error"],
)
def test_max_retries_0_sends_one_request(waits: list[float], answer: Answer) -> None:
    script = Script(answer)

    with client_for(script, max_retries=0) as client:
        try:
            response = get_call.sync_detailed(77, client=client)
        except errors.APIConnectionError:
            pass
        else:
            assert response.retries == 0

    assert (script.requests, waits) == (1, [])


def test_only_a_get_is_retried(waits: list[float]) -> None:
    script = Script(status(503))

    with client_for(script) as client:
        response, retries = runtime.send(client, {"method": "post", "url": "/v2/calls"})

    assert (response.status_code, retries, script.requests) == (503, 0, 1)


@pytest.mark.parametrize(
    ("retry_after", "wait"),
    [("3600", runtime.RETRY_AFTER_CAP), ("0", 0.0), ("2.5", 2.5)],
)
def test_the_retry_after_wait_is_capped(
    waits: list[float], call_body: dict[str, Any], retry_after: str, wait: float
) -> None:
    script = Script(status(429, **{"Retry-After": retry_after}), ok(call_body))

    with client_for(script) as client:
        get_call.sync_detailed(77, client=client)

    assert waits == [wait]


def test_a_retry_after_date_is_read_and_a_429_without_one_backs_off(
    waits: list[float], call_body: dict[str, Any]
) -> None:
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=20)
    http_date = later.strftime("%a, %d %b %Y %H:%M:%S GMT")
    script = Script(
        status(429, **{"Retry-After": http_date}),
        status(429, **{"Retry-After": "soon"}),
        ok(call_body),
    )

    with client_for(script) as client:
        get_call.sync_detailed(77, client=client)

    date_wait, unreadable_wait = waits
    assert 17 <= date_wait <= 20
    assert 0.75 <= unreadable_wait <= 1.0  # the back-off of a second retry


def test_async_retries_like_sync(waits: list[float], call_body: dict[str, Any]) -> None:
    script = Script(status(503), httpx.ReadTimeout("silent"), ok(call_body))

    async def fetch() -> Any:
        async with async_client_for(script) as client:
            return await get_call.asyncio_detailed(77, client=client)

    response = asyncio.run(fetch())

    assert (response.status_code, response.retries, script.requests, len(waits)) == (200, 2, 3, 2)


def test_max_retries_must_not_be_negative() -> None:
    with pytest.raises(ValueError, match="max_retries"):
        AuthenticatedClient(base_url=BASE_URL, token="tai_test", max_retries=-1)


# Typed errors

TYPED = [
    (401, errors.AuthenticationError, Error),
    (403, errors.PermissionDeniedError, Error),
    (404, errors.NotFoundError, Error),
    (422, errors.UnprocessableEntityError, ValidationError),
    (429, errors.RateLimitError, Error),
]


def documented_error(code: int) -> httpx.Response:
    if code == 422:
        body: dict[str, Any] = {
            "detail": [{"loc": ["path", "call_id"], "msg": "not an integer", "type": "int_parsing"}]
        }
        return httpx.Response(422, json=body)
    headers = {"Retry-After": "7"} if code == 429 else {}
    return httpx.Response(code, json={"detail": "no", "status": code}, headers=headers)


@pytest.mark.parametrize(("code", "error_class", "model"), TYPED)
def test_sync_raises_the_documented_error_when_built_to(
    code: int, error_class: type[errors.APIStatusError], model: type[Any]
) -> None:
    answer = documented_error(code)

    with client_for(Script(answer), raise_on_error_status=True, max_retries=0) as client:
        with pytest.raises(error_class) as raised:
            get_call.sync(77, client=client)
        detailed = get_call.sync_detailed(77, client=client)  # never raises for a status

    error = raised.value
    assert isinstance(error, errors.APIStatusError)
    assert error.status_code == code and isinstance(error.parsed, model)
    assert error.content == answer.content
    assert str(error).startswith(f"{code} ")
    assert detailed.status_code == code and isinstance(detailed.parsed, model)
    if isinstance(error, errors.RateLimitError):
        assert error.retry_after == 7.0 and error.headers["Retry-After"] == "7"


@pytest.mark.parametrize(("code", "error_class", "model"), TYPED)
def test_asyncio_raises_the_documented_error_when_built_to(
    code: int, error_class: type[errors.APIStatusError], model: type[Any]
) -> None:
    script = Script(documented_error(code))

    async def fetch() -> None:
        async with async_client_for(script, raise_on_error_status=True, max_retries=0) as client:
            await get_call.asyncio(77, client=client)

    with pytest.raises(error_class):
        asyncio.run(fetch())


def test_list_calls_raises_its_documented_errors_too() -> None:
    client = client_for(Script(documented_error(422)), raise_on_error_status=True)
    with client, pytest.raises(errors.UnprocessableEntityError) as raised:
        list_calls.sync(client=client, limit=0)

    assert isinstance(raised.value.parsed, ValidationError)
    assert "not an integer" in str(raised.value)


def test_without_the_option_sync_returns_the_error_body() -> None:
    with client_for(Script(documented_error(404)), max_retries=0) as client:
        result = get_call.sync(77, client=client)

    assert isinstance(result, Error) and result.detail == "no"


def test_an_undocumented_error_status_raises_the_base_class(waits: list[float]) -> None:
    gateway_page = httpx.Response(502, content=b"<html>Bad Gateway</html>")

    client = client_for(Script(gateway_page), raise_on_error_status=True)
    with client, pytest.raises(errors.APIStatusError) as raised:
        get_call.sync(77, client=client)

    assert type(raised.value) is errors.APIStatusError
    assert (raised.value.status_code, raised.value.parsed) == (502, None)
    assert "<html>Bad Gateway" in str(raised.value)
    assert len(waits) == 2  # retried first


# Every page, against a listing that changes between requests


class LiveListing:
    """listCalls as contract.md says (newest first, `min(limit, total - offset)` per page)
    over ids that `change(listing)` may alter before each request after the first."""

    def __init__(
        self,
        summary: dict[str, Any],
        count: int,
        change: Callable[[LiveListing], None] = lambda listing: None,
    ) -> None:
        self.summary = summary
        self.ids = list(range(count, 0, -1))
        self.ever = set(self.ids)
        self.requests = 0
        self.change = change

    def arrive(self, count: int) -> None:
        new = list(range(max(self.ever, default=0) + count, max(self.ever, default=0), -1))
        self.ids[:0] = new
        self.ever.update(new)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if self.requests:
            self.change(self)
        self.requests += 1
        limit, offset = int(request.url.params["limit"]), int(request.url.params["offset"])
        calls = [{**self.summary, "id": id_} for id_ in self.ids[offset : offset + limit]]
        return httpx.Response(200, json={"calls": calls, "total": len(self.ids)})


@pytest.fixture(scope="module")
def summary(spec: Spec) -> dict[str, Any]:
    media = spec["paths"]["/v2/calls"]["get"]["responses"]["200"]["content"]["application/json"]
    value: dict[str, Any] = copy.deepcopy(media["examples"]["page"]["value"]["calls"][1])
    return value


def walk(listing: LiveListing, limit: int) -> list[int]:
    with client_for(listing) as client:
        return [call.id for call in list_calls.sync_all(client=client, limit=limit)]


def test_sync_all_yields_a_still_listing_in_order(summary: dict[str, Any]) -> None:
    listing = LiveListing(summary, 23)

    assert walk(listing, limit=5) == list(range(23, 0, -1))
    assert listing.requests == 6  # 5 new calls on the first page, 4 on each next (1 overlaps)


@pytest.mark.parametrize("count", [0, 1, 5, 9])
def test_sync_all_stops_at_the_end(summary: dict[str, Any], count: int) -> None:
    assert walk(LiveListing(summary, count), limit=5) == list(range(count, 0, -1))


@pytest.mark.parametrize(
    "arrivals",
    [[1], [3], [12, 2], [0, 40, 0, 1]],
    ids=["one-a-page", "several-a-page", "more-than-a-page-once", "a-burst-later"],
)
def test_calls_arriving_between_pages_are_not_repeated(
    summary: dict[str, Any], arrivals: list[int]
) -> None:
    def arrive(listing: LiveListing) -> None:
        listing.arrive(arrivals[min(listing.requests, len(arrivals)) - 1])

    yielded = walk(LiveListing(summary, 30, change=arrive), limit=6)

    assert_each_listed_call_once(yielded, tuple(range(30, 0, -1)))


def test_more_calls_arriving_than_a_page_every_time_raises(summary: dict[str, Any]) -> None:
    """No offset walk can catch up; it stops after api.MAX_RECOVERIES tries."""
    listing = LiveListing(summary, 30, change=lambda listing: listing.arrive(12))

    with pytest.raises(errors.ListingChangedError, match="kept changing"):
        walk(listing, limit=6)


def delete_at(position: int) -> Callable[[LiveListing], None]:
    """Deletes the call at `position` after the second page (calls 0 to 8 with limit 5)."""

    def change(listing: LiveListing) -> None:
        if listing.requests == 2:
            del listing.ids[position]

    return change


@pytest.mark.parametrize(
    "position", [0, 3, 8, 12], ids=["newest", "taken", "last-taken", "not-yet-taken"]
)
def test_a_deleted_call_does_not_make_the_walk_skip_one(
    summary: dict[str, Any], position: int
) -> None:
    listing = LiveListing(summary, 20, change=delete_at(position))
    deleted = 20 - position

    yielded = walk(listing, limit=5)

    assert len(yielded) == len(set(yielded))
    assert set(range(1, 21)) - {deleted} <= set(yielded)


def test_a_listing_that_never_holds_still_raises(summary: dict[str, Any]) -> None:
    def delete_the_anchor(listing: LiveListing) -> None:
        del listing.ids[3]

    with pytest.raises(errors.ListingChangedError):
        walk(LiveListing(summary, 50, change=delete_the_anchor), limit=5)


Changes = list[tuple[int, list[int]]]  # per request after the first: arrivals, deletions


def walk_changing(
    summary: dict[str, Any], count: int, limit: int, changes: Changes
) -> tuple[list[int], set[int], bool]:
    """sync_all over a listing of `count` calls that `changes` alter: what it yielded, the
    calls listed throughout (from start to end), and whether it finished."""
    plan = iter(changes)
    deleted: set[int] = set()

    def change(listing: LiveListing) -> None:
        arrivals, deletions = next(plan, (0, []))
        listing.arrive(arrivals)
        for position in deletions:
            if listing.ids:
                deleted.add(listing.ids.pop(position % len(listing.ids)))

    listing = LiveListing(summary, count, change=change)
    original = set(listing.ids)
    yielded: list[int] = []
    with client_for(listing) as client:
        try:
            yielded.extend(call.id for call in list_calls.sync_all(client=client, limit=limit))
        except errors.ListingChangedError:
            return yielded, original - deleted, False
    assert set(yielded) <= listing.ever
    return yielded, original - deleted, True


changes_strategy = st.lists(
    st.tuples(st.integers(0, 12), st.lists(st.integers(0, 60), max_size=2)), max_size=15
)


@settings(max_examples=50, deadline=None)
@given(count=st.integers(0, 40), limit=st.integers(2, 8), changes=changes_strategy)
def test_whatever_the_changes_no_call_is_repeated_or_missed(
    summary: dict[str, Any], count: int, limit: int, changes: Changes
) -> None:
    """Any arrivals and deletions between any pages: the walk may give up (ListingChangedError)
    but never repeats a call, and when it finishes it has every call listed throughout."""
    yielded, listed_throughout, finished = walk_changing(summary, count, limit, changes)

    assert len(yielded) == len(set(yielded))
    if finished:
        assert listed_throughout <= set(yielded)


@settings(max_examples=50, deadline=None)
@given(
    count=st.integers(0, 40),
    limit=st.integers(2, 8),
    changes=changes_strategy,
    data=st.data(),
)
def test_under_a_live_load_the_walk_finishes(
    summary: dict[str, Any], count: int, limit: int, changes: Changes, data: st.DataObject
) -> None:
    """Fewer arrivals than a page between two requests, and a few deletions: it never gives up."""
    deletions = data.draw(st.integers(0, 4))
    live = [(arrivals % (limit - 1), dels) for arrivals, dels in changes]
    live = [
        (arrivals, dels[:1] if i < deletions else []) for i, (arrivals, dels) in enumerate(live)
    ]

    yielded, listed_throughout, finished = walk_changing(summary, count, limit, live)

    assert finished and len(yielded) == len(set(yielded))
    assert listed_throughout <= set(yielded)


def test_asyncio_all_follows_a_changing_listing_too(summary: dict[str, Any]) -> None:
    listing = LiveListing(summary, 30, change=lambda listing: listing.arrive(4))

    async def collect() -> list[int]:
        async def answer(request: httpx.Request) -> httpx.Response:
            return listing(request)

        transport = httpx.MockTransport(answer)
        async with AuthenticatedClient(
            base_url=BASE_URL, token="tai_test", httpx_args={"transport": transport}
        ) as client:
            return [call.id async for call in list_calls.asyncio_all(client=client, limit=7)]

    assert asyncio.run(collect()) == list(range(30, 0, -1))


def test_sync_all_raises_an_error_status(waits: list[float], summary: dict[str, Any]) -> None:
    listing = LiveListing(summary, 12)
    refused = Script(status(429, **{"Retry-After": "2"}))

    def first_page_then_refused(request: httpx.Request) -> httpx.Response:
        return refused(request) if listing.requests else listing(request)

    with client_for(first_page_then_refused) as client:
        yielded: list[CallSummary] = []
        with pytest.raises(errors.RateLimitError) as raised:
            yielded.extend(list_calls.sync_all(client=client, limit=5))

    assert len(yielded) == 5 and raised.value.retry_after == 2.0
    assert waits == [2.0, 2.0]  # the client's retries came first


def test_sync_all_needs_pages_that_can_overlap() -> None:
    with client_for(Script(status(500))) as client, pytest.raises(ValueError, match="at least 2"):
        next(list_calls.sync_all(client=client, limit=1))


# Against the reference server


@pytest.fixture(scope="module")
def reference() -> Iterator[str]:
    """The reference server's base URL."""
    with EmbeddedServer() as server:
        yield server.base_url


def test_sync_all_lists_every_call_of_the_reference_server(reference: str) -> None:
    with AuthenticatedClient(base_url=reference, token=DEMO.api_key) as client:
        yielded = [call.id for call in list_calls.sync_all(client=client, limit=7)]

    assert yielded == list(DEMO.listed_call_ids)


class GrowingReferenceServer:
    """The reference server's app, rebuilt with more calls before every listCalls request
    after the first (`arrivals[n]` before the n-th, the last number repeating): calls
    arriving at the head of the listing, as on a live server."""

    def __init__(self, arrivals: list[int]) -> None:
        self.arrivals = arrivals
        self.dataset = demo_dataset()
        self.app = create_app(dataset=self.dataset)
        self.list_requests = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] == "/v2/calls":
            if self.list_requests:
                self._add_calls()
            self.list_requests += 1
        await self.app(scope, receive, send)

    def _add_calls(self) -> None:
        calls = dict(self.dataset.calls)
        template = calls[DEMO.published_call_id]
        newest = max(call.record["created_at"] for call in calls.values())
        for _ in range(self.arrivals[min(self.list_requests, len(self.arrivals)) - 1]):
            new_id = max(calls) + 1
            moment = datetime.datetime.fromisoformat(newest) + datetime.timedelta(seconds=new_id)
            stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
            record = {**template.record, "id": new_id, "created_at": stamp, "updated_at": stamp}
            calls[new_id] = StoredCall(PRIMARY.account_id, record)
        self.dataset = dataclasses.replace(self.dataset, calls=calls)
        self.app = create_app(dataset=self.dataset)


@pytest.fixture(params=[[3], [25, 0]], ids=["a-few-a-page", "more-than-a-page-once"])
def growing_server(request: pytest.FixtureRequest) -> Iterator[tuple[str, Dataset]]:
    app = GrowingReferenceServer(arrivals=request.param)
    with LoopbackServer(app, name="growing reference server") as server:
        yield server.base_url, app.dataset
    assert app.list_requests > 1  # calls did arrive during the walk


def assert_each_listed_call_once(yielded: list[int], listed: tuple[int, ...]) -> None:
    """Every listed call once, in the listing's order; any other is a call that arrived during
    the walk (one that a page after a burst of arrivals happened to hold), also once."""
    assert len(yielded) == len(set(yielded))
    assert [call_id for call_id in yielded if call_id in listed] == list(listed)
    assert all(call_id > max(listed) for call_id in yielded if call_id not in listed)


def test_sync_all_returns_every_call_once_while_the_reference_server_adds_calls(
    growing_server: tuple[str, Dataset],
) -> None:
    base_url, _ = growing_server
    with AuthenticatedClient(base_url=base_url, token=DEMO.api_key) as client:
        yielded = [call.id for call in list_calls.sync_all(client=client, limit=20)]

    assert_each_listed_call_once(yielded, DEMO.listed_call_ids)


def test_asyncio_all_returns_every_call_once_while_the_reference_server_adds_calls(
    growing_server: tuple[str, Dataset],
) -> None:
    base_url, _ = growing_server

    async def collect() -> list[int]:
        async with AuthenticatedClient(base_url=base_url, token=DEMO.api_key) as client:
            return [call.id async for call in list_calls.asyncio_all(client=client, limit=20)]

    assert_each_listed_call_once(asyncio.run(collect()), DEMO.listed_call_ids)


def test_the_reference_servers_429_is_waited_out() -> None:
    """The `rate-limited` quirk refuses every third request with Retry-After: 1."""
    with (
        EmbeddedServer(quirks=["rate-limited"]) as server,
        AuthenticatedClient(base_url=server.base_url, token=DEMO.api_key) as client,
    ):
        first, second = (get_call.sync_detailed(77, client=client) for _ in range(2))
        started = time.monotonic()
        third = get_call.sync_detailed(77, client=client)
        waited = time.monotonic() - started

    assert [r.retries for r in (first, second, third)] == [0, 0, 1]
    assert isinstance(third.parsed, Call) and waited >= 1.0


def test_the_reference_servers_errors_are_typed(reference: str, waits: list[float]) -> None:
    strict: dict[str, Any] = {"base_url": reference, "raise_on_error_status": True}
    with AuthenticatedClient(token=DEMO.api_key, **strict) as client:
        with pytest.raises(errors.NotFoundError):
            get_call.sync(DEMO.unknown_call_ids[0], client=client)
        with pytest.raises(errors.PermissionDeniedError):
            get_call.sync(DEMO.foreign_call_ids[0], client=client)
        with pytest.raises(errors.UnprocessableEntityError):
            list_calls.sync(client=client, limit=101)
    with AuthenticatedClient(token=DEMO.unknown_api_key, **strict) as client:
        with pytest.raises(errors.AuthenticationError):
            get_call.sync(77, client=client)
        with pytest.raises(errors.AuthenticationError):
            next(list_calls.sync_all(client=client))
    assert waits == []
