"""One contract run: settings in, a verdict out (0 conforms, 1 violates, 2 could not run).

The suite runs in a pytest subprocess: the embedded server keeps this process (and its own
core) to itself, every run starts clean, and the exit code means one thing.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from contract_tests.run.plan import ENV_PLAN, RunPlan
from contract_tests.run.results import RunResults
from contract_tests.run.settings import ENV_API_KEY, Settings
from contract_tests.run.target import Target, open_target

SUITE = Path(__file__).resolve().parent.parent / "suite"
CONFORMS, VIOLATES, COULD_NOT_RUN = 0, 1, 2


def hypothesis_cache() -> Path:
    """~/.cache/thinnestai-contract-kit/hypothesis (or under $XDG_CACHE_HOME)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "thinnestai-contract-kit" / "hypothesis"


@dataclass
class RunOutcome:
    exit_code: int
    results: RunResults
    target: Target
    plan: RunPlan
    seconds: float


def _pytest_command(report_dir: Path, workers: int) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "pytest",
        str(SUITE),
        # The run prints its own progress and summary (suite/conftest.py, report.py).
        "-p",
        "no:terminal",
        "-p",
        "no:cacheprovider",
        "-o",
        "addopts=",
        "-o",
        "testpaths=",
        f"--rootdir={SUITE}",
        f"--junitxml={report_dir / 'junit.xml'}",
        "-o",
        "junit_family=xunit2",
    ]
    # Plugins the suite does not use cost ~0.35 s of start-up when pytest loads them.
    command += ["-p", "no:timeout", "-p", "no:anyio"]
    command += ["-n", str(workers)] if workers > 1 else ["-p", "no:xdist"]
    return command


def execute(
    settings: Settings,
    *,
    fault: str | None = None,
    quirks: Sequence[str] = (),
    workers: int = 1,
    quiet: bool = False,
) -> RunOutcome:
    """Run the suite against the target of `settings` (the embedded server with `fault`)."""
    seed = settings.seed if settings.seed is not None else secrets.randbelow(2**31)
    report_dir = settings.report_dir.resolve()
    report_dir.mkdir(parents=True, exist_ok=True)
    with (
        open_target(settings, fault=fault, quirks=quirks) as target,
        tempfile.TemporaryDirectory(prefix="thinnestai-contract-") as parts,
    ):
        plan = RunPlan(
            base_url=target.base_url,
            call_ids=target.call_ids,
            foreign_call_ids=target.foreign_call_ids,
            max_examples=settings.max_examples,
            seed=seed,
            rate_limit=settings.rate_limit,
            timeout=settings.timeout,
            parts_dir=parts,
            notes=target.notes,
        )
        env = {
            **os.environ,
            ENV_PLAN: plan.to_env(),
            ENV_API_KEY: target.api_key,
            # The example database is off (config); this folder keeps only Hypothesis' Unicode
            # tables, which take ~3 s to rebuild, so it persists between runs.
            "HYPOTHESIS_STORAGE_DIRECTORY": str(hypothesis_cache()),
        }
        if not quiet:
            print(
                f"contract: checking {target.base_url} ({target.description}), seed {seed}, "
                f"{settings.max_examples} examples per operation and phase",
                flush=True,
            )
        started = time.perf_counter()
        completed = subprocess.run(
            _pytest_command(report_dir, workers),
            env=env,
            cwd=parts,  # anything a plugin drops in the working folder goes away with the run
            stdout=subprocess.DEVNULL if quiet else None,
            check=False,
        )
        seconds = time.perf_counter() - started
        results = RunResults.merge_folder(Path(parts))
    if sum(results.failures.values()):
        code = VIOLATES
    elif completed.returncode == 0 and not results.errors:  # exit 5 (nothing ran) is no verdict
        code = CONFORMS
    else:
        code = COULD_NOT_RUN
        if not results.errors:
            results.errors.append(f"pytest exited with {completed.returncode} and no check failed")
    return RunOutcome(code, results, target, plan, seconds)
