"""The catalogue of quirks: variations the contract allows and real servers show.

A correct contract suite passes against every quirk, alone or all at once; a naive one (that
compares text rather than values, trusts key order, expects one header set, a keep-alive
connection or a still dataset) trips on them. Every record and response under every quirk is
still valid against the spec and keeps every invariant of contract.md.

Quirks compose in any order: each belongs to a layer, and layers apply in order (data, body,
message; then the fault, if any; then the wire: compression, transfer, timing).
"""

from __future__ import annotations

import functools
import itertools
import random
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import IntEnum
from types import MappingProxyType

from starlette.requests import Request

from contract_tests.reference_server import wire
from contract_tests.reference_server.behaviour import Behaviour
from contract_tests.reference_server.changes import (
    Change,
    all_of,
    on_each_request,
    on_error_bodies,
    on_records,
    on_responses,
    on_summaries,
    on_writer,
)
from contract_tests.reference_server.data import USD_TO_INR, JsonObject
from contract_tests.reference_server.encoding import JsonWriter
from contract_tests.reference_server.live import LiveData
from contract_tests.reference_server.ratelimit import EveryNth, FixedWindow
from contract_tests.reference_server.validation import ErrorItem


class Layer(IntEnum):
    DATA = 0  # records, summaries, the data store, the rate limiter
    BODY = 1  # how documents are written, what error documents say
    MESSAGE = 2  # headers of the finished response
    CODING = 3  # content coding (gzip): after every change of the body
    TRANSFER = 4  # how the bytes travel (chunked, Connection: close)
    TIMING = 5  # when they travel: last, around everything else


@dataclass(frozen=True)
class Quirk:
    name: str
    description: str
    apply: Change
    layer: Layer = Layer.DATA

    @property
    def wire(self) -> bool:
        return self.layer >= Layer.CODING


def fresh(make: Callable[[], Change]) -> Change:
    """A change whose state (a counter, a store) is made anew for every server built."""
    return lambda behaviour: make()(behaviour)


# ---- records -------------------------------------------------------------------------------

DATE_TIME_FIELDS = ("started_at", "ended_at", "created_at", "updated_at")
FRACTIONS = (".123", ".0", ".5", ".123456", ".123456789")
NEW_REASONS: Mapping[str, str] = MappingProxyType(
    {
        "user_hangup": "caller_disconnected",
        "agent_hangup": "goal_completed",
        "silence_timeout": "idle_timeout",
        "transfer": "warm_transfer",
    }
)


def add_sip_trunk(value: JsonObject) -> None:
    """A newer server version adds a field the spec does not name yet (telephony routing)."""
    value["sip_trunk_id"] = f"trk_mum_{int(value.get('id', 0)) % 4:02d}"


def renew_reasons(record: JsonObject) -> None:
    """The platform learns new end reasons; `ended_reason` is an open vocabulary."""
    reason = record["ended_reason"]
    record["ended_reason"] = NEW_REASONS.get(reason, reason) if reason is not None else None


def fractional_seconds(record: JsonObject) -> None:
    """JavaScript's toISOString writes milliseconds, Go and Java write up to nanoseconds,
    Python's isoformat microseconds. One fraction per call, on every date-time of it, so the
    order and the differences between them (invariants 2, 3) stay exactly as they were; the
    fraction follows `created_at`, so calls created in the same second still tie."""
    fraction = FRACTIONS[zlib.crc32(str(record["created_at"]).encode()) % len(FRACTIONS)]
    for field in DATE_TIME_FIELDS:
        value = record.get(field)
        if isinstance(value, str) and value.endswith("Z") and "." not in value:
            record[field] = f"{value[:-1]}{fraction}Z"


def analysis_pending(record: JsonObject) -> None:
    """Post-call analysis runs in a queue after the call: a finished call may not have it yet
    (contract.md: analysis is null while post-call analysis has not finished)."""
    if record["status"] in ("ended", "error") and record["id"] % 3 == 0:
        record["analysis"] = None


