"""The invariants of contract.md that the schema alone cannot say, as plain functions.

Each function takes decoded JSON and raises the failure of its clause (checks/failures.py),
whose message starts with the clause and whose identity names the field and kind of breach.
They never raise anything else: a value of the wrong type is the schema check's business,
so an invariant that cannot read its inputs says nothing.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from contract_tests.checks import failures as f
from contract_tests.checks.states import STATUSES, UNFINISHED
from contract_tests.spec import project

Record = Mapping[str, Any]

SECOND = 1.0  # invariants 3, 4 and 6 allow one second of rounding
COST_TOLERANCE = 0.005  # invariant 5


def _instant(value: object) -> datetime | None:
    """An RFC 3339 date-time as an aware datetime; None when absent or unreadable."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _seconds(value: object) -> float | None:
    """A transcript timestamp ("5.2") as seconds; None when unreadable."""
    if not isinstance(value, str):
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) else None


def nullability_by_status(call: Record) -> None:
    """Invariant 1: `ended_at`, `duration_seconds` and `ended_reason` are null exactly when
    status is `active` or `pending`; `started_at` is null only when `pending`."""
    status = call.get("status")
    if status not in STATUSES:
        return
    unfinished = status in UNFINISHED
    for field in ("ended_at", "duration_seconds", "ended_reason"):
        if field not in call:
            continue
        if unfinished and call[field] is not None:
            raise f.NullabilityBreach(
                f"{field} is {call[field]!r} on a {status} call; must be null",
                field=field,
                kind="set while unfinished",
            )
        if not unfinished and call[field] is None:
            raise f.NullabilityBreach(
                f"{field} is null on a {status} call; only active/pending may",
                field=field,
                kind="null while finished",
            )
    if "started_at" in call and call["started_at"] is None and status != "pending":
        raise f.NullabilityBreach(
            f"started_at is null on a {status} call; only pending may",
            field="started_at",
            kind="null while started",
        )


def timestamps_ordered(call: Record) -> None:
    """Invariant 2: `started_at <= ended_at <= updated_at` and `created_at <= updated_at`."""
    started, ended = _instant(call.get("started_at")), _instant(call.get("ended_at"))
    created, updated = _instant(call.get("created_at")), _instant(call.get("updated_at"))
    pairs = [
        ("started_at", started, "ended_at", ended),
        ("ended_at", ended, "updated_at", updated),
        ("created_at", created, "updated_at", updated),
    ]
    for early_name, early, late_name, late in pairs:
        if early is not None and late is not None and early > late:
            detail = f"{early_name} {call[early_name]} is after {late_name} {call[late_name]}"
            raise f.TimestampsOutOfOrder(detail, field=f"{early_name} <= {late_name}")


def duration_matches_timestamps(call: Record) -> None:
    """Invariant 3: `duration_seconds` is within 1 second of `ended_at - started_at`."""
    started, ended = _instant(call.get("started_at")), _instant(call.get("ended_at"))
    duration = _number(call.get("duration_seconds"))
    if started is None or ended is None or duration is None:
        return
    elapsed = (ended - started).total_seconds()
    if abs(duration - elapsed) > SECOND:
        raise f.DurationMismatch(
            f"duration_seconds {duration} but ended_at - started_at is {elapsed}",
            field="duration_seconds",
        )


def recording_consistent(call: Record) -> None:
    """Invariant 4: `recording_url` and `recording_duration` are null together;
    `recording_duration <= duration_seconds + 1`."""
    if "recording_url" not in call or "recording_duration" not in call:
        return
    url_null, duration_null = call["recording_url"] is None, call["recording_duration"] is None
    if url_null != duration_null:
        present = "recording_duration" if url_null else "recording_url"
        raise f.RecordingMismatch(
            f"only {present} is set; url and duration are null together",
            field=present,
            kind="only one set",
        )
    recorded, duration = _number(call["recording_duration"]), _number(call.get("duration_seconds"))
    if recorded is not None and duration is not None and recorded > duration + SECOND:
        raise f.RecordingMismatch(
            f"recording_duration {recorded} > duration_seconds {duration} + 1",
            field="recording_duration",
            kind="longer than the call",
        )


def cost_adds_up(call: Record) -> None:
    """Invariant 5: `cost.total_usd` is within 0.005 of the sum of `cost.breakdown`."""
    cost = call.get("cost")
    if not isinstance(cost, Mapping) or not isinstance(cost.get("breakdown"), Mapping):
        return
    total = _number(cost.get("total_usd"))
    parts = [_number(value) for value in cost["breakdown"].values()]
    if total is None or any(part is None for part in parts):
        return
    parts_sum = sum(part for part in parts if part is not None)
    if abs(total - parts_sum) > COST_TOLERANCE + 1e-9:
        raise f.CostMismatch(
            f"cost.total_usd {total} but the breakdown adds up to {parts_sum:.6f}",
            field="cost.total_usd",
        )


def transcript_timeline(call: Record) -> None:
    """Invariant 6: transcript timestamps never decrease, and on an ended call none exceeds
    `duration_seconds + 1`."""
    transcript = call.get("transcript")
    if not isinstance(transcript, Sequence) or isinstance(transcript, str):
        return
    seconds = [
        _seconds(message.get("timestamp")) if isinstance(message, Mapping) else None
        for message in transcript
    ]
    previous: float | None = None
    for index, value in enumerate(seconds):
        if value is None:
            continue
        if previous is not None and value < previous:
            raise f.TranscriptOutOfOrder(
                f"transcript[{index}].timestamp {value} < previous {previous}",
                field="transcript[].timestamp",
                kind="decreases",
            )
        previous = value
    duration = _number(call.get("duration_seconds"))
    if call.get("status") == "ended" and duration is not None and previous is not None:
        latest = max(value for value in seconds if value is not None)
        if latest > duration + SECOND:
            raise f.TranscriptOutOfOrder(
                f"timestamp {latest} > duration_seconds {duration} + 1",
                field="transcript[].timestamp",
                kind="after the call ended",
            )


