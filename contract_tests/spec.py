"""The spec as data: the one module that reads openapi/calls.yaml for the whole kit.

The suite, its checks, the reference server, governance and the tests all read the spec
through here, so it stays the single source of truth:

    SPEC_PATH                     openapi/calls.yaml
    SpecUnavailable (CouldNotRun) the spec cannot be read: missing file, broken YAML, not an
      |                           OpenAPI document, a missing part; one line, exit 2
      +-- BrokenReference         a $ref that is not local, points to nothing, or loops
    parse_yaml, parse_spec        text -> document (the one YAML loader of a spec)
    load_document, load_file      a file -> document; load_spec: the spec, read once
    encode_pointer, decode_pointer   RFC 6901 JSON pointers (the one `~0`/`~1` escaping)
    at_pointer, follow, dereference, resolve   the one cycle-safe `$ref` resolver
    call_statuses, listed_statuses, call_types, id_bounds, limit_bounds, offset_bounds,
    offset_minimum, documented_headers         the shared vocabulary, read from the spec
    response_schema, documented_responses, operation_ids, operation_label, project,
    call_data_in                               what the suite asks of the spec

Only PyYAML and the standard library are imported here (`nox -s breaking` installs nothing
else); jsonschema is imported by the one function that needs it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import yaml

from contract_tests.errors import CouldNotRun

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

SPEC_PATH = Path(__file__).resolve().parent.parent / "openapi" / "calls.yaml"
GET_CALL = "GET /v2/calls/{call_id}"
LIST_CALLS = "GET /v2/calls"


class SpecUnavailable(CouldNotRun):
    """The spec could not be read (missing file, broken YAML, not OpenAPI, a part missing);
    the message is one line that says which."""


class BrokenReference(SpecUnavailable):
    """A `$ref` that is not local, points to nothing, or leads back to itself."""


# ---- reading ---------------------------------------------------------------------------------


def parse_yaml(text: str, origin: str) -> Any:
    """The YAML document in `text`; `origin` names where it came from, for the message."""
    try:
        # libyaml's loader (in PyYAML's wheels) reads the spec ~8x faster: it is on the path
        # to a run's first request. The pure-Python one is the same safe loader.
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:
        # One line: PyYAML's own message spans several, with a source excerpt.
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or type(error).__name__
        raise SpecUnavailable(f"{origin} is not valid YAML{where}: {problem}") from error


def parse_spec(text: str, origin: str) -> dict[str, Any]:
    """The OpenAPI document in `text`; SpecUnavailable when it is not valid YAML or not
    an OpenAPI document."""
    document = parse_yaml(text, origin)
    if not isinstance(document, dict) or "openapi" not in document:
        raise SpecUnavailable(f"{origin} is not an OpenAPI document")
    return document


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise SpecUnavailable(f"cannot read {path}: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise SpecUnavailable(f"{path} is not UTF-8 text: {error.reason}") from error


def load_document(path: Path) -> Any:
    """The YAML in a file, whatever document it is (the lint judges its structure)."""
    return parse_yaml(_read(path), str(path))


def load_file(path: Path) -> dict[str, Any]:
    """The spec in a file, read anew (a fresh document the caller may change)."""
    return parse_spec(_read(path), str(path))


@cache
def load_spec(path: Path = SPEC_PATH) -> dict[str, Any]:
    """The spec, read once per process. Shared: do not change it (copy it first)."""
    return load_file(path)


# ---- JSON pointers and references ------------------------------------------------------------


def encode_pointer(*parts: str | int) -> str:
    """RFC 6901 pointer from unescaped parts: ("paths", "/v2/calls") -> "/paths/~1v2~1calls"."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def decode_pointer(pointer: str) -> list[str]:
    """RFC 6901 pointer -> its unescaped parts; a `$ref`'s leading `#` is allowed."""
    text = pointer[1:] if pointer.startswith("#") else pointer
    return [part.replace("~1", "/").replace("~0", "~") for part in text.split("/")[1:]]


def at_pointer(document: Any, pointer: str) -> Any:
    """The node of `document` at `pointer` (`/a/0/b` or `#/a/0/b`); BrokenReference when
    nothing is there. `$ref`s on the way are not followed."""
    node = document
    for part in decode_pointer(pointer):
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise BrokenReference(f"{pointer!r} points to nothing")
    return node


