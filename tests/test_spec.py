"""The spec is valid OpenAPI 3.1, and every example in it satisfies the schema it illustrates.

Examples are what readers copy and what the reference server serves, so a wrong one misleads
twice. Each is validated with JSON Schema Draft 2020-12 (the dialect of OpenAPI 3.1), with
format checking on and `$ref`s resolved inside the spec document.
"""

from __future__ import annotations

import copy
import subprocess
import sys
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import OpenAPIV31SpecValidator, validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from contract_tests import spec as spec_module
from contract_tests.errors import CouldNotRun
from contract_tests.spec import encode_pointer, follow

REPO = Path(__file__).resolve().parent.parent
SPEC_URI = "urn:thinnestai:calls-api"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
INT32 = range(-(2**31), 2**31)
INT64 = range(-(2**63), 2**63)
# Keywords whose value is one subschema, or a list or map of subschemas.
SUBSCHEMA = ("items", "not", "additionalProperties", "if", "then", "else", "contains")
SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs")

Spec = dict[str, Any]


@dataclass(frozen=True)
class Example:
    """One example value, where it is written, and the schema it must satisfy."""

    location: str
    schema: str
    value: Any


_pointer = encode_pointer


def _follow(spec: Spec, pointer: str, node: Any) -> tuple[str, Any]:
    """Where a `$ref` (if any) leads: the target's pointer and the target."""
    target, at = follow(spec, node)
    return (pointer if at is None else at), target


def _schema_examples(pointer: str, schema: Any) -> Iterator[Example]:
    """`examples` (and the deprecated `example`) written inside a schema and its subschemas."""
    if not isinstance(schema, dict) or "$ref" in schema:
        return  # a $ref'd schema is visited where it is defined
    for index, value in enumerate(schema.get("examples", [])):
        yield Example(f"{pointer}/examples/{index}", pointer, value)
    if "example" in schema:
        yield Example(f"{pointer}/example", pointer, schema["example"])
    for keyword in SUBSCHEMA:
        if keyword in schema:
            yield from _schema_examples(pointer + _pointer(keyword), schema[keyword])
    for keyword in SUBSCHEMA_LISTS:
        for index, subschema in enumerate(schema.get(keyword, [])):
            yield from _schema_examples(pointer + _pointer(keyword, index), subschema)
    for keyword in SUBSCHEMA_MAPS:
        for name, subschema in schema.get(keyword, {}).items():
            yield from _schema_examples(pointer + _pointer(keyword, name), subschema)


def _holder_examples(spec: Spec, pointer: str, holder: Any) -> Iterator[Example]:
    """Examples of a parameter, header or media type object, checked against its `schema`."""
    pointer, holder = _follow(spec, pointer, holder)
    if "schema" not in holder:
        return
    schema = pointer + "/schema"
    if "example" in holder:
        yield Example(f"{pointer}/example", schema, holder["example"])
    for name, example in holder.get("examples", {}).items():
        used_at = pointer + _pointer("examples", name)
        defined_at, example = _follow(spec, used_at, example)
        if "value" in example:
            where = used_at if used_at == defined_at else f"{used_at} (#{defined_at})"
            yield Example(f"{where}/value", schema, example["value"])
    yield from _schema_examples(schema, holder["schema"])


def _response_examples(spec: Spec, pointer: str, response: Any) -> Iterator[Example]:
    pointer, response = _follow(spec, pointer, response)
    for name, header in response.get("headers", {}).items():
        yield from _holder_examples(spec, pointer + _pointer("headers", name), header)
    for media_type, content in response.get("content", {}).items():
        yield from _holder_examples(spec, pointer + _pointer("content", media_type), content)


