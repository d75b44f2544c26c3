"""A tiny TOML writer for Schemathesis' config: nested tables of strings, numbers, booleans
and lists of strings (all the config of a run uses; the standard library only reads TOML)."""

from __future__ import annotations

import json
from collections.abc import Mapping

Scalar = str | int | float | bool


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a valid TOML basic string
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _key(name: str) -> str:
    return name if name.replace("-", "").replace("_", "").isalnum() else json.dumps(name)


def dumps(data: Mapping[str, object], prefix: tuple[str, ...] = ()) -> str:
    """`data` as TOML: plain keys first, then one [table] per nested mapping."""
    lines = [f"{_key(k)} = {_value(v)}" for k, v in data.items() if not isinstance(v, Mapping)]
    text = ""
    if lines or not prefix:
        header = f"[{'.'.join(_key(part) for part in prefix)}]\n" if prefix else ""
        text = header + "".join(f"{line}\n" for line in lines)
    for name, value in data.items():
        if isinstance(value, Mapping):
            text += dumps(value, (*prefix, name))
    return text
