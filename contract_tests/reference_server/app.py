"""The reference Calls API as a Starlette app: getCall and listCalls per contract.md.

Each request goes: throttle (429) -> authenticate (401) -> validate (422) -> look up
(404, 403) -> 200; then `finish`, the last stage, sees every response. Which fault or quirk
is on only changes the `Behaviour` stages, never this file's control flow.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from contract_tests.reference_server.behaviour import (
    Behaviour,
    Listing,
    Refusal,
    authenticate,
    clean_behaviour,
)
from contract_tests.reference_server.data import Dataset, demo_dataset
from contract_tests.reference_server.faults import FAULTS_BY_NAME
from contract_tests.reference_server.quirks import QUIRKS_BY_NAME, with_quirks
from contract_tests.reference_server.ratelimit import FixedWindow, parse_rate
from contract_tests.reference_server.store import ServedCalls
from contract_tests.reference_server.validation import ErrorItem

JSON = "application/json"


class UnknownNameError(ValueError):
    """A fault or quirk name that is not in the catalogue."""


def json_response(status: int, body: bytes, headers: dict[str, str] | None = None) -> Response:
    return Response(body, status_code=status, headers=headers, media_type=JSON)


def error_response(
    behaviour: Behaviour,
    request: Request,
    status: int,
    detail: str | list[ErrorItem],
    headers: dict[str, str] | None = None,
) -> Response:
    document = behaviour.error_body(request, status, detail)
    return json_response(status, behaviour.encoding.document(document), headers)


def build_behaviour(
    dataset: Dataset, faults: Sequence[str], quirks: Sequence[str], rate_limit: int | str | None
) -> Behaviour:
    unknown = [name for name in faults if name not in FAULTS_BY_NAME]
    unknown += [name for name in quirks if name not in QUIRKS_BY_NAME]
    if unknown:
        raise UnknownNameError(f"unknown fault or quirk: {', '.join(unknown)}")
    behaviour = clean_behaviour(dataset)
    if rate_limit is not None:
        per_second = rate_limit if isinstance(rate_limit, int) else parse_rate(rate_limit)
        behaviour = Behaviour(**{**vars(behaviour), "throttle": FixedWindow(per_second)})
    # Faults change what is said; wire quirks (gzip, chunked...) change how the final bytes
    # travel, so they come last whatever order the names were given in.
    behaviour = with_quirks(behaviour, quirks, wire=False)
    for name in faults:
        behaviour = FAULTS_BY_NAME[name].apply(behaviour)
    return with_quirks(behaviour, quirks, wire=True)


def create_app(
    faults: Sequence[str] = (),
    quirks: Sequence[str] = (),
    rate_limit: int | str | None = None,
    dataset: Dataset | None = None,
) -> Starlette:
    """The reference server; `faults` and `quirks` name catalogue entries (faults.py,
    quirks.py),
    `rate_limit` is requests per second (an int or "N/s"). Unknown names: UnknownNameError."""
    if isinstance(faults, str) or isinstance(quirks, str):
        raise TypeError("faults and quirks are sequences of names")
    dataset = dataset or demo_dataset()
    behaviour = build_behaviour(dataset, faults, quirks, rate_limit)
    served = ServedCalls.build(dataset, behaviour)

    def error(
        request: Request,
        status: int,
        detail: str | list[ErrorItem],
        headers: dict[str, str] | None = None,
    ) -> Response:
        return error_response(behaviour, request, status, detail, headers)

    def respond(request: Request, produce: Callable[[str], Response]) -> Response:
        behaviour.evolve(served)
        verdict = behaviour.throttle()
        if verdict.retry_after is not None:
            retry = {"Retry-After": str(verdict.retry_after)}
            response = error(request, 429, "Rate limit exceeded, retry later", retry)
        else:
            who = authenticate(behaviour, dataset, request)
            if isinstance(who, Refusal):
                response = error(request, 401, who.detail, {"WWW-Authenticate": "Bearer"})
            else:
                response = produce(who)
        response.headers.update(verdict.headers)
        return behaviour.finish(request, response)

    async def get_call(request: Request) -> Response:
        raw_id = request.path_params.get("call_id", "")

        def produce(account_id: str) -> Response:
            call_id = behaviour.parse_call_id(raw_id)
            if isinstance(call_id, list):
                return error(request, 422, call_id)
            call = served.calls.get(call_id)
            if call is None:
                return error(request, 404, "Call not found")
            if not behaviour.may_read(account_id, call):
                return error(request, 403, "Not authorized to access this call")
            return json_response(200, served.bodies[call_id])

        return respond(request, produce)

    async def list_calls(request: Request) -> Response:
        def produce(account_id: str) -> Response:
            query = behaviour.parse_list_query(request.query_params)
            if isinstance(query, list):
                return error(request, 422, query)
            page = behaviour.cut_page(Listing(served.by_account.get(account_id, []), query))
            return json_response(200, served.page_body(page.calls, page.total))

        return respond(request, produce)

    async def http_error(request: Request, exc: Exception) -> Response:
        """Unknown paths (404) and other methods (405, with Allow) as JSON errors."""
        assert isinstance(exc, HTTPException)
        behaviour.evolve(served)
        verdict = behaviour.throttle()
        response = error(request, exc.status_code, exc.detail, dict(exc.headers or {}))
        response.headers.update(verdict.headers)
        return behaviour.finish(request, response)

    routes = [
        Route("/v2/calls", list_calls, methods=["GET"]),
        Route("/v2/calls/", get_call, methods=["GET"]),  # an empty call_id is a 422, not a 404
        Route("/v2/calls/{call_id}", get_call, methods=["GET"]),
    ]
    return Starlette(routes=routes, exception_handlers={HTTPException: http_error})
