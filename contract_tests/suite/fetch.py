"""Follow-up fetches of call records by id, for the checks that compare a list with its calls.

They go through Schemathesis' own getCall operation and the run's transport, so the rate cap,
time-out, 429 handling, key redaction and request counting apply to them exactly as to
generated requests.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from schemathesis import Case
from schemathesis.schemas import BaseSchema

from contract_tests.checks.body import response_json
from contract_tests.run.plan import api_key

_cache: dict[int, Mapping[str, Any] | None] = {}  # one process runs one test at a time


def get_call_case(schema: BaseSchema, call_id: int) -> Case[Any]:
    """A getCall case for `call_id` carrying the run's key, as the generated cases do (a
    hand-made case gets no auth from the config)."""
    operation = schema["/v2/calls/{call_id}"]["GET"]
    return operation.Case(
        path_parameters={"call_id": call_id}, headers={"Authorization": f"Bearer {api_key()}"}
    )


def fetch_record(schema: BaseSchema, call_id: int) -> Mapping[str, Any] | None:
    """The call record of `call_id` (a 200 JSON object), or None; fetched once per run."""
    if call_id not in _cache:
        response = get_call_case(schema, call_id).call()
        body = response_json(response) if response.status_code == 200 else None
        _cache[call_id] = body if isinstance(body, dict) else None
    return _cache[call_id]
