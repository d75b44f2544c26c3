"""The checks (checks/registry.py) as Schemathesis sees them, and its exchanges as they see them.

Schemathesis runs a check as `check(ctx, response, case)`; ours are `judge(exchange,
context)`. Each adapted check builds the exchange of the response (once for all checks) and
turns our failure into a Schemathesis `Failure` that keeps its identity, so the run's hooks
record it under the same key any other caller of the checks gets.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlsplit

from schemathesis import Case, Response
from schemathesis import CheckContext as SchemathesisContext
from schemathesis.core.failures import Failure

from contract_tests.checks.context import CheckContext
from contract_tests.checks.exchange import Exchange, Request
from contract_tests.checks.failures import ContractFailure
from contract_tests.checks.registry import Breach, Check

SchemathesisCheck = Callable[[SchemathesisContext, Response, Case[Any]], bool | None]


class ClauseBroken(Failure):
    """One of our checks' failures inside Schemathesis: titled with its clause, keyed by its
    identity (not by the line that raised it, nor by its message)."""

    kind_title: ClassVar[str] = "Contract clause broken"
    __slots__ = ("breach",)

    def __init__(self, breach: Breach) -> None:
        super().__init__(
            operation=breach.identity.operation,
            title=f"{breach.identity.clause}: {breach.title}",
            message=breach.message,
        )
        self.breach = breach

    @property
    def _unique_key(self) -> str:
        return self.breach.identity.key


def _text_pairs(items: Any) -> tuple[tuple[str, str], ...]:
    return tuple((str(name), str(value)) for name, value in items)


def exchange_of(
    case: Case[Any], response: Response, received_at: datetime | None = None
) -> Exchange:
    """The exchange a Schemathesis case and its response stand for; `origin` keeps both.
    (Built when the answer is first judged, mostly just after it arrived: `received_at` is
    now unless given.)"""
    url = response.request.url or ""
    request = Request(
        case.operation.label,
        {name: str(value) for name, value in (case.path_parameters or {}).items()},
        tuple(parse_qsl(urlsplit(url).query, keep_blank_values=True)),  # as the server read it
        _text_pairs(response.request.headers.items()),
    )
    return Exchange(
        request=request,
        status=response.status_code,
        response_headers=tuple(
            (name, value) for name, values in response.headers.items() for value in values
        ),
        body=response.content,
        url=url,
        elapsed=response.elapsed,
        origin=(case, response),
        received_at=received_at or datetime.now(UTC),
    )


class Adapter:
    """Our checks for Schemathesis, all bound to one context."""

    def __init__(self, context: CheckContext) -> None:
        self.context = context
        self._last: tuple[Response, Exchange] | None = None

    def exchange(self, case: Case[Any], response: Response) -> Exchange:
        """Built once per response, however many checks judge it."""
        if self._last is None or self._last[0] is not response:
            self._last = (response, exchange_of(case, response))
        return self._last[1]

    def adapt(self, check: Check) -> SchemathesisCheck:
        def run(ctx: SchemathesisContext, response: Response, case: Case[Any]) -> bool | None:
            exchange = self.exchange(case, response)
            try:
                judged = check.judge(exchange, self.context)
            except ContractFailure as failure:
                raise ClauseBroken(Breach.of(failure, check.name, exchange.operation)) from None
            return None if judged else True  # Schemathesis: True means "skipped"

        run.__name__ = run.__qualname__ = check.name
        run.__doc__ = check.doc
        return run
