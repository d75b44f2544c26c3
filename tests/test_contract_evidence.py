"""Evidence of a failing run: evidence.har is HAR 1.2 and holds no key, summary.md points to it,
summary.html renders in Chromium, one HAR entry replays against the fault (exit 1) and a clean
server (exit 0); and a run without foreign ids lists 403 as not verified (exit 3 when asked).

One faulty run (embedded server, two unrelated faults) serves the whole module.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from safety_servers import PROJECT_ROOT, AsgiServer, closed_port, contract_env, run_contract
from test_review import CHROMIUM_FLAGS, chromium

from contract_tests.errors import ExitCode
from contract_tests.reference_server import DEMO, EmbeddedServer, create_app
from contract_tests.reference_server.data import Dataset, demo_dataset
from contract_tests.reports.evidence import entry_numbers
from contract_tests.reports.har import write_har
from contract_tests.run.plan import RunPlan
from contract_tests.run.results import Evidence, FailureRecord, RunResults
from contract_tests.run.runner import RunOutcome, execute
from contract_tests.run.settings import Settings
from contract_tests.run.target import Target
from contract_tests.suite.redaction import key_forms
from scripts.contract import write_reports

# One worker for the whole module (--dist loadgroup): its module-scoped run is made once,
# not once on each worker.
pytestmark = [pytest.mark.timeout(180), pytest.mark.xdist_group("contract_evidence")]
FAULTS = ("cost-mismatch", "missing-www-authenticate")

# HAR 1.2's required fields (http://www.softwareishard.com/blog/har-12-spec/), as JSON Schema.
_RECORD = {"type": "object", "required": ["name", "value"]}
_RECORDS = {"type": "array", "items": _RECORD}
HAR_1_2 = {
    "type": "object",
    "required": ["log"],
    "properties": {
        "log": {
            "type": "object",
            "required": ["version", "creator", "entries"],
            "properties": {
                "version": {"const": "1.2"},
                "creator": {"type": "object", "required": ["name", "version"]},
                "entries": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/entry"}},
            },
        }
    },
    "$defs": {
        "entry": {
            "type": "object",
            "required": ["startedDateTime", "time", "request", "response", "cache", "timings"],
            "properties": {
                "startedDateTime": {"type": "string", "format": "date-time"},
                "time": {"type": "number", "minimum": 0},
                "request": {
                    "type": "object",
                    "required": [
                        *("method", "url", "httpVersion", "cookies", "headers"),
                        *("queryString", "headersSize", "bodySize"),
                    ],
                    "properties": {"headers": _RECORDS, "queryString": _RECORDS},
                },
                "response": {
                    "type": "object",
                    "required": [
                        *("status", "statusText", "httpVersion", "cookies", "headers"),
                        *("content", "redirectURL", "headersSize", "bodySize"),
                    ],
                    "properties": {
                        "headers": _RECORDS,
                        "content": {"type": "object", "required": ["size", "mimeType"]},
                    },
                },
                "cache": {"type": "object"},
                "timings": {"type": "object", "required": ["send", "wait", "receive"]},
                "comment": {"type": "string"},
            },
        }
    },
}


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> tuple[RunOutcome, Path]:
    report_dir = tmp_path_factory.mktemp("evidence")
    settings = Settings(base_url=None, seed=1, report_dir=report_dir)
    outcome = execute(settings, faults=FAULTS, quiet=True)
    write_reports(outcome, report_dir)
    return outcome, report_dir


@pytest.fixture(scope="module")
def har(faulty: tuple[RunOutcome, Path]) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((faulty[1] / "evidence.har").read_text("utf-8"))
    return document


def entry_of(har: dict[str, Any], check: str) -> int:
    """The number (1 for the first) of the first entry whose failure is `check`'s."""
    for number, entry in enumerate(har["log"]["entries"], 1):
        if f": {check} (" in entry["comment"]:
            return number
    raise AssertionError(f"no HAR entry for {check}")


