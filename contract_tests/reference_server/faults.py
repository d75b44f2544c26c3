"""The catalogue of named faults (the allowed variations, "quirks", are in quirks.py).

A fault breaks exactly one clause of contract.md, and names the contract-suite check that
must catch it (`detected_by`): the suite run against each fault proves that check fires.

Each entry is data plus one small transform over a stage of `Behaviour`. Faults apply to
every record (or every response, or every invalid input) they can, so a run of a few hundred
requests meets them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from starlette.requests import Request
from starlette.responses import Response

from contract_tests.reference_server.behaviour import (
    Behaviour,
    Listing,
    Page,
    ParseListQuery,
    Refusal,
)
from contract_tests.reference_server.changes import (
    Fault,
    on_list_query,
    on_pages,
    on_records,
    on_responses,
    on_summaries,
)
from contract_tests.reference_server.credential_faults import CREDENTIAL_FAULTS
from contract_tests.reference_server.data import KEYS, JsonObject, StoredCall
from contract_tests.reference_server.input_faults import INPUT_FAULTS
from contract_tests.reference_server.listing_faults import LISTING_FAULTS
from contract_tests.reference_server.validation import (
    INT64_MAX,
    ErrorItem,
    ListQuery,
    parse_bounded_int,
)


def _instant(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _rfc3339(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _rebuilt(
    response: Response, *, status: int | None = None, body: bytes | None = None, media_type: str
) -> Response:
    """The same response with another status, body or content type (other headers kept)."""
    headers = {
        name: value
        for name, value in response.headers.items()
        if name not in ("content-type", "content-length")
    }
    return Response(
        content=response.body if body is None else body,
        status_code=response.status_code if status is None else status,
        headers=headers,
        media_type=media_type,
    )


# ---- record transforms (schema) -------------------------------------------------------------


def id_as_string(record: JsonObject) -> None:
    record["id"] = str(record["id"])


def drop_agent_name(record: JsonObject) -> None:
    record.pop("agent_name", None)


def archived_status(record: JsonObject) -> None:
    if record["status"] == "ended":
        record["status"] = "archived"


def day_first_created_at(record: JsonObject) -> None:
    record["created_at"] = _instant(record["created_at"]).strftime("%d/%m/%Y %H:%M")


def negative_interruptions(record: JsonObject) -> None:
    record["interruptions"] = -1


def score_150(record: JsonObject) -> None:
    if record["analysis"] is not None:
        record["analysis"]["score"]["score"] = 150


def impossible_updated_at(record: JsonObject) -> None:
    record["updated_at"] = "2026-02-30T10:00:00Z"


# ---- record transforms (invariants 1-9) -----------------------------------------------------


def end_active_calls(record: JsonObject) -> None:
    if record["status"] == "active":
        started, updated = _instant(record["started_at"]), _instant(record["updated_at"])
        record["ended_at"] = record["updated_at"]
        record["duration_seconds"] = (updated - started).total_seconds()
        record["ended_reason"] = "user_hangup"


def end_before_start(record: JsonObject) -> None:
    if record["started_at"] is not None and record["ended_at"] is not None:
        record["ended_at"] = _rfc3339(_instant(record["started_at"]) - timedelta(seconds=90))


def add_30_seconds(record: JsonObject) -> None:
    if record["duration_seconds"] is not None:
        record["duration_seconds"] = round(record["duration_seconds"] + 30, 1)


def lose_recording_url(record: JsonObject) -> None:
    record["recording_url"] = None


def overcharge(record: JsonObject) -> None:
    cost = record["cost"]
    cost["total_usd"] = round(sum(cost["breakdown"].values()) + 0.05, 4)


def shuffle_transcript(record: JsonObject) -> None:
    """Reverse the timestamps, so a later message says it came first."""
    transcript = record["transcript"]
    stamps = [message["timestamp"] for message in transcript]
    for message, stamp in zip(transcript, reversed(stamps), strict=True):
        message["timestamp"] = stamp


def phone_on_web_calls(record: JsonObject) -> None:
    if record["type"] == "web":
        record["phone_number"] = "+918045678900"
        record["caller_phone"] = "+919820012345"


def rotate_direction(record: JsonObject) -> None:
    rotation = {"web": "inbound", "inbound": "outbound", "outbound": "web"}
    record["call_direction"] = rotation[record["type"]]


def analyse_unfinished(record: JsonObject) -> None:
    if record["status"] in ("active", "pending"):
        record["analysis"] = {
            "summary": {
                "overview": "Call in progress.",
                "key_topics": [],
                "action_items": [],
                "outcome": "pending",
            },
            "sentiment": "neutral",
            "score": {"score": 50, "reasoning": "Not scored yet"},
            "tags": [],
            "knowledge_gaps": [],
        }


# ---- list transforms (invariant 10) ---------------------------------------------------------


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


# ---- request-stage transforms ----------------------------------------------------------------


def serve_anonymous_as_primary(behaviour: Behaviour) -> Behaviour:
    """No Authorization header: read as the primary account's first key."""
    previous = behaviour.read_key

    def read_key(request: Request) -> str | Refusal:
        if "authorization" not in request.headers:
            return KEYS[0].key  # the primary account's key
        return previous(request)

    return replace(behaviour, read_key=read_key)