def collect_examples(spec: Spec) -> list[Example]:
    """Every example in the spec, once per schema it is used with."""
    found: list[Example] = []
    for path, path_item in spec.get("paths", {}).items():
        path_pointer = _pointer("paths", path)
        operations = [(path_pointer, path_item)] + [
            (path_pointer + _pointer(method), path_item[method])
            for method in HTTP_METHODS
            if method in path_item
        ]
        for pointer, operation in operations:
            for index, parameter in enumerate(operation.get("parameters", [])):
                found += _holder_examples(spec, pointer + _pointer("parameters", index), parameter)
            if "requestBody" in operation:
                at, body = _follow(spec, pointer + "/requestBody", operation["requestBody"])
                for media_type, content in body.get("content", {}).items():
                    found += _holder_examples(spec, at + _pointer("content", media_type), content)
            for status, response in operation.get("responses", {}).items():
                found += _response_examples(spec, pointer + _pointer("responses", status), response)
    components = spec.get("components", {})
    for kind in ("parameters", "headers"):
        for name, holder in components.get(kind, {}).items():
            found += _holder_examples(spec, _pointer("components", kind, name), holder)
    for name, response in components.get("responses", {}).items():
        found += _response_examples(spec, _pointer("components", "responses", name), response)
    for name, schema in components.get("schemas", {}).items():
        found += _schema_examples(_pointer("components", "schemas", name), schema)
    unique = {(example.location, example.schema): example for example in found}
    return list(unique.values())


def _is_int32(value: object) -> bool:
    return not isinstance(value, int) or value in INT32


def _is_int64(value: object) -> bool:
    return not isinstance(value, int) or value in INT64


def _is_uri(value: object) -> bool:
    """An absolute URI: a scheme, and no whitespace."""
    if not isinstance(value, str):
        return True
    return bool(urllib.parse.urlsplit(value).scheme) and not any(c.isspace() for c in value)


def _format_checker() -> FormatChecker:
    """Draft 2020-12 formats plus OpenAPI's int32 and int64, and `uri`, which jsonschema checks
    only with rfc3987 installed. (date-time needs rfc3339-validator: openapi-spec-validator
    brings it, and test_a_broken_example_is_caught fails without it.)"""
    checker = FormatChecker()
    checker.checks("int32")(_is_int32)
    checker.checks("int64")(_is_int64)
    checker.checks("uri")(_is_uri)
    return checker


def example_errors(spec: Spec) -> list[str]:
    """One line per example that does not satisfy its schema; empty when all do."""
    registry: Registry[Any] = Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(spec))
    checker = _format_checker()
    errors = []
    for example in collect_examples(spec):
        schema = {"$ref": SPEC_URI + "#" + urllib.parse.quote(example.schema, safe="/~")}
        validator = Draft202012Validator(schema, registry=registry, format_checker=checker)
        for error in validator.iter_errors(example.value):
            errors.append(f"{example.location}: {error.message} (at {error.json_path})")
    return errors


def test_spec_is_valid_openapi_3_1(spec: Spec) -> None:
    assert spec["openapi"].startswith("3.1.")
    validate(spec, cls=OpenAPIV31SpecValidator)


def test_spec_validator_rejects_a_broken_document(spec: Spec) -> None:
    broken = copy.deepcopy(spec)
    broken["components"]["parameters"]["CallId"]["in"] = "body"  # an OpenAPI 2 location
    with pytest.raises(OpenAPIValidationError, match='"body" is not one of'):
        validate(broken, cls=OpenAPIV31SpecValidator)


def test_every_example_satisfies_its_schema(spec: Spec) -> None:
    errors = example_errors(spec)
    assert not errors, "examples that break their schema:\n" + "\n".join(errors)


def test_examples_of_every_kind_are_found(spec: Spec) -> None:
    """Guards the walker: if it stops finding a kind of example, the test above proves little."""
    locations = "\n".join(example.location for example in collect_examples(spec))
    for expected in [
        "/components/parameters/CallId/example",  # a parameter example
        "/responses/200/content/application~1json/examples/page/value",  # a media type example
        "(#/components/examples/PendingPhoneCall)/value",  # a components/examples entry
        "/components/responses/ValidationFailed/content/application~1json/examples/badCallId",
        "/components/schemas/Call/properties/ended_reason/examples/0",  # a schema's examples
    ]:
        assert expected in locations


