"""Faults of the call record: its schema (types, required fields, enums, formats, ranges) and
the invariants 1-9 of contract.md that hold between its fields.

Each applies to every record it can (and so to every summary made from one), so a run of a
few hundred requests meets it.
"""

from __future__ import annotations

import itertools
import json
import threading
from datetime import UTC, datetime, timedelta

from starlette.requests import Request
from starlette.responses import Response

from contract_tests.reference_server.behaviour import Behaviour
from contract_tests.reference_server.changes import Fault, on_records, on_responses
from contract_tests.reference_server.data import JsonObject


def _instant(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _rfc3339(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# ---- the schema ------------------------------------------------------------------------------


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


# ---- invariants 1-9 --------------------------------------------------------------------------


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


def _overcharge_every_other(behaviour: Behaviour) -> Behaviour:
    """A fresh count per server, so the first answer is always right and the second wrong."""
    answers = itertools.count(1)
    lock = threading.Lock()

    def lagging_replica(request: Request, response: Response) -> Response:
        if response.status_code != 200 or request.url.path.rstrip("/") == "/v2/calls":
            return response
        with lock:
            wrong = next(answers) % 2 == 0
        if wrong:
            record = json.loads(bytes(response.body))
            overcharge(record)
            response.body = json.dumps(record).encode()
            response.headers["content-length"] = str(len(response.body))
        return response

    return on_responses(lagging_replica)(behaviour)


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


SCHEMA_FAULTS: tuple[Fault, ...] = (
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
        "impossible-date",
        "updated_at is 2026-02-30T10:00:00Z: the pattern matches, no calendar has the day",
        "The call record: `updated_at` RFC 3339 date-time",
        "client_round_trip",
        on_records(impossible_updated_at),
    ),
)

INVARIANT_FAULTS: tuple[Fault, ...] = (
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
        "cost-mismatch-every-other",
        "every other getCall 200 (a lagging replica) has cost.total_usd the breakdown's sum "
        "plus 0.05: the 2nd, 4th... answer of each server",
        "Invariant 5: total_usd within 0.005 of the sum of the breakdown",
        "cost_adds_up",
        _overcharge_every_other,
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
)

RECORD_FAULTS: tuple[Fault, ...] = (*SCHEMA_FAULTS, *INVARIANT_FAULTS)
