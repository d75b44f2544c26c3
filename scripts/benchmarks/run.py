"""One bench run: every requested measurement against one counting server, into a `BenchReport`."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from scripts.benchmarks.client_parse import (
    ParseTiming,
    example_call_body,
    long_transcript_body,
    time_parse,
)
from scripts.benchmarks.cold_start import ColdStart, measure_cold_start
from scripts.benchmarks.counting_server import CountingServer
from scripts.benchmarks.detection import CleanBaseline, FaultDetection, detect_all
from scripts.benchmarks.startup import TOOLS, StartUp, measure_start_up
from scripts.benchmarks.throughput import Throughput, ceiling_rps, measure
from scripts.benchmarks.tools import CLI, SUITE, ToolRun, run_cli, run_suite

SECTIONS = ("throughput", "scale-out", "detection", "startup", "client")
BENCH_SEED = 20_260_401  # throughput and start-up: one fixed seed, the same work every repeat
DEFAULT_SEED_COUNT = 5
SUITE_2 = f"{SUITE}, 2 processes"
REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class BenchOptions:
    max_examples: int
    scale: int  # the second budget is scale x max_examples; 1 skips it
    seeds: tuple[int, ...]
    repeats: int
    faults: tuple[str, ...]  # empty: the whole catalogue
    sections: tuple[str, ...]
    cold_start: bool
    quick: bool

    @property
    def budgets(self) -> tuple[int, ...]:
        scaled = self.max_examples * self.scale
        return (self.max_examples,) if scaled == self.max_examples else (self.max_examples, scaled)


@dataclass
class BenchReport:
    options: BenchOptions
    throughput: list[Throughput] = field(default_factory=list)
    ceiling_rps: float | None = None
    baseline: CleanBaseline | None = None
    detection: list[FaultDetection] = field(default_factory=list)
    detection_seconds: float = 0.0
    start_up: list[StartUp] = field(default_factory=list)
    parsing: list[ParseTiming] = field(default_factory=list)
    cold_start: list[ColdStart] = field(default_factory=list)
    seconds: float = 0.0


def _run_suite_1(base_url: str, budget: int, seed: int) -> ToolRun:
    return run_suite(base_url, max_examples=budget, seed=seed)


def _run_suite_2(base_url: str, budget: int, seed: int) -> ToolRun:
    return run_suite(base_url, max_examples=budget, seed=seed, workers=2)


def _run_cli(base_url: str, budget: int, seed: int) -> ToolRun:
    return run_cli(base_url, max_examples=budget, seed=seed)


def _say(message: str) -> None:
    print(message, flush=True)


def _speed(report: BenchReport, server: CountingServer) -> None:
    options = report.options
    _say("warm-up: one run of each tool (not measured)")
    _run_suite_1(server.base_url, options.max_examples, BENCH_SEED)
    _run_cli(server.base_url, options.max_examples, BENCH_SEED)
    if "throughput" in options.sections:
        report.ceiling_rps = ceiling_rps(server, 500 if options.quick else 2_000, options.repeats)
    tools = []
    if "throughput" in options.sections:
        tools += [(SUITE, _run_suite_1), (CLI, _run_cli)]
    if "scale-out" in options.sections:
        tools += [(SUITE_2, _run_suite_2)]
        if "throughput" not in options.sections:
            tools.insert(0, (SUITE, _run_suite_1))
    for budget in options.budgets:
        for name, runner in tools:
            _say(f"throughput: {name}, max examples {budget}, {options.repeats} run(s)")
            report.throughput.append(
                measure(server, name, runner, budget, BENCH_SEED, options.repeats)
            )


def run_bench(options: BenchOptions) -> BenchReport:
    started = time.perf_counter()
    report = BenchReport(options)
    sections = options.sections
    with CountingServer() as server:
        if "throughput" in sections or "scale-out" in sections:
            _speed(report, server)
        if "startup" in sections:
            for tool in TOOLS:
                _say(f"start-up: {tool}, {options.repeats} run(s)")
                report.start_up.append(
                    measure_start_up(
                        server, tool, options.max_examples, BENCH_SEED, options.repeats
                    )
                )
        if "client" in sections:
            _say("client: parse timings")
            number = 200 if options.quick else 2_000
            report.parsing = [
                time_parse("spec example EndedWebCall", example_call_body(), number),
                time_parse(
                    "long transcript call (5,000 messages)",
                    long_transcript_body(server.base_url),
                    max(1, number // 100),
                ),
            ]
    if "detection" in sections:
        _say(f"detection: {len(options.seeds)} seed(s), both tools, each fault")
        detection_started = time.perf_counter()
        report.baseline, report.detection = detect_all(
            options.seeds, options.max_examples, options.faults
        )
        report.detection_seconds = time.perf_counter() - detection_started
    if options.cold_start:
        _say("cold start: nox -s contract in fresh clones (slow)")
        report.cold_start = measure_cold_start(REPO)
    report.seconds = time.perf_counter() - started
    return report


def parse_sections(text: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = [name for name in names if name not in SECTIONS]
    if unknown:
        raise ValueError(f"unknown section(s): {', '.join(unknown)} (known: {', '.join(SECTIONS)})")
    return names


def detection_seeds(quick: bool, count: int | None) -> tuple[int, ...]:
    """Seeds 1..count (5 by default, 1 with --quick): the same seeds every bench run."""
    return tuple(range(1, (1 if quick else count or DEFAULT_SEED_COUNT) + 1))
