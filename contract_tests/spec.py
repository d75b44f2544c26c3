"""The spec as data: loading it, resolving its references, and reading response schemas.

Everything the suite knows about the API (operations, statuses, schemas) comes from here,
so the spec stays the single source of truth.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

SPEC_PATH = Path(__file__).resolve().parent.parent / "openapi" / "calls.yaml"
GET_CALL = "GET /v2/calls/{call_id}"
LIST_CALLS = "GET /v2/calls"


@cache
def load_spec(path: Path = SPEC_PATH) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        document: dict[str, Any] = yaml.safe_load(handle)
    return document


def resolve(
    node: Mapping[str, Any], spec: Mapping[str, Any]
) -> tuple[Mapping[str, Any], str | None]:
    """Follow local `$ref`s; returns the target and the component name when it is one."""
    name: str | None = None
    while "$ref" in node:
        pointer = str(node["$ref"])
        if not pointer.startswith("#/"):
            raise ValueError(f"only local references are supported, not {pointer}")
        target: Any = spec
        for part in pointer[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        if pointer.startswith("#/components/schemas/"):
            name = pointer.rsplit("/", 1)[1]
        node = target
    return node, name


def response_schema(label: str, status: int) -> tuple[Mapping[str, Any], str | None] | None:
    """The JSON schema of `label`'s documented response for `status` and its component name."""
    method, path = label.split(" ", 1)
    spec = load_spec()
    operation = spec["paths"].get(path, {}).get(method.lower())
    if operation is None:
        return None
    response = operation["responses"].get(str(status))
    if response is None:
        return None
    response, _ = resolve(response, spec)
    media = response.get("content", {}).get("application/json")
    if media is None or "schema" not in media:
        return None
    return resolve(media["schema"], spec)


@cache
def _call_property_validators() -> dict[str, Draft202012Validator]:
    """A validator per property of the spec's `Call` that the error bodies do not name, but
    `id`: the requester named the id, so an error that repeats it leaks nothing."""
    spec = load_spec()
    error_names = {*spec["components"]["schemas"]["Error"]["properties"], "id"}
    root = {"components": spec["components"]}
    return {
        name: Draft202012Validator({**root, "$ref": f"#/components/schemas/Call/properties/{name}"})
        for name in spec["components"]["schemas"]["Call"]["properties"]
        if name not in error_names
    }


def call_data_in(body: Any) -> list[str]:
    """The properties of a call record that `body` (an error body) carries with a value valid
    for the record, at the top level or one object down: a call's data where none may be.
    An error's own fields (`type` as a URI, `title`, `request_id`) are not a call's data."""
    validators = _call_property_validators()
    objects = [body] if isinstance(body, dict) else []
    objects += [
        value
        for value in (body.values() if isinstance(body, dict) else ())
        if isinstance(value, dict)
    ]
    return sorted(
        {
            name
            for item in objects
            for name, value in item.items()
            if name in validators and value is not None and validators[name].is_valid(value)
        }
    )


def documented_responses() -> list[tuple[str, int]]:
    """Every (operation label, status) the spec documents, in the spec's order."""
    found = []
    for path, item in load_spec()["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "responses" in operation:
                label = f"{method.upper()} {path}"
                found += [(label, int(status)) for status in operation["responses"]]
    return found


def operation_ids() -> dict[str, str]:
    """Operation label -> operationId (`GET /v2/calls` -> `listCalls`)."""
    return {
        f"{method.upper()} {path}": operation["operationId"]
        for path, item in load_spec()["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "operationId" in operation
    }


Shape = dict[str, "Shape | None"]  # property -> the shape of its object, None for a leaf


@cache
def _shape(schema_name: str) -> Shape:
    spec = load_spec()
    schema, _ = resolve({"$ref": f"#/components/schemas/{schema_name}"}, spec)
    shape: Shape = {}
    for prop, node in schema.get("properties", {}).items():
        target, name = resolve(node, spec)
        shape[prop] = _shape(name) if name is not None and "properties" in target else None
    return shape


def project(instance: Mapping[str, Any], schema_name: str) -> dict[str, Any]:
    """`instance` keeping only what the spec's `schema_name` names, e.g. a call record as
    its `CallSummary` (its cost as `CostTotals`): the list view derived from the spec."""
    return _project(instance, _shape(schema_name))


def _project(instance: Mapping[str, Any], shape: Shape) -> dict[str, Any]:
    projected: dict[str, Any] = {}
    for prop, inner in shape.items():
        if prop not in instance:
            continue
        value = instance[prop]
        projected[prop] = _project(value, inner) if inner and isinstance(value, Mapping) else value
    return projected


@cache
def _path_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    templates = load_spec()["paths"]
    return tuple(
        (re.compile("^" + re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(path)) + "/?$"), path)
        for path in templates
    )


def operation_label(method: str, path: str) -> str:
    """`GET /v2/calls/{call_id}` for a request to /v2/calls/77; the raw path if none matches."""
    for pattern, template in _path_patterns():
        if pattern.match(path):
            return f"{method.upper()} {template}"
    return f"{method.upper()} {path}"
