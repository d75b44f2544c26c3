"""Faults at the edges of the inputs: `call_id`, `limit` and `offset`.

Off-by-one bounds, bounds not enforced or enforced too hard, lenient or wrong number parsing,
a too-small integer type, a server error on an unusual id: each is met only at an exact edge,
so the suite finds them by probing on purpose. The bounds are the spec's (contract_tests/
spec.py), so a fault "one past the maximum" is one past whatever the spec says.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace

from starlette.requests import Request
from starlette.responses import Response

from contract_tests.reference_server.behaviour import ParseCallId, ParseListQuery
from contract_tests.reference_server.changes import Fault, on_list_query, on_responses, on_stage
from contract_tests.reference_server.validation import ErrorItem, ListQuery, parse_bounded_int
from contract_tests.spec import id_bounds, limit_bounds, offset_bounds

ID_CLAUSE = "Errors: 422 when `call_id` is not an integer in 1..2^63-1"
LIST_CLAUSE = "listCalls: `limit` 1..100 (default 50), `offset` 0 or more; out of range is 422"
INT32_MAX = 2**31 - 1  # the largest signed 32-bit integer: a too-small type
UINT64_END = 2**64  # one past the largest unsigned 64-bit integer
_SMALL_ID = re.compile(r"[1-9][0-9]{0,5}")  # 1..999999


def _plain(raw: str) -> int | None:
    """`raw` as a number when it is ASCII decimal digits only."""
    return int(raw) if raw.isascii() and raw.isdigit() else None


# ---- call_id ---------------------------------------------------------------------------------


def _call_id_read(read: Callable[[str], int | None]) -> Callable[[ParseCallId], ParseCallId]:
    """Parse `call_id` with `read` first (None: as before)."""

    def wrap(parse: ParseCallId) -> ParseCallId:
        def lenient(raw: str) -> int | list[ErrorItem]:
            value = read(raw)
            return parse(raw) if value is None else value

        return lenient

    return wrap


def _below_minimum(raw: str) -> int | None:
    """The id one below the spec's minimum is looked up (an inclusive bound taken as >=)."""
    below = id_bounds()[0] - 1
    return below if raw == str(below) else None


def _uint64(raw: str) -> int | None:
    """Bounds of an unsigned 64-bit id: above the spec's maximum and below 2^64, ids are
    looked up, not refused."""
    value = _plain(raw)
    return value if value is not None and id_bounds()[1] < value < UINT64_END else None


def _python_int(raw: str) -> int | None:
    """Python's int(): strips spaces and reads any Unicode digit."""
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if value >= id_bounds()[0] else None


def _next_id(raw: str) -> int | None:
    """The id after the one asked for: an index off by one."""
    value, (low, high) = _plain(raw), id_bounds()
    return value + 1 if value is not None and low <= value < high else None


def _octal_zeros(raw: str) -> int | None:
    """A leading zero read as octal, as C's strtol(s, NULL, 0) does."""
    if re.fullmatch(r"0[0-7]+", raw):
        return int(raw, 8)
    return None


def error_on_large_ids(request: Request, response: Response) -> Response:
    raw = request.path_params.get("call_id")
    if raw is None or _SMALL_ID.fullmatch(raw):
        return response
    return Response(b'{"detail":"Internal Server Error"}', 500, media_type="application/json")


# ---- limit and offset ------------------------------------------------------------------------


def limit_unbounded(parse: ParseListQuery) -> ParseListQuery:
    """Accept any limit from the minimum up to what an offset may be (int64): the spec's
    maximum is not enforced."""

    def lenient(params: Mapping[str, str]) -> ListQuery | list[ErrorItem]:
        raw = params.get("limit")
        low, _, _ = limit_bounds()
        largest = offset_bounds()[1]
        big = None if raw is None else parse_bounded_int(raw, "query", "limit", low, largest)
        if not isinstance(big, int):
            return parse(params)
        parsed = parse({**params, "limit": str(low)})
        return replace(parsed, limit=big) if isinstance(parsed, ListQuery) else parsed

    return lenient


