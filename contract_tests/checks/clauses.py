"""Which line of contract.md each check stands for: shown beside every failure, in the
summary and in the coverage section. A light module: the runner reads it without importing
Schemathesis."""

from __future__ import annotations

from contract_tests.checks.credentials import PROBES

# Which contract clause each check enforces (shown beside every failure and in the summary).
CLAUSES: dict[str, str] = {
    "not_a_server_error": "the spec documents no 5xx: a correct server never answers one",
    "status_code_conformance": "Operations: only the documented status codes",
    "content_type_conformance": "Errors: every body is JSON (application/json)",
    "response_headers_conformance": "Errors: WWW-Authenticate on 401, Retry-After on 429, "
    "X-RateLimit-* are integers",
    "response_schema_conformance": "The call record / listCalls / Errors: fields, types, "
    "formats, bounds and nullability",
    "negative_data_rejection": "Errors: a call_id outside 1..2^63-1 or a bad list query is 422",
    "positive_data_acceptance": "Operations: valid input is answered 200 (or 401/403/404/429)",
    "ignored_auth": "Auth: Authorization: Bearer on every operation; no or a bad key is 401",
    "missing_required_header": "Auth: a request without its required headers is rejected",
    "nullability_by_status": "Invariant 1",
    "timestamps_ordered": "Invariant 2",
    "duration_matches_timestamps": "Invariant 3",
    "recording_consistent": "Invariant 4",
    "cost_adds_up": "Invariant 5",
    "transcript_timeline": "Invariant 6",
    "phone_numbers_match_type": "Invariant 7",
    "direction_matches_type": "Invariant 8",
    "analysis_only_when_finished": "Invariant 9",
    "record_is_the_call_asked_for": "getCall returns the call it names",
    "list_page_consistent": "Invariant 10 (the page)",
    "listed_calls_match_records": "Invariant 10 (listed calls fetched by id)",
    "listed_calls_not_stale": "Invariant 10 (a listed call moved on only after the listing)",
    "no_foreign_call_listed": "Invariant 10 (no other account's call is listed)",
    "foreign_call_forbidden": "Invariant 11",
    "header_forms": "Errors: Retry-After seconds, WWW-Authenticate Bearer, X-RateLimit-* "
    "integers, wherever they appear",
    "input_edges_answered_as_documented": "Errors: 422 at and past every input's edge, "
    "never for a valid input",
    "pages_tile_the_listing": "Invariant 10 (consecutive pages tile the listing)",
    **{check: "Errors: a near-miss key is 401 with WWW-Authenticate: Bearer" for check in PROBES},
    "client_round_trip": "The generated client reads every documented response",
}
