"""Microseconds to turn a getCall body into the generated client's `Call`, beside json.loads."""

from __future__ import annotations

import json
import statistics
import timeit
from dataclasses import dataclass

import httpx
from thinnestai_calls_client.models import Call

from contract_tests.reference_server import DEMO
from contract_tests.spec import load_spec

EXAMPLE_NAME = "EndedWebCall"


@dataclass(frozen=True)
class ParseTiming:
    payload: str
    size_bytes: int
    json_loads_us: float
    from_dict_us: float  # json.loads + Call.from_dict

    @property
    def client_share(self) -> float:
        """How many times json.loads alone the full parse takes."""
        return self.from_dict_us / self.json_loads_us


def example_call_body() -> bytes:
    example = load_spec()["components"]["examples"][EXAMPLE_NAME]["value"]
    return json.dumps(example).encode()


def long_transcript_body(base_url: str) -> bytes:
    response = httpx.get(
        f"{base_url}/v2/calls/{DEMO.long_transcript_call_id}",
        headers={"Authorization": f"Bearer {DEMO.api_key}"},
        timeout=30.0,
    )
    response.raise_for_status()
    return response.content


def _median_us(statement: timeit.Timer, number: int, repeat: int) -> float:
    return statistics.median(statement.repeat(repeat=repeat, number=number)) / number * 1e6


def time_parse(payload: str, body: bytes, number: int, repeat: int = 7) -> ParseTiming:
    # Parse once before timing: a body the client cannot read should fail here, loudly.
    Call.from_dict(json.loads(body))
    loads = timeit.Timer(lambda: json.loads(body))
    parse = timeit.Timer(lambda: Call.from_dict(json.loads(body)))
    return ParseTiming(
        payload, len(body), _median_us(loads, number, repeat), _median_us(parse, number, repeat)
    )