def test_the_faulty_run_writes_a_har_1_2_entry_per_distinct_failure(
    faulty: tuple[RunOutcome, Path], har: dict[str, Any]
) -> None:
    outcome, _ = faulty
    assert outcome.exit_code == ExitCode.VIOLATES
    errors = [e.message for e in Draft202012Validator(HAR_1_2).iter_errors(har)]
    assert errors == []
    entries = har["log"]["entries"]
    assert len(entries) == len(outcome.results.exchanges) == outcome.results.distinct_failures
    for number, (key, record) in enumerate(outcome.results.examples.items(), 1):
        assert entries[number - 1]["comment"].startswith(f"failure {number}: {record.check} (")
        assert entries[number - 1]["comment"].endswith(key)
    cost = entries[entry_of(har, "cost_adds_up") - 1]
    assert cost["response"]["status"] == 200 and "total_usd" in cost["response"]["content"]["text"]
    auth = [h for h in cost["request"]["headers"] if h["name"].lower() == "authorization"]
    assert auth == [
        {"name": "Authorization", "value": "Bearer [Filtered]", "comment": "the run's API key"}
    ]
    missing = entries[entry_of(har, "response_headers_conformance") - 1]
    assert missing["response"]["status"] == 401
    assert "www-authenticate" not in {h["name"].lower() for h in missing["response"]["headers"]}


def test_no_report_holds_the_key_raw_or_base64(faulty: tuple[RunOutcome, Path]) -> None:
    _, report_dir = faulty
    written = {path.name: path.read_text("utf-8") for path in report_dir.iterdir()}
    assert {"evidence.har", "summary.html", "summary.md", "junit.xml"} <= set(written)
    forms = key_forms(DEMO.api_key)
    assert [(name, form) for name, text in written.items() for form in forms if form in text] == []


def test_the_har_writer_filters_a_key_the_capture_missed(tmp_path: Path) -> None:
    """Defence in depth: an exchange holding the key, raw and base64, in the URL, headers and
    body (as if the capture had missed it) is written without it."""
    key = "tai_live_0123456789abcdef"
    encoded = base64.b64encode(f"Bearer {key}".encode()).decode()
    results = RunResults()
    record = FailureRecord("cost_adds_up", "Invariant 5", "GET /v2/calls/{call_id}", *"tmcx")
    results.record_failure(record)
    results.exchanges[record.key] = Evidence(
        started="2026-01-01T00:00:00+00:00",
        milliseconds=1.0,
        method="GET",
        url=f"http://h/v2/calls/1?k={key}",
        request_headers=[["Authorization", f"Bearer {key}"], ["X-Echo", encoded]],
        request_body=None,
        credential="key",
        status=200,
        reason="OK",
        http_version="HTTP/1.1",
        response_headers=[["X-Echo", key]],
        mime_type="application/json",
        response_body=f'{{"echo": "{encoded}"}}',
        response_size=30,
    )
    target = Target("http://h", key, (), (), "remote server")
    plan = RunPlan("http://h", (), (), 1, 1, None, 1.0, "")
    har = write_har(RunOutcome(ExitCode.VIOLATES, results, target, plan, 1.0), tmp_path)
    assert har is not None
    text = har.read_text("utf-8")
    assert [form for form in key_forms(key) if form in text] == []
    # The URL and its query string, Authorization, both X-Echo headers and the body.
    assert text.count("[Filtered]") == 6


def test_summary_md_gives_each_failure_its_har_entry_and_replay_command(
    faulty: tuple[RunOutcome, Path],
) -> None:
    outcome, report_dir = faulty
    summary = (report_dir / "summary.md").read_text("utf-8")
    numbers = entry_numbers(outcome.results)
    assert numbers
    for number in numbers.values():
        assert f"- evidence: {report_dir / 'evidence.har'} entry {number} (HAR 1.2)" in summary
        assert f"nox -s replay -- {report_dir / 'evidence.har'} --entry {number}`" in summary


def test_the_html_report_renders_in_chromium(
    faulty: tuple[RunOutcome, Path], tmp_path: Path
) -> None:
    _, report_dir = faulty
    command = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    page = (report_dir / "summary.html").resolve().as_uri()
    result = subprocess.run(
        [*command, "--dump-dom", page], capture_output=True, text=True, timeout=120, check=False
    )
    dom = result.stdout
    assert '<h1 class="verdict fail" id="verdict">FAIL' in dom, result.stderr[-500:]
    assert dom.index('id="verdict"') < dom.index('id="responses"') < dom.index('id="clauses"')
    responses = dom.split('id="responses"', 1)[1].split("</table>", 1)[0]
    assert "<th>getCall</th>" in responses and "<th>listCalls</th>" in responses
    assert '<td class="notseen">not seen</td>' in responses  # no 429 was provoked
    assert '<td class="num seen">' in responses
    clauses = dom.split('id="clauses"', 1)[1].split("</table>", 1)[0]
    assert "<code>cost_adds_up</code>" in clauses and '<td class="num seen">' in clauses
    assert 'id="gaps"' in dom and "429" in dom.split('id="gaps"', 1)[1]
    assert "curl -X GET" in dom and "nox -s replay -- " in dom
    assert "<script" not in dom