def _chase(document: Any, node: Any) -> tuple[Any, list[str]]:
    """Follow `$ref`s from `node`: the first node that is not one, and the refs followed."""
    followed: list[str] = []
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref in followed:
            raise BrokenReference(f"$ref loop: {' -> '.join([*followed, ref])}")
        if not ref.startswith("#"):
            raise BrokenReference(f"cannot resolve $ref {ref!r}: only local references (#/...)")
        followed.append(ref)
        try:
            node = at_pointer(document, ref)
        except BrokenReference:
            raise BrokenReference(f"$ref {ref!r} points to nothing") from None
    return node, followed


def follow(document: Any, node: Any) -> tuple[Any, str | None]:
    """Follow local `$ref`s until a node that is not one: that node and its pointer (None
    when `node` was no reference). A loop, a remote or a dangling `$ref`: BrokenReference."""
    target, followed = _chase(document, node)
    return target, (followed[-1][1:] if followed else None)


def dereference(document: Any, node: Any) -> Any:
    """`node`, or what its `$ref`s lead to (see `follow`)."""
    return _chase(document, node)[0]


def resolve(
    node: Mapping[str, Any], spec: Mapping[str, Any]
) -> tuple[Mapping[str, Any], str | None]:
    """Follow local `$ref`s; returns the target and the component name when it is one."""
    target, followed = _chase(spec, node)
    schemas = [ref for ref in followed if ref.startswith("#/components/schemas/")]
    return target, (decode_pointer(schemas[-1])[-1] if schemas else None)


# ---- the shared vocabulary -------------------------------------------------------------------


def _schema_of(*parts: str) -> Mapping[str, Any]:
    """The resolved schema at `parts` of the spec (each step's `$ref` followed)."""
    spec = load_spec()
    node: Any = spec
    for depth, part in enumerate(parts):
        node = dereference(spec, node)
        if not isinstance(node, Mapping) or part not in node:
            where = encode_pointer(*parts[: depth + 1])
            raise SpecUnavailable(f"{SPEC_PATH.name} has nothing at {where}")
        node = node[part]
    resolved = dereference(spec, node)
    if not isinstance(resolved, Mapping):
        raise SpecUnavailable(f"{SPEC_PATH.name}: {encode_pointer(*parts)} is not a schema")
    return resolved


def _enum(*parts: str) -> tuple[str, ...]:
    schema = _schema_of(*parts)
    if not isinstance(schema.get("enum"), list):
        raise SpecUnavailable(f"{SPEC_PATH.name}: {encode_pointer(*parts)} has no enum")
    return tuple(schema["enum"])


@cache
def call_statuses() -> tuple[str, ...]:
    """The statuses a call record may have (the `Call` schema's `status` enum), spec order."""
    return _enum("components", "schemas", "Call", "properties", "status")


@cache
def listed_statuses() -> tuple[str, ...]:
    """The statuses a listed call may have (the `CallSummary` schema's `status` enum): every
    status but those of calls that are never listed (contract.md: deleted calls)."""
    return _enum("components", "schemas", "CallSummary", "properties", "status")


@cache
def call_types() -> tuple[str, ...]:
    """The `Call` schema's `type` enum, in spec order."""
    return _enum("components", "schemas", "Call", "properties", "type")


@cache
def _parameter_schema(location: str, name: str) -> Mapping[str, Any]:
    """The resolved schema of the operations' parameter `name` in `location` (path, query)."""
    spec = load_spec()
    for item in spec.get("paths", {}).values():
        operations = [item, *(value for value in item.values() if isinstance(value, Mapping))]
        for operation in operations:  # the path item's own parameters, then each operation's
            for raw in operation.get("parameters", []):
                parameter = dereference(spec, raw)
                if parameter.get("in") == location and parameter.get("name") == name:
                    schema = dereference(spec, parameter.get("schema", {}))
                    if isinstance(schema, Mapping):
                        return MappingProxyType(dict(schema))
    raise SpecUnavailable(f"{SPEC_PATH.name} documents no {location} parameter {name!r}")


def _keyword(location: str, name: str, keyword: str) -> int:
    value = _parameter_schema(location, name).get(keyword)
    if not isinstance(value, int) or isinstance(value, bool):
        raise SpecUnavailable(
            f"{SPEC_PATH.name}: the {location} parameter {name!r} has no integer {keyword}"
        )
    return value


@cache
def id_bounds() -> tuple[int, int]:
    """(minimum, maximum) of a call id: the `call_id` path parameter's schema."""
    return _keyword("path", "call_id", "minimum"), _keyword("path", "call_id", "maximum")


