"""The suite's own checks: each a function of one exchange and an explicit context.

A check returns True when it judged the exchange (it passed), False when the exchange is not
one it applies to, and raises the failure of its clause (checks/failures.py) on a breach.
Nothing here knows Schemathesis or pytest: the suite adapts these to Schemathesis
(suite/adapter.py), and any other source of exchanges (a replay, a recording, a test)
calls `judge` directly. `CLAUSES` (checks/clauses.py) says which line of contract.md each
check, built-in or ours, stands for; ours quote it in their docstrings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from contract_tests.checks import credentials, edges, headers, invariants, listing, staleness
from contract_tests.checks.clauses import CLAUSES
from contract_tests.checks.client_conformance import round_trip_failure
from contract_tests.checks.context import CheckContext
from contract_tests.checks.exchange import Exchange
from contract_tests.checks.failures import (
    ContractFailure,
    ForeignCallAnswered,
    ForeignCallListed,
    Identity,
    ListedCallBreach,
    WrongCallServed,
)
from contract_tests.checks.states import (
    FINISHED,
    FOREIGN_STATES,
    LISTED_CALL_STATES,
    RECORD_CLAUSE_STATES,
    page_states,
)
from contract_tests.spec import (
    GET_CALL,
    LIST_CALLS,
    call_data_in,
    limit_bounds,
    offset_bounds,
    response_schema,
)

# How many listed calls per page invariant 10 fetches by id (bounded: a staging account may
# list thousands; fetches are kept per run, so the reference server's calls are all seen).
LISTED_CALLS_CHECKED = 20
# Fields of an unfinished call that may change between the list and the fetch on a live server.
IMMUTABLE_FIELDS = ("id", "type", "agent_id", "agent_name")

Judge = Callable[[Exchange, CheckContext], bool]


@dataclass(frozen=True)
class Check:
    name: str
    judge: Judge
    doc: str

    @property
    def clause(self) -> str:
        """The clause it enforces, in full (the first paragraph of its docstring)."""
        return " ".join(self.doc.split("\n\n")[0].split())


def _record_check(invariant: Callable[[Mapping[str, Any]], None]) -> Check:
    name = invariant.__name__
    clause_states = RECORD_CLAUSE_STATES[name]

    def judge(exchange: Exchange, context: CheckContext) -> bool:
        call = exchange.json_object(GET_CALL)
        if call is None:
            return False
        state = clause_states.state_of(call)
        if state is not None:
            context.observations.saw_state(name, state)
        invariant(call)
        return True

    return Check(name, judge, invariant.__doc__ or "")


def record_is_the_call_asked_for(exchange: Exchange, context: CheckContext) -> bool:
    """getCall: `GET /v2/calls/{call_id}` returns the record of that call: its `id` is the
    `call_id` asked for (judged when the path holds the id in its plain decimal form)."""
    call = exchange.json_object(GET_CALL)
    raw = exchange.request.path_parameters.get("call_id", "")
    if call is None or not (raw.isascii() and raw.isdigit() and str(int(raw)) == raw):
        return False
    if call.get("id") != int(raw):
        raise WrongCallServed(
            f"call {raw} was asked for, the record is call {call.get('id')!r}", field="id"
        )
    return True


def _int_query(exchange: Exchange, name: str, default: int) -> int | None:
    if not any(key == name for key, _ in exchange.request.query):
        return default
    value = exchange.request.query_value(name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _listed_ids(page: Mapping[str, Any]) -> list[int]:
    calls = page.get("calls")
    summaries = calls[:LISTED_CALLS_CHECKED] if isinstance(calls, list) else []
    ids = [summary.get("id") if isinstance(summary, dict) else None for summary in summaries]
    return [i for i in ids if isinstance(i, int) and not isinstance(i, bool)]


def _listed_summaries(page: Mapping[str, Any]) -> dict[Any, Mapping[str, Any]]:
    """The summaries of the first listed calls that are fetched by id, by their id."""
    calls = page.get("calls")
    listed = calls[:LISTED_CALLS_CHECKED] if isinstance(calls, list) else []
    return {summary["id"]: summary for summary in listed if isinstance(summary, dict)}


def list_page_consistent(exchange: Exchange, context: CheckContext) -> bool:
    """Invariant 10 (the page): at most `limit` items, newest first (`created_at` desc, then
    `id` desc), none `deleted`, and `total` exact: the page holds
    `min(limit, max(0, total - offset))` items (the documented default `limit` when none is
    given). A server that counts apart from the page may be off by a call that arrived in
    between: a page whose length and `total` disagree is fetched again once before it fails."""
    page = exchange.json_object(LIST_CALLS)
    limit = _int_query(exchange, "limit", limit_bounds()[2])  # the documented defaults
    offset = _int_query(exchange, "offset", offset_bounds()[2])
    if page is None or limit is None or offset is None:
        return False
    created_at: dict[int, str] = {}
    if context.fetcher is not None:  # summaries carry no created_at: read from the records
        for call_id in _listed_ids(page):
            record = context.fetcher.record(call_id)
            if record is not None and isinstance(record.get("created_at"), str):
                created_at[call_id] = record["created_at"]
    for state in page_states(len(page.get("calls") or []), page.get("total"), limit, offset):
        context.observations.saw_state("list_page_consistent", state)
    invariants.list_page_consistent(page, limit, offset, created_at)
    try:
        invariants.page_length_matches_total(page, limit, offset)
    except ContractFailure:
        if context.fetcher is None:
            raise
        again = context.fetcher.again(exchange).decoded
        if isinstance(again, dict):
            invariants.page_length_matches_total(again, limit, offset)
    return True


def listed_calls_match_records(exchange: Exchange, context: CheckContext) -> bool:
    """Invariant 10 (the calls): every listed call, fetched by id with the same key, matches
    its summary (on a live server an unfinished call may have moved on between the two
    requests).

    Sound on a live server: a call listed as unfinished, or whose status moved forward
    between the list and the fetch (pending -> active -> ended/error -> deleted), is
    compared only on the fields that never change; a finished call that is still in the
    same status must match in full."""
    page = exchange.json_object(LIST_CALLS)
    fetcher = context.fetcher
    if page is None or fetcher is None:
        return False
    summaries = _listed_summaries(page)
    for call_id in _listed_ids(page):
        summary = summaries[call_id]
        status, record = fetcher.call(call_id)
        if record is not None and record.get("status") != summary.get("status"):
            status, record = fetcher.call(call_id, fresh=True)
        if status == 403:
            raise ListedCallBreach(
                f"listed call {call_id} is another account's: fetched by id with the same key "
                "it is 403",
                field="id",
                kind="listed but forbidden",
            )
        if record is None:
            continue
        listed, fetched = summary.get("status"), record.get("status")
        if listed in LISTED_CALL_STATES:
            context.observations.saw_state("listed_calls_match_records", str(listed))
        if listed in FINISHED and listed == fetched:
            invariants.listed_call_matches_record(summary, record)
        else:
            if not invariants.moved_forward(listed, fetched):
                invariants.listed_call_matches_record({"id": call_id, "status": listed}, record)
            stable = {key: summary[key] for key in IMMUTABLE_FIELDS if key in summary}
            invariants.listed_call_matches_record(stable, record)
    return True


def listed_calls_not_stale(exchange: Exchange, context: CheckContext) -> bool:
    """Invariant 10 (the calls): every listed call, fetched by id with the same key, matches
    its summary (on a live server an unfinished call may have moved on between the two
    requests); a move its record dates before the listing was served is no movement: the
    listing is stale.

    The listing is served at its `Date` header (else when the client sent it), with the
    tolerances of checks/staleness.py; a call whose record, fetched after the listing, is in a
    later status than listed must have been updated after that."""
    page = exchange.json_object(LIST_CALLS)
    fetcher = context.fetcher
    if page is None or fetcher is None:
        return False  # (before the Date header is parsed: most exchanges are no listing)
    served = staleness.served_at(exchange)
    if served is None:
        return False
    summaries = _listed_summaries(page)
    for call_id in _listed_ids(page):
        listed = summaries[call_id].get("status")
        record = fetcher.record(call_id)
        if record is not None and record.get("status") != listed:
            record = fetcher.call(call_id, fresh=True)[1]  # the cached one may predate the list
        if record is None or record.get("status") == listed:
            continue
        if invariants.moved_forward(listed, record.get("status")):  # else: not a listing's lag
            staleness.listed_status_current(call_id, listed, record, served)
    return True


def no_foreign_call_listed(exchange: Exchange, context: CheckContext) -> bool:
    """Invariant 10: no call of another account is ever listed. Every listed id is checked
    against the other account's ids given with --foreign-call-ids (and the first listed calls,
    fetched by id with the same key, must not be 403: listed_calls_match_records)."""
    page = exchange.json_object(LIST_CALLS)
    if page is None or not context.foreign_ids or not context.sent_with_key(exchange):
        return False
    listed = {call.get("id") for call in page.get("calls") or [] if isinstance(call, dict)}
    foreign = sorted(context.foreign_ids & {i for i in listed if isinstance(i, int)})
    if foreign:
        raise ForeignCallListed(f"another account's calls {foreign} are listed", field="id")
    return True


def foreign_call_forbidden(exchange: Exchange, context: CheckContext) -> bool:
    """Invariant 11: a call of one account, fetched with another account's key, is 403:
    never 200, never its data.

    An error body may carry fields of its own (`type`, `title`, `request_id`...): only a
    property the call record names, holding a value valid for it, counts as the call's data."""
    if exchange.operation != GET_CALL or not context.foreign_ids:
        return False
    try:
        call_id = int(exchange.request.path_parameters.get("call_id", ""))
    except ValueError:
        return False
    # Negative cases drop or spoil the credentials: 401 is right there; the clause is about a key.
    if call_id not in context.foreign_ids or not context.sent_with_key(exchange):
        return False
    context.observations.saw_state("foreign_call_forbidden", FOREIGN_STATES[0])
    if exchange.status != 403:
        raise ForeignCallAnswered(
            f"call {call_id} belongs to another account but was answered {exchange.status}, "
            "not 403",
            field="status",
            kind=f"answered {exchange.status}",
        )
    leaked = call_data_in(exchange.decoded)
    if leaked:
        raise ForeignCallAnswered(
            f"the 403 for call {call_id} carries {leaked}",
            field=", ".join(leaked),
            kind="403 carries call data",
        )
    return True


