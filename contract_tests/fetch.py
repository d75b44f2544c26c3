"""Follow-up fetches of call records by id, for the checks that compare a list with its calls.

They go through Schemathesis' own getCall operation, so the run's rate cap, time-out, session
and hooks (request counting) apply to them exactly as to generated requests.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from schemathesis.schemas import BaseSchema

from contract_tests.body import response_json
from contract_tests.plan import api_key

_cache: dict[int, Mapping[str, Any] | None] = {}
_lock = threading.Lock()


def fetch_record(schema: BaseSchema, call_id: int) -> Mapping[str, Any] | None:
    """The call record of `call_id` (a 200 JSON object), or None; fetched once per run."""
    with _lock:
        if call_id in _cache:
            return _cache[call_id]
    operation = schema["/v2/calls/{call_id}"]["GET"]
    # A hand-made case gets no auth from the config: send the key as the generated cases do.
    case = operation.Case(
        path_parameters={"call_id": call_id}, headers={"Authorization": f"Bearer {api_key()}"}
    )
    response = case.call()
    record: Mapping[str, Any] | None = None
    if response.status_code == 200:
        body = response_json(response)
        record = body if isinstance(body, dict) else None
    with _lock:
        _cache[call_id] = record
    return record
