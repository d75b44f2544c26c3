"""The bench machinery in a tiny mode, so `nox -s bench` cannot rot between full runs."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from contract_tests.run.plan import RunPlan
from contract_tests.run.settings import ENV_API_KEY
from contract_tests.suite.schema import schemathesis_config
from scripts import bench
from scripts.benchmarks.counting_server import SeenRequest
from scripts.benchmarks.detection import first_index
from scripts.benchmarks.render import render
from scripts.benchmarks.run import BenchReport
from scripts.benchmarks.throughput import Sample, Throughput
from scripts.benchmarks.tools import CLI, SUITE, cli_config
from scripts.cli import UsageError


def test_cli_gets_the_suites_own_schemathesis_config_without_the_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ENV_API_KEY, "sk_test_not_a_real_key")
    plan = RunPlan("http://127.0.0.1:1", (), (), 7, 42, None, 10.0, "")
    written = tomllib.loads(cli_config("http://127.0.0.1:1", 7, 42))
    expected = schemathesis_config(plan, "sk_test_not_a_real_key")
    expected["auth"] = {"openapi": {"bearerAuth": {"bearer": "${" + ENV_API_KEY + "}"}}}
    assert written == expected
    assert "sk_test" not in cli_config("http://127.0.0.1:1", 7, 42)


def test_caught_at_prefers_the_first_request_the_fault_changed() -> None:
    log = [
        SeenRequest(0.0, "GET", "/v2/calls/77", 200, changed_by_fault=False),
        SeenRequest(0.1, "GET", "/v2/calls/2", 200, changed_by_fault=False),
        SeenRequest(0.2, "GET", "/v2/calls/77", 200, changed_by_fault=True),
    ]
    assert first_index(log, {"/v2/calls/77"}) == 3
    assert first_index(log, {"/v2/calls/2"}) == 2  # no changed match: the first match
    assert first_index(log, {"/v2/calls/9"}) is None


def test_throughput_table_shows_ratios_to_the_cli() -> None:
    options, _ = bench.options_from(["--quick", "--scale", "1", "--sections", "throughput"])
    report = BenchReport(options, ceiling_rps=1000.0)
    report.throughput = [
        Throughput(SUITE, options.max_examples, (Sample(200, 4.0, 3.0),)),
        Throughput(CLI, options.max_examples, (Sample(200, 2.0, 1.0),)),
    ]
    text = render(report)
    assert "| suite | 25 | 200 | 4.00 | 50 | 67 | 0.50 | 2.00 |" in text
    assert "ceiling" in text


def test_bad_options_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(UsageError, match="unknown fault"):
        bench.options_from(["--faults", "no-such-fault"])
    with pytest.raises(UsageError):
        bench.options_from(["--sections", "everything"])
    assert bench.main(["--faults", "no-such-fault"]) == 2
    assert capsys.readouterr().err.startswith("bench: unknown fault(s): no-such-fault")


@pytest.mark.timeout(120)
def test_tiny_bench_run_writes_the_detection_and_client_tables(tmp_path: Path) -> None:
    out = tmp_path / "bench.md"
    argv = ["--quick", "--faults", "wrong-json-type", "--max-examples", "3", "--scale", "1"]
    assert bench.main([*argv, "--sections", "detection,client", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "| wrong-json-type | response_schema_conformance | yes (1/1) |" in text
    assert "long transcript call (5,000 messages)" in text
