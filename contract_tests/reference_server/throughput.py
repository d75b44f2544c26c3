"""Requests per second of getCall over one keep-alive connection: a bare httpx loop.

Used by the reference-server report and by the benchmark session; it measures the server
and the client together, as a contract run would see them.
"""

from __future__ import annotations

import statistics
import time

import httpx


def measure_get_call_rps(
    base_url: str,
    key: str,
    call_id: int,
    requests: int = 2_000,
    *,
    warmup: int = 200,
    repeats: int = 3,
    timeout: float = 30.0,
) -> float:
    """Median, over `repeats` runs, of `requests` sequential GET /v2/calls/{call_id} per
    second, after `warmup` requests. Every answer must be 200 (else RuntimeError)."""
    path = f"/v2/calls/{call_id}"
    rates: list[float] = []
    with httpx.Client(
        base_url=base_url, headers={"Authorization": f"Bearer {key}"}, timeout=timeout
    ) as client:

        def run(count: int) -> None:
            for _ in range(count):
                response = client.get(path)
                response.read()
                if response.status_code != 200:
                    raise RuntimeError(f"GET {path} answered {response.status_code}")

        run(warmup)
        for _ in range(repeats):
            started = time.perf_counter()
            run(requests)
            rates.append(requests / (time.perf_counter() - started))
    return statistics.median(rates)
