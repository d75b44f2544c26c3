"""What a check may know beyond the exchange it judges, handed to it explicitly.

Any source of exchanges builds one: the suite from its run plan, a replay from the HAR and
the environment, a test from the server it drives. A check reads nothing else: no module
state, no environment variable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from contract_tests.checks.exchange import Exchange, Request, Sender

CallAnswer = tuple[int, Mapping[str, Any] | None]  # (status, the record when it is a 200 of it)


class Observations(Protocol):
    """Where a check says which state of its clause it judged (the coverage section)."""

    def saw_state(self, check: str, state: str) -> None: ...


class Unobserved:
    """Observations nobody reads (a one-off judgement)."""

    def saw_state(self, check: str, state: str) -> None:
        return None


class Fetcher:
    """Follow-up requests a check makes: a call by id with the context's key (once per
    fetcher unless asked fresh: a live call may have moved on), and a request sent again."""

    def __init__(self, send: Sender, api_key: str, get_call: str) -> None:
        self._send = send
        self._authorization = f"Bearer {api_key}"
        self._get_call = get_call
        self._answers: dict[int, CallAnswer] = {}

    def call(self, call_id: int, *, fresh: bool = False) -> CallAnswer:
        if fresh or call_id not in self._answers:
            request = Request(
                self._get_call,
                {"call_id": str(call_id)},
                headers=(("Authorization", self._authorization),),
            )
            exchange = self._send(request)
            body = exchange.json_object(self._get_call)
            # Another call's record is no record of this one (record_is_the_call_asked_for).
            record = body if body is not None and body.get("id") == call_id else None
            self._answers[call_id] = (exchange.status, record)
        return self._answers[call_id]

    def record(self, call_id: int) -> Mapping[str, Any] | None:
        return self.call(call_id)[1]

    def again(self, exchange: Exchange) -> Exchange:
        """The same request sent again, credentials and all."""
        return self._send(exchange.request)


@dataclass(frozen=True)
class CheckContext:
    """The run's key (to tell its own requests from probes with other credentials), the
    other account's call ids (tenancy), a fetcher for follow-ups (None: the checks that need
    one judge only what the exchange alone shows) and where coverage is observed."""

    api_key: str
    foreign_ids: frozenset[int] = frozenset()
    fetcher: Fetcher | None = None
    observations: Observations = field(default_factory=Unobserved)

    def sent_with_key(self, exchange: Exchange) -> bool:
        return exchange.request.header("Authorization") == f"Bearer {self.api_key}"
