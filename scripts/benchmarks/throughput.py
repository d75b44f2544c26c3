"""Requests per second of each tool on the same work, counted by the server.

Every measured run uses the same seed, so each repeat sends the same requests; the median
of the repeats is reported. Two rates: end to end (requests / the command's wall time,
start-up included) and active (requests / time between the first and last request).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass

from contract_tests.reference_server import DEMO
from contract_tests.reference_server.throughput import measure_get_call_rps
from scripts.benchmarks.counting_server import CountingServer
from scripts.benchmarks.tools import ToolRun

ToolRunner = Callable[[str, int, int], ToolRun]  # (base_url, max_examples, seed)


@dataclass(frozen=True)
class Sample:
    requests: int
    seconds: float  # the command's wall time
    active_seconds: float  # first to last request the server saw


@dataclass(frozen=True)
class Throughput:
    tool: str
    budget: int  # max examples
    samples: tuple[Sample, ...]

    @property
    def requests(self) -> float:
        return statistics.median(sample.requests for sample in self.samples)

    @property
    def seconds(self) -> float:
        return statistics.median(sample.seconds for sample in self.samples)

    @property
    def rps(self) -> float:
        return statistics.median(sample.requests / sample.seconds for sample in self.samples)

    @property
    def active_rps(self) -> float:
        return statistics.median(
            sample.requests / max(sample.active_seconds, 1e-9) for sample in self.samples
        )


def sample_run(server: CountingServer, run: ToolRunner, budget: int, seed: int) -> Sample:
    server.app.reset()
    outcome = run(server.base_url, budget, seed)
    if outcome.errors:
        raise RuntimeError(f"{outcome.tool} could not run: {outcome.errors[0]}")
    log = server.app.snapshot()
    active = log[-1].at - log[0].at if len(log) > 1 else 0.0
    return Sample(len(log), outcome.seconds, active)


def measure(
    server: CountingServer, tool: str, run: ToolRunner, budget: int, seed: int, repeats: int
) -> Throughput:
    samples = tuple(sample_run(server, run, budget, seed) for _ in range(repeats))
    return Throughput(tool, budget, samples)


def ceiling_rps(server: CountingServer, requests: int, repeats: int) -> float:
    """The bare httpx loop on getCall through the same counting server: what HTTP alone costs."""
    rate = measure_get_call_rps(
        server.base_url,
        DEMO.api_key,
        DEMO.published_call_id,
        requests,
        warmup=min(200, requests),
        repeats=repeats,
    )
    server.app.reset()
    return rate
