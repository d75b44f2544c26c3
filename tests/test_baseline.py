"""A baseline of known failures: a faulty server's failures, written with --write-baseline and
filled in by a person, are known on the next run (another seed) and do not fail it; an
expired entry fails it and says which; an entry no longer seen is reported as fixed; a bad
baseline file is one line and exit 2.

In-process: the probes of a faulty reference server (tests/test_fault_proofs.py `probed`),
concluded as the runner concludes a whole run. One pair of whole runs proves the identities
hold across seeds, through the command line.
"""

from __future__ import annotations

import datetime
import functools
from pathlib import Path

import pytest
import yaml
from run_outcomes import concluded
from test_cli_errors import BY_MODULE, one_line, run_main
from traffic_recordings import probed

from contract_tests.errors import ExitCode
from contract_tests.reference_server import DEMO, EmbeddedServer
from contract_tests.reports.junit import build
from contract_tests.reports.markdown import render_markdown
from contract_tests.reports.screen import render_text
from contract_tests.run.baseline import (
    Baseline,
    BaselineError,
    baseline_text,
    load_baseline,
)
from contract_tests.run.results import RunResults
from contract_tests.run.runner import RunOutcome
from contract_tests.run.settings import ENV_API_KEY, Settings

# A record clause of ours, a built-in check's header breach on both operations, a listing one.
FAULTS = ("cost-mismatch", "missing-www-authenticate", "wrong-order")
TODAY = datetime.date(2026, 5, 4)
CONTRACT = BY_MODULE["contract"]


@functools.cache
def faulty() -> RunResults:
    return probed(faults=FAULTS)


def filled_in(text: str, expires: datetime.date, **overrides: datetime.date) -> str:
    """A written baseline as a person completes it: each entry's reason, owner, ticket and
    expiry (an entry of a check in `overrides` expires then)."""
    document = yaml.safe_load(text)
    for number, entry in enumerate(document["known-failures"], 1):
        entry.update(reason="known", owner="calls-team", ticket=f"CALLS-{number}")
        entry["expires"] = overrides.get(entry["check"], expires).isoformat()
    text_filled_in: str = yaml.safe_dump(document, sort_keys=False)
    return text_filled_in


def baseline_file(tmp_path: Path, text: str) -> Baseline:
    path = tmp_path / "contract-baseline.yaml"
    path.write_text(text, encoding="utf-8")
    return load_baseline(path)


def judged(results: RunResults, baseline: Baseline, today: datetime.date = TODAY) -> RunOutcome:
    return concluded(results, Settings(base_url=None, baseline=baseline), today=today)


def verdict_line(outcome: RunOutcome) -> str:
    return render_text(outcome).strip().splitlines()[-1]


def test_the_written_baseline_has_every_failure_and_leaves_the_rest_to_a_person() -> None:
    results = faulty()
    assert len(results.examples) >= 4
    text = baseline_text(results, written_from="the run with seed 1")
    assert "The empty ones below are TODO" in text and "seed 1" in text
    entries = yaml.safe_load(text)["known-failures"]
    assert len(entries) == len(results.examples)
    for entry in entries:
        assert [entry[name] for name in ("reason", "owner", "ticket", "expires")] == [""] * 4
    assert {"cost_adds_up", "response_headers_conformance", "list_page_consistent"} <= {
        entry["check"] for entry in entries
    }


def test_an_unfilled_baseline_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match=r"entry 1 has no expiry date: fill in expires"):
        baseline_file(tmp_path, baseline_text(faulty()))


def test_known_failures_do_not_fail_the_run(tmp_path: Path) -> None:
    baseline = baseline_file(tmp_path, filled_in(baseline_text(faulty()), TODAY))
    outcome = judged(faulty(), baseline)
    assert outcome.exit_code == ExitCode.CONFORMS
    assert outcome.baseline is not None and len(outcome.baseline.known) == len(faulty().examples)
    line = verdict_line(outcome)
    known = len(faulty().examples)
    assert line == f"PASS: no violation but the baseline's known failures ({known} known) (exit 0)"
    assert "baseline: known (baseline: CALLS-1, calls-team, known; expires" in render_text(outcome)
    xml = build(outcome)
    cases = [case for suite in xml for case in suite]
    assert not [r for case in cases for r in case.result if type(r).__name__ == "Failure"]
    cost = next(case for case in cases if case.name == "cost_adds_up")
    assert "known failure (baseline: CALLS-" in cost.result[0].message


