"""Time from launching each tool's command to the first request the counting server sees.

Two moments per tool: its very first request (the suite's pre-flight listCalls, the CLI's
capability probe of `/`), and its first test request (the first request of the pytest
process for the suite; the first request under /v2/ for the CLI). Median of repeats.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from contract_tests.reference_server import DEMO
from contract_tests.run.settings import ENV_API_KEY
from scripts.benchmarks.counting_server import CountingServer, SeenRequest
from scripts.benchmarks.tools import CLI, SUITE, cli_command, cli_config

REPO = Path(__file__).resolve().parents[2]
TIMEOUT_SECONDS = 600
# A --base-url run is capped at 10/s by default (gentle on staging); the embedded server is not.
NO_RATE_CAP = "1000000/s"


@dataclass(frozen=True)
class StartUp:
    tool: str
    first_request: float  # seconds, median
    first_test_request: float
    command: float  # whole command, seconds


def suite_command(base_url: str, budget: int, seed: int, report_dir: Path) -> list[str]:
    ids = ",".join(map(str, DEMO.call_ids))
    foreign = ",".join(map(str, DEMO.foreign_call_ids))
    return [
        sys.executable, "-m", "scripts.contract", "--base-url", base_url,
        "--call-ids", ids, "--foreign-call-ids", foreign, "--max-examples", str(budget),
        "--seed", str(seed), "--report-dir", str(report_dir), "--rate-limit", NO_RATE_CAP,
    ]  # fmt: skip


def _first_test_request(tool: str, log: list[SeenRequest]) -> SeenRequest:
    if tool == SUITE:
        return log[1]  # log[0] is the runner's pre-flight listCalls
    return next(seen for seen in log if seen.target.startswith("/v2/"))


def _time_once(server: CountingServer, tool: str, budget: int, seed: int) -> tuple[float, ...]:
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as folder:
        work = Path(folder)
        if tool == SUITE:
            command = suite_command(server.base_url, budget, seed, work)
        else:
            (work / "schemathesis.toml").write_text(cli_config(server.base_url, budget, seed))
            command = cli_command(work / "schemathesis.toml", work)
        server.app.reset()
        started = time.perf_counter()
        subprocess.run(
            command,
            env={**os.environ, ENV_API_KEY: DEMO.api_key},
            cwd=REPO if tool == SUITE else work,  # the CLI leaves a .schemathesis cache in its cwd
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
        finished = time.perf_counter()
    log = server.app.snapshot()
    if len(log) < 2:
        raise RuntimeError(f"{tool} sent {len(log)} requests during the start-up measurement")
    first_test = _first_test_request(tool, log)
    return log[0].at - started, first_test.at - started, finished - started


def measure_start_up(
    server: CountingServer, tool: str, budget: int, seed: int, repeats: int
) -> StartUp:
    timings = [_time_once(server, tool, budget, seed) for _ in range(repeats)]
    first, first_test, command = (
        statistics.median(column) for column in zip(*timings, strict=True)
    )
    return StartUp(tool, first, first_test, command)


TOOLS = (SUITE, CLI)