def reject_boundary_limits(parse: ParseListQuery) -> ParseListQuery:
    """The spec's smallest and largest limit are refused: both bounds taken as exclusive."""

    def strict(params: Mapping[str, str]) -> ListQuery | list[ErrorItem]:
        low, high, _ = limit_bounds()
        if params.get("limit") in (str(low), str(high)):
            message = f"Input should be between {low + 1} and {high - 1}"
            return [{"loc": ["query", "limit"], "msg": message, "type": "range"}]
        return parse(params)

    return strict


def _limit_past_maximum(by: int) -> Callable[[ParseListQuery], ParseListQuery]:
    """Accept a limit up to `by` past the spec's maximum (served as that many)."""

    def wrap(parse: ParseListQuery) -> ParseListQuery:
        def lenient(params: Mapping[str, str]) -> ListQuery | list[ErrorItem]:
            value, high = _plain(params.get("limit", "")), limit_bounds()[1]
            if value is not None and high < value <= high + by:
                parsed = parse({**params, "limit": str(high)})
                return replace(parsed, limit=value) if isinstance(parsed, ListQuery) else parsed
            return parse(params)

        return lenient

    return wrap


def _offset_int32(parse: ParseListQuery) -> ParseListQuery:
    def narrow(params: Mapping[str, str]) -> ListQuery | list[ErrorItem]:
        value = _plain(params.get("offset", ""))
        if value is not None and value > INT32_MAX:
            item: ErrorItem = {
                "loc": ["query", "offset"],
                "msg": f"Input should be less than or equal to {INT32_MAX}",
                "type": "less_than_equal",
            }
            return [item]
        return parse(params)

    return narrow


INPUT_FAULTS: tuple[Fault, ...] = (
    Fault(
        "server-error-on-large-id",
        "500 for a call_id >= 1,000,000 or any id that is not a plain positive integer",
        "Errors: 404 when no call has that id, 422 when call_id is not an integer in 1..2^63-1",
        "not_a_server_error",
        on_responses(error_on_large_ids),
    ),
    Fault(
        "call-id-zero-accepted",
        "call_id 0 is looked up (404) instead of refused (422): the lower bound is off by one",
        ID_CLAUSE,
        "input_edges_answered_as_documented",
        on_stage("parse_call_id", _call_id_read(_below_minimum)),
    ),
    Fault(
        "call-id-unsigned",
        "call_id 2^63 up to 2^64-1 is looked up (404): ids are read as unsigned 64-bit",
        ID_CLAUSE,
        "input_edges_answered_as_documented",
        on_stage("parse_call_id", _call_id_read(_uint64)),
    ),
    Fault(
        "call-id-lenient-digits",
        "call_id is read with Python's int(): non-ASCII digits (Arabic-Indic 77) are call 77",
        ID_CLAUSE,
        "input_edges_answered_as_documented",
        on_stage("parse_call_id", _call_id_read(_python_int)),
    ),
    Fault(
        "call-id-octal",
        "a call_id with a leading zero is read as octal: 0077 is call 63, not call 77",
        ID_CLAUSE,
        "input_edges_answered_as_documented",
        on_stage("parse_call_id", _call_id_read(_octal_zeros)),
    ),
    Fault(
        "call-id-off-by-one",
        "getCall serves the call after the one asked for (an index off by one)",
        "getCall returns the record of the call it names",
        "record_is_the_call_asked_for",
        on_stage("parse_call_id", _call_id_read(_next_id)),
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
        "limit-off-by-one",
        "limit 101 is accepted: the upper bound is off by one",
        LIST_CLAUSE,
        "input_edges_answered_as_documented",
        on_list_query(_limit_past_maximum(1)),
    ),
    Fault(
        "offset-int32",
        "an offset above 2^31-1 is 422: offsets are stored as 32-bit integers",
        LIST_CLAUSE,
        "input_edges_answered_as_documented",
        on_list_query(_offset_int32),
    ),
)