def header_forms(exchange: Exchange, context: CheckContext) -> bool:
    headers.header_forms(exchange.response_headers)
    return True


def client_round_trip(exchange: Exchange, context: CheckContext) -> bool:
    """The generated client reads every documented JSON response into its typed model and
    back into an equal JSON document (a body it cannot read fails every client user)."""
    body = exchange.decoded
    if not isinstance(body, dict) or response_schema(exchange.operation, exchange.status) is None:
        return False  # not JSON (content_type_conformance says so) or an undocumented status
    failure = round_trip_failure(exchange.operation, exchange.status, body)
    if failure is not None:
        raise failure
    return True


def _check(judge: Judge, doc: str | None = None) -> Check:
    return Check(judge.__name__, judge, doc or judge.__doc__ or "")


CHECKS: tuple[Check, ...] = (
    *(_record_check(invariant) for invariant in invariants.RECORD_INVARIANTS),
    _check(record_is_the_call_asked_for),
    _check(list_page_consistent),
    _check(listed_calls_match_records),
    _check(listed_calls_not_stale),
    _check(no_foreign_call_listed),
    _check(foreign_call_forbidden),
    _check(header_forms, headers.header_forms.__doc__),
    _check(client_round_trip),
)

# The checks of the suite's own probes (suite/probes.py), which judge only their requests.
PROBE_CLAUSES: dict[str, str] = {
    "input_edges_answered_as_documented": edges.input_edges_answered_as_documented.__doc__ or "",
    "pages_tile_the_listing": listing.pages_tile_the_listing.__doc__ or "",
    **{check: credentials.clause_of(check) for check in credentials.PROBES},
}