def serve_any_account(behaviour: Behaviour) -> Behaviour:
    def may_read(account_id: str, call: StoredCall) -> bool:
        return True

    return replace(behaviour, may_read=may_read)


def limit_unbounded(parse: ParseListQuery) -> ParseListQuery:
    """Accept any positive int64 limit: the 1..100 range is not enforced."""

    def lenient(params: Mapping[str, str]) -> ListQuery | list[ErrorItem]:
        raw = params.get("limit")
        big = None if raw is None else parse_bounded_int(raw, "query", "limit", 1, INT64_MAX)
        if not isinstance(big, int):
            return parse(params)
        parsed = parse({**params, "limit": "1"})
        return replace(parsed, limit=big) if isinstance(parsed, ListQuery) else parsed

    return lenient


def reject_boundary_limits(parse: ParseListQuery) -> ParseListQuery:
    def strict(params: Mapping[str, str]) -> ListQuery | list[ErrorItem]:
        if params.get("limit") in ("1", "100"):
            item = {"loc": ["query", "limit"], "msg": "Input should be between 2 and 99"}
            return [{**item, "type": "range"}]
        return parse(params)

    return strict


# ---- response transforms ---------------------------------------------------------------------

_SMALL_ID = re.compile(r"[1-9][0-9]{0,5}")  # 1..999999


def error_on_large_ids(request: Request, response: Response) -> Response:
    raw = request.path_params.get("call_id")
    if raw is None or _SMALL_ID.fullmatch(raw):
        return response
    return Response(b'{"detail":"Internal Server Error"}', 500, media_type="application/json")


def text_plain_success(request: Request, response: Response) -> Response:
    if response.status_code != 200:
        return response
    return _rebuilt(response, media_type="text/plain")


def html_errors(request: Request, response: Response) -> Response:
    if response.status_code not in (403, 404):
        return response
    reason = "Forbidden" if response.status_code == 403 else "Not Found"
    page = f"<html><body><h1>{reason}</h1></body></html>".encode()
    return _rebuilt(response, body=page, media_type="text/html")


def gone_for_not_found(request: Request, response: Response) -> Response:
    if response.status_code != 404:
        return response
    return _rebuilt(
        response,
        status=410,
        body=b'{"detail":"Call gone","status":410}',
        media_type="application/json",
    )


def drop_www_authenticate(request: Request, response: Response) -> Response:
    if "www-authenticate" in response.headers:
        del response.headers["www-authenticate"]
    return response


def plenty_remaining(request: Request, response: Response) -> Response:
    response.headers["X-RateLimit-Remaining"] = "plenty"
    return response


