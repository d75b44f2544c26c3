"""The calls as served: response bytes built once at start-up, and each account's calls in
list order.

getCall then costs a dictionary look-up however long the transcript is (serialising a
5,000-message transcript per request would be the bottleneck), and a list page is a join of
ready-made summary bytes.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from contract_tests.reference_server.behaviour import Behaviour, summary_of
from contract_tests.reference_server.data import Dataset, StoredCall


def encode(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def newest_first(calls: Sequence[StoredCall]) -> list[StoredCall]:
    """`created_at` descending, then `id` descending (from the clean records, so a fault that
    mangles a date or an id does not also reorder the list)."""
    return sorted(calls, key=lambda call: (call.record["created_at"], call.call_id), reverse=True)


@dataclass(frozen=True)
class ServedCalls:
    calls: Mapping[int, StoredCall]
    bodies: Mapping[int, bytes]  # getCall 200 bodies
    summaries: Mapping[int, bytes]  # listCalls items
    by_account: Mapping[str, list[StoredCall]]  # newest first, deleted included

    @classmethod
    def build(cls, dataset: Dataset, behaviour: Behaviour) -> ServedCalls:
        bodies: dict[int, bytes] = {}
        summaries: dict[int, bytes] = {}
        for call_id, call in dataset.calls.items():
            record = behaviour.record(copy.deepcopy(dict(call.record)))
            bodies[call_id] = encode(record)
            summaries[call_id] = encode(behaviour.summary(summary_of(record)))
        by_account = {
            account.account_id: newest_first(dataset.calls_of(account.account_id))
            for account in dataset.accounts
        }
        return cls(dataset.calls, bodies, summaries, by_account)

    def page_body(self, calls: Sequence[StoredCall], total: int) -> bytes:
        items = b",".join(self.summaries[call.call_id] for call in calls)
        return b'{"calls":[' + items + b'],"total":' + str(total).encode() + b"}"
