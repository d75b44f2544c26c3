"""Parsing of the path and query inputs, answering in the 422 shape of contract.md.

Errors are pydantic-style items ({loc, msg, type}) because that is what the platform sends.
Only ASCII decimal integers are accepted: no signs other than a leading minus (which is then
out of range), no decimals, no exponent, no Unicode digits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

INT64_MAX = 2**63 - 1
DEFAULT_LIMIT = 50
MAX_LIMIT = 100
_INTEGER = re.compile(r"-?[0-9]+")
# More digits than this cannot be in range; checked before int() so a megabyte of digits
# costs nothing (and never trips Python's int-from-str digit limit).
_MAX_DIGITS = len(str(INT64_MAX))

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
    if len(digits) > _MAX_DIGITS:
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
    parsed = parse_bounded_int(raw, "path", "call_id", 1, INT64_MAX)
    return [parsed] if isinstance(parsed, dict) else parsed


def parse_list_query(params: Mapping[str, str]) -> ListQuery | list[ErrorItem]:
    """`limit` (1..100, default 50) and `offset` (0..2^63-1, default 0); others are ignored."""
    errors: list[ErrorItem] = []
    values: dict[str, int] = {}
    for name, default, maximum in (("limit", DEFAULT_LIMIT, MAX_LIMIT), ("offset", 0, INT64_MAX)):
        raw = params.get(name)
        minimum = 1 if name == "limit" else 0
        parsed = default if raw is None else parse_bounded_int(raw, "query", name, minimum, maximum)
        if isinstance(parsed, dict):
            errors.append(parsed)
        else:
            values[name] = parsed
    return errors or ListQuery(limit=values["limit"], offset=values["offset"])