def phone_numbers_match_type(call: Record) -> None:
    """Invariant 7: a `web` call has null `phone_number` and `caller_phone`; an `inbound` or
    `outbound` call has a `phone_number`."""
    kind = call.get("type")
    if kind == "web":
        for field in ("phone_number", "caller_phone"):
            if call.get(field) is not None:
                raise f.PhoneNumberMismatch(
                    f"web call has {field} {call[field]!r}; must be null", field=field, kind="web"
                )
    elif kind in ("inbound", "outbound") and call.get("phone_number", "") is None:
        raise f.PhoneNumberMismatch(
            f"{kind} call has a null phone_number", field="phone_number", kind="phone call"
        )


def direction_matches_type(call: Record) -> None:
    """Invariant 8: `call_direction` equals `type`."""
    if "call_direction" in call and "type" in call and call["call_direction"] != call["type"]:
        raise f.DirectionMismatch(
            f"call_direction {call['call_direction']!r} but type {call['type']!r}",
            field="call_direction",
        )


def analysis_only_when_finished(call: Record) -> None:
    """Invariant 9: `analysis` is null unless status is `ended`, `error` or `deleted`."""
    status = call.get("status")
    if call.get("analysis") is not None and status in UNFINISHED:
        raise f.AnalysisTooEarly(f"a {status} call carries an analysis", field="analysis")


RECORD_INVARIANTS: list[Callable[[Record], None]] = [
    nullability_by_status,
    timestamps_ordered,
    duration_matches_timestamps,
    recording_consistent,
    cost_adds_up,
    transcript_timeline,
    phone_numbers_match_type,
    direction_matches_type,
    analysis_only_when_finished,
]


def list_page_consistent(
    page: Record, limit: int, offset: int, created_at: Mapping[int, str] | None = None
) -> None:
    """Invariant 10 (the page): at most `limit` items, in the documented order (`created_at`
    descending, then `id` descending), none `deleted`. (That `total` is exact is
    `page_length_matches_total`: the suite fetches a page again before judging it.)

    Summaries carry no `created_at`: the order is checked over the listed calls whose
    record's `created_at` is given by id (the suite fetches them)."""
    calls = page.get("calls")
    if not isinstance(calls, Sequence) or isinstance(calls, str):
        return
    if len(calls) > limit:
        raise f.PageBreach(
            f"the page has {len(calls)} calls; limit was {limit}",
            field="limit",
            kind="more calls than limit",
        )
    for summary in calls:
        if isinstance(summary, Mapping) and summary.get("status") == "deleted":
            raise f.PageBreach(
                f"deleted call {summary.get('id')} is listed", field="status", kind="deleted listed"
            )
    keys: list[tuple[datetime, int]] = []
    for summary in calls:  # the order is read over the prefix whose created_at is known
        call_id = summary.get("id") if isinstance(summary, Mapping) else None
        created = _instant((created_at or {}).get(call_id)) if isinstance(call_id, int) else None
        if call_id is None or created is None:
            break
        keys.append((created, call_id))
    for before, after in itertools.pairwise(keys):
        if before < after:
            raise f.PageBreach(
                f"call {after[1]} (created {after[0].isoformat()}) is listed after call "
                f"{before[1]} (created {before[0].isoformat()}); the order is newest first",
                field="created_at",
                kind="not newest first",
            )


def page_length_matches_total(page: Record, limit: int, offset: int) -> None:
    """Invariant 10: `total` is exact, so a page holds `min(limit, max(0, total - offset))`."""
    calls, total = page.get("calls"), page.get("total")
    if not isinstance(calls, Sequence) or isinstance(total, bool) or not isinstance(total, int):
        return
    expected = min(limit, max(0, total - offset))
    if len(calls) != expected:
        raise f.PageBreach(
            f"total {total} says the page at offset {offset} (limit {limit}) holds {expected} "
            f"calls, but it holds {len(calls)}",
            field="total",
            kind="page length disagrees with total",
        )


# A call's lifecycle: it only ever moves to a later stage (ended and error are both final).
LIFECYCLE = {"pending": 0, "active": 1, "ended": 2, "error": 2, "deleted": 3}


def moved_forward(earlier: object, later: object) -> bool:
    """Whether a call seen in status `earlier` may be in status `later` a moment after on a
    live server (the same status included). Unknown statuses are the schema's business."""
    if earlier not in LIFECYCLE or later not in LIFECYCLE or earlier == later:
        return True
    return LIFECYCLE[str(later)] > LIFECYCLE[str(earlier)]


def listed_call_matches_record(summary: Record, record: Record) -> None:
    """Invariant 10 (the calls): every listed call, fetched by id with the same key, matches
    its summary: the record seen through the spec's `CallSummary` has the same values."""
    expected = project(record, "CallSummary")
    # Both seen through the spec: a property it does not name, at any depth, is drift.
    for field, listed in project(summary, "CallSummary").items():
        if field in expected and listed != expected[field]:
            raise f.ListedCallBreach(
                f"listed call {summary.get('id')} has {field} {listed!r}, "
                f"but fetched by id it has {expected[field]!r}",
                field=field,
                kind="differs from the record",
            )
