"""Follow-up fetches of call records by id, for the checks that compare a list with its calls.

They go through Schemathesis' own getCall operation and the run's transport, so the rate cap,
time-out, 429 handling, key redaction and request counting apply to them exactly as to
generated requests.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from schemathesis import Case, Response
from schemathesis.schemas import BaseSchema

from contract_tests.checks.body import response_json
from contract_tests.run.plan import api_key

# call id -> (status, record); one process runs one test at a time
_cache: dict[int, tuple[int, Mapping[str, Any] | None]] = {}


def get_call_case(schema: BaseSchema, call_id: int) -> Case[Any]:
    """A getCall case for `call_id` carrying the run's key, as the generated cases do (a
    hand-made case gets no auth from the config)."""
    operation = schema["/v2/calls/{call_id}"]["GET"]
    return operation.Case(
        path_parameters={"call_id": call_id}, headers={"Authorization": f"Bearer {api_key()}"}
    )


def fetch_answer(
    schema: BaseSchema, call_id: int, *, fresh: bool = False
) -> tuple[int, Mapping[str, Any] | None]:
    """(status, record) of `call_id` fetched with the run's key: the record is the 200 JSON
    object, else None. Fetched once per run unless `fresh` (a live call may have moved on)."""
    if fresh or call_id not in _cache:
        response = get_call_case(schema, call_id).call()
        body = response_json(response) if response.status_code == 200 else None
        # Another call's record is no record of this one (record_is_the_call_asked_for says so).
        record = body if isinstance(body, dict) and body.get("id") == call_id else None
        _cache[call_id] = (response.status_code, record)
    return _cache[call_id]


def fetch_record(schema: BaseSchema, call_id: int) -> Mapping[str, Any] | None:
    """The call record of `call_id` (a 200 JSON object), or None; fetched once per run."""
    return fetch_answer(schema, call_id)[1]


def send_again(case: Case[Any], response: Response) -> Any:
    """The same request sent again, with the same credentials, and its decoded body."""
    again = case.operation.Case(
        path_parameters=dict(case.path_parameters or {}),
        query=dict(case.query or {}),
        headers={"Authorization": response.request.headers.get("Authorization", "")},
    )
    return response_json(again.call())
