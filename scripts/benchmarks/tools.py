"""The two tools under test, run the same way: against a base URL, with a budget and a seed.

- the contract suite, through `contract_tests.run.runner.execute` (a pytest subprocess);
- the pinned Schemathesis CLI (`schemathesis run`) in a subprocess, configured from the very
  dict the suite gives Schemathesis (`contract_tests.suite.schema.schemathesis_config`): same seed,
  budget, generation mode, phases, disabled checks, expected statuses, no unexpected methods.

Each returns a `ToolRun`: wall time, exit code, and per failing check the request targets
(path?query) it failed on, so the bench can place the failure in the server's request log.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from contract_tests.reference_server import DEMO
from contract_tests.run.plan import RunPlan
from contract_tests.run.runner import execute
from contract_tests.run.settings import ENV_API_KEY, Settings
from contract_tests.spec import SPEC_PATH
from contract_tests.suite.schema import schemathesis_config
from scripts.benchmarks.toml_writer import dumps

SUITE, CLI = "suite", "schemathesis CLI"
CLI_PHASES = "examples,coverage,fuzzing,stateful"
CLI_TIMEOUT_SECONDS = 900  # bounded: a runaway CLI run is killed, not waited on forever
CURL_URL = re.compile(r"'?(https?://[^\s']+)'?\s*$")


@dataclass
class ToolRun:
    tool: str
    seconds: float
    exit_code: int
    failed_targets: dict[str, list[str]] = field(default_factory=dict)  # check -> targets
    errors: list[str] = field(default_factory=list)

    @property
    def failed_checks(self) -> set[str]:
        return set(self.failed_targets)


def target_of(url: str) -> str:
    """The request target the server logs for `url`: path, plus ?query when there is one."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def run_suite(base_url: str, *, max_examples: int, seed: int, workers: int = 1) -> ToolRun:
    """The contract suite against `base_url` with the demo key and ids, quietly."""
    with tempfile.TemporaryDirectory(prefix="bench-suite-") as reports:
        settings = Settings(
            base_url=base_url,
            api_key=DEMO.api_key,
            call_ids=DEMO.call_ids,
            foreign_call_ids=DEMO.foreign_call_ids,
            max_examples=max_examples,
            seed=seed,
            report_dir=Path(reports),
        )
        started = time.perf_counter()
        outcome = execute(settings, workers=workers, quiet=True)
        seconds = time.perf_counter() - started
    failed: dict[str, list[str]] = {check: [] for check, n in outcome.results.failures.items() if n}
    for record in outcome.results.examples.values():
        found = CURL_URL.search(record.curl)
        if record.check in failed and found:
            failed[record.check].append(target_of(found.group(1)))
    return ToolRun(SUITE, seconds, outcome.exit_code, failed, list(outcome.results.errors))


def cli_config(base_url: str, max_examples: int, seed: int) -> str:
    """schemathesis.toml for the CLI: the suite's own config; the key stays in the environment."""
    plan = RunPlan(
        base_url=base_url,
        call_ids=(),
        foreign_call_ids=(),
        max_examples=max_examples,
        seed=seed,
        rate_limit=None,
        timeout=10.0,
        parts_dir="",
    )
    config = schemathesis_config(plan, "${" + ENV_API_KEY + "}")
    config["auth"] = {"openapi": {"bearerAuth": {"bearer": "${" + ENV_API_KEY + "}"}}}
    return dumps(config)


def cli_command(config_path: Path, report_dir: Path) -> list[str]:
    executable = Path(sys.executable).with_name("schemathesis")
    return [
        str(executable),
        "--config-file",
        str(config_path),
        "run",
        str(SPEC_PATH),
        "--phases",
        CLI_PHASES,
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(report_dir / "events.ndjson"),
        "--no-color",
    ]


def failed_targets_in_ndjson(path: Path) -> dict[str, list[str]]:
    """check -> request targets it failed on, in the order the CLI reported them."""
    failed: dict[str, list[str]] = {}
    if not path.exists():
        return failed
    for line in path.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        recorder = event.get("ScenarioFinished", {}).get("recorder", {})
        interactions = recorder.get("interactions", {})
        for case_id, checks in recorder.get("checks", {}).items():
            for check in checks:
                if check.get("status") != "failure":
                    continue
                targets = failed.setdefault(check["name"], [])
                request = (interactions.get(case_id) or {}).get("request") or {}
                if "uri" in request:
                    targets.append(target_of(request["uri"]))
    return failed


def run_cli(base_url: str, *, max_examples: int, seed: int) -> ToolRun:
    """`schemathesis run` on the spec against `base_url`, the suite's config, an NDJSON report."""
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as folder:
        work = Path(folder)
        config_path = work / "schemathesis.toml"
        config_path.write_text(cli_config(base_url, max_examples, seed), encoding="utf-8")
        env = {**os.environ, ENV_API_KEY: DEMO.api_key}
        started = time.perf_counter()
        completed = subprocess.run(
            cli_command(config_path, work),
            env=env,
            cwd=work,
            capture_output=True,
            text=True,
            timeout=CLI_TIMEOUT_SECONDS,
            check=False,
        )
        seconds = time.perf_counter() - started
        failed = failed_targets_in_ndjson(work / "events.ndjson")
    errors = [] if completed.returncode in (0, 1) else [completed.stderr.strip()[-500:]]
    return ToolRun(CLI, seconds, completed.returncode, failed, errors)
