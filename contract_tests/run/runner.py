"""One contract run: settings in, a verdict out (0 conforms, 1 violates, 2 could not run,
130/143 stopped by SIGINT/SIGTERM with partial results).

The suite runs in a pytest subprocess: the embedded server keeps this process (and its own
core) to itself, every run starts clean, and the exit code means one thing.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from subprocess import Popen
from typing import TYPE_CHECKING

from contract_tests.errors import ExitCode
from contract_tests.run.plan import ENV_PLAN_FILE, RunPlan
from contract_tests.run.progress import ProgressLine, read_snapshots
from contract_tests.run.results import RunResults
from contract_tests.run.settings import ENV_API_KEY, Settings
from contract_tests.run.stop import StopSignals

if TYPE_CHECKING:
    from contract_tests.run.baseline import BaselineVerdict
    from contract_tests.run.coverage import Coverage, Gap
    from contract_tests.run.target import Target
    from contract_tests.run.warnings import RunWarning

__all__ = ["RunOutcome", "conclude", "execute"]

SUITE = Path(__file__).resolve().parent.parent / "suite"
PROGRESS_TICK = 0.5  # seconds between looks at the suite's progress
STOP_GRACE_SECONDS = 10.0  # after a stop signal, the suite's time to finish its request
PLAN_FILE = "plan.json"


def hypothesis_cache() -> Path:
    """~/.cache/thinnestai-contract-kit/hypothesis (or under $XDG_CACHE_HOME)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "thinnestai-contract-kit" / "hypothesis"


@dataclass
class RunOutcome:
    exit_code: ExitCode
    results: RunResults
    target: Target
    plan: RunPlan
    seconds: float
    interrupted_by: str | None = None  # "SIGINT" or "SIGTERM" when the run was stopped
    coverage_missing: list[Gap] = field(default_factory=list)  # what --require-coverage lacks
    warnings: list[RunWarning] = field(default_factory=list)  # what makes a pass prove little
    fatal_warnings: list[str] = field(default_factory=list)  # raised, and --fail-on-warning
    baseline: BaselineVerdict | None = None  # the failures in the light of --baseline
    rerun: str = ""  # the command that judges the same again, when it is no suite run

    @property
    def coverage(self) -> Coverage:
        from contract_tests.run.coverage import coverage_of

        return coverage_of(self.results, self.plan)


def _pytest_command(workers: int) -> list[str]:
    # One process fetches the known calls while it starts (suite/launch.py); with xdist,
    # the tests run in workers that would not have them.
    launcher = "contract_tests.suite.launch" if workers == 1 else "pytest"
    command = [
        sys.executable,
        "-m",
        launcher,
        str(SUITE),
        # The runner prints progress and the summary, and writes junit.xml (reports/).
        "-p",
        "no:terminal",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:junitxml",
        "-o",
        "addopts=",
        "-o",
        "testpaths=",
        f"--rootdir={SUITE}",
    ]
    # Start-up is most of a short run: load only the plugins the suite uses (named here, with
    # entry-point autoloading off: see _suite_env) and do not rewrite asserts (the checks
    # raise their own messages), which parsed every plugin module's source on each run.
    command += ["--assert=plain", "-p", "schemathesis.pytest.plugin"]
    command += ["-p", "_hypothesis_pytestplugin"]
    command += ["-p", "xdist.plugin", "-n", str(workers)] if workers > 1 else []
    return command


def _key_of(settings: Settings) -> str:
    """The key the run sends: the demo account's on the embedded server, else the user's."""
    if settings.embedded:
        # DEMO.api_key, without building the demo setup first: the suite starts after this.
        from contract_tests.reference_server.data import KEYS

        return KEYS[0].key
    assert settings.api_key is not None  # load_settings refuses a remote run without one
    return settings.api_key


def _start_suite(command: list[str], env: dict[str, str], parts: Path, quiet: bool) -> Popen[bytes]:
    return subprocess.Popen(
        command,
        env=env,
        cwd=parts,  # anything a plugin drops in the working folder goes away with the run
        stdout=subprocess.DEVNULL if quiet else None,
        # Its own session: a Ctrl-C at the terminal reaches it once, through the runner.
        start_new_session=True,
    )


def _wait_for_suite(process: Popen[bytes], parts: Path, stop: StopSignals, quiet: bool) -> int:
    """The suite's exit code, with progress shown while it runs; on a stop signal it is asked
    to stop (SIGINT), and killed if it has not within STOP_GRACE_SECONDS."""
    stop.forward_to(lambda: process.send_signal(signal.SIGINT), process.kill)
    progress = None if quiet else ProgressLine()
    stop_deadline: float | None = None
    try:
        while True:
            try:
                return process.wait(timeout=PROGRESS_TICK)
            except subprocess.TimeoutExpired:
                pass
            if progress is not None:
                progress.update(read_snapshots(parts))
            if stop.received is not None:
                stop_deadline = stop_deadline or time.monotonic() + STOP_GRACE_SECONDS
                if time.monotonic() > stop_deadline:
                    process.kill()
    finally:
        if progress is not None:
            progress.close()


