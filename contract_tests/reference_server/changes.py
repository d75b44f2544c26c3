"""Changes of one `Behaviour` stage, built from a small function: how faults and quirks are made.

A change is a function from one `Behaviour` to another; each helper here wraps one stage so
the function given to it runs after what the stage did before (so changes compose).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from contract_tests.reference_server.behaviour import (
    Behaviour,
    ErrorBody,
    Evolve,
    Listing,
    Page,
    ParseListQuery,
    Transform,
)
from contract_tests.reference_server.data import JsonObject
from contract_tests.reference_server.encoding import JsonWriter
from contract_tests.reference_server.store import ServedCalls
from contract_tests.reference_server.validation import ErrorItem

Change = Callable[[Behaviour], Behaviour]


@dataclass(frozen=True)
class Fault:
    """A catalogue entry: it breaks exactly one clause of contract.md, and names the contract
    suite's check that must catch it (`detected_by`)."""

    name: str
    description: str
    clause: str  # the line of contract.md it breaks
    detected_by: str  # the contract-suite check that must catch it
    apply: Change


def on_stage(name: str, wrap: Callable[[Any], Any]) -> Change:
    """Replace stage `name` by `wrap(the stage as it was)`."""

    def apply(behaviour: Behaviour) -> Behaviour:
        stages: dict[str, Any] = {name: wrap(getattr(behaviour, name))}
        return replace(behaviour, **stages)

    return apply


def _after_transform(stage: str, change: Callable[[JsonObject], None]) -> Change:
    """Apply `change` (in place) to what the `record` or `summary` stage gives."""

    def apply(behaviour: Behaviour) -> Behaviour:
        previous: Transform = getattr(behaviour, stage)

        def transformed(value: JsonObject) -> JsonObject:
            value = previous(value)
            change(value)
            return value

        stages: dict[str, Any] = {stage: transformed}
        return replace(behaviour, **stages)

    return apply


def on_records(change: Callable[[JsonObject], None]) -> Change:
    """Apply `change` (in place) to every call record after the stages before it."""
    return _after_transform("record", change)


def on_summaries(change: Callable[[JsonObject], None]) -> Change:
    """Apply `change` (in place) to every listed summary after the stages before it."""
    return _after_transform("summary", change)


def on_pages(change: Callable[[Listing, Page], Page]) -> Change:
    def apply(behaviour: Behaviour) -> Behaviour:
        previous = behaviour.cut_page
        return replace(behaviour, cut_page=lambda listing: change(listing, previous(listing)))

    return apply


def on_responses(change: Callable[[Request, Response], Response]) -> Change:
    def apply(behaviour: Behaviour) -> Behaviour:
        previous = behaviour.finish
        return replace(
            behaviour, finish=lambda request, response: change(request, previous(request, response))
        )

    return apply


def on_list_query(wrap: Callable[[ParseListQuery], ParseListQuery]) -> Change:
    return lambda behaviour: replace(behaviour, parse_list_query=wrap(behaviour.parse_list_query))


def on_writer(change: Callable[[JsonWriter], JsonWriter]) -> Change:
    """Write every JSON body with other options (the options of other changes kept)."""
    return lambda behaviour: replace(behaviour, encoding=change(behaviour.encoding))


def on_error_bodies(change: Callable[[Request, int, JsonObject], JsonObject]) -> Change:
    """`change(request, status, document)` sees every error document once it is built."""

    def apply(behaviour: Behaviour) -> Behaviour:
        previous: ErrorBody = behaviour.error_body

        def error_body(request: Request, status: int, detail: str | list[ErrorItem]) -> JsonObject:
            return change(request, status, previous(request, status, detail))

        return replace(behaviour, error_body=error_body)

    return apply


def on_each_request(evolve: Evolve) -> Change:
    """`evolve(served)` runs once per request, after what ran before it."""

    def apply(behaviour: Behaviour) -> Behaviour:
        previous = behaviour.evolve

        def both(served: ServedCalls) -> None:
            previous(served)
            evolve(served)

        return replace(behaviour, evolve=both)

    return apply


def all_of(*changes: Change) -> Change:
    def apply(behaviour: Behaviour) -> Behaviour:
        for change in changes:
            behaviour = change(behaviour)
        return behaviour

    return apply
