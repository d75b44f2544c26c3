"""The calls as served: response bytes built once at start-up, and each account's calls in
list order.

getCall then costs a dictionary look-up however long the transcript is (serialising a
5,000-message transcript per request would be the bottleneck), and a list page is a join of
ready-made summary bytes. A live server (the `live-data` quirk) changes calls while it serves:
`put` rebuilds the bytes of that one call only.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from contract_tests.reference_server.data import Dataset, JsonObject, StoredCall
from contract_tests.reference_server.encoding import JsonWriter, Summary
from contract_tests.spec import project


class Rendering(Protocol):
    """The stages of a `Behaviour` that make the served bytes (a Behaviour is one)."""

    @property
    def record(self) -> Callable[[JsonObject], JsonObject]: ...

    @property
    def summary(self) -> Callable[[JsonObject], JsonObject]: ...

    @property
    def encoding(self) -> JsonWriter: ...


def summary_of(record: Mapping[str, Any]) -> JsonObject:
    """The list view of a record: what the spec's `CallSummary` names, same values."""
    return project(record, "CallSummary")


def newest_first(calls: Sequence[StoredCall]) -> list[StoredCall]:
    """`created_at` descending, then `id` descending (from the clean records, so a fault that
    mangles a date or an id does not also reorder the list)."""
    return sorted(calls, key=lambda call: (call.record["created_at"], call.call_id), reverse=True)


class ServedCalls:
    """What getCall and listCalls read. Readers never lock: each change writes the new bytes
    before it makes the call findable, and replaces a listing rather than editing it, so a
    request on another thread sees the old state or the new one, never half of one."""

    def __init__(self, behaviour: Rendering) -> None:
        self._behaviour = behaviour
        self._lock = threading.Lock()  # one writer at a time
        self.calls: dict[int, StoredCall] = {}
        self.bodies: dict[int, bytes] = {}  # getCall 200 bodies
        self.summaries: dict[int, Summary] = {}  # listCalls items
        self.by_account: dict[str, list[StoredCall]] = {}  # newest first, deleted included

    @classmethod
    def build(cls, dataset: Dataset, behaviour: Rendering) -> ServedCalls:
        served = cls(behaviour)
        for call in dataset.calls.values():
            served._render(call)
        served.calls.update(dataset.calls)
        served.by_account = {
            account.account_id: newest_first(dataset.calls_of(account.account_id))
            for account in dataset.accounts
        }
        return served

    def _render(self, call: StoredCall) -> None:
        record = self._behaviour.record(copy.deepcopy(dict(call.record)))
        summary = self._behaviour.summary(summary_of(record))
        write = self._behaviour.encoding.document
        self.bodies[call.call_id] = write(record)
        self.summaries[call.call_id] = (summary, write(summary))

    def put(self, call: StoredCall) -> None:
        """Serve `call` from now on: a new call, or a new version of one (same account)."""
        with self._lock:
            self._render(call)
            self.calls[call.call_id] = call
            others = [
                listed
                for listed in self.by_account.get(call.account_id, [])
                if listed.call_id != call.call_id
            ]
            self.by_account[call.account_id] = newest_first([*others, call])

    def page_body(self, calls: Sequence[StoredCall], total: int) -> bytes:
        summaries = [self.summaries[call.call_id] for call in calls]
        return self._behaviour.encoding.page(summaries, total)