def test_an_expired_entry_fails_the_run_and_says_which(tmp_path: Path) -> None:
    yesterday = TODAY - datetime.timedelta(days=1)
    text = filled_in(baseline_text(faulty()), TODAY, cost_adds_up=yesterday)
    outcome = judged(faulty(), baseline_file(tmp_path, text))
    assert outcome.exit_code == ExitCode.VIOLATES
    assert outcome.baseline is not None
    [key] = outcome.baseline.expired
    assert key.startswith("cost_adds_up | ")
    line = verdict_line(outcome)
    assert line.startswith("FAIL: the server violates the contract (1 past their baseline expiry,")
    markdown = render_markdown(outcome)
    assert f"- expired: fail the run: 1\n  - `{key} (expired {yesterday}; " in markdown
    assert f"its baseline entry expired on {yesterday}" in markdown


def test_a_new_failure_fails_the_run_beside_the_known_ones(tmp_path: Path) -> None:
    results = faulty()
    only_cost = {k: r for k, r in results.examples.items() if r.check == "cost_adds_up"}
    partial = RunResults(examples=only_cost)
    baseline = baseline_file(tmp_path, filled_in(baseline_text(partial), TODAY))
    outcome = judged(results, baseline)
    assert outcome.exit_code == ExitCode.VIOLATES
    new = len(results.examples) - 1
    assert verdict_line(outcome).startswith(f"FAIL: the server violates the contract ({new} new, 1")
    assert "new: not in the baseline" in render_text(outcome)


def test_an_entry_no_longer_seen_is_reported_as_fixed(tmp_path: Path) -> None:
    baseline = baseline_file(tmp_path, filled_in(baseline_text(faulty()), TODAY))
    clean = RunResults()  # what the fixed server's run saw: no failure
    outcome = judged(clean, baseline)
    assert outcome.exit_code == ExitCode.CONFORMS
    assert outcome.baseline is not None and len(outcome.baseline.fixed) == len(baseline.entries)
    assert f"{len(baseline.entries)} baseline entries fixed (remove them)" in verdict_line(outcome)
    assert "fixed: remove from the baseline (" in render_text(outcome)
    clean.stopped_early = "stopped after 1 distinct failures (--max-failures 1)"
    assert "not seen in this partial run" in verdict_line(judged(clean, baseline))


def test_writing_again_keeps_what_people_filled_in(tmp_path: Path) -> None:
    baseline = baseline_file(tmp_path, filled_in(baseline_text(faulty()), TODAY))
    again = baseline_text(faulty(), judged(faulty(), baseline).baseline)
    assert baseline_file(tmp_path, again).entries == baseline.entries


BAD_BASELINES = [
    ("known-failures: [\n", "is not valid YAML"),
    ("- check: x\n", "expected one list, known-failures:"),
    ("known-failures:\n  - check: x\n", "entry 1 has no operation: copy the entry"),
    (
        "known-failures:\n  - {check: x, operation: y, kind: z, expiry: 2026-01-01}\n",
        "entry 1: expiry is not a field; an entry has check, operation",
    ),
    (
        "known-failures:\n  - {check: x, operation: y, kind: z, expires: soon}\n",
        "entry 1: expires 'soon' is not a date (YYYY-MM-DD)",
    ),
    (
        "known-failures:\n  - {check: x, operation: y, kind: z, expires: 2026-01-01}\n"
        "  - {check: x, operation: y, kind: z, expires: 2027-01-01}\n",
        "entry 2 repeats entry 1 (x | y | z)",
    ),
]


@pytest.mark.parametrize(("text", "says"), BAD_BASELINES)
def test_a_bad_baseline_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, says: str
) -> None:
    path = tmp_path / "baseline.yaml"
    path.write_text(text, encoding="utf-8")
    assert run_main(CONTRACT, ["--baseline", str(path)]) == ExitCode.COULD_NOT_RUN
    line = one_line(capsys, CONTRACT)
    assert says in line and str(path) in line


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_a_baselined_run_on_another_seed_passes_with_every_failure_known(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Done when: a run against a faulty server, baselined with --write-baseline and run
    again on another seed, exits 0 with every failure reported as known."""
    monkeypatch.setenv(ENV_API_KEY, DEMO.api_key)
    path = tmp_path / "contract-baseline.yaml"
    with EmbeddedServer(faults=FAULTS) as server:
        argv = ["--base-url", server.base_url, "--rate-limit", "1000/s", "--max-examples", "3"]
        argv += ["--foreign-call-ids", ",".join(map(str, DEMO.foreign_call_ids))]
        first = run_main(CONTRACT, [*argv, "--seed", "1", "--write-baseline", str(path)])
        assert first == ExitCode.VIOLATES
        written = capsys.readouterr().out
        failures = len(yaml.safe_load(path.read_text())["known-failures"])
        assert f"baseline: {failures} failures written to {path}" in written
        path.write_text(filled_in(path.read_text(), datetime.date.today()), encoding="utf-8")
        second = run_main(CONTRACT, [*argv, "--seed", "2", "--baseline", str(path)])
    out = capsys.readouterr().out
    assert f"no violation but the baseline's known failures ({failures} known) (exit 0)" in out, (
        out[-3000:]
    )
    assert second == ExitCode.CONFORMS
