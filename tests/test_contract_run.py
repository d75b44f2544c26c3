"""Staging-grade runs: every distinct failure in one run, progress that never goes quiet for
long, a clean stop on SIGINT and SIGTERM, and a summary that keeps to one screen.
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from junitparser import JUnitXml
from safety_servers import PROJECT_ROOT, contract_env

from contract_tests.errors import ExitCode
from contract_tests.reference_server import DEMO
from contract_tests.reports.markdown import render_markdown
from contract_tests.reports.screen import SCREEN_DRIFT, render_text
from contract_tests.run.plan import RunPlan
from contract_tests.run.results import RunResults
from contract_tests.run.runner import RunOutcome, execute
from contract_tests.run.settings import Settings
from contract_tests.run.target import Target

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

TWO_UNRELATED_FAULTS = ("missing-www-authenticate", "cost-mismatch")
SILENCE_LIMIT = 5.5  # seconds: "a run is never silent for more than about 5 s"


def run(
    tmp_path: Path, faults: tuple[str, ...] = (), max_failures: int | None = None
) -> RunOutcome:
    label = "-".join(faults) or "clean"
    settings = Settings(
        base_url=None, seed=1, report_dir=tmp_path / label, max_failures=max_failures
    )
    return execute(settings, faults=faults, quiet=True)


def test_two_unrelated_faults_are_both_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    clean = run(tmp_path)
    faulty = run(tmp_path, TWO_UNRELATED_FAULTS)
    assert faulty.exit_code == ExitCode.VIOLATES
    assert {"response_headers_conformance", "cost_adds_up"} <= set(faulty.results.failures)
    # Each breach is reported once, with how often it was seen.
    kinds = Counter(record.check for record in faulty.results.examples.values())
    assert kinds["cost_adds_up"] == 1
    assert faulty.results.examples and all(
        record.occurrences >= 1 and record.curl.startswith("curl")
        for record in faulty.results.examples.values()
    )
    cost = next(r for r in faulty.results.examples.values() if r.check == "cost_adds_up")
    assert cost.occurrences > 10, "the same breach on every record is one failure, counted"
    # A faulty server is not spared: about as many requests as a clean one.
    ratio = faulty.results.total_requests / clean.results.total_requests
    assert 0.85 <= ratio <= 1.15, (faulty.results.total_requests, clean.results.total_requests)


def test_max_failures_stops_the_run_early(tmp_path: Path) -> None:
    outcome = run(tmp_path, TWO_UNRELATED_FAULTS, max_failures=1)
    assert outcome.exit_code == ExitCode.VIOLATES
    assert outcome.results.distinct_failures == 1
    assert "--max-failures 1" in outcome.results.stopped_early
    assert outcome.results.total_requests < 150
    assert "stopped early" in render_text(outcome)


@dataclass
class LiveRun:
    """`python -m scripts.contract` against the embedded server, its output read as it comes."""

    process: subprocess.Popen[str]
    tmp: Path
    report_dir: Path
    lines: list[tuple[float, str]] = field(default_factory=list)

    def read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append((time.monotonic(), line.rstrip("\n")))

    def wait_for_requests(self, at_least: int, within: float = 60.0) -> None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            for _, line in list(self.lines):
                words = line.split()
                if words[:1] == ["contract:"] and words[1].isdigit() and int(words[1]) >= at_least:
                    return
            time.sleep(0.2)
        raise AssertionError(f"no progress past {at_least} requests: {self.lines}")


def start_live_run(tmp_path: Path) -> LiveRun:
    home, tmp, report_dir = tmp_path / "home", tmp_path / "tmp", tmp_path / "reports"
    for folder in (home, tmp, report_dir):
        folder.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "scripts.contract", "--report-dir", str(report_dir)]
    command += ["--max-examples", "5000", "--seed", "1"]
    process = subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env=contract_env(DEMO.api_key, home, tmp),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    live = LiveRun(process, tmp, report_dir)
    live.lines.append((time.monotonic(), "(started)"))
    threading.Thread(target=live.read, daemon=True).start()
    return live


def processes_working_in(folder: Path) -> list[int]:
    """Processes whose working folder is inside `folder` (the suite runs in a temp folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cwd = os.readlink(entry / "cwd")
        except OSError:
            continue
        if cwd.startswith(str(folder)):
            found.append(int(entry.name))
    return found


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_stop_signal_leaves_reports_for_what_ran_and_nothing_behind(
    tmp_path: Path, sig: signal.Signals, code: int
) -> None:
    live = start_live_run(tmp_path)
    try:
        live.wait_for_requests(60)
        live.process.send_signal(sig)
        assert live.process.wait(timeout=30) == code
    finally:
        if live.process.poll() is None:
            live.process.kill()
    time.sleep(0.5)  # the reader thread takes the last lines
    output = "\n".join(line for _, line in live.lines)
    assert f"INTERRUPTED by {sig.name}" in output, output[-3000:]
    summary = (live.report_dir / "summary.md").read_text(encoding="utf-8")
    assert f"INTERRUPTED by {sig.name}" in summary
    junit = JUnitXml.fromfile(str(live.report_dir / "junit.xml"))
    cases = [case for suite in junit for case in suite]
    assert len(cases) > 10, "the checks that ran are in junit.xml"
    assert any(case.name == "the run itself" for case in cases)
    requests = int(summary.split("| requests | ")[1].split()[0])
    assert requests >= 60
    # No process left, no temporary folder left.
    assert processes_working_in(live.tmp) == []
    assert list(live.tmp.glob("thinnestai-contract-*")) == []
    # Progress: never silent for long, while it ran.
    times = [at for at, _ in live.lines]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert max(gaps[:-1]) <= SILENCE_LIMIT, live.lines


def outcome_with(results: RunResults) -> RunOutcome:
    plan = RunPlan(
        base_url="http://127.0.0.1:1",
        call_ids=(),
        foreign_call_ids=(),
        max_examples=1,
        seed=1,
        rate_limit=None,
        timeout=1.0,
        parts_dir="",
    )
    target = Target("http://127.0.0.1:1", "k", (), (), "embedded reference server")
    return RunOutcome(ExitCode.CONFORMS, results, target, plan, 1.0)


def test_the_summary_keeps_to_one_screen_and_summary_md_has_everything() -> None:
    results = RunResults()
    for index in range(400):
        results.undocumented[f"Call.extra_{index:03d}"] = 1000 - index
    outcome = outcome_with(results)
    screen = render_text(outcome)
    assert len(screen.splitlines()) < 60
    assert "Call.extra_000" in screen and f"Call.extra_{SCREEN_DRIFT:03d}" not in screen
    assert f"and {400 - SCREEN_DRIFT} more" in screen
    markdown = render_markdown(outcome)
    assert all(f"Call.extra_{index:03d}" in markdown for index in range(400))
