"""The checks as a library: a recorded exchange judged in-process, with no server and no
subprocess, gives the failure a whole run gives, under the same identity; and an identity
is made of typed fields, never of the values in a message."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from contract_tests.checks.context import CheckContext
from contract_tests.checks.exchange import Exchange, Request, request_from_url
from contract_tests.checks.failures import ContractFailure
from contract_tests.checks.registry import Breach, judge
from contract_tests.reference_server import DEMO
from contract_tests.run.runner import RunOutcome, execute
from contract_tests.run.settings import Settings
from contract_tests.spec import GET_CALL, LIST_CALLS
from contract_tests.suite.capture import exchange_from_evidence

PUBLISHED = Path(__file__).parent.parent / "contract_tests/reference_server/published_calls.json"
RECORD = next(call for call in json.loads(PUBLISHED.read_text()) if call["status"] == "ended")


def get_call(call: dict[str, Any], key: str = DEMO.api_key) -> Exchange:
    request = Request(
        GET_CALL, {"call_id": str(call["id"])}, headers=(("Authorization", f"Bearer {key}"),)
    )
    body = json.dumps(call).encode()
    return Exchange(request, 200, (("content-type", "application/json"),), body)


def breaches(exchange: Exchange, context: CheckContext | None = None) -> list[Breach]:
    context = context or CheckContext(api_key=DEMO.api_key)
    return [v.breach for v in judge(exchange, context) if v.breach is not None]


@pytest.fixture(scope="module")
def cost_mismatch_run(tmp_path_factory: pytest.TempPathFactory) -> RunOutcome:
    """A whole run (pytest subprocess, Schemathesis) against the cost-mismatch fault."""
    settings = Settings(
        base_url=None, seed=1, max_examples=3, report_dir=tmp_path_factory.mktemp("r")
    )
    return execute(settings, faults=("cost-mismatch",), quiet=True)


@pytest.mark.slow
def test_a_recorded_exchange_judged_in_process_gives_the_runs_failure(
    cost_mismatch_run: RunOutcome,
) -> None:
    results = cost_mismatch_run.results
    [key] = [key for key, record in results.examples.items() if record.check == "cost_adds_up"]
    exchange = exchange_from_evidence(results.exchanges[key], DEMO.api_key)
    found = [breach.identity.key for breach in breaches(exchange)]
    assert found == [key]


def test_the_identity_keeps_when_the_values_change() -> None:
    assert RECORD["status"] == "ended"
    one, other = copy.deepcopy(RECORD), copy.deepcopy(RECORD)
    one["cost"]["total_usd"] = round(sum(one["cost"]["breakdown"].values()) + 1.0, 4)
    other["id"] = 12345
    other["cost"]["total_usd"] = round(sum(other["cost"]["breakdown"].values()) + 7.25, 4)
    [first], [second] = breaches(get_call(one)), breaches(get_call(other))
    assert first.message != second.message  # other values in the message...
    assert first.identity == second.identity  # ...the same failure
    assert first.identity.check == "cost_adds_up"
    assert first.identity.field == "cost.total_usd"


def test_another_breach_of_the_same_clause_is_another_identity() -> None:
    ended_at, started_at = copy.deepcopy(RECORD), copy.deepcopy(RECORD)
    ended_at["ended_at"] = None  # invariant 1 on ended_at
    started_at["started_at"] = None  # invariant 1 on started_at
    found_a = {
        b.identity for b in breaches(get_call(ended_at)) if b.identity.clause == "invariant 1"
    }
    found_b = {
        b.identity for b in breaches(get_call(started_at)) if b.identity.clause == "invariant 1"
    }
    assert found_a and found_b and found_a.isdisjoint(found_b)


def test_a_listing_is_judged_without_a_fetcher_and_tenancy_from_the_context() -> None:
    page = {"calls": [{"id": 5, "status": "ended"}, {"id": 9, "status": "deleted"}], "total": 2}
    request = request_from_url(
        "GET",
        "https://api.example/v2/calls?limit=10",
        (("Authorization", f"Bearer {DEMO.api_key}"),),
    )
    assert request.operation == LIST_CALLS and request.query_value("limit") == "10"
    exchange = Exchange(
        request, 200, (("content-type", "application/json"),), json.dumps(page).encode()
    )
    context = CheckContext(api_key=DEMO.api_key, foreign_ids=frozenset({9}))
    found = {b.identity.check: b.identity for b in breaches(exchange, context)}
    assert found["list_page_consistent"].kind == "deleted listed"
    assert found["no_foreign_call_listed"].field == "id"
    # The same listing sent with another key is no tenancy breach of this key's.
    other = Exchange(
        Request(LIST_CALLS, headers=(("Authorization", "Bearer someone-else"),)),
        200,
        (),
        json.dumps(page).encode(),
    )
    assert "no_foreign_call_listed" not in {b.identity.check for b in breaches(other, context)}


def test_every_failure_is_a_contract_failure_with_its_clause_in_the_message() -> None:
    broken = copy.deepcopy(RECORD)
    broken["call_direction"] = "inbound" if broken["type"] != "inbound" else "outbound"
    [breach] = [
        b for b in breaches(get_call(broken)) if b.identity.check == "direction_matches_type"
    ]
    assert breach.message.startswith("invariant 8: ")
    assert breach.title == "call_direction is not the call's type"
    assert issubclass(ContractFailure, AssertionError)  # a verdict, never a broken run