def timestamp_forms(record: JsonObject) -> None:
    """Transcript timestamps in other decimal forms of the same seconds: `"12"` for 12.0 and
    `"5.20"` for 5.2, as a server that formats with `str(int)` or `%.2f` writes them."""
    for index, message in enumerate(record["transcript"]):
        stamp = str(message["timestamp"])
        whole, _, fraction = stamp.partition(".")
        if index % 3 == 1 and not fraction.strip("0"):
            message["timestamp"] = whole
        elif index % 3 == 2:
            message["timestamp"] = f"{stamp}0" if fraction else f"{stamp}.00"


def float_noise(record: JsonObject) -> None:
    """Money as unrounded binary floats (`0.30000000000000004`): what a naive float sum gives
    in JavaScript or Python. The totals still add up (invariant 5), the summary says the same."""
    cost = record["cost"]
    parts = list(cost["breakdown"].values())
    cost["total_usd"] = sum(parts[1:], parts[0])  # left to right, as `reduce` would
    cost["total_inr"] = cost["total_usd"] * USD_TO_INR


def nested_extras(record: JsonObject) -> None:
    """Newer servers add fields inside nested objects too (extensibility holds at any depth)."""
    record["cost"]["currency"] = "USD"
    record["model"]["temperature"] = 0.7
    record["voice"]["speed"] = 1.0
    for message in record["transcript"]:
        message["confidence"] = 0.94
    if record["analysis"] is not None:
        record["analysis"]["summary"]["language"] = "hi-IN"


def summary_cost_currency(summary: JsonObject) -> None:
    """The summary's cost is the same object as the record's, serialised with its extra."""
    summary["cost"]["currency"] = "USD"


# ---- how documents are written -------------------------------------------------------------

WHOLE_AS_FLOAT = frozenset({"latency_ms", "interruptions", "recording_duration", "score"})
WHOLE_AS_INTEGER = frozenset({"duration_seconds"})  # a number field: `0` and `1800` are numbers
TINY = 1e-3  # floats below this are written with an exponent


def exponent_form(value: float) -> str:
    """0.0003 as `3e-04`, the form Python's repr and JavaScript use for tiny numbers."""
    mantissa, _, exponent = f"{Decimal(repr(value)).normalize():e}".partition("e")
    return f"{mantissa}e{int(exponent):+03d}"


