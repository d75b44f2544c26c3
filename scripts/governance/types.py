"""Is a type or format change generalised, specialised, compatible or changed? oasdiff's answer.

oasdiff 1.28 judges a type change by a small lattice: a type is covered by itself, an integer
by a number; in a location that is not strongly typed (a header, a query parameter: text on
the wire) any value also reads as a string. Formats widen only int32 -> int64 (or bigint),
float -> double and date or time -> date-time; removing a format widens it. A request accepts
what it accepted before when the new type covers the old one; a response sends only what
clients expect when the old type covers the new one. This module restates those rules for
plain schema dicts; the verdicts match oasdiff's rule ids (`*-type-changed`,
`*-type-generalized`, `*-type-specialized`, `*-type-compatible`).
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]
# format -> the formats it widens to, per type (oasdiff's isFormatContained).
_WIDER_FORMATS = {
    "number": {"float": {"double"}},
    "integer": {"int32": {"int64", "bigint"}, "int64": {"bigint"}},
    "string": {"date": {"date-time"}, "time": {"date-time"}},
}


def types_of(schema: Schema) -> list[str]:
    """The declared types without null (nullability is judged by its own rules)."""
    declared = schema.get("type")
    found = [declared] if isinstance(declared, str) else list(declared or [])
    return sorted({str(t) for t in found} - {"null"})


def strongly_typed(media_type: str) -> bool:
    """JSON tells 1 from "1"; text (headers, XML, form data) does not."""
    return media_type == "application/json" or media_type.endswith("+json")


def _subtype(sub: str, sup: str) -> bool:
    return sub == sup or (sub == "integer" and sup == "number")


def _covered(sub: list[str], sup: list[str]) -> bool:
    """Every type of a non-empty `sub` is covered by a type of `sup`."""
    return bool(sub) and all(any(_subtype(t, s) for s in sup) for t in sub)


def _type_still_fits(to: list[str], from_: list[str], strong: bool) -> bool:
    """Values of the types `from_` (removed) still fit the types `to` (added)."""
    if len(to) == 1 and len(from_) == 1 and _subtype(from_[0], to[0]):
        return True
    return not strong and (not to or to == ["string"])


def _format_still_fits(types: list[str], to: Any, from_: Any) -> bool:
    if not to:
        return True  # no format: any value of the type fits
    if len(types) != 1:
        return False
    return to in _WIDER_FORMATS.get(types[0], {}).get(from_, set())


def _changed(old: Schema, new: Schema) -> tuple[list[str], list[str], bool, bool]:
    old_types, new_types = types_of(old), types_of(new)
    return old_types, new_types, old_types != new_types, old.get("format") != new.get("format")


def request_verdict(old: Schema, new: Schema) -> str | None:
    """'changed' or 'generalized' for a request parameter (text on the wire), None if same."""
    old_types, new_types, type_changed, format_changed = _changed(old, new)
    if not (type_changed or format_changed):
        return None
    added = [t for t in new_types if t not in old_types]
    removed = [t for t in old_types if t not in new_types]
    breaks = type_changed and not _type_still_fits(added, removed, strong=False)
    breaks = breaks or (
        format_changed and not _format_still_fits(new_types, new.get("format"), old.get("format"))
    )
    return "changed" if breaks else "generalized"


def response_verdict(old: Schema, new: Schema, *, strong: bool) -> str | None:
    """'changed', 'generalized', 'specialized' or 'compatible' for what a server sends."""
    old_types, new_types, type_changed, format_changed = _changed(old, new)
    if not (type_changed or format_changed):
        return None
    narrowed = type_changed and _covered(new_types, old_types)
    judge_type = type_changed and not narrowed
    if judge_type and not old_types:
        breaks = False  # a type where there was none only narrows what is sent
    else:
        added = [t for t in new_types if t not in old_types]
        removed = [t for t in old_types if t not in new_types]
        # Responses are judged backwards: the old type must still cover what is now sent.
        breaks = judge_type and not _type_still_fits(removed, added, strong)
        breaks = breaks or (
            format_changed
            and not _format_still_fits(old_types, old.get("format"), new.get("format"))
        )
    if breaks:
        return "generalized" if type_changed and _covered(old_types, new_types) else "changed"
    if type_changed and old_types and new_types and not narrowed:
        return "compatible"
    return "specialized"


def list_of_types(schema: Schema, resolve: Any) -> tuple[str, list[str]] | None:
    """oasdiff's "list of types" pattern: a typed schema, or oneOf/anyOf of one-type schemas.

    Returns ('single' or 'list', types), or None when the schema is not such a pattern.
    """
    if "not" in schema or schema.get("allOf") or schema.get("properties"):
        return None
    declared = schema.get("type")
    if declared:
        return "single", [declared if isinstance(declared, str) else str(declared[0])]
    for keyword in ("oneOf", "anyOf"):
        branches = [resolve(branch) for branch in schema.get(keyword) or []]
        found = [_single_type(branch) for branch in branches]
        if found and all(found):
            return "list", sorted({str(t) for t in found})
    return None


def _single_type(schema: Any) -> str | None:
    if not isinstance(schema, dict) or schema.get("properties") or schema.get("allOf"):
        return None
    declared = schema.get("type")
    if isinstance(declared, str):
        return declared
    if isinstance(declared, list) and len(declared) == 1:
        return str(declared[0])
    return None
