"""The record states each invariant clause speaks of, so a run can say which it exercised.

A clause about pending calls passes trivially on data without a pending call. Each check
that judges records names here the states its clause distinguishes (`expected`) and how to
read a record's state (`state_of`); the checks count every state they judge, and the
coverage section lists what was never seen ("invariant 1: pending: not seen").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from contract_tests.spec import call_statuses, call_types, listed_statuses

Record = Mapping[str, Any]

STATUSES = call_statuses()  # every status and type as the spec's enums list them
LISTED_STATUSES = listed_statuses()
UNFINISHED = ("pending", "active")  # contract.md: not yet ended; ended_at etc. are null
FINISHED = tuple(status for status in STATUSES if status not in UNFINISHED)
TYPES = call_types()


@dataclass(frozen=True)
class ClauseStates:
    expected: tuple[str, ...]
    state_of: Callable[[Record], str | None]  # None: the record is not one the clause reads


def _status(record: Record) -> str | None:
    status = record.get("status")
    return status if status in STATUSES else None


def _finished_status(record: Record) -> str | None:
    status = _status(record)
    return status if status in FINISHED else None


def _type(record: Record) -> str | None:
    kind = record.get("type")
    return kind if kind in TYPES else None


def _recording(record: Record) -> str:
    return "without a recording" if record.get("recording_url") is None else "with a recording"


def _transcript(record: Record) -> str | None:
    status = _status(record)
    if status is None:
        return None
    if status != "ended":
        return "unfinished or not ended" if status != "deleted" else None
    return "ended, with messages" if record.get("transcript") else "ended, empty transcript"


def _phones(record: Record) -> str | None:
    kind = _type(record)
    if kind == "inbound" and record.get("caller_phone") is None:
        return "inbound with caller ID withheld"
    return kind


def _analysis(record: Record) -> str | None:
    status = _status(record)
    if status in UNFINISHED:
        return status
    if status is None:
        return None
    return "finished, analysed" if record.get("analysis") is not None else "finished, not analysed"


# For each record check (named as in checks/invariants.py): the states of its clause.
RECORD_CLAUSE_STATES: dict[str, ClauseStates] = {
    "nullability_by_status": ClauseStates(STATUSES, _status),
    "timestamps_ordered": ClauseStates(STATUSES, _status),
    "duration_matches_timestamps": ClauseStates(FINISHED, _finished_status),
    "recording_consistent": ClauseStates(("with a recording", "without a recording"), _recording),
    "cost_adds_up": ClauseStates(STATUSES, _status),
    "transcript_timeline": ClauseStates(
        ("ended, with messages", "ended, empty transcript", "unfinished or not ended"), _transcript
    ),
    "phone_numbers_match_type": ClauseStates((*TYPES, "inbound with caller ID withheld"), _phones),
    "direction_matches_type": ClauseStates(TYPES, _type),
    "analysis_only_when_finished": ClauseStates(
        (*UNFINISHED, "finished, analysed", "finished, not analysed"), _analysis
    ),
}

# States of the list and tenancy clauses, counted by their checks.
PAGE_STATES = ("first page", "a later page", "the last page", "past the end")
LISTED_CALL_STATES = LISTED_STATUSES
FOREIGN_STATES = ("another account's call",)

EXPECTED_STATES: dict[str, tuple[str, ...]] = {
    **{name: states.expected for name, states in RECORD_CLAUSE_STATES.items()},
    "list_page_consistent": PAGE_STATES,
    "listed_calls_match_records": LISTED_CALL_STATES,
    "foreign_call_forbidden": FOREIGN_STATES,
    "pages_tile_the_listing": ("page boundaries compared",),
}


def page_states(calls: int, total: object, limit: int, offset: int) -> list[str]:
    """Where a page sits in the listing (a page can be both the first and the last)."""
    states = ["first page" if offset == 0 else "a later page"]
    if isinstance(total, int) and not isinstance(total, bool):
        if calls == 0 and offset >= total and offset > 0:
            return ["past the end"]
        if calls and offset + calls >= total:
            states.append("the last page")
    return states