def clause_text(check: str) -> str:
    """The clause a failure of `check` breaks, in full: our checks quote contract.md in their
    docstrings; built-in checks have their line in CLAUSES."""
    ours = {check.name: check.doc for check in CHECKS} | PROBE_CLAUSES
    doc = ours.get(check)
    if doc:
        return " ".join(doc.split("\n\n")[0].split())
    return CLAUSES.get(check, "")


@dataclass(frozen=True)
class Breach:
    """A failure found by a check: its identity, title and message (with the values)."""

    identity: Identity
    title: str
    message: str

    @classmethod
    def of(cls, failure: ContractFailure, check: str, operation: str) -> Breach:
        return cls(failure.identity(check, operation), failure.title, str(failure))


@dataclass(frozen=True)
class Verdict:
    """What one check said of one exchange."""

    check: str
    judged: bool
    breach: Breach | None = None


def judge(
    exchange: Exchange, context: CheckContext, checks: tuple[Check, ...] = CHECKS
) -> list[Verdict]:
    """Every check on `exchange`, in-process: what a replay, a recording or a test calls."""
    verdicts = []
    for check in checks:
        try:
            judged = check.judge(exchange, context)
        except ContractFailure as failure:
            breach = Breach.of(failure, check.name, exchange.operation)
            verdicts.append(Verdict(check.name, True, breach))
        else:
            verdicts.append(Verdict(check.name, judged))
    return verdicts
