"""Properties a response carries that the spec does not name: spec drift, not a violation.

contract.md, Extensibility: responses may carry properties the spec does not name; clients
ignore them and the contract report lists them. This walks a body beside its schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from contract_tests.spec import load_spec, resolve


def undocumented_properties(instance: Any, schema: Mapping[str, Any], where: str) -> set[str]:
    """Names like `Call.sip_trunk_id` for every property of `instance` its schema does not name."""
    found: set[str] = set()
    _walk(instance, schema, where, load_spec(), found)
    return found


# Each schema node of the spec (read once, never changed) read once: a walk meets the same
# nodes in every response, and following their `$ref`s was most of its time.
@dataclass(frozen=True)
class _Node:
    schema: Mapping[str, Any]  # the node as given, kept: its id stays its own
    name: str | None  # the component it resolves to
    branches: tuple[Mapping[str, Any], ...]  # oneOf and anyOf
    properties: Mapping[str, Any] | None
    # The properties whose schema can hold properties of its own (an object, an array, a
    # choice): a plain value's schema names none, so only these are walked into.
    nested: tuple[tuple[str, Mapping[str, Any]], ...]
    items: Mapping[str, Any] | None


_NODES: dict[int, _Node] = {}


def _node(schema: Mapping[str, Any], spec: Mapping[str, Any]) -> _Node:
    known = _NODES.get(id(schema))
    if known is None or known.schema is not schema:
        resolved, name = resolve(schema, spec)
        properties = resolved.get("properties")
        properties = properties if isinstance(properties, Mapping) else None
        nested = tuple(
            (prop, sub)
            for prop, sub in (properties or {}).items()
            if isinstance(sub, Mapping) and _can_nest(resolve(sub, spec)[0])
        )
        items = resolved.get("items")
        items = items if isinstance(items, Mapping) else None
        branches = (*resolved.get("oneOf", ()), *resolved.get("anyOf", ()))
        known = _Node(schema, name, branches, properties, nested, items)
        _NODES[id(schema)] = known
    return known


def _can_nest(schema: Mapping[str, Any]) -> bool:
    return any(key in schema for key in ("properties", "items", "oneOf", "anyOf"))


def _walk(
    instance: Any, schema: Mapping[str, Any], where: str, spec: Mapping[str, Any], found: set[str]
) -> None:
    if not isinstance(instance, dict | list):
        return  # a value without properties: none of them can be undocumented
    node = _node(schema, spec)
    where = node.name or where
    for branch in node.branches:
        _walk(instance, branch, where, spec, found)
    if isinstance(instance, dict) and node.properties is not None:
        for prop in instance.keys() - node.properties.keys():
            found.add(f"{where}.{prop}")
        for prop, sub in node.nested:
            value = instance.get(prop)
            if isinstance(value, dict | list):
                _walk(value, sub, f"{where}.{prop}", spec, found)
    elif isinstance(instance, list) and node.items is not None:
        # Items share one schema: a long transcript needs only its distinct shapes walked
        # (a shape: the keys in their order, or the type of a plain value).
        seen_shapes: set[tuple[str, ...]] = set()
        for item in instance:
            shape = tuple(item) if isinstance(item, dict) else (type(item).__name__,)
            if shape not in seen_shapes:
                seen_shapes.add(shape)
                _walk(item, node.items, f"{where}[]", spec, found)
