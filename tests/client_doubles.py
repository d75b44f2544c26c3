"""Test doubles for the generated client's tests: scripted answers for httpx.MockTransport."""

from __future__ import annotations

import time

import httpx

Answer = httpx.Response | Exception


class Script:
    """Answers each request with the next scripted answer (the last one repeats) and keeps the
    time each request came in."""

    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers)
        self.times: list[float] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.times.append(time.monotonic())
        answer = self.answers[min(len(self.times), len(self.answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)

    @property
    def requests(self) -> int:
        return len(self.times)
