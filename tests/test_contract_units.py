"""The contract suite's small parts: settings, invariants, spec drift, client round trip."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from contract_tests.checks import invariants
from contract_tests.checks.client_conformance import round_trip_problem
from contract_tests.checks.listing import pages_tile_the_listing, same_total
from contract_tests.checks.undocumented import undocumented_properties
from contract_tests.run.settings import ConfigError, load_settings
from contract_tests.spec import GET_CALL, load_spec, response_schema

ROOT = Path(__file__).resolve().parent.parent


def example(name: str) -> dict[str, Any]:
    value: dict[str, Any] = copy.deepcopy(load_spec()["components"]["examples"][name]["value"])
    return value


# --- settings -------------------------------------------------------------------------------


def test_defaults_point_at_the_embedded_server_without_a_rate_cap() -> None:
    settings = load_settings([], environ={})
    assert settings.embedded and settings.rate_limit is None and settings.seed is None


def test_a_remote_target_gets_the_staging_rate_cap_and_the_key_from_the_environment() -> None:
    key = "sk_staging_0123456789"
    env = {"THINNESTAI_BASE_URL": "https://staging.example.test/", "THINNESTAI_API_KEY": key}
    settings = load_settings(["--call-ids", "1, 2"], environ=env)
    assert settings.base_url == "https://staging.example.test"
    assert settings.rate_limit == "10/s" and settings.call_ids == (1, 2)
    assert key not in repr(settings)


@pytest.mark.parametrize(
    ("argv", "env", "says"),
    [
        (["--base-url", "https://x.test"], {}, "THINNESTAI_API_KEY is not set"),
        (["--base-url", "ftp://x.test"], {"THINNESTAI_API_KEY": "k"}, "not an http(s) URL"),
        (["--base-url", "https://"], {"THINNESTAI_API_KEY": "k"}, "not an http(s) URL"),
        (["--base-url", "https://x.test"], {"THINNESTAI_API_KEY": "x"}, "1 characters"),
        (["--call-ids", "1,abc"], {}, "'abc' is not a call id"),
        (["--rate-limit", "fast"], {}, "10/s"),
        (["--max-examples", "0"], {}, "--max-examples"),
        (["--no-such-option"], {}, "unrecognized arguments"),
    ],
)
def test_bad_input_is_one_clear_error(argv: list[str], env: dict[str, str], says: str) -> None:
    with pytest.raises(ConfigError, match=None) as raised:
        load_settings(argv, environ=env)
    assert says in str(raised.value)


def test_the_cli_answers_bad_input_with_one_line_and_exit_2() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "scripts.contract", "--base-url", "http://127.0.0.1:9"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "", "THINNESTAI_API_KEY": "secret-key-123"},
        timeout=60,
    )
    assert completed.returncode == 2
    assert completed.stderr.strip().count("\n") == 0, completed.stderr
    assert "cannot reach http://127.0.0.1:9" in completed.stderr
    assert "secret-key-123" not in completed.stdout + completed.stderr


def test_help_documents_every_setting() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "scripts.contract", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0
    for word in (
        "--base-url",
        "THINNESTAI_API_KEY",
        "--call-ids",
        "--foreign-call-ids",
        "--max-examples",
        "--seed",
        "--rate-limit",
        "--timeout",
        "--report-dir",
    ):
        assert word in completed.stdout


# --- invariants -----------------------------------------------------------------------------

BREAKERS: dict[str, tuple[str, dict[str, Any]]] = {
    "nullability_by_status": ("ActivePhoneCall", {"ended_at": "2026-03-25T11:05:00Z"}),
    "timestamps_ordered": ("EndedWebCall", {"updated_at": "2026-03-25T10:00:00Z"}),
    "duration_matches_timestamps": ("EndedWebCall", {"duration_seconds": 150.0}),
    "recording_consistent": ("EndedWebCall", {"recording_url": None}),
    "cost_adds_up": (
        "EndedWebCall",
        {"cost": {"total_usd": 0.5, "total_inr": 1.0, "breakdown": {"stt": 0.01}}},
    ),
    "transcript_timeline": (
        "EndedWebCall",
        {
            "transcript": [
                {"role": "user", "content": "a", "timestamp": "5.0"},
                {"role": "user", "content": "b", "timestamp": "4.0"},
            ]
        },
    ),
    "phone_numbers_match_type": ("EndedWebCall", {"caller_phone": "+919876543210"}),
    "direction_matches_type": ("EndedWebCall", {"call_direction": "inbound"}),
    "analysis_only_when_finished": ("PendingPhoneCall", {"analysis": {"tags": []}}),
}


@pytest.mark.parametrize("invariant", invariants.RECORD_INVARIANTS, ids=lambda f: f.__name__)
def test_each_invariant_holds_on_the_spec_examples_and_fires_on_its_breach(invariant: Any) -> None:
    for name in ("EndedWebCall", "ActivePhoneCall", "PendingPhoneCall"):
        invariant(example(name))
    base, changes = BREAKERS[invariant.__name__]
    broken = {**example(base), **changes}
    with pytest.raises(AssertionError, match="invariant"):
        invariant(broken)


def test_invariants_say_nothing_about_values_of_the_wrong_type() -> None:
    garbage: dict[str, Any] = {key: "?" for key in example("EndedWebCall")}
    garbage |= {"status": "ended", "type": "web"}
    garbage.update(
        phone_number=None,
        caller_phone=None,
        call_direction="web",
        ended_at="x",
        duration_seconds="x",
        ended_reason="x",
        started_at="x",
        recording_url=None,
        recording_duration=None,
    )
    for invariant in invariants.RECORD_INVARIANTS:
        invariant(garbage)


def test_the_list_invariant_reads_order_limit_and_deleted() -> None:
    listed = [{"id": 2, "status": "ended"}, {"id": 1, "status": "ended"}]
    page: dict[str, Any] = {"calls": listed, "total": 2}
    created = {1: "2026-01-01T00:00:00Z", 2: "2026-01-02T00:00:00Z"}
    invariants.list_page_consistent(page, limit=2, offset=0, created_at=created)
    invariants.list_page_consistent({"calls": [], "total": 2}, limit=5, offset=10)
    breaches = [
        ({**page, "calls": listed[::-1]}, 2, 0, "newest first"),
        (page, 1, 0, "limit was 1"),
        ({**page, "calls": [{"id": 2, "status": "deleted"}]}, 2, 0, "deleted call 2"),
    ]
    for broken, limit, offset, says in breaches:
        with pytest.raises(AssertionError, match=says):
            invariants.list_page_consistent(broken, limit, offset, created)


@pytest.mark.parametrize(
    ("calls", "total", "limit", "offset", "right"),
    [
        (2, 2, 50, 0, True),  # the whole listing on one page
        (1, 3, 1, 2, True),  # the last page
        (0, 3, 10, 3, True),  # at the end: empty
        (0, 3, 10, 40, True),  # past the end: empty
        (1, 2, 50, 0, False),  # total counts a call that is not listed
        (2, 1, 50, 0, False),  # total too small
        (0, 3, 10, 2, False),  # the last call missing
        (2, 3, 2, 2, False),  # more than total leaves
    ],
)
def test_total_is_exact_so_every_page_has_its_length(
    calls: int, total: int, limit: int, offset: int, right: bool
) -> None:
    page = {"calls": [{"id": index + 1} for index in range(calls)], "total": total}
    if right:
        invariants.page_length_matches_total(page, limit, offset)
    else:
        with pytest.raises(AssertionError, match="invariant 10: total"):
            invariants.page_length_matches_total(page, limit, offset)


def test_pages_must_tile_the_listing() -> None:
    def page(*ids: int) -> dict[str, Any]:
        return {"calls": [{"id": call_id} for call_id in ids], "total": 9}

    pages_tile_the_listing(page(5, 4, 3, 2), page(5, 4), page(3, 2), 0, 2)
    with pytest.raises(AssertionError, match=r"calls \[4\] are on both"):
        pages_tile_the_listing(page(5, 4, 3, 2), page(5, 4), page(4, 3), 0, 2)
    with pytest.raises(AssertionError, match=r"calls \[3\] are on neither"):
        pages_tile_the_listing(page(5, 4, 3, 2), page(5, 4), page(2, 1), 0, 2)
    assert same_total([page(1), page(2)]) and not same_total([page(1), {"total": 10}])


def test_a_listed_call_must_match_its_record() -> None:
    record = example("EndedWebCall")
    page = load_spec()["paths"]["/v2/calls"]["get"]["responses"]["200"]["content"]
    summary = page["application/json"]["examples"]["page"]["value"]["calls"][1]  # call 77
    invariants.listed_call_matches_record(summary, record)
    with pytest.raises(AssertionError, match="agent_name"):
        invariants.listed_call_matches_record({**summary, "agent_name": "Other"}, record)
    with pytest.raises(AssertionError, match="cost"):
        cheaper = {**summary, "cost": {"total_usd": 0.01, "total_inr": 6.8}}
        invariants.listed_call_matches_record(cheaper, record)


# --- spec drift and the client round trip ---------------------------------------------------


def test_undocumented_properties_are_named_by_schema() -> None:
    call = example("EndedWebCall") | {"sip_trunk_id": "t1"}
    call["cost"]["breakdown"]["carbon"] = 0.0
    call["transcript"][0]["emotion"] = "calm"
    found_schema = response_schema(GET_CALL, 200)
    assert found_schema is not None
    schema, name = found_schema
    found = undocumented_properties(call, schema, name or "")
    assert found == {"Call.sip_trunk_id", "CostBreakdown.carbon", "TranscriptMessage.emotion"}
    assert undocumented_properties(example("EndedWebCall"), schema, "Call") == set()


def test_the_client_round_trip_accepts_extensions_and_reports_what_it_cannot_read() -> None:
    call = example("EndedWebCall") | {"sip_trunk_id": "t1", "status": "archived"}
    assert round_trip_problem(GET_CALL, 200, call) is None
    impossible = example("EndedWebCall") | {"updated_at": "2026-02-30T10:00:00Z"}
    problem = round_trip_problem(GET_CALL, 200, impossible)
    assert problem is not None and "cannot read" in problem
    assert round_trip_problem(GET_CALL, 418, {"x": 1}) is None


@pytest.mark.parametrize("fraction", [".123", ".0", ".5", ".123456", ".123456789"])
def test_the_client_round_trip_compares_date_times_as_instants(fraction: str) -> None:
    call = example("EndedWebCall")
    for field in ("started_at", "ended_at", "created_at", "updated_at"):
        call[field] = call[field].replace("Z", f"{fraction}Z")
    assert round_trip_problem(GET_CALL, 200, call) is None


def test_the_client_round_trip_compares_numbers_by_value() -> None:
    import json

    text = json.dumps(example("EndedWebCall")).replace('"latency_ms": 475', '"latency_ms": 475.0')
    call = json.loads(text.replace('"total_inr": 6.8', '"total_inr": 6.80'))
    assert call["latency_ms"] == 475.0
    assert round_trip_problem(GET_CALL, 200, call) is None


def test_the_client_round_trip_still_fires_when_a_value_changes() -> None:
    from contract_tests.checks import client_conformance

    sent = {"a": "2026-03-25T10:20:57.123Z", "b": [1, {"c": "x"}]}
    assert client_conformance._same_value(
        sent, {"a": "2026-03-25T10:20:57.123000Z", "b": [1.0, {"c": "x"}]}
    )
    assert not client_conformance._same_value(
        sent, {"a": "2026-03-25T10:20:58.123Z", "b": [1, {"c": "x"}]}
    )
    assert not client_conformance._same_value(sent, {"a": sent["a"], "b": [1, {"c": "y"}]})
    assert not client_conformance._same_value(sent, {"a": sent["a"], "b": [1]})
    assert not client_conformance._same_value({"x": True}, {"x": 1})
