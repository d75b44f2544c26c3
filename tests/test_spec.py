"""The spec is valid OpenAPI 3.1, and every example in it satisfies the schema it illustrates.

Examples are what readers copy and what the reference server serves, so a wrong one misleads
twice. Each is validated with JSON Schema Draft 2020-12 (the dialect of OpenAPI 3.1), with
format checking on and `$ref`s resolved inside the spec document.
"""

from __future__ import annotations

import copy
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import OpenAPIV31SpecValidator, validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from contract_tests.spec import encode_pointer, follow

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
