"""Rate: the run keeps to --rate-limit, and waits out a server's 429s as Retry-After asks.

The cap is Schemathesis' limiter (pyrate_limiter), applied in its transport around every
request it sends: generated cases, its auth probes, the stateful run, and the suite's own
follow-up fetches (they go through `Case.call` too). The server below timestamps arrivals,
so the cap is measured where it matters, on the server.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from typing import Any

import pytest
from safety_servers import AsgiServer, ContractRun, Recorder, run_contract

from contract_tests.reference_server import DEMO, create_app

# One worker for the whole module (--dist loadgroup): its module-scoped run is made once,
# not once on each worker.
pytestmark = [pytest.mark.timeout(120), pytest.mark.xdist_group("safety_rate")]

RATE = 10
# One request over the cap is allowed: the preflight (one listCalls before the suite starts,
# not through Schemathesis). No allowance for timing jitter is needed: the limiter is a
# sliding window at the client, and arrivals at the server keep the same order and spacing
# within a few milliseconds, far below the 100 ms between requests at 10/s.
TOLERANCE = 1
TRAFFIC_SECONDS = 12.0  # stopped after this: enough for every kind of request to have started
REFUSED_REQUESTS = 9  # the quirk answers every third of these 429 (3 waits of 1 s)
GET_CALL_PATH = re.compile(r"/v2/calls/\d+")


def busiest_second(times: list[float]) -> int:
    """The most arrivals within any one-second sliding window."""
    most, start = 0, 0
    for end, arrived in enumerate(times):
        while arrived - times[start] >= 1.0:
            start += 1
        most = max(most, end - start + 1)
    return most


def longest_fetch_burst(recorder: Recorder) -> list[float]:
    """Arrival times of the longest run of getCall requests straight after a listCalls: the
    suite fetching the listed calls by id (invariant 10)."""
    longest: list[float] = []
    current: list[float] | None = None
    for (_, path), arrived in zip(recorder.seen, recorder.times, strict=True):
        if path == "/v2/calls":
            current = []
        elif current is not None and GET_CALL_PATH.fullmatch(path):
            current.append(arrived)
            longest = max(longest, current, key=len)
        else:
            current = None
    return longest


@pytest.fixture(scope="module")
def capped_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[ContractRun, Recorder]:
    recorder = Recorder(create_app())
    scratch = tmp_path_factory.mktemp("rate")
    with AsgiServer(recorder) as server:
        run = run_contract(
            server.base_url,
            DEMO.api_key,
            scratch,
            "--rate-limit",
            f"{RATE}/s",
            "--max-examples",
            "5",
            stop_after=TRAFFIC_SECONDS,
        )
    return run, recorder


def test_no_second_sees_more_than_the_cap(capped_run: tuple[ContractRun, Recorder]) -> None:
    _, recorder = capped_run
    assert len(recorder.times) >= 3 * RATE, "too little traffic to measure a cap"
    assert busiest_second(recorder.times) <= RATE + TOLERANCE


def test_the_suites_follow_up_fetches_are_capped_too(
    capped_run: tuple[ContractRun, Recorder],
) -> None:
    """Each 200 listCalls page makes the suite fetch its first calls by id. Had those fetches
    bypassed the limiter, they would all land within milliseconds; capped, request RATE + 1
    of the run waits for the window to move on."""
    _, recorder = capped_run
    burst = longest_fetch_burst(recorder)
    assert len(burst) > RATE, "no follow-up fetches seen"
    assert burst[RATE] - burst[0] >= 0.9


class RefuseFirst:
    """The reference server's `rate-limited` quirk for the first `count` requests (every third
    is 429 with Retry-After: 1), then the clean reference server: a short run still meets it."""

    def __init__(self, count: int) -> None:
        self.limited = create_app(quirks=("rate-limited",))
        self.clean = create_app()
        self.remaining = count
        self.statuses: list[int] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.clean(scope, receive, send)
            return
        app = self.limited if self.remaining > 0 else self.clean
        self.remaining -= 1

        async def noting_status(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                self.statuses.append(message["status"])
            await send(message)

        await app(scope, receive, noting_status)


@pytest.fixture(scope="module")
def refused_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[ContractRun, RefuseFirst]:
    server_app = RefuseFirst(REFUSED_REQUESTS)
    scratch = tmp_path_factory.mktemp("refused")
    with AsgiServer(server_app) as server:
        run = run_contract(
            server.base_url,
            DEMO.api_key,
            scratch,
            "--rate-limit",
            "1000/s",
            "--max-examples",
            "1",
            timeout=60,
        )
    return run, server_app


def waits_reported(stdout: str) -> tuple[int, int]:
    match = re.search(
        r"rate limited +(\d+) 429s waited out \((\d+)s, as Retry-After asked\)", stdout
    )
    assert match, stdout
    return int(match.group(1)), int(match.group(2))


def test_429s_are_waited_out_and_are_no_violation(
    refused_run: tuple[ContractRun, RefuseFirst],
) -> None:
    run, server_app = refused_run
    assert server_app.statuses.count(429) == REFUSED_REQUESTS // 3
    assert run.exit_code == 0, run.output
    assert "Traceback" not in run.output


def test_the_run_waited_as_told_and_says_so(refused_run: tuple[ContractRun, RefuseFirst]) -> None:
    run, server_app = refused_run
    waits, seconds = waits_reported(run.stdout)
    # Each wait is the Retry-After of 1 s; a 429 to one of Schemathesis' auth probes is not
    # retried (they bypass the suite's session), so there may be fewer waits than 429s.
    assert 1 <= waits <= server_app.statuses.count(429)
    assert seconds == waits
    assert run.seconds >= waits
