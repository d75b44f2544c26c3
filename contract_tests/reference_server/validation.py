"""Parsing of the path and query inputs, answering in the 422 shape of contract.md.

Errors are pydantic-style items ({loc, msg, type}) because that is what the platform sends.
Only ASCII decimal integers are accepted: no signs other than a leading minus (which is then
out of range), no decimals, no exponent, no Unicode digits. The bounds and defaults are the
spec's (contract_tests/spec.py: `id_bounds`, `limit_bounds`, `offset_bounds`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from contract_tests.spec import id_bounds, limit_bounds, offset_bounds

_INTEGER = re.compile(r"-?[0-9]+")

ErrorItem = dict[str, Any]


@dataclass(frozen=True)
class ListQuery:
    limit: int
    offset: int


def _error(location: str, name: str, message: str, kind: str) -> ErrorItem:
    return {"loc": [location, name], "msg": message, "type": kind}


def parse_bounded_int(
    raw: str, location: str, name: str, minimum: int, maximum: int
) -> int | ErrorItem:
    """An integer in minimum..maximum, or the error item that says why not."""
    if not _INTEGER.fullmatch(raw):
        return _error(
            location,
            name,
            "Input should be a valid integer, unable to parse string as an integer",
            "int_parsing",
        )
    digits = raw.lstrip("-").lstrip("0")
    if raw.startswith("-") and digits:
        return _error(
            location,
            name,
            f"Input should be greater than or equal to {minimum}",
            "greater_than_equal",
        )
    # More digits than the maximum has cannot be in range; checked before int() so a megabyte
    # of digits costs nothing (and never trips Python's int-from-str digit limit).
    if len(digits) > len(str(maximum)):
        return _error(
            location, name, f"Input should be less than or equal to {maximum}", "less_than_equal"
        )
    value = int(digits or "0")
    if value < minimum:
        return _error(
            location,
            name,
            f"Input should be greater than or equal to {minimum}",
            "greater_than_equal",
        )
    if value > maximum:
        return _error(
            location, name, f"Input should be less than or equal to {maximum}", "less_than_equal"
        )
    return value


def parse_call_id(raw: str) -> int | list[ErrorItem]:
    parsed = parse_bounded_int(raw, "path", "call_id", *id_bounds())
    return [parsed] if isinstance(parsed, dict) else parsed


def parse_list_query(params: Mapping[str, str]) -> ListQuery | list[ErrorItem]:
    """`limit` and `offset` within the spec's bounds, or their defaults; others are ignored."""
    errors: list[ErrorItem] = []
    values: dict[str, int] = {}
    for name, (minimum, maximum, default) in (
        ("limit", limit_bounds()),
        ("offset", offset_bounds()),
    ):
        raw = params.get(name)
        parsed = default if raw is None else parse_bounded_int(raw, "query", name, minimum, maximum)
        if isinstance(parsed, dict):
            errors.append(parsed)
        else:
            values[name] = parsed
    return errors or ListQuery(limit=values["limit"], offset=values["offset"])
