"""The server's decisions as a set of small replaceable functions (the stages of a request).

The clean server is `clean_behaviour(dataset)`. A fault or a quirk is a function from one
`Behaviour` to another that wraps or replaces one stage, so the request handlers in app.py
never test which fault is on: they call the stages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from contract_tests.reference_server.data import ApiKey, Dataset, JsonObject, StoredCall
from contract_tests.reference_server.encoding import PLAIN, JsonWriter
from contract_tests.reference_server.ratelimit import Throttle, no_throttle
from contract_tests.reference_server.store import ServedCalls
from contract_tests.reference_server.validation import (
    ErrorItem,
    ListQuery,
    parse_call_id,
    parse_list_query,
)


@dataclass(frozen=True)
class Refusal:
    """Why a key was not accepted (the 401 detail)."""

    detail: str


@dataclass(frozen=True)
class Listing:
    """What a list page is cut from: all the account's calls, newest first, deleted included."""

    calls: Sequence[StoredCall]
    query: ListQuery

    @property
    def listable(self) -> list[StoredCall]:
        return [call for call in self.calls if call.listable]


@dataclass(frozen=True)
class Page:
    calls: Sequence[StoredCall]
    total: int


ReadKey = Callable[[Request], str | Refusal]  # the request -> the key it presents
FindKey = Callable[[str], ApiKey | None]  # a presented key -> the key it names, if any
ParseCallId = Callable[[str], int | list[ErrorItem]]
ParseListQuery = Callable[[Mapping[str, str]], ListQuery | list[ErrorItem]]
MayRead = Callable[[str, StoredCall], bool]  # account id, call
Transform = Callable[[JsonObject], JsonObject]
CutPage = Callable[[Listing], Page]
Finish = Callable[[Request, Response], Response]
ErrorBody = Callable[[Request, int, "str | list[ErrorItem]"], JsonObject]  # status, detail
Evolve = Callable[[ServedCalls], None]  # once per request, before it is answered


@dataclass(frozen=True)
class Behaviour:
    read_key: ReadKey
    find_key: FindKey
    parse_call_id: ParseCallId
    parse_list_query: ParseListQuery
    may_read: MayRead
    record: Transform  # each call record, once at start-up
    summary: Transform  # each listed summary, once at start-up
    cut_page: CutPage
    finish: Finish  # the last look at every response
    throttle: Throttle
    encoding: JsonWriter  # how every JSON body is written
    error_body: ErrorBody  # the document of every error response
    evolve: Evolve  # what changes in the served data as requests arrive


MISSING_OR_INVALID = Refusal("Invalid or missing API key")


def bearer_key(request: Request) -> str | Refusal:
    """The key of the one `Authorization: Bearer <key>` header (the scheme in any case, as
    RFC 9110 says); no header, two of them, another scheme or a key with a space: refused."""
    values = request.headers.getlist("authorization")
    if len(values) != 1:
        return MISSING_OR_INVALID
    scheme, _, key = values[0].strip().partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key or " " in key:
        return MISSING_OR_INVALID
    return key


def exact_key(dataset: Dataset) -> FindKey:
    return dataset.keys.get


def authenticate(behaviour: Behaviour, dataset: Dataset, request: Request) -> str | Refusal:
    """The account id the request's key belongs to, or why it is refused (401)."""
    presented = behaviour.read_key(request)
    if isinstance(presented, Refusal):
        return presented
    found = behaviour.find_key(presented)
    if found is None:
        return MISSING_OR_INVALID
    if found.is_expired(dataset.as_of):
        return Refusal("API key expired")
    return found.account_id


def owner_only(account_id: str, call: StoredCall) -> bool:
    return call.account_id == account_id


def identity(value: JsonObject) -> JsonObject:
    return value


def newest_first_page(listing: Listing) -> Page:
    listable = listing.listable
    start = listing.query.offset
    return Page(listable[start : start + listing.query.limit], total=len(listable))


def finish_unchanged(request: Request, response: Response) -> Response:
    return response


def status_and_detail(request: Request, status: int, detail: str | list[ErrorItem]) -> JsonObject:
    return {"detail": detail, "status": status}


def data_at_rest(served: ServedCalls) -> None:
    """The clean server's data never moves while it serves."""


def clean_behaviour(dataset: Dataset) -> Behaviour:
    return Behaviour(
        read_key=bearer_key,
        find_key=exact_key(dataset),
        parse_call_id=parse_call_id,
        parse_list_query=parse_list_query,
        may_read=owner_only,
        record=identity,
        summary=identity,
        cut_page=newest_first_page,
        finish=finish_unchanged,
        throttle=no_throttle,
        encoding=PLAIN,
        error_body=status_and_detail,
        evolve=data_at_rest,
    )