def _bounds(location: str, name: str) -> tuple[int, int, int]:
    minimum, maximum = _keyword(location, name, "minimum"), _keyword(location, name, "maximum")
    return minimum, maximum, _keyword(location, name, "default")


@cache
def limit_bounds() -> tuple[int, int, int]:
    """(minimum, maximum, default) of listCalls' `limit` query parameter."""
    return _bounds("query", "limit")


@cache
def offset_bounds() -> tuple[int, int, int]:
    """(minimum, maximum, default) of listCalls' `offset` query parameter."""
    return _bounds("query", "offset")


def offset_minimum() -> int:
    """The smallest `offset` listCalls takes."""
    return offset_bounds()[0]


@cache
def documented_headers() -> Mapping[str, Mapping[str, Any]]:
    """Lower-cased header name -> its resolved schema, from the spec's components/headers."""
    spec = load_spec()
    return MappingProxyType(
        {
            name.lower(): dereference(spec, dereference(spec, header).get("schema", {}))
            for name, header in spec.get("components", {}).get("headers", {}).items()
        }
    )


# ---- what the suite asks ---------------------------------------------------------------------


def response_schema(label: str, status: int) -> tuple[Mapping[str, Any], str | None] | None:
    """The JSON schema of `label`'s documented response for `status` and its component name."""
    method, path = label.split(" ", 1)
    if path not in load_spec()["paths"]:
        return None  # (not cached: recorded traffic may hold any number of other paths)
    return _response_schema(method.lower(), path, status)


@cache  # asked for every response a run or a recording holds: resolved once
def _response_schema(
    method: str, path: str, status: int
) -> tuple[Mapping[str, Any], str | None] | None:
    spec = load_spec()
    operation = spec["paths"][path].get(method)
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
def _call_property_validators() -> Mapping[str, Draft202012Validator]:
    """A validator per property of the spec's `Call` that the error bodies do not name, but
    `id`: the requester named the id, so an error that repeats it leaks nothing."""
    from jsonschema import Draft202012Validator  # only here: governance runs without it

    spec = load_spec()
    error_names = {*spec["components"]["schemas"]["Error"]["properties"], "id"}
    root = {"components": spec["components"]}
    call = encode_pointer("components", "schemas", "Call", "properties")
    return MappingProxyType(
        {
            name: Draft202012Validator({**root, "$ref": f"#{call}{encode_pointer(name)}"})
            for name in spec["components"]["schemas"]["Call"]["properties"]
            if name not in error_names
        }
    )


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


Shape = Mapping[str, "Shape | None"]  # property -> the shape of its object, None for a leaf


@cache
def _shape(schema_name: str, enclosing: frozenset[str] = frozenset()) -> Shape:
    """The object properties of a component schema, nested component objects as shapes; a
    component met again inside itself (a recursive schema) is kept whole, as a leaf."""
    spec = load_spec()
    schema, _ = resolve({"$ref": "#" + encode_pointer("components", "schemas", schema_name)}, spec)
    inside = enclosing | {schema_name}
    shape: dict[str, Shape | None] = {}
    for prop, node in schema.get("properties", {}).items():
        target, name = resolve(node, spec)
        nested = name is not None and name not in inside and "properties" in target
        shape[prop] = _shape(name, inside) if nested and name is not None else None
    return MappingProxyType(shape)


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
    """Each path template as a pattern that ends a request's path, its parameters named."""
    return tuple(
        (re.compile(re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(path)) + "/?$"), path)
        for path in load_spec()["paths"]
    )


def match_path(path: str) -> tuple[str, dict[str, str]] | None:
    """The spec's path template that ends `path` (a base URL may add a prefix, `/api`) and
    its path parameters, decoded; the most specific one when several do; None when none."""
    found = [
        (match.start(), template, match)
        for pattern, template in _path_patterns()
        if (match := pattern.search(path)) is not None
    ]
    if not found:
        return None
    _, template, match = min(found, key=lambda item: item[0])  # the longest match
    return template, {name: unquote(value) for name, value in match.groupdict().items()}


def operation_label(method: str, path: str) -> str:
    """`GET /v2/calls/{call_id}` for a request to /v2/calls/77; the raw path if none matches."""
    matched = match_path(path)
    return f"{method.upper()} {matched[0] if matched is not None else path}"
