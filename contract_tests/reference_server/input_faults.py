"""Faults at the edges of the inputs and in the form of the headers.

Off-by-one bounds, lenient or wrong number parsing, a too-small integer type, and a header
written in another form than the spec says: each is met only at an exact edge, or on a 429
that a client waits out, so the suite finds them by probing on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from email.utils import formatdate

from contract_tests.reference_server.behaviour import ParseCallId, ParseListQuery
from contract_tests.reference_server.changes import Fault, on_list_query, on_stage
from contract_tests.reference_server.ratelimit import EveryNth, Throttle, Verdict
from contract_tests.reference_server.validation import ErrorItem, ListQuery

ID_CLAUSE = "Errors: 422 when `call_id` is not an integer in 1..2^63-1"
LIST_CLAUSE = "listCalls: `limit` 1..100 (default 50), `offset` 0 or more; out of range is 422"
INT32_MAX = 2**31 - 1


def _call_id_read(read: Callable[[str], int | None]) -> Callable[[ParseCallId], ParseCallId]:
    """Parse `call_id` with `read` first (None: as before)."""

    def wrap(parse: ParseCallId) -> ParseCallId:
        def lenient(raw: str) -> int | list[ErrorItem]:
            value = read(raw)
            return parse(raw) if value is None else value

        return lenient

    return wrap


def _zero_accepted(raw: str) -> int | None:
    return 0 if raw == "0" else None


def _uint64(raw: str) -> int | None:
    """Bounds of an unsigned 64-bit id: 2^63 and above are looked up, not refused."""
    return int(raw) if raw.isascii() and raw.isdigit() and 2**63 <= int(raw) < 2**64 else None


def _python_int(raw: str) -> int | None:
    """Python's int(): strips spaces and reads any Unicode digit."""
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if value >= 1 else None


def _next_id(raw: str) -> int | None:
    """The id after the one asked for: an index off by one."""
    return int(raw) + 1 if raw.isascii() and raw.isdigit() and 1 <= int(raw) < 2**63 - 1 else None


def _octal_zeros(raw: str) -> int | None:
    """A leading zero read as octal, as C's strtol(s, NULL, 0) does."""
    if re.fullmatch(r"0[0-7]+", raw):
        return int(raw, 8)
    return None


def _limit_up_to(top: int) -> Callable[[ParseListQuery], ParseListQuery]:
    def wrap(parse: ParseListQuery) -> ParseListQuery:
        def lenient(params: Mapping[str, str]) -> ListQuery | list[ErrorItem]:
            raw = params.get("limit", "")
            if raw.isascii() and raw.isdigit() and 100 < int(raw) <= top:
                parsed = parse({**params, "limit": "100"})
                return replace(parsed, limit=int(raw)) if isinstance(parsed, ListQuery) else parsed
            return parse(params)

        return lenient

    return wrap


def _offset_int32(parse: ParseListQuery) -> ParseListQuery:
    def narrow(params: Mapping[str, str]) -> ListQuery | list[ErrorItem]:
        raw = params.get("offset", "")
        if raw.isascii() and raw.isdigit() and int(raw) > INT32_MAX:
            item: ErrorItem = {
                "loc": ["query", "offset"],
                "msg": f"Input should be less than or equal to {INT32_MAX}",
                "type": "less_than_equal",
            }
            return [item]
        return parse(params)

    return narrow


def _dated_retry_after(throttle: Throttle) -> Throttle:
    """Every tenth request is 429 with Retry-After as an HTTP date, not seconds."""
    every_tenth = EveryNth(10)

    def refuse() -> Verdict:
        verdict = every_tenth()
        if verdict.retry_after is None:
            return throttle()
        return Verdict({**verdict.headers, "Retry-After": formatdate(usegmt=True)}, 0)

    return refuse


INPUT_FAULTS: tuple[Fault, ...] = (
    Fault(
        "call-id-zero-accepted",
        "call_id 0 is looked up (404) instead of refused (422): the lower bound is off by one",
        ID_CLAUSE,
        "input_edges_answered_as_documented",
        on_stage("parse_call_id", _call_id_read(_zero_accepted)),
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
        "limit-off-by-one",
        "limit 101 is accepted: the upper bound is off by one",
        LIST_CLAUSE,
        "input_edges_answered_as_documented",
        on_list_query(_limit_up_to(101)),
    ),
    Fault(
        "offset-int32",
        "an offset above 2^31-1 is 422: offsets are stored as 32-bit integers",
        LIST_CLAUSE,
        "input_edges_answered_as_documented",
        on_list_query(_offset_int32),
    ),
    Fault(
        "retry-after-date",
        "every tenth request is 429 with Retry-After as an HTTP date, not seconds",
        "Errors: 429 carries `Retry-After` (seconds)",
        "header_forms",
        on_stage("throttle", _dated_retry_after),
    ),
)