FAULTS: tuple[Fault, ...] = (
    Fault(
        "wrong-json-type",
        '`id` is sent as a JSON string ("77") instead of an integer',
        "The call record: `id` integer >= 1 (int64)",
        "response_schema_conformance",
        on_records(id_as_string),
    ),
    Fault(
        "missing-required-field",
        "`agent_name` is left out of every record and summary",
        "The call record: every field is always present (required)",
        "response_schema_conformance",
        on_records(drop_agent_name),
    ),
    Fault(
        "undocumented-enum-value",
        "ended calls have status `archived`, a value the closed enum does not name",
        "Extensibility: the enums are closed; a new value violates the contract",
        "response_schema_conformance",
        on_records(archived_status),
    ),
    Fault(
        "malformed-date-time",
        "`created_at` is written like `25/03/2026 10:20`",
        "The call record: `created_at` RFC 3339 date-time, UTC, `Z` suffix",
        "response_schema_conformance",
        on_records(day_first_created_at),
    ),
    Fault(
        "negative-number",
        "`interruptions` is -1",
        "The call record: `interruptions` integer >= 0",
        "response_schema_conformance",
        on_records(negative_interruptions),
    ),
    Fault(
        "score-out-of-range",
        "`analysis.score.score` is 150",
        "`analysis`: `score` {`score` integer 0..100}",
        "response_schema_conformance",
        on_records(score_150),
    ),
    Fault(
        "wrong-content-type",
        "every 200 body is sent as text/plain",
        "The call record / listCalls: JSON bodies (`application/json`)",
        "content_type_conformance",
        on_responses(text_plain_success),
    ),
    Fault(
        "non-json-error-body",
        "403 and 404 are answered with a text/html page",
        "Errors: every error body is JSON (`application/json`)",
        "content_type_conformance",
        on_responses(html_errors),
    ),
    Fault(
        "server-error-on-large-id",
        "500 for a call_id >= 1,000,000 or any id that is not a plain positive integer",
        "Errors: 404 when no call has that id, 422 when call_id is not an integer in 1..2^63-1",
        "not_a_server_error",
        on_responses(error_on_large_ids),
    ),
    Fault(
        "undocumented-status-code",
        "404 is answered as 410 Gone",
        "Operations in scope: getCall answers 200, 401, 403, 404, 422, 429",
        "status_code_conformance",
        on_responses(gone_for_not_found),
    ),
    Fault(
        "auth-ignored",
        "requests without an Authorization header are served as the primary account",
        "Errors: 401 when the key is missing",
        "ignored_auth",
        serve_anonymous_as_primary,
    ),
    Fault(
        "missing-www-authenticate",
        "401 is sent without the WWW-Authenticate header",
        "Errors: 401 carries header `WWW-Authenticate: Bearer`",
        "response_headers_conformance",
        on_responses(drop_www_authenticate),
    ),
    Fault(
        "bad-ratelimit-header",
        "every response says `X-RateLimit-Remaining: plenty`",
        "Errors: X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset are integers",
        "response_headers_conformance",
        on_responses(plenty_remaining),
    ),
    Fault(
        "limit-not-enforced",
        "a limit above 100 is accepted with 200",
        "listCalls: `limit` integer 1..100; out of range is 422",
        "negative_data_rejection",
        on_list_query(limit_unbounded),
    ),
    Fault(
        "valid-limit-rejected",
        "limit=1 and limit=100 are answered 422",
        "listCalls: `limit` integer 1..100",
        "positive_data_acceptance",
        on_list_query(reject_boundary_limits),
    ),
    Fault(
        "ended-at-on-active",
        "active calls carry ended_at, duration_seconds and ended_reason",
        "Invariant 1: ended_at, duration_seconds, ended_reason null exactly when active/pending",
        "nullability_by_status",
        on_records(end_active_calls),
    ),
    Fault(
        "ended-before-started",
        "ended_at is 90 s before started_at",
        "Invariant 2: started_at <= ended_at <= updated_at",
        "timestamps_ordered",
        on_records(end_before_start),
    ),
    Fault(
        "duration-off",
        "duration_seconds is 30 s longer than ended_at - started_at",
        "Invariant 3: duration_seconds within 1 s of ended_at - started_at",
        "duration_matches_timestamps",
        on_records(add_30_seconds),
    ),
    Fault(
        "recording-half-null",
        "recording_url is null while recording_duration is set",
        "Invariant 4: recording_url and recording_duration are null together",
        "recording_consistent",
        on_records(lose_recording_url),
    ),
    Fault(
        "cost-mismatch",
        "cost.total_usd is the breakdown's sum plus 0.05",
        "Invariant 5: total_usd within 0.005 of the sum of the breakdown",
        "cost_adds_up",
        on_records(overcharge),
    ),
    Fault(
        "transcript-out-of-order",
        "transcript timestamps run backwards",
        "Invariant 6: transcript timestamps never decrease",
        "transcript_timeline",
        on_records(shuffle_transcript),
    ),
    Fault(
        "web-call-with-phone",
        "web calls carry phone_number and caller_phone",
        "Invariant 7: a web call has null phone_number and caller_phone",
        "phone_numbers_match_type",
        on_records(phone_on_web_calls),
    ),
    Fault(
        "direction-mismatch",
        "call_direction is another type than `type`",
        "Invariant 8: call_direction equals type",
        "direction_matches_type",
        on_records(rotate_direction),
    ),
    Fault(
        "analysis-on-active",
        "active and pending calls carry an analysis",
        "Invariant 9: analysis is null unless status is ended, error or deleted",
        "analysis_only_when_finished",
        on_records(analyse_unfinished),
    ),
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
        "cross-account-served",
        "a call of another account is served with 200",
        "Invariant 11: a call of one account, fetched with another account's key, is 403",
        "foreign_call_forbidden",
        serve_any_account,
    ),
    Fault(
        "impossible-date",
        "updated_at is 2026-02-30T10:00:00Z: the pattern matches, no calendar has the day",
        "The call record: `updated_at` RFC 3339 date-time",
        "client_round_trip",
        on_records(impossible_updated_at),
    ),
    *CREDENTIAL_FAULTS,
    *INPUT_FAULTS,
    *LISTING_FAULTS,
)


FAULTS_BY_NAME: Mapping[str, Fault] = {fault.name: fault for fault in FAULTS}