def test_every_component_example_is_used_by_a_media_type(spec: Spec) -> None:
    """A components/examples entry that nothing references has no schema to be checked with."""
    used = {
        example.location.split("(#")[1].split(")")[0]
        for example in collect_examples(spec)
        if "(#/components/examples/" in example.location
    }
    defined = {_pointer("components", "examples", name) for name in spec["components"]["examples"]}
    assert defined <= used, f"unused examples: {sorted(defined - used)}"


Mutation = Callable[[Spec], object]


def _ended_call(spec: Spec) -> dict[str, Any]:
    value: dict[str, Any] = spec["components"]["examples"]["EndedWebCall"]["value"]
    return value


def _list_page(spec: Spec) -> dict[str, Any]:
    media = spec["paths"]["/v2/calls"]["get"]["responses"]["200"]["content"]["application/json"]
    value: dict[str, Any] = media["examples"]["page"]["value"]
    return value


def _not_found(spec: Spec) -> dict[str, Any]:
    media = spec["components"]["responses"]["NotFound"]["content"]["application/json"]
    value: dict[str, Any] = media["examples"]["notFound"]["value"]
    return value


def _ended_reason_schema(spec: Spec) -> dict[str, Any]:
    value: dict[str, Any] = spec["components"]["schemas"]["Call"]["properties"]["ended_reason"]
    return value


# kind of breakage: (how to break a copy of the spec, where the error is, what it says)
BROKEN_EXAMPLES: dict[str, tuple[Mutation, str, str]] = {
    "enum value": (
        lambda s: _ended_call(s).update(status="archived"),
        "EndedWebCall",
        "'archived' is not one of",
    ),
    "date-time format": (  # matches the schema's pattern: only the format check can catch it
        lambda s: _ended_call(s).update(created_at="2026-02-30T10:20:57Z"),
        "EndedWebCall",
        "is not a 'date-time'",
    ),
    "uri format": (
        lambda s: _ended_call(s).update(recording_url="recordings/77.mp3"),
        "EndedWebCall",
        "is not a 'uri'",
    ),
    "missing property": (
        lambda s: _ended_call(s).pop("transcript"),
        "EndedWebCall",
        "'transcript' is a required property",
    ),
    "int64 format": (
        lambda s: _list_page(s).update(total=2**63),
        "examples/page/value",
        "is not a 'int64'",
    ),
    "parameter minimum": (
        lambda s: s["components"]["parameters"]["CallId"].update(example=0),
        "/components/parameters/CallId/example",
        "less than the minimum",
    ),
    "error body type": (
        lambda s: _not_found(s).update(detail=["Call not found"]),
        "/components/responses/NotFound/",
        "is not of type 'string'",
    ),
    "schema examples pattern": (
        lambda s: _ended_reason_schema(s)["examples"].append("User Hangup"),
        "/components/schemas/Call/properties/ended_reason/examples/9",
        "does not match",
    ),
}


@pytest.mark.parametrize("kind", BROKEN_EXAMPLES)
def test_a_broken_example_is_caught(spec: Spec, kind: str) -> None:
    """Proves each check fires: format checking in particular passes silently when disabled."""
    mutate, location, message = BROKEN_EXAMPLES[kind]
    broken = copy.deepcopy(spec)
    mutate(broken)
    errors = example_errors(broken)
    assert any(location in error and message in error for error in errors), errors


# ---- contract_tests/spec.py: the one reader of the spec -----------------------------------


def _component(spec: Spec, node: dict[str, Any]) -> dict[str, Any]:
    """A `#/components/schemas/X` reference followed by hand (or the node itself)."""
    if "$ref" not in node:
        return node
    kind, name = node["$ref"].split("/")[-2:]
    target: dict[str, Any] = spec["components"][kind][name]
    return target


