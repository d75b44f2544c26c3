"""The server's decisions as a set of small replaceable functions (the stages of a request).

The clean server is `clean_behaviour(dataset)`. A fault or a quirk is a function from one
`Behaviour` to another that wraps or replaces one stage, so the request handlers in app.py
never test which fault is on: they call the stages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from contract_tests.reference_server.data import Dataset, JsonObject, StoredCall
from contract_tests.reference_server.encoding import PLAIN, JsonWriter
from contract_tests.reference_server.ratelimit import Throttle, no_throttle
from contract_tests.reference_server.validation import (
    ErrorItem,
    ListQuery,
    parse_call_id,
    parse_list_query,
)
from contract_tests.spec import project

if TYPE_CHECKING:  # the store is built from a Behaviour, so it imports this module
    from contract_tests.reference_server.store import ServedCalls


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


Authenticate = Callable[[str | None], str | Refusal]  # Authorization header -> account id
ParseCallId = Callable[[str], int | list[ErrorItem]]
ParseListQuery = Callable[[Mapping[str, str]], ListQuery | list[ErrorItem]]
MayRead = Callable[[str, StoredCall], bool]  # account id, call
Transform = Callable[[JsonObject], JsonObject]
CutPage = Callable[[Listing], Page]
Finish = Callable[[Request, Response], Response]
ErrorBody = Callable[[Request, int, "str | list[ErrorItem]"], JsonObject]  # status, detail
Evolve = Callable[["ServedCalls"], None]  # once per request, before it is answered


@dataclass(frozen=True)
class Behaviour:
    authenticate: Authenticate
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


def make_authenticator(dataset: Dataset) -> Authenticate:
    def authenticate(header: str | None) -> str | Refusal:
        if header is None:
            return Refusal("Invalid or missing API key")
        scheme, _, key = header.strip().partition(" ")
        key = key.strip()
        if scheme.lower() != "bearer" or not key or " " in key:
            return Refusal("Invalid or missing API key")
        found = dataset.keys.get(key)
        if found is None:
            return Refusal("Invalid or missing API key")
        if found.is_expired(dataset.as_of):
            return Refusal("API key expired")
        return found.account_id

    return authenticate


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


def summary_of(record: Mapping[str, Any]) -> JsonObject:
    """The list view of a record: what the spec's `CallSummary` names, same values."""
    return project(record, "CallSummary")


def clean_behaviour(dataset: Dataset) -> Behaviour:
    return Behaviour(
        authenticate=make_authenticator(dataset),
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
