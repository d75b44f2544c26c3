"""Properties a response carries that the spec does not name: spec drift, not a violation.

contract.md, Extensibility: responses may carry properties the spec does not name; clients
ignore them and the contract report lists them. This walks a body beside its schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from contract_tests.spec import load_spec, resolve


def undocumented_properties(instance: Any, schema: Mapping[str, Any], where: str) -> set[str]:
    """Names like `Call.sip_trunk_id` for every property of `instance` its schema does not name."""
    found: set[str] = set()
    _walk(instance, schema, where, load_spec(), found)
    return found


# Each schema node of the spec (read once, never changed) resolved once: a walk meets the same
# nodes in every response, and following their `$ref`s was most of its time.
_RESOLVED: dict[int, tuple[Mapping[str, Any], Mapping[str, Any], str | None]] = {}


def _resolved(
    schema: Mapping[str, Any], spec: Mapping[str, Any]
) -> tuple[Mapping[str, Any], str | None]:
    known = _RESOLVED.get(id(schema))
    if known is None or known[0] is not schema:  # the node itself is kept: its id stays its own
        known = (schema, *resolve(schema, spec))
        _RESOLVED[id(schema)] = known
    return known[1], known[2]


def _walk(
    instance: Any, schema: Mapping[str, Any], where: str, spec: Mapping[str, Any], found: set[str]
) -> None:
    schema, name = _resolved(schema, spec)
    where = name or where
    for key in ("oneOf", "anyOf"):
        for branch in schema.get(key, []):
            _walk(instance, branch, where, spec, found)
    if isinstance(instance, dict) and "properties" in schema:
        properties = schema["properties"]
        for prop, value in instance.items():
            if prop in properties:
                _walk(value, properties[prop], f"{where}.{prop}", spec, found)
            else:
                found.add(f"{where}.{prop}")
    elif isinstance(instance, list) and isinstance(schema.get("items"), Mapping):
        # Items share one schema: a long transcript needs only its distinct shapes walked.
        seen_shapes: set[tuple[str, ...]] = set()
        for item in instance:
            shape = tuple(sorted(item)) if isinstance(item, dict) else (type(item).__name__,)
            if shape not in seen_shapes:
                seen_shapes.add(shape)
                _walk(item, schema["items"], f"{where}[]", spec, found)