def _parameter(spec: Spec, name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(
        parameter
        for parameter in spec["components"]["parameters"].values()
        if parameter["name"] == name
    )
    return found["schema"]  # type: ignore[no-any-return]


def test_vocabulary_is_what_the_spec_says(spec: Spec) -> None:
    """Each shared name equals the spec's own words, read from the YAML here."""
    call = spec["components"]["schemas"]["Call"]["properties"]
    summary = spec["components"]["schemas"]["CallSummary"]["properties"]
    assert spec_module.call_statuses() == tuple(_component(spec, call["status"])["enum"])
    assert spec_module.listed_statuses() == tuple(_component(spec, summary["status"])["enum"])
    assert spec_module.call_types() == tuple(_component(spec, call["type"])["enum"])
    call_id, limit, offset = (_parameter(spec, name) for name in ("call_id", "limit", "offset"))
    assert spec_module.id_bounds() == (call_id["minimum"], call_id["maximum"])
    assert spec_module.limit_bounds() == (limit["minimum"], limit["maximum"], limit["default"])
    assert spec_module.offset_bounds() == (offset["minimum"], offset["maximum"], offset["default"])
    assert spec_module.offset_minimum() == offset["minimum"]
    headers = spec["components"]["headers"]
    assert spec_module.documented_headers() == {
        name.lower(): header["schema"] for name, header in headers.items()
    }


def test_listed_statuses_are_the_call_statuses_but_deleted() -> None:
    """contract.md: a listed call has any status but `deleted` (deleted calls are not listed)."""
    listed, every = spec_module.listed_statuses(), spec_module.call_statuses()
    assert set(listed) < set(every)
    assert [status for status in every if status not in listed] == ["deleted"]


POINTER_PARTS = [
    ("paths", "/v2/calls/{call_id}", "get"),
    ("a~b", "~1", "~0", "/~", "~/"),
    ("", "x", ""),
    ("components", "schemas", "Call", "properties", 0),
    (),
]


@pytest.mark.parametrize("parts", POINTER_PARTS)
def test_pointer_round_trip(parts: tuple[str | int, ...]) -> None:
    pointer = spec_module.encode_pointer(*parts)
    assert spec_module.decode_pointer(pointer) == [str(part) for part in parts]
    assert spec_module.decode_pointer("#" + pointer) == [str(part) for part in parts]


def test_pointer_escapes_as_rfc_6901_says() -> None:
    assert spec_module.encode_pointer("paths", "/v2/calls") == "/paths/~1v2~1calls"
    assert spec_module.encode_pointer("a~1b") == "/a~01b"  # `~` first, so ~1 stays literal
    assert spec_module.decode_pointer("/a~01b") == ["a~1b"]


LOOPS = {
    "self": {"components": {"schemas": {"A": {"$ref": "#/components/schemas/A"}}}},
    "pair": {
        "components": {
            "schemas": {
                "A": {"$ref": "#/components/schemas/B"},
                "B": {"$ref": "#/components/schemas/A"},
            }
        }
    },
}


@pytest.mark.parametrize("kind", LOOPS)
def test_a_ref_loop_raises_a_clear_error(kind: str) -> None:
    document = LOOPS[kind]
    start = {"$ref": "#/components/schemas/A"}
    for resolver in (
        lambda: spec_module.resolve(start, document),
        lambda: spec_module.follow(document, start),
        lambda: spec_module.dereference(document, start),
    ):
        with pytest.raises(spec_module.BrokenReference, match=r"\$ref loop: #/components"):
            resolver()


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("#/components/schemas/Missing", "points to nothing"),
        ("other.yaml#/components/schemas/A", "only local references"),
    ],
)
def test_a_dangling_or_remote_ref_raises(ref: str, message: str) -> None:
    document = {"components": {"schemas": {"A": {"type": "string"}}}}
    with pytest.raises(spec_module.SpecUnavailable, match=message):
        spec_module.dereference(document, {"$ref": ref})


