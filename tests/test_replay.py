"""Replay of every failure in a HAR (issue 22, item 4), in this process.

The HAR is the kit's own evidence.har, written by the real writer from a suite run of this
process against a faulty reference server (every budget-independent probe, ~1 s), or a HAR
as a browser writes it (Authorization: Bearer <token>, no kit comments). Each is replayed
against the reference server on loopback: fixed, still faulty, faulty every other answer.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from traffic_recordings import probed

from contract_tests.checks.credentials import near_misses
from contract_tests.errors import ExitCode
from contract_tests.reference_server import DEMO, EmbeddedServer
from contract_tests.reports.har import write_har
from contract_tests.run import credential_forms
from contract_tests.run.plan import RunPlan
from contract_tests.run.recorded import Recorded
from contract_tests.run.replay import Verdict, replay
from contract_tests.run.runner import RunOutcome
from contract_tests.run.target import Target

RECORDED_FAULTS = ("cost-mismatch", "key-truncation-accepted")


@pytest.fixture(scope="module")
def kit_har(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """evidence.har of a run against RECORDED_FAULTS, as `nox -s contract` writes it."""
    results = probed(faults=RECORDED_FAULTS)
    plan = RunPlan("http://recorded", DEMO.call_ids, DEMO.foreign_call_ids, 1, 1, None, 10, "")
    target = Target(plan.base_url, DEMO.api_key, DEMO.call_ids, DEMO.foreign_call_ids, "embedded")
    outcome = RunOutcome(ExitCode.VIOLATES, results, target, plan, 1.0)
    path = write_har(outcome, tmp_path_factory.mktemp("evidence"))
    assert path is not None
    return path


def entry_of(har: Path, check: str) -> str:
    entries = json.loads(har.read_text("utf-8"))["log"]["entries"]
    for number, entry in enumerate(entries, 1):
        if f": {check} (" in entry["comment"]:
            return str(number)
    raise AssertionError(f"no entry for {check}")


@pytest.fixture(scope="module")
def faulty() -> Iterator[str]:
    with EmbeddedServer(faults=RECORDED_FAULTS) as server:
        yield server.base_url


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("THINNESTAI_API_KEY", DEMO.api_key)
    return DEMO.api_key


def verdicts(verdict: Verdict) -> list[str]:
    """The verdict column of each row of the table."""
    rows = [line for line in verdict.lines if line[:5].strip().isdigit()]
    return [line.split("  ")[-2].strip() if "  " in line else "" for line in rows]


def text(verdict: Verdict) -> str:
    return "\n".join(verdict.lines)


def test_a_real_fix_is_fixed(kit_har: Path) -> None:
    """Recorded against the faults, replayed against a fresh (clean) embedded server."""
    verdict = replay([str(kit_har), "--times", "2"])
    assert verdict.exit_code == ExitCode.CONFORMS, text(verdict)
    assert "FIXED: every failure passes now" in verdict.lines[-1]
    assert "cost_adds_up" in text(verdict) and "key_cut_short_refused" in text(verdict)
    assert "STILL FAILING" not in text(verdict) and "NOT COMPARABLE" not in text(verdict)


def test_a_fault_still_there_is_still_failing(kit_har: Path, faulty: str, key: str) -> None:
    verdict = replay([str(kit_har), "--base-url", faulty])
    assert verdict.exit_code == ExitCode.VIOLATES, text(verdict)
    rows = [line for line in verdict.lines if "STILL FAILING" in line]
    # The near-miss is rebuilt from the key by its form, not sent as the key or [Filtered].
    assert any("cost_adds_up" in row for row in rows) and any("key_cut_short" in r for r in rows)
    assert "FIXED" not in text(verdict) and "3 of 3 failed" in text(verdict)


def test_an_intermittent_fault_is_flaky(kit_har: Path, key: str) -> None:
    """Every other getCall answer of this server is faulty: pass, fail, pass."""
    with EmbeddedServer(faults=("cost-mismatch-every-other",)) as server:
        entry = entry_of(kit_har, "cost_adds_up")
        verdict = replay([str(kit_har), "--entry", entry, "--base-url", server.base_url])
    assert verdict.exit_code == ExitCode.VIOLATES, text(verdict)
    assert "FLAKY" in text(verdict) and "1 of 3 failed" in text(verdict)


def browser_har(base_url: str, entries: list[tuple[str, str, int | None]]) -> dict[str, Any]:
    """A HAR as a browser exports it: (path, Authorization, recorded status or None to record
    what the server answers the key now), no comments, the token as the page sent it."""
    records = []
    for path, authorization, status in entries:
        answer = httpx.get(f"{base_url}{path}", headers={"Authorization": f"Bearer {DEMO.api_key}"})
        records.append(
            {
                "startedDateTime": datetime.now(UTC).isoformat(),
                "time": 12.5,
                "request": {
                    "method": "GET",
                    "url": f"{base_url}{path}",
                    "httpVersion": "HTTP/1.1",
                    "cookies": [],
                    "headers": [
                        {"name": "Accept", "value": "application/json"},
                        {"name": "Authorization", "value": authorization},
                        {"name": "Cookie", "value": "session=abc"},
                    ],
                    "queryString": [],
                    "headersSize": -1,
                    "bodySize": 0,
                },
                "response": {
                    "status": status or answer.status_code,
                    "statusText": "",
                    "httpVersion": "HTTP/1.1",
                    "cookies": [],
                    "headers": [{"name": k, "value": v} for k, v in answer.headers.items()],
                    "content": {
                        "size": len(answer.content),
                        "mimeType": "application/json",
                        "text": answer.text,
                    },
                    "redirectURL": "",
                    "headersSize": -1,
                    "bodySize": len(answer.content),
                },
                "cache": {},
                "timings": {"send": 0, "wait": 12.5, "receive": 0},
            }
        )
    return {
        "log": {
            "version": "1.2",
            "creator": {"name": "Firefox", "version": "140"},
            "entries": records,
        }
    }


def write(tmp_path: Path, document: dict[str, Any]) -> str:
    path = tmp_path / "browser.har"
    path.write_text(json.dumps(document), "utf-8")
    return str(path)


def test_a_browser_har_against_the_still_faulty_server_is_still_failing(
    tmp_path: Path, faulty: str, key: str
) -> None:
    """The issue's case: Bearer [Filtered] and a raw token of another session, no comments;
    replay once sent [Filtered] as the key, got 401 and called it a pass."""
    call = DEMO.call_ids[0]
    har = browser_har(
        faulty,
        [
            (f"/v2/calls/{call}", "Bearer [Filtered]", None),
            (f"/v2/calls/{call}", "Bearer eyJhbGciOiJIUzI1NiJ9.c2Vzc2lvbg.sig", None),
            ("/v2/calls", "Bearer [Filtered]", None),  # a clean page: no failure recorded
        ],
    )
    har["log"]["entries"].append(
        {
            **har["log"]["entries"][0],
            "request": {**har["log"]["entries"][0]["request"], "url": f"{faulty}/favicon.ico"},
        }
    )
    verdict = replay([write(tmp_path, har), "--base-url", faulty])
    assert verdict.exit_code == ExitCode.VIOLATES, text(verdict)
    rows = [line for line in verdict.lines if "cost_adds_up" in line]
    assert len(rows) == 2 and all("STILL FAILING" in row for row in rows), text(verdict)
    assert "PASS" not in text(verdict) and "FIXED" not in text(verdict)
    assert "1 entry recorded no failure" in text(verdict)
    assert "1 entry named no operation of the spec" in text(verdict)
    assert "eyJhbGciOiJIUzI1NiJ9" not in text(verdict)


def test_a_recorded_200_refused_on_replay_is_not_comparable(
    tmp_path: Path, faulty: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another account's key: the recorded 200 is 403 now. Never a pass: exit 2, and why."""
    monkeypatch.setenv("THINNESTAI_API_KEY", DEMO.other_api_key)
    har = browser_har(faulty, [(f"/v2/calls/{DEMO.call_ids[0]}", "Bearer [Filtered]", None)])
    verdict = replay([write(tmp_path, har), "--base-url", faulty])
    assert verdict.exit_code == ExitCode.COULD_NOT_RUN, text(verdict)
    assert verdict.lines[-1].startswith("NOT COMPARABLE: entry 1: recorded 200, replayed 403")
    assert "THINNESTAI_API_KEY" in verdict.lines[-1]