def other_number_forms(key: str | None, value: int | float) -> str | None:
    """Numbers as other serialisers write them, same values: `6.80` (fixed decimals), `3e-04`
    (tiny floats), `99.0` (a whole float; JSON Schema counts it an integer), `12.0` for
    integer fields that a server keeps as floats (ids and totals stay integers), and a whole
    `duration_seconds` as `1800` (JavaScript writes every whole number that way)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return f"{value}.0" if key in WHOLE_AS_FLOAT else None
    text = repr(value)
    if value != 0 and abs(value) < TINY:
        return exponent_form(value)
    if value.is_integer() and key in WHOLE_AS_INTEGER:
        return str(int(value))
    if "e" in text or "n" in text or value.is_integer():  # exponent, inf, nan, or 99.0 already
        return None
    return f"{text}0"


@functools.cache
def shuffled_keys(keys: tuple[str, ...]) -> tuple[str, ...]:
    """Keys in a fixed pseudo-random order (never the original one), as Go maps, Java
    HashMaps or a column order from the database give them."""
    order = list(keys)
    random.Random(":".join(keys)).shuffle(order)
    if len(order) > 1 and tuple(order) == keys:
        order.reverse()
    return tuple(order)


def numbers_in_other_forms(writer: JsonWriter) -> JsonWriter:
    return replace(writer, number=other_number_forms)


def keys_shuffled(writer: JsonWriter) -> JsonWriter:
    return replace(writer, order=shuffled_keys)


def pretty_ascii(writer: JsonWriter) -> JsonWriter:
    """Pretty-printed, non-ASCII as `\\uXXXX`: Django REST framework's browsable settings,
    `json.dumps(indent=2)` with Python's default ensure_ascii, PHP's json_encode."""
    return replace(writer, indent=2, ensure_ascii=True)


# ---- error documents -----------------------------------------------------------------------

ERROR_KINDS: Mapping[int, tuple[str, str]] = MappingProxyType(
    {
        401: ("unauthorized", "Unauthorized"),
        403: ("forbidden", "Forbidden"),
        404: ("not-found", "Not Found"),
        405: ("method-not-allowed", "Method Not Allowed"),
        422: ("validation-failed", "Unprocessable Content"),
        429: ("rate-limited", "Too Many Requests"),
    }
)
STATUS_LEFT_OUT = (404, 429)  # `status` is optional: these errors do not repeat it
BOUNDS: Mapping[str, str] = MappingProxyType({"greater_than_equal": "ge", "less_than_equal": "le"})
PYDANTIC_ERRORS = "https://errors.pydantic.dev/2.10/v/"


def fastapi_item(request: Request, item: ErrorItem) -> ErrorItem:
    """A 422 item as FastAPI (pydantic 2) writes it: with the input, the bound and a URL."""
    loc = list(item.get("loc", []))
    where, name = [*loc, "", ""][:2]
    source: Mapping[str, str] = request.path_params if where == "path" else request.query_params
    richer: ErrorItem = {**item, "input": source.get(str(name), "")}
    bound, last_word = BOUNDS.get(str(item.get("type"))), str(item.get("msg", "")).split()[-1:]
    if bound and last_word and last_word[0].isdigit():
        richer["ctx"] = {bound: int(last_word[0])}
    richer["url"] = f"{PYDANTIC_ERRORS}{item.get('type')}"
    return richer


def problem_details() -> Callable[[Request, int, JsonObject], JsonObject]:
    """Errors as RFC 9457 problem details (`type`, `title`, `instance`) plus a request id,
    the way API gateways and Spring or FastAPI error handlers write them; `detail` unchanged.
    Nothing in them looks like a call's data (a 403 must not leak one)."""
    request_numbers = itertools.count(1)

    def extend(request: Request, status: int, document: JsonObject) -> JsonObject:
        slug, title = ERROR_KINDS.get(status, ("error", "Error"))
        extended: JsonObject = {"type": f"https://api.thinnest.ai/errors/{slug}", "title": title}
        extended.update(document)
        if isinstance(document.get("detail"), list):
            extended["detail"] = [fastapi_item(request, item) for item in document["detail"]]
        extended["instance"] = request.url.path
        extended["request_id"] = f"req_{next(request_numbers):010d}"
        if status in STATUS_LEFT_OUT:
            extended.pop("status", None)
        return extended

    return extend


# ---- the catalogue -------------------------------------------------------------------------


def every_third_refused(behaviour: Behaviour) -> Behaviour:
    """A busy shared gateway: a steady share of requests is refused with 429 and Retry-After."""
    return replace(behaviour, throttle=EveryNth(3))


def thirty_per_second(behaviour: Behaviour) -> Behaviour:
    """A real limiter: a fixed one-second window for the whole server, X-RateLimit-* on every
    response, 429 with Retry-After: 1 once the window is used up."""
    return replace(behaviour, throttle=FixedWindow(30))


