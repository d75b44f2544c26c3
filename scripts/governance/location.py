"""Where a finding is, in words a person reads: `GET /v2/calls/{call_id} → 200 → interruptions`.

The JSON pointer stays the exact address; these words are what a reviewer scans. JSON bodies
(`application/json`) are the default and not named; other media types are.
"""

from __future__ import annotations

from typing import Any

from contract_tests.spec import decode_pointer
from scripts.governance.spec import resolve

ARROW = " → "
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SKIPPED = {"schema", "content", "application/json", "oneOf", "anyOf", "allOf"}


def operation_of(pointer: str) -> str:
    """'/paths/~1v2~1calls/get/...' -> 'GET /v2/calls'; '' outside an operation."""
    parts = decode_pointer(pointer)
    if len(parts) >= 3 and parts[0] == "paths" and parts[2] in METHODS:
        return f"{parts[2].upper()} {parts[1]}"
    return ""


def _node_at(document: dict[str, Any], parts: list[str]) -> Any:
    node: Any = document
    for part in parts:
        node = resolve(document, node)
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return resolve(document, node)


def _parameter(documents: tuple[dict[str, Any], ...], parts: list[str]) -> str:
    for document in documents:
        found = _node_at(document, parts)
        if isinstance(found, dict) and "name" in found:
            return f"{found.get('in', '?')} parameter {found['name']}"
    return f"parameter {parts[-1]}"


def describe(pointer: str, operation: str, *documents: dict[str, Any]) -> str:
    """The finding's place in words; `documents` (head, then base) name parameters."""
    parts = decode_pointer(pointer)
    words: list[str] = [operation] if operation else []
    start = 0
    if len(parts) >= 2 and parts[0] == "paths":
        start = 3 if len(parts) >= 3 and parts[2] in METHODS else 2
        if not operation:
            words.append(parts[1])
    elif parts[:1] == ["components"] and len(parts) >= 3:
        kind = {"schemas": "schema", "securitySchemes": "security scheme"}.get(parts[1], parts[1])
        words.append(f"{kind} {parts[2]}")
        start = 3
    elif parts == ["info", "version"]:
        return "info.version"
    elif parts == ["security"]:
        return "security (global)"
    segments: list[str] = []  # a property path: cost.breakdown.stt, calls[].status
    index = start
    while index < len(parts):
        part, following = parts[index], parts[index + 1] if index + 1 < len(parts) else None
        if part == "properties" and following is not None:
            segments.append(following)
        elif part == "parameters" and following is not None:
            words.append(_parameter(documents, parts[: index + 2]))
        elif part == "responses" and following is not None:
            words.append(following)
        elif part == "headers" and following is not None:
            words.append(f"header {following}")
        elif part in ("oneOf", "anyOf", "allOf") and following is not None:
            pass  # the branch index is in the pointer
        else:
            if part == "items":
                segments[-1:] = [(segments[-1] if segments else "") + "[]"]
            elif part not in _SKIPPED:
                words.append(part)
            index += 1
            continue
        index += 2
    if segments:
        words.append(".".join(segments))
    elif parts[-1:] == ["schema"] and "content" in parts:
        words.append("body")
    return ARROW.join(words) or "the spec"
