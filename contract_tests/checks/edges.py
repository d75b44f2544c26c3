"""The edges of every input, probed on purpose: what each must be answered, and the judgement.

contract.md: `call_id` is an integer in 1..2^63-1 and anything else is 422; `limit` is 1..100
(default 50) and `offset` 0 or more, out of range is 422. The bounds are read from the spec's
parameters, so a changed bound moves the probes with it.

Some texts name a valid integer in a form a server may read or refuse (`0077`, `+77`, ` 77`:
pydantic, behind the platform's 422 format, reads all three as 77): either is right, so such
an edge passes when it is 422 or answered exactly as the plain id is. A digit outside ASCII
is no integer of a URL, and an empty query value names no number: 422.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contract_tests.checks.failures import InputEdgeMisanswered
from contract_tests.spec import id_bounds, limit_bounds, offset_bounds

VALID_ID_STATUSES = frozenset({200, 403, 404})  # a well-formed id: found, forbidden or not found
INVALID = frozenset({422})
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@dataclass(frozen=True)
class Edge:
    name: str  # what the probe tries, e.g. "call_id 2^63 (one past the largest)"
    operation: str  # "getCall" or "listCalls"
    path_value: str | None = None  # the raw call_id text (getCall)
    query: tuple[tuple[str, str], ...] = ()  # the raw query (listCalls)
    expected: frozenset[int] = INVALID
    same_as_id: int | None = None  # also right: answered exactly as this plain id
    most_calls: int | None = None  # a 200 page may hold at most this many calls


def edges(known_id: int) -> list[Edge]:
    """The probes, around a call id the key can read."""
    low, high = id_bounds()
    limit_min, limit_max, _ = limit_bounds()
    offset_min = offset_bounds()[0]
    text = str(known_id)
    found = [
        Edge(f"call_id {low - 1} (below the smallest)", "getCall", str(low - 1)),
        Edge(f"call_id {low} (the smallest)", "getCall", str(low), expected=VALID_ID_STATUSES),
        Edge("call_id 2^63-1 (the largest)", "getCall", str(high), expected=VALID_ID_STATUSES),
        Edge("call_id 2^63 (one past the largest)", "getCall", str(high + 1)),
        Edge("call_id far beyond int64", "getCall", "9" * 30),
        Edge("call_id negative", "getCall", f"-{known_id}"),
        Edge("call_id with leading zeros", "getCall", f"00{text}", same_as_id=known_id),
        Edge("call_id with a plus sign", "getCall", f"+{text}", same_as_id=known_id),
        Edge("call_id with a leading space", "getCall", f" {text}", same_as_id=known_id),
        Edge("call_id with a trailing space", "getCall", f"{text} ", same_as_id=known_id),
        Edge("call_id in non-ASCII digits", "getCall", text.translate(ARABIC_INDIC)),
    ]
    for name in ("limit", "offset"):
        query = ((name, ""),)
        found.append(Edge(f"{name} empty (`?{name}=`)", "listCalls", query=query))
    for value, expected, most in (
        (limit_min - 1, INVALID, None),
        (limit_min, frozenset({200}), limit_min),
        (limit_max, frozenset({200}), limit_max),
        (limit_max + 1, INVALID, None),
        (high + 1, INVALID, None),  # one past the largest id: past any int64
    ):
        query = (("limit", str(value)),)
        found.append(
            Edge(f"limit {value}", "listCalls", query=query, expected=expected, most_calls=most)
        )
    for value, expected, most in (
        (offset_min - 1, INVALID, None),
        (offset_min, frozenset({200}), None),
        (2**62, frozenset({200}), 0),  # far past the end, still an int64: an empty page
    ):
        query = (("offset", str(value)),)
        found.append(
            Edge(f"offset {value}", "listCalls", query=query, expected=expected, most_calls=most)
        )
    return found


def input_edges_answered_as_documented(
    edge: Edge, status: int, body: Any, plain: tuple[int, Any] | None
) -> None:
    """Errors: 422 when `call_id` is not an integer in 1..2^63-1, or a bad list query (`limit`
    1..100, `offset` 0 or more); a valid input is never 422. Probed at the very edges."""
    if status in edge.expected:
        calls = body.get("calls") if isinstance(body, dict) else None
        most = edge.most_calls
        if status == 200 and most is not None and isinstance(calls, list) and len(calls) > most:
            raise InputEdgeMisanswered(
                f"{edge.name} was answered with {len(calls)} calls",
                field=edge.name,
                kind="too many calls",
            )
        return
    if edge.same_as_id is not None and plain is not None and status == plain[0]:
        plain_id = plain[1].get("id") if isinstance(plain[1], dict) else None
        got_id = body.get("id") if isinstance(body, dict) else None
        if status != 200 or got_id == plain_id:
            return
        raise InputEdgeMisanswered(
            f"{edge.name} was read as call {got_id}, not call {edge.same_as_id}",
            field=edge.name,
            kind="read as another call",
        )
    wanted = " or ".join(str(code) for code in sorted(edge.expected))
    also = f", or what call {edge.same_as_id} gets" if edge.same_as_id is not None else ""
    raise InputEdgeMisanswered(
        f"{edge.name} was answered {status}, not {wanted}{also}",
        field=edge.name,
        kind=f"answered {status}",
    )