QUIRKS: tuple[Quirk, ...] = (
    Quirk(
        "extra-field",
        "every record and summary carries an undocumented `sip_trunk_id`",
        all_of(on_records(add_sip_trunk), on_summaries(add_sip_trunk)),
    ),
    Quirk(
        "new-ended-reason",
        "ended_reason values outside the known list (still snake_case), e.g. `idle_timeout`",
        on_records(renew_reasons),
    ),
    Quirk(
        "rate-limited",
        "every third request is 429 with Retry-After: 1; X-RateLimit-* headers on every response",
        every_third_refused,
    ),
    Quirk(
        "fractional-seconds",
        "date-times carry a fraction of a second, per call: .123, .0, .5, .123456, .123456789",
        on_records(fractional_seconds),
    ),
    Quirk(
        "number-forms",
        "numbers in other JSON forms: 6.80, 3e-04, 99.0, integer fields (not id or total) as "
        "12.0, a whole duration_seconds as 1800",
        on_writer(numbers_in_other_forms),
        Layer.BODY,
    ),
    Quirk(
        "key-order",
        "object keys in another order (a fixed shuffle), nested objects and pages too",
        on_writer(keys_shuffled),
        Layer.BODY,
    ),
    Quirk(
        "json-formatting",
        "bodies pretty-printed (2-space indent) with non-ASCII written as \\uXXXX escapes",
        on_writer(pretty_ascii),
        Layer.BODY,
    ),
    Quirk(
        "error-extras",
        "error bodies add type (a URI), title, instance, request_id; 422 items add input, ctx, "
        "url; 404 and 429 leave out the optional status",
        fresh(lambda: on_error_bodies(problem_details())),
        Layer.BODY,
    ),
    Quirk(
        "extra-headers",
        "X-Request-Id, Via, Cache-Control: no-store, Vary, Strict-Transport-Security, "
        "X-Content-Type-Options on every response; a weak ETag on 200s",
        fresh(lambda: all_of(on_responses(wire.request_ids()), on_responses(wire.proxy_headers))),
        Layer.MESSAGE,
    ),
    Quirk(
        "charset",
        "Content-Type: application/json; charset=utf-8 on every JSON response",
        on_responses(wire.utf8_charset),
        Layer.MESSAGE,
    ),
    Quirk(
        "bearer-challenge",
        'a 401 challenges with Bearer realm="thinnest.ai" and, when a key was sent, '
        'error="invalid_token" and an error_description (RFC 6750)',
        on_responses(wire.bearer_challenge),
        Layer.MESSAGE,
    ),
    Quirk(
        "gzip",
        "bodies gzip-compressed (Content-Encoding: gzip, Vary: Accept-Encoding) when the "
        "request's Accept-Encoding allows it",
        on_responses(wire.gzipped),
        Layer.CODING,
    ),
    Quirk(
        "chunked",
        "bodies streamed in 3 chunks (Transfer-Encoding: chunked), without Content-Length",
        on_responses(wire.chunked),
        Layer.TRANSFER,
    ),
    Quirk(
        "connection-close",
        "Connection: close on every response; the server closes the connection after each",
        on_responses(wire.connection_close),
        Layer.TRANSFER,
    ),
    Quirk(
        "slow",
        "every 25th answer is sent 0.3 s late (well within any time-out), with Server-Timing",
        fresh(lambda: on_responses(wire.every_nth_slow(25, 0.3))),
        Layer.TIMING,
    ),
    Quirk(
        "rate-limit-window",
        "at most 30 requests per second for the whole server, then 429 with Retry-After: 1; "
        "X-RateLimit-* on every response",
        thirty_per_second,
    ),
    Quirk(
        "live-data",
        "data moves as requests arrive: every 10th request a new primary-account call heads "
        "the listing; every 7th the oldest active call ends and the oldest pending one starts",
        fresh(lambda: on_each_request(LiveData())),
    ),
    Quirk(
        "analysis-pending",
        "a third of finished calls have analysis null (post-call analysis not done yet)",
        on_records(analysis_pending),
    ),
    Quirk(
        "float-noise",
        "cost totals as unrounded float sums, e.g. 0.30000000000000004 (still within 0.005)",
        on_records(float_noise),
    ),
    Quirk(
        "timestamp-forms",
        'transcript timestamps in other decimal forms of the same seconds: "12", "5.20"',
        on_records(timestamp_forms),
    ),
    Quirk(
        "nested-extra-fields",
        "undocumented fields inside nested objects (cost.currency in records and summaries, "
        "model.temperature, voice.speed, transcript[].confidence, analysis.summary.language)",
        all_of(on_records(nested_extras), on_summaries(summary_cost_currency)),
    ),
)

QUIRKS_BY_NAME: Mapping[str, Quirk] = MappingProxyType({quirk.name: quirk for quirk in QUIRKS})


def with_quirks(behaviour: Behaviour, names: Sequence[str], *, wire: bool) -> Behaviour:
    """`behaviour` with the named quirks of the wire layers (or of the others) on, in layer
    order whatever the order of `names`; KeyError names an unknown quirk."""
    chosen = [QUIRKS_BY_NAME[name] for name in names]
    for quirk in sorted(chosen, key=lambda quirk: quirk.layer):
        if quirk.wire == wire:
            behaviour = quirk.apply(behaviour)
    return behaviour