def test_follow_gives_the_target_and_its_pointer(spec: Spec) -> None:
    status = spec["components"]["schemas"]["Call"]["properties"]["status"]
    target, at = spec_module.follow(spec, status)
    assert at is not None and target == spec_module.at_pointer(spec, at)
    assert target["enum"] == list(spec_module.call_statuses())
    assert spec_module.follow(spec, {"type": "string"}) == ({"type": "string"}, None)
    page = spec_module.at_pointer(spec, "/paths/~1v2~1calls/get/parameters/0")
    assert spec_module.dereference(spec, page)["name"] == "limit"  # a list index on the way


def test_resolve_names_the_component(spec: Spec) -> None:
    target, name = spec_module.resolve({"$ref": "#/components/schemas/Call"}, spec)
    assert name == "Call" and target is spec["components"]["schemas"]["Call"]


def test_a_recursive_schema_projects_without_recursing_forever(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`project` keeps a component met again inside itself whole (a tree of nodes)."""
    node = {"id": 1, "child": {"id": 2, "child": None, "extra": 1}, "extra": 0}
    document = {
        "openapi": "3.1.0",
        "components": {
            "schemas": {
                "Node": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "child": {"$ref": "#/components/schemas/Node"},
                    },
                }
            }
        },
    }
    monkeypatch.setattr(spec_module, "load_spec", lambda path=spec_module.SPEC_PATH: document)
    spec_module._shape.cache_clear()
    try:
        assert spec_module.project(node, "Node") == {"id": 1, "child": node["child"]}
    finally:
        spec_module._shape.cache_clear()


UNREADABLE = {
    "missing file": (None, "cannot read"),
    "broken YAML": ("openapi: 3.1.0\npaths: {\n  x: [1, 2\n", "is not valid YAML at line"),
    "tab indentation": ("openapi: 3.1.0\ninfo:\n\t title: x\n", "is not valid YAML"),
    "a list": ("- openapi\n- 3.1.0\n", "is not an OpenAPI document"),
    "no openapi key": ("swagger: '2.0'\npaths: {}\n", "is not an OpenAPI document"),
    "empty": ("", "is not an OpenAPI document"),
    "not UTF-8": (b"openapi: 3.1.0\ninfo: {title: \xff\xfe}\n", "is not UTF-8 text"),
}


@pytest.mark.parametrize("kind", UNREADABLE)
def test_an_unreadable_spec_could_not_run_with_one_line(tmp_path: Path, kind: str) -> None:
    content, message = UNREADABLE[kind]
    path = tmp_path / "calls.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    for load in (spec_module.load_spec, spec_module.load_file):
        with pytest.raises(spec_module.SpecUnavailable) as caught:
            load(path)
        assert isinstance(caught.value, CouldNotRun)
        text = str(caught.value)
        assert message in text and "\n" not in text and str(path) in text


def test_governance_reads_the_spec_through_this_module() -> None:
    """One SpecUnavailable, one loader, one resolver, one pointer, one path for the kit."""
    from scripts import codegen
    from scripts.governance import spec as governance

    assert governance.SpecUnavailable is spec_module.SpecUnavailable
    assert governance.load_file is spec_module.load_file
    assert governance.resolve is spec_module.dereference
    assert governance.pointer is spec_module.encode_pointer
    assert codegen.SPEC == spec_module.SPEC_PATH


def test_governance_imports_neither_jsonschema_nor_the_reference_server() -> None:
    """nox -s breaking installs PyYAML only: its imports must need nothing else."""
    code = (
        "import sys, scripts.breaking, contract_tests.spec as s; s.call_statuses(); "
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('jsonschema', 'starlette', 'httpx', 'schemathesis', 'referencing')); "
        "print(heavy); sys.exit(1 if heavy else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
