"""The suite's own checks, registered with Schemathesis beside its built-in ones.

Each is a small function of (context, response, case) that raises AssertionError with the
clause it enforces, and returns True (Schemathesis: "skipped") when the response is not one
it applies to, so that the summary counts only real passes. They run on every response of
every phase, stateful included. `CLAUSES` says which line of contract.md each check,
built-in or ours, stands for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import schemathesis
from schemathesis import Case, CheckContext, Response

from contract_tests.checks import credentials, edges, headers, invariants, listing
from contract_tests.checks.body import response_json
from contract_tests.checks.clauses import CLAUSES
from contract_tests.checks.client_conformance import round_trip_problem
from contract_tests.checks.states import (
    FINISHED,
    FOREIGN_STATES,
    LISTED_CALL_STATES,
    RECORD_CLAUSE_STATES,
    page_states,
)
from contract_tests.run.plan import api_key
from contract_tests.run.results import CURRENT
from contract_tests.spec import GET_CALL, LIST_CALLS, call_data_in, response_schema
from contract_tests.suite.fetch import fetch_answer, fetch_record, send_again

# How many listed calls per page invariant 10 fetches by id (bounded: a staging account may
# list thousands; fetches are cached per run, so the reference server's calls are all seen).
LISTED_CALLS_CHECKED = 20
# Fields of an unfinished call that may change between the list and the fetch on a live server.
IMMUTABLE_FIELDS = ("id", "type", "agent_id", "agent_name")

FOREIGN_IDS: set[int] = set()  # set by the suite from the run plan


def _body_of(case: Case[Any], response: Response, label: str) -> Any:
    """The decoded JSON body of a 200 of `label`; None for anything else."""
    if case.operation.label != label or response.status_code != 200:
        return None
    body = response_json(response)
    return body if isinstance(body, dict) else None


def _record_check(invariant: Callable[[Mapping[str, Any]], None]) -> Callable[..., bool | None]:
    clause_states = RECORD_CLAUSE_STATES[invariant.__name__]

    def check(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
        call = _body_of(case, response, GET_CALL)
        if call is None:
            return True
        state = clause_states.state_of(call)
        if state is not None:
            CURRENT.saw_state(invariant.__name__, state)
        invariant(call)
        return None

    check.__name__ = invariant.__name__
    check.__qualname__ = invariant.__name__
    check.__doc__ = invariant.__doc__
    return check


RECORD_CHECKS = [schemathesis.check(_record_check(inv)) for inv in invariants.RECORD_INVARIANTS]


def _int_query(case: Case[Any], name: str, default: int) -> int | None:
    value = (case.query or {}).get(name, default)
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _listed_records(case: Case[Any], page: Mapping[str, Any]) -> dict[int, Mapping[str, Any]]:
    """The first listed calls, fetched by id with the same key (cached per run)."""
    records: dict[int, Mapping[str, Any]] = {}
    calls = page.get("calls")
    if not isinstance(calls, list):
        return records
    for summary in calls[:LISTED_CALLS_CHECKED]:
        call_id = summary.get("id") if isinstance(summary, dict) else None
        if isinstance(call_id, int) and not isinstance(call_id, bool):
            record = fetch_record(case.operation.schema, call_id)
            if record is not None:
                records[call_id] = record
    return records


@schemathesis.check
def record_is_the_call_asked_for(
    ctx: CheckContext, response: Response, case: Case[Any]
) -> bool | None:
    """getCall: `GET /v2/calls/{call_id}` returns the record of that call: its `id` is the
    `call_id` asked for (judged when the path holds the id in its plain decimal form)."""
    call = _body_of(case, response, GET_CALL)
    raw = str((case.path_parameters or {}).get("call_id", ""))
    if call is None or not (raw.isascii() and raw.isdigit() and str(int(raw)) == raw):
        return True
    if call.get("id") != int(raw):
        raise AssertionError(
            f"getCall: call {raw} was asked for, the record is call {call.get('id')!r}"
        )
    return None


@schemathesis.check
def list_page_consistent(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """Invariant 10 (the page): at most `limit` items, newest first (`created_at` desc, then
    `id` desc), none `deleted`, and `total` exact: the page holds
    `min(limit, max(0, total - offset))` items (the documented default `limit` when none is
    given). A server that counts apart from the page may be off by a call that arrived in
    between: a page whose length and `total` disagree is fetched again once before it fails."""
    page = _body_of(case, response, LIST_CALLS)
    limit = _int_query(case, "limit", edges.parameter_schema("Limit")["default"])
    offset = _int_query(case, "offset", edges.parameter_schema("Offset")["default"])
    if page is None or limit is None or offset is None:
        return True
    records = _listed_records(case, page)
    created_at = {
        call_id: record["created_at"]
        for call_id, record in records.items()
        if isinstance(record.get("created_at"), str)
    }
    for state in page_states(len(page.get("calls") or []), page.get("total"), limit, offset):
        CURRENT.saw_state("list_page_consistent", state)
    invariants.list_page_consistent(page, limit, offset, created_at)
    try:
        invariants.page_length_matches_total(page, limit, offset)
    except AssertionError:
        again = send_again(case, response)
        if isinstance(again, dict):
            invariants.page_length_matches_total(again, limit, offset)
    return None


@schemathesis.check
def listed_calls_match_records(
    ctx: CheckContext, response: Response, case: Case[Any]
) -> bool | None:
    """Invariant 10 (the calls): every listed call, fetched by id with the same key, matches
    its summary (on a live server an unfinished call may have moved on between the two
    requests).

    Sound on a live server: a call listed as unfinished, or whose status moved forward
    between the list and the fetch (pending -> active -> ended/error -> deleted), is
    compared only on the fields that never change; a finished call that is still in the
    same status must match in full."""
    page = _body_of(case, response, LIST_CALLS)
    if page is None:
        return True
    for summary in (page.get("calls") or [])[:LISTED_CALLS_CHECKED]:
        call_id = summary.get("id") if isinstance(summary, dict) else None
        if not isinstance(call_id, int) or isinstance(call_id, bool):
            continue
        status, record = fetch_answer(case.operation.schema, call_id)
        if record is not None and record.get("status") != summary.get("status"):
            status, record = fetch_answer(case.operation.schema, call_id, fresh=True)
        if status == 403:
            raise AssertionError(
                f"invariant 10: listed call {call_id} is another account's: fetched by id "
                "with the same key it is 403"
            )
        if record is None:
            continue
        listed, fetched = summary.get("status"), record.get("status")
        if listed in LISTED_CALL_STATES:
            CURRENT.saw_state("listed_calls_match_records", str(listed))
        if listed in FINISHED and listed == fetched:
            invariants.listed_call_matches_record(summary, record)
        else:
            if not invariants.moved_forward(listed, fetched):
                invariants.listed_call_matches_record({"id": call_id, "status": listed}, record)
            stable = {key: summary[key] for key in IMMUTABLE_FIELDS if key in summary}
            invariants.listed_call_matches_record(stable, record)
    return None


@schemathesis.check
def no_foreign_call_listed(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """Invariant 10: no call of another account is ever listed. Every listed id is checked
    against the other account's ids given with --foreign-call-ids (and the first listed calls,
    fetched by id with the same key, must not be 403: listed_calls_match_records)."""
    page = _body_of(case, response, LIST_CALLS)
    if page is None or not FOREIGN_IDS:
        return True
    if response.request.headers.get("Authorization") != f"Bearer {api_key()}":
        return True
    listed = {call.get("id") for call in page.get("calls") or [] if isinstance(call, dict)}
    foreign = sorted(FOREIGN_IDS & {call_id for call_id in listed if isinstance(call_id, int)})
    if foreign:
        raise AssertionError(f"invariant 10: another account's calls {foreign} are listed")
    return None


@schemathesis.check
def foreign_call_forbidden(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """Invariant 11: a call of one account, fetched with another account's key, is 403:
    never 200, never its data.

    An error body may carry fields of its own (`type`, `title`, `request_id`...): only a
    property the call record names, holding a value valid for it, counts as the call's data."""
    if case.operation.label != GET_CALL or not FOREIGN_IDS:
        return True
    try:
        call_id = int((case.path_parameters or {}).get("call_id"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True
    if call_id not in FOREIGN_IDS:
        return True
    # Negative cases drop or spoil the credentials: 401 is right there; the clause is about a key.
    if response.request.headers.get("Authorization") != f"Bearer {api_key()}":
        return True
    CURRENT.saw_state("foreign_call_forbidden", FOREIGN_STATES[0])
    if response.status_code != 403:
        raise AssertionError(
            f"Invariant 11: call {call_id} belongs to another account but was answered "
            f"{response.status_code}, not 403"
        )
    leaked = call_data_in(response_json(response))
    if leaked:
        raise AssertionError(f"Invariant 11: the 403 for call {call_id} carries {leaked}")
    return None


@schemathesis.check
def header_forms(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    pairs = [(name, value) for name, values in response.headers.items() for value in values]
    headers.header_forms(pairs)
    return None


header_forms.__doc__ = headers.header_forms.__doc__


@schemathesis.check
def client_round_trip(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """The generated client reads every documented JSON response into its typed model and
    back into an equal JSON document (a body it cannot read fails every client user)."""
    body = response_json(response)
    if (
        not isinstance(body, dict)
        or response_schema(case.operation.label, response.status_code) is None
    ):
        return True  # not JSON (content_type_conformance says so) or an undocumented status
    problem = round_trip_problem(case.operation.label, response.status_code, body)
    if problem is not None:
        raise AssertionError(problem)
    return None


def clause_text(check: str) -> str:
    """The clause a failure of `check` breaks, in full: our checks quote contract.md in their
    docstrings; built-in checks have their line in CLAUSES."""
    ours = {function.__name__: function.__doc__ for function in OUR_CHECKS}
    ours.update(PROBE_CLAUSES)
    doc = ours.get(check)
    if doc:
        return " ".join(doc.split("\n\n")[0].split())
    return CLAUSES.get(check, "")


# The checks of the suite's own probes (suite/probes.py), which judge only their requests.
PROBE_CLAUSES: dict[str, str | None] = {
    "input_edges_answered_as_documented": edges.input_edges_answered_as_documented.__doc__,
    "pages_tile_the_listing": listing.pages_tile_the_listing.__doc__,
    **{check: credentials.clause_of(check) for check in credentials.PROBES},
}


OUR_CHECKS = [
    *RECORD_CHECKS,
    record_is_the_call_asked_for,
    list_page_consistent,
    listed_calls_match_records,
    no_foreign_call_listed,
    foreign_call_forbidden,
    header_forms,
    client_round_trip,
]
