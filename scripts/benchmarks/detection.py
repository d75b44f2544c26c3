"""Does each tool catch each catalogue fault, and after how many requests?

Per fault and seed, each tool runs against a counting server with that fault and a clean
shadow copy (see counting_server), which gives three numbers from the server's log:
- requests: everything the tool sent in the run;
- exposed at: the index (1-based) of the first request whose answer the fault changed,
  the earliest point any tool could have noticed;
- caught at: the index of the first fault-changed request whose target (path?query) is one
  a detecting check reported failing on. The suite keeps the first failure of each kind, the
  CLI every failing case, so this is an upper bound for the suite.
A detecting check is, for the suite, the fault's `detected_by` check; for the CLI, any check
that fails with the fault but not against the clean server with the same seed (the CLI has
none of the suite's invariant checks, so "caught" there means some other check tripped).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from contract_tests.reference_server import FAULTS
from scripts.benchmarks.counting_server import CountingServer, SeenRequest
from scripts.benchmarks.tools import CLI, SUITE, ToolRun, run_cli, run_suite


@dataclass(frozen=True)
class DetectionRun:
    tool: str
    fault: str
    seed: int
    caught: bool
    detecting_checks: tuple[str, ...]
    requests: int
    exposed_at: int | None
    caught_at: int | None


@dataclass(frozen=True)
class FaultDetection:
    fault: str
    detected_by: str
    runs: tuple[DetectionRun, ...]

    def of(self, tool: str) -> list[DetectionRun]:
        return [run for run in self.runs if run.tool == tool]

    def caught_share(self, tool: str) -> tuple[int, int]:
        runs = self.of(tool)
        return sum(run.caught for run in runs), len(runs)

    def median(self, tool: str, attribute: str) -> float | None:
        values = [getattr(run, attribute) for run in self.of(tool)]
        present = [value for value in values if value is not None]
        return statistics.median(present) if present else None

    def checks(self, tool: str) -> list[str]:
        return sorted({check for run in self.of(tool) for check in run.detecting_checks})


def first_index(log: Sequence[SeenRequest], targets: set[str]) -> int | None:
    """1-based index of the first fault-changed request to one of `targets` (else any)."""
    for only_changed in (True, False):
        for index, seen in enumerate(log, start=1):
            if seen.target in targets and (seen.changed_by_fault or not only_changed):
                return index
    return None


def judge(
    outcome: ToolRun,
    fault: str,
    detected_by: str,
    seed: int,
    log: Sequence[SeenRequest],
    baseline: set[str],
) -> DetectionRun:
    if outcome.tool == SUITE:
        detecting = [detected_by] if detected_by in outcome.failed_checks else []
    else:
        detecting = sorted(outcome.failed_checks - baseline)
    targets = {target for check in detecting for target in outcome.failed_targets[check]}
    exposed = next((i for i, seen in enumerate(log, start=1) if seen.changed_by_fault), None)
    return DetectionRun(
        tool=outcome.tool,
        fault=fault,
        seed=seed,
        caught=bool(detecting),
        detecting_checks=tuple(detecting),
        requests=len(log),
        exposed_at=exposed,
        caught_at=first_index(log, targets) if detecting else None,
    )


@dataclass(frozen=True)
class CleanBaseline:
    """Checks each tool fails against the clean server, per seed: false alarms, not faults."""

    suite: dict[int, set[str]]
    cli: dict[int, set[str]]


def clean_baseline(seeds: Sequence[int], budget: int) -> CleanBaseline:
    with CountingServer() as server:
        url = server.base_url
        return CleanBaseline(
            suite={s: run_suite(url, max_examples=budget, seed=s).failed_checks for s in seeds},
            cli={s: run_cli(url, max_examples=budget, seed=s).failed_checks for s in seeds},
        )


def detect_fault(
    name: str,
    detected_by: str,
    seeds: Sequence[int],
    budget: int,
    baseline: CleanBaseline,
) -> FaultDetection:
    runs: list[DetectionRun] = []
    with CountingServer((name,), shadow=True) as server:
        for seed in seeds:
            for tool in (SUITE, CLI):
                server.app.reset()
                run = run_suite if tool == SUITE else run_cli
                outcome = run(server.base_url, max_examples=budget, seed=seed)
                log = server.app.snapshot()
                runs.append(judge(outcome, name, detected_by, seed, log, baseline.cli[seed]))
    return FaultDetection(name, detected_by, tuple(runs))


def detect_all(
    seeds: Sequence[int], budget: int, only: Sequence[str] = (), progress: bool = True
) -> tuple[CleanBaseline, list[FaultDetection]]:
    baseline = clean_baseline(seeds, budget)
    results = []
    for fault in FAULTS:
        if only and fault.name not in only:
            continue
        results.append(detect_fault(fault.name, fault.detected_by, seeds, budget, baseline))
        if progress:
            found = results[-1]
            suite, cli = found.caught_share(SUITE), found.caught_share(CLI)
            print(f"  {fault.name}: suite {suite[0]}/{suite[1]}, CLI {cli[0]}/{cli[1]}", flush=True)
    return baseline, results
