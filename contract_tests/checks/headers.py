"""Every documented header's form, wherever it appears (contract.md, Errors).

The spec's `components/headers` says each header's form (`Retry-After` integer seconds,
`WWW-Authenticate` starting with `Bearer`, `X-RateLimit-*` integers); this reads them from
there and judges any response that carries them: documented or not, and the 429s that the
run's transport waits out before any other check sees them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from contract_tests.checks.failures import HeaderFormBreach
from contract_tests.spec import documented_headers

INTEGER = re.compile(r"^[+-]?\d+$")


def _problem(name: str, value: str, schema: Mapping[str, Any]) -> str | None:
    text = value.strip()
    if schema.get("type") == "integer":
        if not INTEGER.match(text):
            return f"{name}: {value!r} is not an integer"
        number = int(text)
        if "minimum" in schema and number < schema["minimum"]:
            return f"{name}: {number} is below {schema['minimum']}"
        if "maximum" in schema and number > schema["maximum"]:
            return f"{name}: {number} is above {schema['maximum']}"
    pattern = schema.get("pattern")
    if isinstance(pattern, str) and not re.search(pattern, text):
        return f"{name}: {value!r} does not match {pattern}"
    return None


def header_problems(headers: Iterable[tuple[str, str]]) -> list[str]:
    """What is wrong with the documented headers among `headers` (name, value pairs)."""
    schemas = documented_headers()
    problems = []
    for name, value in headers:
        schema = schemas.get(name.lower())
        if schema is not None:
            problem = _problem(name, value, schema)
            if problem is not None:
                problems.append(problem)
    return problems


def header_forms(headers: Iterable[tuple[str, str]]) -> None:
    """Errors: 429 carries `Retry-After` (seconds), 401 `WWW-Authenticate: Bearer`, and every
    response may carry `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset`
    (epoch seconds), integers: wherever a documented header appears, it has its form."""
    problems = header_problems(headers)
    if problems:
        names = sorted({problem.split(":", 1)[0].lower() for problem in problems})
        raise HeaderFormBreach("; ".join(problems), field=", ".join(names), kind="malformed")
