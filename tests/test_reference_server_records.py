"""Every record the reference server serves keeps the contract: it satisfies the spec's schema
(formats checked), the generated client reads it, and it keeps invariants 1-9. The data
covers what a contract run should meet (every type, status, language, provider...).

Runs against the EmbeddedServer over real HTTP, with the generated client's public API.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from thinnestai_calls_client import AuthenticatedClient
from thinnestai_calls_client.api.calls import get_call, list_calls

from contract_tests.checks.invariants import RECORD_INVARIANTS
from contract_tests.reference_server import DEMO, EmbeddedServer
from contract_tests.reference_server.data import KNOWN_ENDED_REASONS, LONG_TRANSCRIPT_MESSAGES

SPEC_URI = "urn:thinnestai:calls-api"
DEVANAGARI = re.compile(r"[\u0900-\u097F]")
HINGLISH_WORDS = re.compile(r"\b(hai|kar|aapka|theek|bilkul|chalega|baje)\b", re.IGNORECASE)
KNOWN_LLM = {"groq", "openai", "sarvam"}
KNOWN_TTS = {"cartesia", "elevenlabs", "sarvam", "deepgram", "rime", "inworld"}


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with EmbeddedServer() as server:
        yield server.base_url


def validator(spec: dict[str, Any], schema: str) -> Draft202012Validator:
    registry: Registry[Any] = Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(spec))
    return Draft202012Validator(
        {"$ref": f"{SPEC_URI}#/components/schemas/{schema}"},
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


@pytest.fixture(scope="module")
def records(base_url: str, spec: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """Every call of both accounts, fetched with its owner's key: schema-valid and parsed by
    the generated client, which must give back the id it was asked for."""
    call_validator = validator(spec, "Call")
    fetched: dict[int, dict[str, Any]] = {}
    for key, call_ids in ((DEMO.api_key, DEMO.call_ids), (DEMO.other_api_key, DEMO.other_call_ids)):
        with AuthenticatedClient(base_url=base_url, token=key) as client:
            for call_id in call_ids:
                response = get_call.sync_detailed(call_id, client=client)
                assert response.status_code == 200, (call_id, response.content[:200])
                assert getattr(response.parsed, "id", None) == call_id
                body = _json(response.content)
                errors = [error.message for error in call_validator.iter_errors(body)]
                assert not errors, (call_id, errors[:3])
                fetched[call_id] = body
    return fetched


def _json(content: bytes) -> dict[str, Any]:
    loaded = json.loads(content)
    assert isinstance(loaded, dict)
    return loaded


def test_every_record_keeps_invariants_1_to_9(records: dict[int, dict[str, Any]]) -> None:
    broken = []
    for call_id, record in records.items():
        for invariant in RECORD_INVARIANTS:
            try:
                invariant(record)
            except AssertionError as error:
                broken.append(f"call {call_id}: {error}")
    assert broken == []


def test_list_pages_are_schema_valid_and_parse_through_the_client(
    base_url: str, spec: dict[str, Any]
) -> None:
    list_validator = validator(spec, "CallList")
    for key in (DEMO.api_key, DEMO.other_api_key):
        with AuthenticatedClient(base_url=base_url, token=key) as client:
            for limit, offset in ((100, 0), (50, 0), (3, 5)):
                response = list_calls.sync_detailed(client=client, limit=limit, offset=offset)
                assert response.status_code == 200
                assert list_validator.is_valid(_json(response.content))
                assert len(getattr(response.parsed, "calls", [])) <= limit


def test_the_data_covers_what_a_contract_run_should_meet(
    records: dict[int, dict[str, Any]],
) -> None:
    calls = list(records.values())
    assert len(calls) >= 30
    assert {call["type"] for call in calls} == {"web", "inbound", "outbound"}
    assert {call["status"] for call in calls} == {"active", "ended", "error", "pending", "deleted"}
    reasons = Counter(call["ended_reason"] for call in calls if call["ended_reason"])
    assert set(reasons) == set(KNOWN_ENDED_REASONS)
    assert {call["model"]["provider"] for call in calls} == KNOWN_LLM
    assert {call["voice"]["provider"] for call in calls} == KNOWN_TTS
    assert {call["transcriber"]["provider"] for call in calls} == {"deepgram"}
    texts = [" ".join(m["content"] for m in call["transcript"]) for call in calls]
    assert any(DEVANAGARI.search(text) for text in texts), "Hindi"
    assert any(HINGLISH_WORDS.search(text) and not DEVANAGARI.search(text) for text in texts)
    assert any(
        text and not DEVANAGARI.search(text) and not HINGLISH_WORDS.search(text) for text in texts
    )
    assert any(call["recording_url"] for call in calls)
    assert any(call["recording_url"] is None and call["status"] == "ended" for call in calls)
    assert any(call["analysis"] for call in calls)
    assert any(call["analysis"] is None and call["status"] == "ended" for call in calls)
    assert any(call["type"] != "web" and call["caller_phone"] is None for call in calls)
    assert any(call["latency_ms"] is None for call in calls)
    long_call = records[DEMO.long_transcript_call_id]
    assert len(long_call["transcript"]) == LONG_TRANSCRIPT_MESSAGES


def test_the_data_is_identical_on_every_build() -> None:
    from contract_tests.reference_server.data import build_dataset

    first, second = build_dataset(), build_dataset()
    assert {i: c.record for i, c in first.calls.items()} == {
        i: c.record for i, c in second.calls.items()
    }


def test_get_call_is_fast_even_on_the_long_transcript(base_url: str) -> None:
    """Bodies are built once at start-up, and small answers do not stall on Nagle's algorithm
    (a ~40 ms stall per request would show as ~25 requests per second)."""
    from contract_tests.reference_server.throughput import measure_get_call_rps

    for call_id in (DEMO.published_call_id, DEMO.long_transcript_call_id):
        rate = measure_get_call_rps(
            base_url, DEMO.api_key, call_id, requests=200, warmup=20, repeats=1
        )
        assert rate > 150, f"call {call_id}: {rate:.0f} requests/s"