def test_a_recorded_401_accepted_with_the_key_is_not_comparable(
    tmp_path: Path, faulty: str, key: str
) -> None:
    """A refused token of unknown form (recorded 401) is not the key: a 200 now proves nothing."""
    har = browser_har(faulty, [("/v2/calls", "Bearer expired-token-0001", 401)])
    har["log"]["entries"][0]["response"]["headers"] = []  # no WWW-Authenticate: a failure
    verdict = replay([write(tmp_path, har), "--base-url", faulty, "--times", "1"])
    assert verdict.exit_code == ExitCode.COULD_NOT_RUN, text(verdict)
    assert "recorded 401, replayed 200 with the key" in verdict.lines[-1]


def recorded(
    authorization: tuple[str, ...] = (), query: tuple[tuple[str, str], ...] = (), check: str = ""
) -> Recorded:
    return Recorded(
        1,
        "GET",
        "http://h/v2/calls",
        "/v2/calls",
        query,
        (),
        authorization,
        "",
        200,
        "",
        (),
        b"",
        None,
        0.0,
        check,
    )


MISSES = {miss.check: miss for miss in near_misses(DEMO.api_key)}


@pytest.mark.parametrize(
    ("authorization", "query", "check", "kind"),
    [
        (("Bearer [Filtered]",), (), "", credential_forms.KEY),
        (("Bearer some-other-session-token",), (), "", credential_forms.KEY),
        (("Bearer [Filtered]",), (), "key_cut_short_refused", "key_cut_short_refused"),
        (("Bearer [Filtered:key_with_suffix_refused]",), (), "", "key_with_suffix_refused"),
        (MISSES["key_in_other_case_refused"].authorization, (), "", "key_in_other_case_refused"),
        (("Basic [Filtered]",), (), "", "key_under_basic_scheme_refused"),
        (("Token [Filtered]",), (), "", "key_under_token_scheme_refused"),
        (("Bearer [Filtered] [Filtered]",), (), "", "key_split_by_whitespace_refused"),
        (("[Filtered]",), (), "", "key_without_scheme_refused"),
        (("Bearer [Filtered]", "Bearer [Filtered]"), (), "", "two_authorization_headers_refused"),
        ((), (("api_key", "[Filtered]"),), "", "key_in_query_string_refused"),
        ((), (), "", credential_forms.NONE),
        (("Digest [Filtered]",), (), "", credential_forms.OTHER),
    ],
)
def test_a_credential_is_restored_by_its_form(
    authorization: tuple[str, ...], query: tuple[tuple[str, str], ...], check: str, kind: str
) -> None:
    credential = credential_forms.restore(recorded(authorization, query, check), DEMO.api_key)
    assert credential.kind == kind
    if kind in MISSES:
        assert credential.authorization == MISSES[kind].authorization
        assert credential.query == MISSES[kind].query


def test_bad_times_is_one_line() -> None:
    from contract_tests.run.settings import ConfigError

    with pytest.raises(ConfigError, match="--times 0"):
        replay(["x.har", "--times", "0"])
