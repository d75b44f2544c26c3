"""`nox -s judge`: recorded traffic judged by the suite's checks, with the suite's identities.

A recording here is what the suite's own probes exchanged with the reference server
(tests/traffic_recordings.py), captured on the wire with the raw key, so the suite's
results for the very same exchanges say what the judge must report. One fault per check
family is proven through the command itself (HAR and NDJSON); every quirk stays quiet.
The verdict is the suite's too: warnings, --fail-on-warning, the baseline, the config file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from proof_tiers import QUICK_QUIRKS
from run_outcomes import concluded
from traffic_recordings import Recording, recorded_probes

from contract_tests.checks.exchange import Exchange, request_from_url
from contract_tests.errors import ExitCode
from contract_tests.reference_server import DEMO, FAULTS_BY_NAME
from contract_tests.reference_server.data import new_tenant
from contract_tests.run.results import RunResults
from contract_tests.run.runner import RunOutcome
from contract_tests.suite.redaction import FILTERED
from contract_tests.traffic.judge import TRAFFIC_ADVICE, TrafficJudge
from contract_tests.traffic.recording import read_recording, write_har, write_ndjson
from contract_tests.traffic.state import MAX_PENDING_PAGES, Bounded, SeenPage
from scripts import judge as judge_cli

FOREIGN = ",".join(str(call_id) for call_id in DEMO.foreign_call_ids)
# One fault per check family; the command itself, on HAR and NDJSON, in the test after.
# (foreign-call-listed is proven beside others in the HAR and NDJSON test below.)
FAMILIES = {
    "record": "cost-mismatch",
    "listing (listed calls)": "summary-mismatch",
    "listing (pages together)": "pages-skip",
    "tenancy": "cross-account-served",
    "headers": "missing-www-authenticate",
    "credentials": "key-suffix-ignored",
}


def judged(recording: Recording, api_key: str | None = None) -> RunResults:
    judge = TrafficJudge(api_key=api_key, foreign_ids=frozenset(DEMO.foreign_call_ids))
    for exchange, started in recording:
        judge.take(exchange, started)
    judge.finish()
    return judge.results


def keys_of(results: RunResults, check: str) -> set[str]:
    return {key for key, record in results.examples.items() if record.check == check}


def run_judge(files: list[Path], report_dir: Path, *extra: str) -> int:
    argv = [*map(str, files), "--report-dir", str(report_dir), "--quiet", "--workers", "1"]
    return int(judge_cli.main([*argv, "--foreign-call-ids", FOREIGN, *extra]))


@pytest.fixture(autouse=True)
def _no_key_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("THINNESTAI_API_KEY", "THINNESTAI_FOREIGN_CALL_IDS"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("family", FAMILIES, ids=lambda family: family.replace(" ", "-"))
def test_a_recorded_fault_is_caught_with_the_suites_identity(family: str) -> None:
    fault = FAULTS_BY_NAME[FAMILIES[family]]
    suite, recording = recorded_probes(faults=(fault.name,))
    expected = keys_of(suite, fault.detected_by)
    assert expected, f"the suite itself did not catch {fault.name}"
    found = keys_of(judged(recording), fault.detected_by)
    assert expected <= found, (expected, found)


def test_the_same_recording_as_har_and_ndjson_gives_the_same_verdict_and_failures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    faults = ("cost-mismatch", "summary-mismatch", "foreign-call-listed", "key-suffix-ignored")
    _, recording = recorded_probes(faults=faults)
    har = write_har(recording, tmp_path / "traffic.har")
    ndjson = write_ndjson(recording, tmp_path / "traffic.ndjson")
    assert run_judge([har], tmp_path / "har") == ExitCode.VIOLATES
    assert run_judge([ndjson], tmp_path / "ndjson") == ExitCode.VIOLATES
    out = capsys.readouterr().out
    for fault in faults:
        assert FAULTS_BY_NAME[fault].detected_by in out
    har_failures, ndjson_failures = (
        re.findall(r"^### \d+\. .*$", (tmp_path / kind / "summary.md").read_text(), re.M)
        for kind in ("har", "ndjson")
    )
    assert har_failures == ndjson_failures and len(har_failures) >= len(faults)
    results = [judged([(r.exchange, r.started) for r in read_recording(p)]) for p in (har, ndjson)]
    assert results[0].failures == results[1].failures and results[0].passes == results[1].passes
    assert {k: r.occurrences for k, r in results[0].examples.items()} == {
        k: r.occurrences for k, r in results[1].examples.items()
    }


@pytest.fixture(scope="module")
def clean_probes() -> Iterator[tuple[RunResults, Recording]]:
    yield recorded_probes()


@pytest.fixture(scope="module")
def clean(clean_probes: tuple[RunResults, Recording]) -> Iterator[tuple[RunResults, RunResults]]:
    suite, recording = clean_probes
    yield suite, judged(recording)


def test_the_clean_server_passes_and_every_family_was_judged(
    clean: tuple[RunResults, RunResults],
) -> None:
    _, results = clean
    assert not results.examples, [r.message for r in results.examples.values()]
    for check in (
        "cost_adds_up",
        "response_schema_conformance",
        "list_page_consistent",
        "listed_calls_match_records",
        "pages_tile_the_listing",
        "foreign_call_forbidden",
        "no_foreign_call_listed",
        "key_with_suffix_refused",
        "header_forms",
        "client_round_trip",
    ):
        assert results.passes[check] > 0, check


# Quirks that only change timing (slow answers, 429s the recorder's transport waits out):
# their recordings are the clean server's, minutes slower to make.
TIMING_QUIRKS = ("slow", "rate-limit-window")
QUIRKS = [quirk for quirk in QUICK_QUIRKS if quirk not in TIMING_QUIRKS]


@pytest.mark.sweep
@pytest.mark.parametrize("quirk", QUICK_QUIRKS)
def test_a_quirk_alone_is_no_failure(quirk: str) -> None:
    _, recording = recorded_probes(quirks=(quirk,))
    results = judged(recording)
    assert not results.examples, [r.key for r in results.examples.values()]


def test_every_quirk_at_once_exits_0(tmp_path: Path) -> None:
    _, recording = recorded_probes(quirks=QUIRKS)
    har = write_har(recording, tmp_path / "traffic.har")
    assert run_judge([har], tmp_path / "reports") == ExitCode.CONFORMS


def test_the_kits_own_evidence_har_is_judged_again(tmp_path: Path) -> None:
    _, recording = recorded_probes(faults=("cost-mismatch",))
    ndjson = write_ndjson(recording, tmp_path / "traffic.ndjson")
    assert run_judge([ndjson], tmp_path / "first") == ExitCode.VIOLATES
    evidence = tmp_path / "first" / "evidence.har"
    assert run_judge([evidence], tmp_path / "again") == ExitCode.VIOLATES
    assert "cost_adds_up" in (tmp_path / "again" / "summary.md").read_text()


# ---- warnings and the verdict: the suite's (run/runner.py conclude) ------------------------


def judged_outcome(recording: Recording, foreign_ids: tuple[int, ...]) -> RunOutcome:
    judge = TrafficJudge(foreign_ids=frozenset(foreign_ids))
    for exchange, started in recording:
        judge.take(exchange, started)
    judge.finish()
    return judge.outcome("recording", "", 1.0)


def test_a_recording_of_the_clean_server_raises_no_warning(
    clean_probes: tuple[RunResults, Recording],
) -> None:
    suite, recording = clean_probes
    outcome = judged_outcome(recording, DEMO.foreign_call_ids)
    assert outcome.warnings == [], [warning.line for warning in outcome.warnings]
    # The key is known only as working: its positive requests are the suite's own.
    assert outcome.results.positive_requests == suite.positive_requests


# (the recording's key and ids, the ids of another account given, the warnings expected)
WARNED = {
    # The key's account has no call yet: the suite's warnings exactly.
    "new tenant": (
        {"dataset": new_tenant(), "call_ids": ()},
        DEMO.foreign_call_ids,
        ("no-records", "listing-too-short"),
    ),
    # Another account's key: 403 on the ids asked for. The suite also says no-records (it
    # judges no record its listing walk fetched by id); the recording holds those 200s, and
    # the judge judges every record it holds.
    "another account's key": (
        {"key": DEMO.other_api_key, "foreign_ids": ()},
        (),
        ("auth-dominated", "no-foreign-ids"),
    ),
}


@pytest.mark.parametrize("scenario", list(WARNED))
def test_a_recording_that_proves_little_raises_the_suites_warnings(scenario: str) -> None:
    made_with, foreign_ids, expected = WARNED[scenario]
    suite, recording = recorded_probes(**made_with)  # type: ignore[arg-type]
    outcome = judged_outcome(recording, foreign_ids)
    raised = tuple(warning.name for warning in outcome.warnings)
    assert raised == expected, [warning.line for warning in outcome.warnings]
    assert set(raised) <= {w.name for w in concluded(suite, foreign_ids=foreign_ids).warnings}
    assert outcome.results.positive_requests == suite.positive_requests
    assert outcome.exit_code == ExitCode.CONFORMS
    for warning in outcome.warnings:  # what to do about a recording, not a run
        assert warning.advice == TRAFFIC_ADVICE[warning.name]


@pytest.fixture(scope="module")
def new_tenant_recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _, recording = recorded_probes(dataset=new_tenant(), call_ids=())
    return write_ndjson(recording, tmp_path_factory.mktemp("tenant") / "traffic.ndjson")


@pytest.mark.parametrize("source", ["option", "config file"])
def test_fail_on_warning_makes_a_recording_that_proves_little_exit_3(
    source: str, new_tenant_recording: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_judge([new_tenant_recording], tmp_path / "plain") == ExitCode.CONFORMS
    verdict = capsys.readouterr().out
    assert "PASS with 2 warnings (no-records, listing-too-short): " in verdict
    if source == "option":
        extra = ["--fail-on-warning", "no-records"]
    else:  # the contract run's file; what is about sending requests is not the judge's
        config = tmp_path / "team.toml"
        config.write_text(
            'rate-limit = "5/s"\n[profiles.traffic]\nbase-url = "https://staging.invalid"\n'
            'fail-on-warning = ["no-records"]\n'
        )
        extra = ["--config", str(config), "--profile", "traffic"]
    assert run_judge([new_tenant_recording], tmp_path / "short", *extra) == 3
    assert "SHORT with 2 warnings (no-records, listing-too-short): " in capsys.readouterr().out


def test_a_failure_the_suites_baseline_knows_is_known_in_a_recording(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from contract_tests.run.baseline import baseline_text

    suite, recording = recorded_probes(faults=("cost-mismatch",))
    ndjson = write_ndjson(recording, tmp_path / "traffic.ndjson")
    # The suite's failures as a baseline, filled in: the judge's failures have their identity.
    baseline = tmp_path / "baseline.yaml"
    baseline.write_text(baseline_text(suite).replace("expires: ''", "expires: 2999-12-31"))
    again = tmp_path / "again.yaml"
    argv = ["--baseline", str(baseline), "--write-baseline", str(again)]
    assert run_judge([ndjson], tmp_path / "reports", *argv) == ExitCode.CONFORMS
    out = capsys.readouterr().out
    assert "(1 known) (exit 0)" in out and "cost_adds_up" in out
    rewritten = again.read_text()  # what a person filled in is kept
    assert "check: cost_adds_up" in rewritten and "expires: 2999-12-31" in rewritten
    assert "judgement of" in rewritten


# ---- secrets ---------------------------------------------------------------------------------

SECRETS = {
    "key": DEMO.api_key,
    "cookie": "sess_9f8e7d6c5b4a39281706",
    "api key header": "ak_live_7Qm2Xv9Lp4Rt8Wz1",
    "query token": "qtok5N7b2K9x4M1c8V3z6",
    "jwt": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlX29mX3Rva2Vu",
}


def test_no_credential_of_the_traffic_is_written_or_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, recording = recorded_probes(faults=("cost-mismatch", "key-suffix-ignored"))
    exchange, started = next(
        (e, s) for e, s in recording if e.status == 200 and e.operation.endswith("{call_id}")
    )
    headers = (
        *exchange.request.headers,
        ("Cookie", f"session={SECRETS['cookie']}; theme=dark"),
        ("X-Api-Key", SECRETS["api key header"]),
        ("X-Forwarded-Token", SECRETS["jwt"]),
    )
    url = f"{exchange.url}?access_token={SECRETS['query token']}"
    echoed = exchange.body.replace(
        b'"agent_name":', f'"agent_name_echo":"{DEMO.api_key}","agent_name":'.encode()
    )
    noisy = Exchange(
        request_from_url("GET", url, headers),
        exchange.status,
        (*exchange.response_headers, ("Set-Cookie", f"session={SECRETS['cookie']}")),
        echoed,
        url,
    )
    har = write_har([*recording, (noisy, started)], tmp_path / "traffic.har")
    assert run_judge([har], tmp_path / "reports") == ExitCode.VIOLATES
    printed = capsys.readouterr()
    written = [path.read_text(encoding="utf-8") for path in (tmp_path / "reports").iterdir()]
    assert any(FILTERED in text for text in written)
    for name, secret in SECRETS.items():
        for text in [printed.out, printed.err, *written]:
            assert secret not in text, f"the {name} was written"
    evidence = json.loads((tmp_path / "reports" / "evidence.har").read_text())
    for entry in evidence["log"]["entries"]:
        for header in entry["request"]["headers"]:
            name = header["name"].lower()
            if name == "authorization":  # its form stays, for replay: "Bearer [Filtered]"
                assert header["value"] in (FILTERED, f"Bearer {FILTERED}")
            elif name in ("cookie", "x-api-key"):
                assert header["value"] == FILTERED


# ---- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("not json at all\n", "line 1 is not JSON"),
        (
            '{"request": {"method": "GET"}, "response": {"status": 200}}\n',
            "needs a method and a URL",
        ),
        ('{"log": {"entries": [{"request": 7}]}}', "has no request and response"),
        ('{"log": {"entries": [', "is not a HAR 1.2 file"),
    ],
    ids=["not-json", "no-url", "har-entry", "broken-har"],
)
def test_a_bad_recording_is_one_line_and_exit_2(
    content: str, said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "recording"
    path.write_text(content)
    assert run_judge([path], tmp_path / "reports") == ExitCode.COULD_NOT_RUN
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("judge: ") and said in err, err


def test_an_empty_recording_could_not_be_judged(tmp_path: Path) -> None:
    path = tmp_path / "empty.ndjson"
    path.write_text("\n")
    assert run_judge([path], tmp_path / "reports") == ExitCode.COULD_NOT_RUN


# ---- the state's bounds ----------------------------------------------------------------------


def test_bounded_state_forgets_the_least_recently_used() -> None:
    kept: Bounded[int, int] = Bounded(3)
    for number in range(5):
        kept.put(number, number)
    assert len(kept) == 3 and kept.get(0) is None and kept.get(4) == 4


def test_pages_waiting_for_records_are_judged_when_pushed_out() -> None:
    _, recording = recorded_probes(faults=("summary-mismatch",))
    pages = [(e, s) for e, s in recording if e.operation == "GET /v2/calls" and e.status == 200]
    records = [(e, s) for e, s in recording if e.operation != "GET /v2/calls"]
    # Pages first, far more than wait at once, then the records fetched after every page.
    many = pages * (MAX_PENDING_PAGES // len(pages) + 2)
    results = judged([*many, *records])
    assert results.passes["list_page_consistent"] + results.failures["list_page_consistent"] == len(
        many
    )


@pytest.mark.parametrize(
    ("second", "kind"), [((9, 10, 11), "overlap"), ((99, 11, 12), "gap")], ids=["overlap", "gap"]
)
def test_overlapping_pages_must_agree_where_they_meet(second: tuple[int, ...], kind: str) -> None:
    from contract_tests.checks.failures import PagesDoNotTile
    from contract_tests.traffic.state import _agree

    first = SeenPage(1, 0, 10, 50, tuple(range(1, 11)))
    with pytest.raises(PagesDoNotTile) as raised:
        _agree(first, SeenPage(2, 9, 10, 50, second))
    assert raised.value.kind == kind
    _agree(first, SeenPage(3, 9, 10, 50, (10, 11, 12)))  # the walk sync_all makes: fine


# ---- the stream and its workers --------------------------------------------------------------


def test_worker_processes_judge_as_one_process_does(tmp_path: Path) -> None:
    from contract_tests.traffic.stream import judge_files
    from scripts.benchmarks.traffic import write_recording

    path = tmp_path / "recording.ndjson"
    exchanges = write_recording(path, 0.3, DEMO.api_key)  # a client session, repeated
    one, two = (
        judge_files([path], api_key=None, foreign_ids=frozenset(), workers=workers, progress=False)
        for workers in (1, 2)
    )
    assert one.results.total_requests == two.results.total_requests == exchanges
    assert one.results.passes == two.results.passes and not two.results.failures
    assert one.exit_code == two.exit_code == ExitCode.CONFORMS
