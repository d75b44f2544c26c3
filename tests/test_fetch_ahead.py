"""The known calls fetched ahead while the suite's process starts (contract_tests/suite/ahead.py).

In-process: a `FetchAhead` waits for a plan file as in a run, fetches from a recording
reference server, and hands its answers to a `SuiteRun` exactly as if the suite had sent them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from safety_servers import AsgiServer, Recorder

from contract_tests.checks.exchange import Request
from contract_tests.reference_server import DEMO, create_app
from contract_tests.run.plan import ENV_API_KEY, ENV_PLAN, ENV_PLAN_FILE, RunPlan
from contract_tests.spec import GET_CALL, LIST_CALLS
from contract_tests.suite import probes
from contract_tests.suite.ahead import MAX_FETCHED_AHEAD, RATE_WINDOW_SECONDS, FetchAhead
from contract_tests.suite.session import SuiteRun

KNOWN = DEMO.listed_call_ids[:6]
WAIT_SECONDS = 10.0


def get_call(call_id: int, key: str = DEMO.api_key) -> Request:
    return Request(
        GET_CALL, {"call_id": str(call_id)}, headers=(("Authorization", f"Bearer {key}"),)
    )


def plan_for(base_url: str, folder: Path, **changes: Any) -> RunPlan:
    plan = RunPlan(
        base_url=base_url,
        call_ids=KNOWN,
        foreign_call_ids=DEMO.foreign_call_ids,
        max_examples=1,
        seed=1,
        rate_limit=None,
        timeout=10.0,
        parts_dir=str(folder),
    )
    return replace(plan, **changes)


def wait_for(condition: Any, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.01)


class TooManyOnThird:
    """The reference server, answering its third request 429 (with Retry-After)."""

    def __init__(self, app: Any) -> None:
        self.app, self.count = app, 0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.count += 1
            if self.count == 3:
                headers = [(b"retry-after", b"1"), (b"content-length", b"0")]
                await send({"type": "http.response.start", "status": 429, "headers": headers})
                await send({"type": "http.response.body", "body": b""})
                return
        await self.app(scope, receive, send)


@pytest.fixture
def handover(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """The environment of a suite process waiting for its plan; yields where the plan goes."""
    plan_file = tmp_path / "plan.json"
    monkeypatch.setenv(ENV_PLAN, "")  # restored after the test: from_env sets it
    monkeypatch.setenv(ENV_PLAN_FILE, str(plan_file))
    monkeypatch.setenv(ENV_API_KEY, DEMO.api_key)
    yield plan_file


def test_the_known_calls_go_out_once_the_plan_is_there_and_are_handed_over(
    handover: Path, tmp_path: Path
) -> None:
    recorder = Recorder(create_app())
    with AsgiServer(recorder) as server:
        ahead = FetchAhead.start()
        time.sleep(0.05)
        assert recorder.seen == [], "nothing is sent before the plan"
        plan_for(server.base_url, tmp_path).write(handover)
        wait_for(lambda: len(recorder.seen) == len(KNOWN), "the known calls")
        assert recorder.seen == [("GET", f"/v2/calls/{call_id}") for call_id in KNOWN]

        # Only the known-call fetches with the run's key are answered from what was fetched.
        assert ahead.take(Request(LIST_CALLS, headers=get_call(1).headers), GET_CALL) is None
        assert ahead.take(get_call(KNOWN[0], key=DEMO.other_api_key), GET_CALL) is None
        for call_id in KNOWN:
            answer = ahead.take(get_call(call_id), GET_CALL)
            assert answer is not None
            assert answer.response.status_code == 200
            assert answer.response.json()["id"] == call_id
        assert ahead.take(get_call(KNOWN[0]), GET_CALL) is None, "each answer is handed over once"
        ahead.finish()
        assert len(recorder.seen) == len(KNOWN), "nothing went out twice"


def test_a_suite_run_judges_an_answer_fetched_ahead_as_one_it_sent(
    handover: Path, tmp_path: Path
) -> None:
    """The exchange built from an answer fetched ahead equals the one the run's transport
    gets for the same request: same URL, headers and answer, counted the same."""
    recorder = Recorder(create_app())
    with AsgiServer(recorder) as server:
        ahead = FetchAhead.start()
        plan = plan_for(server.base_url, tmp_path)
        plan.write(handover)
        wait_for(lambda: len(recorder.seen) == len(KNOWN), "the known calls")
        run = SuiteRun.start(plan, DEMO.api_key, ahead)
        fetched = run.send(get_call(KNOWN[0]))
        assert len(recorder.seen) == len(KNOWN), "the answer came from what was fetched ahead"
        run.transport.stop_fetching_ahead()
        sent = run.send(get_call(KNOWN[0]))
        assert len(recorder.seen) == len(KNOWN) + 1, "after it stopped, the run sends itself"

    assert fetched.url == sent.url == f"{server.base_url}/v2/calls/{KNOWN[0]}"
    case_id = "X-Schemathesis-TestCaseId"  # each case's own: the one header that differs
    assert fetched.request.headers == tuple(h for h in sent.request.headers if h[0] != case_id)
    assert (fetched.status, fetched.decoded) == (sent.status, sent.decoded)
    assert fetched.request.path_parameters == sent.request.path_parameters
    assert run.results.requests[f"{GET_CALL} 200"] == 2
    assert run.results.positive_requests[200] == 2
    assert fetched.received_at is not None and sent.received_at is not None
    assert fetched.received_at < sent.received_at


def test_a_request_not_yet_fetched_stops_the_fetching(handover: Path, tmp_path: Path) -> None:
    recorder = Recorder(create_app())
    with AsgiServer(recorder) as server:
        ahead = FetchAhead.start()
        # 1 a minute: the suite asks for the second call before it could be fetched.
        plan_for(server.base_url, tmp_path, rate_limit="1/m").write(handover)
        wait_for(lambda: len(recorder.seen) == 1, "the first known call")
        assert ahead.take(get_call(KNOWN[1]), GET_CALL) is None
        assert not ahead.fetching, "it stopped: the suite sends the rest itself"
        assert len(recorder.seen) == 1


def test_under_a_rate_cap_nothing_follows_within_the_limiters_window(
    handover: Path, tmp_path: Path
) -> None:
    recorder = Recorder(create_app())
    with AsgiServer(recorder) as server:
        ahead = FetchAhead.start()
        plan_for(server.base_url, tmp_path, rate_limit="20/s").write(handover)
        wait_for(lambda: len(recorder.seen) >= 5, "five known calls")
        ahead.finish()
        finished = time.monotonic()
        arrivals = list(recorder.times)
    # Paced at the cap: measured over all but the first (which also opened the connection),
    # so one late arrival does not decide it.
    assert arrivals[-1] - arrivals[1] >= (len(arrivals) - 2) / 20 - 0.03
    # The run's limiter counts only its own requests: it may send once none of these is
    # within its last second.
    assert finished - arrivals[-1] >= RATE_WINDOW_SECONDS - 0.01


def test_a_429_is_not_handed_over_and_ends_the_fetching(handover: Path, tmp_path: Path) -> None:
    server_app = TooManyOnThird(create_app())
    with AsgiServer(server_app) as server:
        ahead = FetchAhead.start()
        plan_for(server.base_url, tmp_path).write(handover)
        wait_for(lambda: server_app.count >= 3, "three requests")
        assert ahead.take(get_call(KNOWN[0]), GET_CALL) is not None
        assert ahead.take(get_call(KNOWN[1]), GET_CALL) is not None
        # The 429 is the transport's to wait out: it sends that request again.
        assert ahead.take(get_call(KNOWN[2]), GET_CALL) is None
        assert server_app.count == 3, "nothing went out after the 429"


def test_an_unreachable_server_ends_the_fetching_quietly(
    handover: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    ahead = FetchAhead.start()
    plan_for("http://127.0.0.1:9", tmp_path, timeout=1.0).write(handover)
    time.sleep(0.3)
    assert ahead.take(get_call(KNOWN[0]), GET_CALL) is None
    ahead.finish()
    assert capfd.readouterr().err == "", "the suite reports the unreachable server, not this"


def test_it_fetches_no_more_than_the_first_test_would() -> None:
    assert MAX_FETCHED_AHEAD == probes.MAX_KNOWN_CALLS_FETCHED


def test_an_answer_to_another_url_than_the_runs_is_sent_again(
    handover: Path, tmp_path: Path
) -> None:
    recorder = Recorder(create_app())
    with AsgiServer(recorder) as server:
        ahead = FetchAhead.start()
        plan = plan_for(server.base_url, tmp_path)
        plan.write(handover)
        wait_for(lambda: len(recorder.seen) == len(KNOWN), "the known calls")
        run = SuiteRun.start(plan, DEMO.api_key, ahead)
        answer = ahead.take(get_call(KNOWN[0]), GET_CALL)
        assert answer is not None
        answer.response.request.url = f"{server.base_url}/elsewhere/v2/calls/{KNOWN[0]}"
        ahead._answers[str(KNOWN[0])] = answer  # as if fetched from where the run would not
        exchange = run.send(get_call(KNOWN[0]))
        assert len(recorder.seen) == len(KNOWN) + 1, "sent again by the run's transport"
    assert exchange.url == f"{server.base_url}/v2/calls/{KNOWN[0]}"
