"""Microseconds to turn a getCall body into the generated client's `Call`, beside json.loads.

Issue 14's target: json.loads + Call.from_dict at most TARGET_SHARE times json.loads alone.
"""

from __future__ import annotations

import json
import time
import timeit
from dataclasses import dataclass

import httpx
from thinnestai_calls_client.models import Call

from contract_tests.reference_server import DEMO
from contract_tests.spec import load_spec

EXAMPLE_NAME = "EndedWebCall"
TARGET_SHARE = 2.5


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

    @property
    def within_target(self) -> bool:
        return self.client_share <= TARGET_SHARE


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


def time_parse(payload: str, body: bytes, number: int, repeat: int = 7) -> ParseTiming:
    """The best of `repeat` rounds of `number` runs each, json.loads alone and then the full
    parse in every round, so that both see the same machine: the ratio holds on a busy one.
    CPU time of this process, so other processes' load does not count."""
    # Parse once before timing: a body the client cannot read should fail here, loudly.
    Call.from_dict(json.loads(body))
    loads = timeit.Timer(lambda: json.loads(body), timer=time.process_time)
    parse = timeit.Timer(lambda: Call.from_dict(json.loads(body)), timer=time.process_time)
    loads_s, parse_s = float("inf"), float("inf")
    for _ in range(repeat):
        loads_s = min(loads_s, loads.timeit(number))
        parse_s = min(parse_s, parse.timeit(number))
    return ParseTiming(payload, len(body), loads_s / number * 1e6, parse_s / number * 1e6)