def replay(*args: str, key: str = DEMO.api_key) -> subprocess.CompletedProcess[str]:
    env = contract_env(key, Path(os.environ.get("HOME", "/tmp")), Path("/tmp"))
    return subprocess.run(
        [sys.executable, "-m", "scripts.replay", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def faulty_server() -> Iterator[str]:
    with EmbeddedServer(faults=FAULTS) as server:
        yield server.base_url


def test_a_replayed_entry_still_fails_against_the_fault(
    faulty: tuple[RunOutcome, Path], har: dict[str, Any], faulty_server: str
) -> None:
    path = str(faulty[1] / "evidence.har")
    for check in ("cost_adds_up", "response_headers_conformance"):
        entry = str(entry_of(har, check))
        result = replay(path, "--entry", entry, "--base-url", faulty_server)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "STILL FAILING" in result.stdout and f"{check} |" in result.stdout


def test_a_replayed_entry_passes_against_the_clean_server(
    faulty: tuple[RunOutcome, Path], har: dict[str, Any]
) -> None:
    path = str(faulty[1] / "evidence.har")
    result = replay(path, "--entry", str(entry_of(har, "cost_adds_up")))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "FIXED" in result.stdout and "cost_adds_up |" in result.stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--entry", "999"), "has entries 1 to"),
        (("--base-url", f"http://127.0.0.1:{closed_port()}"), "cannot reach"),
    ],
)
def test_a_replay_that_cannot_be_made_says_so_in_one_line(
    faulty: tuple[RunOutcome, Path], args: tuple[str, ...], says: str
) -> None:
    result = replay(str(faulty[1] / "evidence.har"), *args)
    assert result.returncode == 2
    assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1
    assert says in result.stderr


def test_a_replay_of_a_file_that_is_no_har_says_so(tmp_path: Path) -> None:
    bogus = tmp_path / "evidence.har"
    bogus.write_text("not json", "utf-8")
    result = replay(str(bogus))
    assert result.returncode == 2 and "is not JSON" in result.stderr


def test_without_foreign_ids_403_is_not_verified_and_required_coverage_exits_3(
    tmp_path: Path,
) -> None:
    with AsgiServer(create_app()) as server:
        run = run_contract(
            server.base_url,
            DEMO.api_key,
            tmp_path,
            *("--max-examples", "5", "--seed", "1", "--rate-limit", "1000/s"),
            *("--require-coverage", "responses,-429"),
        )
    assert run.exit_code == ExitCode.COVERAGE_SHORT, run.output
    assert "getCall 403: no foreign call ids given" in run.stdout
    assert "required by --require-coverage but not verified: 1" in run.stdout
    summary = (run.report_dir / "summary.md").read_text("utf-8")
    assert "- getCall 403 (responses): no foreign call ids given" in summary


def test_a_server_without_pending_calls_leaves_those_clauses_not_exercised(
    tmp_path: Path,
) -> None:
    """Staging may hold no pending call: every clause about one passes untested, and says so."""
    full = demo_dataset()
    calls = {i: call for i, call in full.calls.items() if call.record["status"] != "pending"}
    without_pending = Dataset(full.as_of, full.accounts, full.keys, calls)
    with AsgiServer(create_app(dataset=without_pending)) as server:
        run = run_contract(
            server.base_url,
            DEMO.api_key,
            tmp_path,
            *("--max-examples", "5", "--seed", "1", "--rate-limit", "1000/s"),
            *("--foreign-call-ids", ",".join(map(str, DEMO.foreign_call_ids[:3]))),
            *("--require-coverage", "clauses"),
        )
    assert run.exit_code == ExitCode.COVERAGE_SHORT, run.output
    assert "nullability_by_status: pending: no such call among" in run.stdout
    summary = (run.report_dir / "summary.md").read_text("utf-8")
    assert "| `nullability_by_status` | Invariant 1 | pending | not seen |" in summary
    assert "| `nullability_by_status` | Invariant 1 | ended | not seen |" not in summary
