"""The known calls fetched ahead while the suite's process starts (contract_tests/suite/ahead.py).

In-process: a `FetchAhead` waits for a plan file as in a run, fetches from a recording
reference server, and hands its answers to a `SuiteRun` exactly as if the suite had sent them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from safety_servers import AsgiServer, Recorder

from contract_tests.checks.exchange import Request
from contract_tests.reference_server import DEMO, create_app
from contract_tests.run.plan import ENV_API_KEY, ENV_PLAN, ENV_PLAN_FILE, RunPlan
from contract_tests.spec import GET_CALL, LIST_CALLS
from contract_tests.suite.ahead import RATE_WINDOW_SECONDS, FetchAhead
from contract_tests.suite.session import SuiteRun

KNOWN = DEMO.listed_call_ids[:6]
WAIT_SECONDS = 10.0


def get_call(call_id: int, key: str = DEMO.api_key) -> Request:
    return Request(
        GET_CALL, {"call_id": str(call_id)}, headers=(("Authorization", f"Bearer {key}"),)
    )


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.01)


class TooManyOnThird:
    """An ASGI app that answers its third request 429 (with Retry-After)."""

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


@dataclass
class Fetching:
    server: AsgiServer
    recorder: Recorder
    ahead: FetchAhead
    plan: RunPlan

    def sent(self) -> int:
        return len(self.recorder.seen)

    def suite_run(self) -> SuiteRun:
        return SuiteRun.start(self.plan, DEMO.api_key, self.ahead)


@pytest.fixture
def fetching(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[..., Any]:
    """`with fetching(app=..., **plan changes) as it:` a FetchAhead started as in a suite
    process, the plan handed over, against a recording server on `app` (the reference
    server by default)."""
    plan_file = tmp_path / "plan.json"
    monkeypatch.setenv(ENV_PLAN, "")  # restored after the test: from_env sets it
    monkeypatch.setenv(ENV_PLAN_FILE, str(plan_file))
    monkeypatch.setenv(ENV_API_KEY, DEMO.api_key)

    @contextmanager
    def start(app: Any = None, **changes: Any) -> Iterator[Fetching]:
        recorder = Recorder(app or create_app())
        with AsgiServer(recorder) as server:
            ahead = FetchAhead.start()
            time.sleep(0.05)
            assert recorder.seen == [], "nothing is sent before the plan"
            plan = RunPlan(
                base_url=server.base_url,
                call_ids=KNOWN,
                foreign_call_ids=DEMO.foreign_call_ids,
                max_examples=1,
                seed=1,
                rate_limit=None,
                timeout=10.0,
                parts_dir=str(tmp_path),
            )
            plan = replace(plan, **changes)
            plan.write(plan_file)
            yield Fetching(server, recorder, ahead, plan)

    return start


def test_the_known_calls_go_out_once_the_plan_is_there_and_are_handed_over(
    fetching: Callable[..., Any],
) -> None:
    with fetching() as it:
        wait_for(lambda: it.sent() == len(KNOWN), "the known calls")
        assert it.recorder.seen == [("GET", f"/v2/calls/{call_id}") for call_id in KNOWN]
        for call_id in KNOWN:
            answer = it.ahead.take(str(call_id))
            assert answer is not None
            assert answer.response.status_code == 200
            assert answer.response.json()["id"] == call_id
        assert it.ahead.take(str(KNOWN[0])) is None, "each answer is handed over once"
        it.ahead.finish()
        assert it.sent() == len(KNOWN), "nothing went out twice"


def test_a_suite_run_judges_an_answer_fetched_ahead_as_one_it_sent(
    fetching: Callable[..., Any],
) -> None:
    """The exchange built from an answer fetched ahead equals the one the run's transport
    gets for the same request: same URL, headers and answer, counted the same."""
    with fetching() as it:
        wait_for(lambda: it.sent() == len(KNOWN), "the known calls")
        run = it.suite_run()
        fetched = run.send(get_call(KNOWN[0]))
        assert it.sent() == len(KNOWN), "the answer came from what was fetched ahead"
        run.transport.stop_fetching_ahead()
        sent = run.send(get_call(KNOWN[0]))
        assert it.sent() == len(KNOWN) + 1, "after it stopped, the run sends itself"

    assert fetched.url == sent.url == f"{it.server.base_url}/v2/calls/{KNOWN[0]}"
    case_id = "X-Schemathesis-TestCaseId"  # each case's own: the one header that differs
    assert fetched.request.headers == tuple(h for h in sent.request.headers if h[0] != case_id)
    assert (fetched.status, fetched.decoded) == (sent.status, sent.decoded)
    assert fetched.request.path_parameters == sent.request.path_parameters
    assert run.results.requests[f"{GET_CALL} 200"] == 2
    assert run.results.positive_requests[200] == 2
    assert fetched.received_at is not None and sent.received_at is not None
    assert fetched.received_at < sent.received_at


@pytest.mark.parametrize(
    "request_",
    [
        get_call(KNOWN[0], key=DEMO.other_api_key),
        Request(LIST_CALLS, headers=get_call(KNOWN[0]).headers),
        Request(GET_CALL, {"call_id": str(KNOWN[0])}, (("limit", "1"),), get_call(1).headers),
    ],
    ids=["another key", "another operation", "with a query"],
)
def test_only_a_known_calls_fetch_is_answered_from_what_was_fetched(
    fetching: Callable[..., Any], request_: Request
) -> None:
    with fetching() as it:
        wait_for(lambda: it.sent() == len(KNOWN), "the known calls")
        it.suite_run().send(request_)
        assert it.sent() == len(KNOWN) + 1, "sent by the run's transport"


def test_a_request_not_yet_fetched_stops_the_fetching(fetching: Callable[..., Any]) -> None:
    # 1 a minute: the suite asks for the second call before it could be fetched.
    with fetching(rate_limit="1/m") as it:
        wait_for(lambda: it.sent() == 1, "the first known call")
        assert it.ahead.take(str(KNOWN[1])) is None
        assert not it.ahead.fetching, "it stopped: the suite sends the rest itself"
        assert it.sent() == 1


def test_under_a_rate_cap_nothing_follows_within_the_limiters_window(
    fetching: Callable[..., Any],
) -> None:
    with fetching(rate_limit="20/s") as it:
        wait_for(lambda: it.sent() >= 5, "five known calls")
        it.ahead.finish()
        finished = time.monotonic()
        arrivals = list(it.recorder.times)
    # Paced at the cap: measured over all but the first (which also opened the connection),
    # so one late arrival does not decide it.
    assert arrivals[-1] - arrivals[1] >= (len(arrivals) - 2) / 20 - 0.03
    # The run's limiter counts only its own requests: it may send once none of these is
    # within its last second.
    assert finished - arrivals[-1] >= RATE_WINDOW_SECONDS - 0.01


def test_a_429_is_not_handed_over_and_ends_the_fetching(fetching: Callable[..., Any]) -> None:
    with fetching(app=TooManyOnThird(create_app())) as it:
        wait_for(lambda: it.sent() >= 3, "three requests")
        assert it.ahead.take(str(KNOWN[0])) is not None
        assert it.ahead.take(str(KNOWN[1])) is not None
        # The 429 is the transport's to wait out: it sends that request again.
        assert it.ahead.take(str(KNOWN[2])) is None
        assert it.sent() == 3, "nothing went out after the 429"


def test_an_unreachable_server_ends_the_fetching_quietly(
    fetching: Callable[..., Any], capfd: pytest.CaptureFixture[str]
) -> None:
    with fetching(base_url="http://127.0.0.1:9", timeout=1.0) as it:
        wait_for(lambda: not it.ahead.fetching, "the fetching to end")
        assert it.ahead.take(str(KNOWN[0])) is None
    assert capfd.readouterr().err == "", "the suite reports the unreachable server, not this"


def test_an_answer_to_another_url_than_the_runs_is_sent_again(
    fetching: Callable[..., Any],
) -> None:
    with fetching() as it:
        wait_for(lambda: it.sent() == len(KNOWN), "the known calls")
        run = it.suite_run()
        answer = it.ahead.take(str(KNOWN[0]))
        assert answer is not None
        answer.response.request.url = f"{it.server.base_url}/elsewhere/v2/calls/{KNOWN[0]}"
        it.ahead._answers[str(KNOWN[0])] = answer  # as if fetched where the run would not go
        exchange = run.send(get_call(KNOWN[0]))
        assert it.sent() == len(KNOWN) + 1, "sent again by the run's transport"
    assert exchange.url == f"{it.server.base_url}/v2/calls/{KNOWN[0]}"
