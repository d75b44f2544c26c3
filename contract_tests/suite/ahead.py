"""The known calls, fetched ahead while the suite's process starts.

The suite's process spends ~0.6 s importing pytest, Schemathesis and Hypothesis before its
first test can send anything. The first test fetches the plan's known calls by id, and those
requests need none of that: a thread sends them as soon as the plan arrives, and the test
judges the answers with every check, like any other (suite/session.py: `SuiteRun.send`).

It keeps to the run's rules on the wire:
- exactly the requests the first test would send (same URL and headers, but Schemathesis'
  test case id), one at a time, at most the run's rate, never following a redirect;
- nothing else is sent while it runs: the run's transport stops it before its own first
  request (`finish`), and under a rate cap waits a whole second after the last request sent
  ahead, so no second holds more requests than the cap;
- it stops at the first answer it cannot hand over as it is (a 429, which the transport
  waits out; an event stream; any error): that request is sent again by the transport, and
  judged there. The answers held are bounded (MAX_HELD_BYTES).

Answers never handed over (the run stopped first) were sent but are not judged.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from contract_tests.run.plan import ENV_API_KEY, RunPlan

if TYPE_CHECKING:
    import pytest
    import requests

MAX_HELD_BYTES = 16_000_000  # answers waiting for the test: enough for ~100 long transcripts
RATE_WINDOW_SECONDS = 1.0  # Schemathesis' limiter counts requests per sliding second


@dataclass(frozen=True)
class Answer:
    response: requests.Response
    received_at: datetime


class FetchAhead:
    """The thread, and what the suite asks of it. suite/launch.py hands it to pytest as a
    plugin object; `of(config)` finds it (None when the process was not started that way)."""

    def __init__(self) -> None:
        self._answers: dict[str, Answer] = {}  # by call id, as the path parameter's text
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._fetch, name="fetch-ahead", daemon=True)
        self._rate_limit: str | None = None
        self._last_sent: float | None = None  # time.monotonic() as the request left
        self._last_done: float | None = None  # and once it was answered (or failed)
        self._finished = False

    @classmethod
    def start(cls) -> FetchAhead:
        ahead = cls()
        ahead._thread.start()
        return ahead

    # ---- the pytest side ----

    @staticmethod
    def of(config: pytest.Config) -> FetchAhead | None:
        plugins = config.pluginmanager.get_plugins()
        return next((plugin for plugin in plugins if isinstance(plugin, FetchAhead)), None)

    def take(self, call_id: str) -> Answer | None:
        """The answer fetched ahead for known call `call_id`, if it is here (the request in
        flight, if any, is waited for); None once finished. The suite asks only for the
        requests that were fetched ahead (suite/session.py)."""
        if self._finished:
            return None
        with self._lock:
            answer = self._answers.pop(call_id, None)
        if answer is None and self.fetching:
            self._stop_thread()
            with self._lock:
                answer = self._answers.pop(call_id, None)
        return answer

    @property
    def fetching(self) -> bool:
        return self._thread.is_alive()

    def finish(self) -> None:
        """Stop fetching ahead and drop what was not handed over; under a rate cap, wait
        until the last request sent ahead has left the limiter's window. Idempotent."""
        if self._finished:
            return
        self._finished = True
        self._stop_thread()
        with self._lock:
            self._answers.clear()
        if self._rate_limit and self._last_done is not None:
            # From its answer: by then the request has reached the server, however slowly.
            time.sleep(max(0.0, self._last_done + RATE_WINDOW_SECONDS - time.monotonic()))

    def _stop_thread(self) -> None:
        self._stop.set()
        self._thread.join()

    # ---- the thread ----

    def _fetch(self) -> None:
        try:
            # What the main thread would import later anyway, while the plan is not here.
            from contract_tests.checks.exchange import Request
            from contract_tests.spec import GET_CALL
            from contract_tests.suite.probes import known_calls

            plan = RunPlan.from_env()  # waits for the runner to write it
            key = os.environ.get(ENV_API_KEY)
            self._rate_limit = plan.rate_limit
            paths = {
                str(call_id): Request(GET_CALL, {"call_id": str(call_id)}).path
                for call_id in known_calls(plan.call_ids)
            }
            if key:
                self._fetch_each(plan, key, paths)
        except Exception:  # the suite meets the same problem, and reports it
            return

    def _fetch_each(self, plan: RunPlan, key: str, paths: dict[str, str]) -> None:
        """Each known call (`paths`: by id, in the test's order), until stopped."""
        import requests

        interval = plan.seconds_between_requests
        # requests' own headers and the key: what the run's transport sends on this session
        # (tests/test_fetch_ahead.py compares them)
        headers = {"Authorization": f"Bearer {key}"}
        held = 0
        with requests.Session() as session:
            for call_id, path in paths.items():
                if self._last_sent is not None and self._stop.wait(
                    max(0.0, self._last_sent + interval - time.monotonic())
                ):
                    return
                if self._stop.is_set() or held > MAX_HELD_BYTES:
                    return
                self._last_sent = time.monotonic()
                try:
                    response = session.get(
                        plan.base_url.rstrip("/") + path,
                        headers=headers,
                        timeout=plan.timeout,
                        allow_redirects=False,
                        stream=True,
                    )
                finally:
                    self._last_done = time.monotonic()
                if not _as_it_is(response):
                    response.close()
                    return
                response.content  # noqa: B018 - read here, as Schemathesis' transport does
                with self._lock:
                    self._answers[call_id] = Answer(response, datetime.now(UTC))
                held += len(response.content)


def _as_it_is(response: Any) -> bool:
    """An answer the transport would hand to the checks unchanged: not a 429 (it waits those
    out) nor an event stream (it reads those for at most the timeout)."""
    content_type = response.headers.get("Content-Type", "")
    return response.status_code != 429 and "text/event-stream" not in content_type
