"""The `live-data` quirk: a production server whose data moves while a contract run goes.

Deterministic by request count: every `ARRIVAL_EVERY`th request a new call of the primary
account arrives (the next id, created later than every other call, so it heads the listing
and shifts every offset page); every `TRANSITION_EVERY`th request the account's oldest active
call ends and its oldest pending call connects. Time is the data's own clock: a few seconds
more per request, never behind the wall clock (nor before `AS_OF`). The same requests make the
same changes in the same order, and every change is dated at or after the moment it was
made: after the `Date` of every answer served before it, as on a server whose records and
`Date` header read one clock (a listing that missed a change dated before it is stale).

Every version of every call keeps invariants 1-9: a new call is a copy of an active or pending
call moved in time as a whole; an ending call ends at or after its last update, so its
transcript fits in its duration.
"""

from __future__ import annotations

import copy
import itertools
import random
import threading
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from contract_tests.reference_server.data import (
    AS_OF,
    PRIMARY,
    StoredCall,
    call_cost,
    recording_of,
    rfc3339,
)
from contract_tests.reference_server.store import ServedCalls

ARRIVAL_EVERY = 10
TRANSITION_EVERY = 7
DATA_SECONDS_PER_REQUEST = 6  # one minute of data time per arrival
HANG_UP_SECONDS = 3  # between a call's end and its record's last update
DATE_TIMES = ("started_at", "ended_at", "created_at", "updated_at")
REASONS = ("user_hangup", "agent_hangup", "silence_timeout", "transfer")


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def _interleaved_by_type(calls: Iterable[StoredCall]) -> list[StoredCall]:
    """Calls ordered so consecutive ones differ in type where they can (web, inbound...)."""
    by_type: dict[str, list[StoredCall]] = {}
    for call in sorted(calls, key=lambda call: call.call_id):
        by_type.setdefault(str(call.record["type"]), []).append(call)
    rounds = itertools.zip_longest(*by_type.values())
    return [call for round_ in rounds for call in round_ if call is not None]


class LiveData:
    """The `evolve` stage of a live server (one per app; safe to call from several threads)."""

    def __init__(self, account_id: str = PRIMARY.account_id) -> None:
        self.account_id = account_id
        self._lock = threading.Lock()
        self._requests = 0
        self._templates: list[StoredCall] = []
        self._clock = AS_OF

    def __call__(self, served: ServedCalls) -> None:
        with self._lock:
            self._requests += 1
            count = self._requests
            if not self._templates:
                self._templates = _interleaved_by_type(self._unfinished(served))
            step = self._clock + timedelta(seconds=DATA_SECONDS_PER_REQUEST)
            self._clock = now = max(step, datetime.now(UTC))
            if count % ARRIVAL_EVERY == 0:
                self._arrive(served, now, count // ARRIVAL_EVERY)
            if count % TRANSITION_EVERY == 0:
                self._end_oldest_active(served, now, count // TRANSITION_EVERY)
                self._connect_oldest_pending(served, now)

    def _unfinished(self, served: ServedCalls, status: str | None = None) -> list[StoredCall]:
        """The account's active and pending calls (or those of `status`), oldest first."""
        wanted = (status,) if status else ("active", "pending")
        listing = served.by_account.get(self.account_id, [])
        return [call for call in reversed(listing) if call.record["status"] in wanted]

    def _arrive(self, served: ServedCalls, now: datetime, arrival: int) -> None:
        if not self._templates:
            return
        template = self._templates[(arrival - 1) % len(self._templates)]
        record = copy.deepcopy(dict(template.record))
        shift = now - _instant(record["created_at"])
        for field in DATE_TIMES:
            if record[field] is not None:
                record[field] = rfc3339(_instant(record[field]) + shift)
        record["id"] = max(served.calls) + 1
        served.put(StoredCall(self.account_id, record))

    def _end_oldest_active(self, served: ServedCalls, now: datetime, transition: int) -> None:
        active = self._unfinished(served, "active")
        if not active:
            return
        call = active[0]
        record = copy.deepcopy(dict(call.record))
        started = _instant(record["started_at"])
        ended = max(now, _instant(record["updated_at"]))  # never before its last update
        duration = (ended - started).total_seconds()
        record.update(
            status="ended",
            ended_at=rfc3339(ended),
            duration_seconds=duration,
            ended_reason=REASONS[transition % len(REASONS)],
            cost=call_cost(duration / 60, record["type"] != "web"),
            updated_at=rfc3339(ended + timedelta(seconds=HANG_UP_SECONDS)),
        )
        if transition % 2 and duration >= 1:
            rng = random.Random(f"live:{call.call_id}")  # the recording's URL signature
            record.update(recording_of(self.account_id, call.call_id, duration, rng))
        served.put(StoredCall(call.account_id, record))

    def _connect_oldest_pending(self, served: ServedCalls, now: datetime) -> None:
        pending = self._unfinished(served, "pending")
        if not pending:
            return
        call = pending[0]
        record = copy.deepcopy(dict(call.record))
        started = max(now, _instant(record["updated_at"]))
        record.update(status="active", started_at=rfc3339(started), updated_at=rfc3339(started))
        served.put(StoredCall(call.account_id, record))
