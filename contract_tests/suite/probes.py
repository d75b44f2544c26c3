"""Requests the suite sends on purpose, where generated data would find a breach only by luck.

- the edges of every input (checks/edges.py): ~20 requests;
- the listing as a whole (checks/listing.py): pages fetched back to back across a few page
  boundaries, the last page and the end: ~15 requests;
- credential near-misses (checks/credentials.py): ~20 requests.

All are GET, go through the run's transport (rate cap, 429 waits, redaction, counting) and
are judged through Schemathesis like every other response, so every check of the run sees
them too and each failure is recorded once, with its request, by the after_validate hook.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from contextlib import suppress
from functools import partial
from typing import Any

import requests
from schemathesis import Case, CheckContext, Response
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.schemas import BaseSchema
from schemathesis.specs.openapi.checks import ignored_auth
from urllib3 import HTTPHeaderDict

from contract_tests.checks import credentials, edges, listing
from contract_tests.checks.body import response_json
from contract_tests.run.plan import RunPlan, api_key
from contract_tests.run.results import CURRENT
from contract_tests.spec import GET_CALL, LIST_CALLS
from contract_tests.suite import transport
from contract_tests.suite.fetch import get_call_case

PAGE = 10  # listing walk: small pages, so a window of two fits the order check's 20 fetches
BOUNDARIES = 3  # page boundaries compared (each: 3 requests, 6 when the listing moved)

Judge = Callable[[CheckContext, Response, Case[Any]], bool | None]


def named_check(name: str, doc: str | None, judge: Callable[[Response], None]) -> Judge:
    """A Schemathesis check called `name` that runs `judge` on the response."""

    def check(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
        judge(response)
        return None

    check.__name__ = check.__qualname__ = name
    check.__doc__ = doc
    return check


def judge(case: Case[Any], response: Response, *extra: Judge) -> None:
    """Every check of the run, and `extra`, on a probe's response (failures are recorded by
    the after_validate hook; the run goes on)."""
    with suppress(Failure, FailureGroup):
        case.validate_response(
            response, additional_checks=list(extra), excluded_checks=[ignored_auth]
        )


def _operation(schema: BaseSchema, label: str) -> Any:
    method, path = label.split(" ", 1)
    return schema[path][method]


def keyed_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {api_key()}"}


# ---- the edges of every input ------------------------------------------------------------


def edge_id(call_ids: tuple[int, ...]) -> int:
    """The known id the edges are probed around: one whose digits read differently in octal
    and decimal when there is one (so a leading zero read as octal shows), else the largest."""
    octal_readable = [i for i in call_ids if i >= 8 and set(str(i)) <= set("01234567")]
    return (octal_readable or sorted(call_ids) or [1])[-1]


def probe_input_edges(schema: BaseSchema, plan: RunPlan) -> None:
    known_id = edge_id(plan.call_ids)
    plain = get_call_case(schema, known_id).call()
    answer = (plain.status_code, response_json(plain))
    for edge in edges.edges(known_id):
        if CURRENT.stopped_early:
            return
        CURRENT.activity = f"probing input edges ({edge.operation})"
        if edge.operation == "getCall":
            case = _operation(schema, GET_CALL).Case(
                path_parameters={"call_id": edge.path_value}, headers=keyed_headers()
            )
        else:
            case = _operation(schema, LIST_CALLS).Case(
                query=dict(edge.query), headers=keyed_headers()
            )
        response = case.call()

        def check(response: Response, edge: edges.Edge = edge) -> None:
            body = response_json(response)
            edges.input_edges_answered_as_documented(edge, response.status_code, body, answer)

        doc = edges.input_edges_answered_as_documented.__doc__
        judge(case, response, named_check("input_edges_answered_as_documented", doc, check))


# ---- the listing as a whole --------------------------------------------------------------


def _page(schema: BaseSchema, **query: int) -> tuple[Case[Any], Response, Mapping[str, Any]]:
    case = _operation(schema, LIST_CALLS).Case(
        query={key: str(value) for key, value in query.items()}, headers=keyed_headers()
    )
    response = case.call()
    body = response_json(response)
    return case, response, body if isinstance(body, dict) and response.status_code == 200 else {}


def _tiles(
    window: Mapping[str, Any],
    first: Mapping[str, Any],
    second: Mapping[str, Any],
    offset: int,
    response: Response,
) -> None:
    listing.pages_tile_the_listing(window, first, second, offset, PAGE)


def probe_listing(schema: BaseSchema) -> None:
    """Page boundaries compared back to back; the last page and the end of the listing."""
    CURRENT.activity = "walking the listing"
    case, response, first = _page(schema)  # the documented default limit
    judge(case, response)
    total = first.get("total")
    for boundary in range(BOUNDARIES):
        offset = 2 * PAGE * boundary
        if CURRENT.stopped_early or not isinstance(total, int) or offset + PAGE >= total:
            break
        _compare_pages(schema, offset)
    if isinstance(total, int) and total > 0 and not CURRENT.stopped_early:
        for offset in (total - 1, total):  # the last call, then nothing
            case, response, _ = _page(schema, limit=PAGE, offset=offset)
            judge(case, response)


def _compare_pages(schema: BaseSchema, offset: int) -> None:
    """The window (limit 2L) and its two halves, back to back; once more if they differ or
    the listing moved; judged only on pages that agree on `total`."""
    for attempt in range(2):
        window = _page(schema, limit=2 * PAGE, offset=offset)
        first = _page(schema, limit=PAGE, offset=offset)
        second = _page(schema, limit=PAGE, offset=offset + PAGE)
        pages = [window[2], first[2], second[2]]
        if not listing.same_total(pages):
            continue  # the listing moved between the requests: nothing to judge soundly
        tiles = listing.listed_ids(window[2]) == listing.listed_ids(first[2]) + listing.listed_ids(
            second[2]
        )
        if tiles or attempt == 1:
            for case, response, _ in (window, first):
                judge(case, response)

            check = named_check(
                "pages_tile_the_listing",
                listing.pages_tile_the_listing.__doc__,
                partial(_tiles, window[2], first[2], second[2], offset),
            )
            judge(second[0], second[1], check)
            CURRENT.saw_state("pages_tile_the_listing", "page boundaries compared")
            return
    CURRENT.saw_state("pages_tile_the_listing", "listing moved: not judged")


# ---- credential near-misses --------------------------------------------------------------


def probe_credentials(schema: BaseSchema, plan: RunPlan) -> None:
    known_id = plan.call_ids[0] if plan.call_ids else 1
    for miss in credentials.near_misses(api_key()):
        for label in (LIST_CALLS, GET_CALL):
            if CURRENT.stopped_early:
                return
            CURRENT.activity = f"probing credentials ({label})"
            path = {"call_id": known_id} if label == GET_CALL else {}
            case = _operation(schema, label).Case(path_parameters=path, query=dict(miss.query))
            if len(miss.authorization) == 1:
                case.headers = {"Authorization": miss.authorization[0]}
            response = (
                _send_repeated_header(case, miss.authorization, plan)
                if len(miss.authorization) > 1
                else case.call()
            )
            verdict = credentials.near_miss_check(miss)

            def check(response: Response, verdict: Callable[..., None] = verdict) -> None:
                verdict(response.status_code)

            judge(case, response, named_check(miss.check, verdict.__doc__, check))


def _send_repeated_header(case: Case[Any], values: tuple[str, ...], plan: RunPlan) -> Response:
    """One request with the Authorization header repeated: requests and Schemathesis merge
    headers by name, so the prepared request gets urllib3's multi-valued header dict. It
    bypasses Schemathesis' rate limiter, so it keeps the run's rate by pausing first."""
    time.sleep(seconds_between_requests(plan.rate_limit))
    url = case.as_transport_kwargs()["url"]
    prepared = requests.Request("GET", url).prepare()
    headers = HTTPHeaderDict({name: str(value) for name, value in prepared.headers.items()})
    for value in values:
        headers.add("Authorization", value)
    prepared.headers = headers  # type: ignore[assignment]
    raw = transport.SESSION.send(prepared, allow_redirects=False, timeout=plan.timeout)
    response = Response.from_requests(raw, verify=True)
    transport.count_and_redact(response)
    return response


def seconds_between_requests(rate_limit: str | None) -> float:
    """`10/s` -> 0.1; no cap -> 0."""
    if not rate_limit:
        return 0.0
    count, _, unit = rate_limit.partition("/")
    return {"s": 1.0, "m": 60.0, "h": 3600.0}[unit] / int(count)