def _end(process: Popen[bytes]) -> None:
    """Leave nothing behind: a suite never handed its plan, or a runner that is failing."""
    if process.poll() is None:
        process.kill()
        process.wait()


def execute(
    settings: Settings,
    *,
    faults: Sequence[str] = (),
    quirks: Sequence[str] = (),
    workers: int = 1,
    quiet: bool = False,
) -> RunOutcome:
    """Run the suite against the target of `settings` (the embedded server with `faults`)."""
    seed = settings.seed if settings.seed is not None else secrets.randbelow(2**31)
    report_dir = settings.report_dir.resolve()
    report_dir.mkdir(parents=True, exist_ok=True)
    with (
        StopSignals() as stop,
        tempfile.TemporaryDirectory(prefix="thinnestai-contract-") as folder,
    ):
        parts = Path(folder)
        env = {
            **os.environ,
            ENV_PLAN_FILE: str(parts / PLAN_FILE),
            ENV_API_KEY: _key_of(settings),
            # The example database is off (config); this folder keeps only Hypothesis' Unicode
            # tables, which take ~3 s to rebuild, so it persists between runs.
            "HYPOTHESIS_STORAGE_DIRECTORY": str(hypothesis_cache()),
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        }
        # Started first: the suite imports Schemathesis, Hypothesis and the checks while this
        # process starts the embedded server or checks the remote one, then waits for the plan.
        suite = _start_suite(_pytest_command(workers), env, parts, quiet)
        try:
            from contract_tests.run.target import open_target  # httpx: after the start above

            with open_target(settings, faults=faults, quirks=quirks) as target:
                plan = RunPlan(
                    base_url=target.base_url,
                    call_ids=target.call_ids,
                    foreign_call_ids=target.foreign_call_ids,
                    max_examples=settings.max_examples,
                    seed=seed,
                    rate_limit=settings.rate_limit,
                    timeout=settings.timeout,
                    parts_dir=folder,
                    max_failures=settings.max_failures,
                    notes=target.notes,
                )
                if not quiet:
                    print(
                        f"contract: checking {target.base_url} ({target.description}), "
                        f"seed {seed}, {settings.max_examples} examples per operation and phase",
                        flush=True,
                    )
                started = time.perf_counter()
                returncode = None
                if stop.received is None:
                    plan.write(parts / PLAN_FILE)
                    returncode = _wait_for_suite(suite, parts, stop, quiet)
                seconds = time.perf_counter() - started
        finally:
            _end(suite)
        results = RunResults.merge_folder(parts)
    return conclude(
        settings,
        results,
        target,
        plan,
        seconds,
        returncode=returncode,
        stopped=stop.exit_code,
        interrupted_by=stop.name,
    )


def conclude(
    settings: Settings,
    results: RunResults,
    target: Target,
    plan: RunPlan,
    seconds: float,
    *,
    returncode: int | None = 0,
    stopped: int | None = None,
    interrupted_by: str | None = None,
    today: date | None = None,
) -> RunOutcome:
    """The verdict on a run's results: coverage demanded, warnings, the baseline, the exit
    code. A pure function of what the run saw, so results made in-process get it too."""
    from contract_tests.run.baseline import judge_baseline
    from contract_tests.run.coverage import coverage_of, skipped_checks  # reads the spec
    from contract_tests.run.warnings import warnings_of

    coverage = coverage_of(results, plan)
    missing = (
        settings.require_coverage.missing(coverage, skipped_checks(results))
        if settings.require_coverage is not None
        else []
    )
    warnings = warnings_of(results, coverage, foreign_ids_given=len(plan.foreign_call_ids))
    fatal = [warning.name for warning in warnings if warning.name in settings.fail_on_warning]
    known = None
    if settings.baseline is not None:
        partial = interrupted_by is not None or bool(results.stopped_early)
        day = today or date.today()
        known = judge_baseline(results, settings.baseline, day, partial=partial)
    excused = known.excused_failures(results) if known is not None else 0
    code = _exit_code(results, returncode, stopped, bool(missing or fatal), excused)
    return RunOutcome(
        code, results, target, plan, seconds, interrupted_by, missing, warnings, fatal, known
    )


def _exit_code(
    results: RunResults,
    returncode: int | None,
    stopped: int | None,
    short: bool,
    excused: int = 0,
) -> ExitCode:
    """`excused`: failing check results the baseline knows of; they fail nothing."""
    if stopped is not None:
        return ExitCode(stopped)
    if sum(results.failures.values()) > excused:
        return ExitCode.VIOLATES
    if returncode == 0 and not results.errors:  # exit 5 (nothing ran) is no verdict
        return ExitCode.COVERAGE_SHORT if short else ExitCode.CONFORMS
    if not results.errors:
        results.errors.append(f"pytest exited with {returncode} and no check failed")
    return ExitCode.COULD_NOT_RUN
