"""How documents become response bytes.

The clean server writes compact JSON with `json.dumps` and builds a list page by joining
ready-made summary bytes. Quirks swap in a `JsonWriter` with other options (indentation,
`\\uXXXX` escapes, other number forms, another key order): still JSON that decodes to the same
values, written the way other real servers write it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import Any

NumberForm = Callable[[str | None, int | float], str | None]  # (key, value) -> text or None
KeyOrder = Callable[[tuple[str, ...]], tuple[str, ...]]
Summary = tuple[dict[str, Any], bytes]  # a listed summary as a document and as its bytes


def compact(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class JsonWriter:
    """JSON text with optional indentation, ASCII escapes, number forms and key order.

    `number(key, value)` may return another JSON text for a number (the key is the name of
    the property that holds it); `order(keys)` gives the order an object's keys are written in.
    """

    indent: int | None = None
    ensure_ascii: bool = False
    number: NumberForm | None = None
    order: KeyOrder | None = None

    @property
    def plain(self) -> bool:
        return self == PLAIN

    def document(self, value: Any) -> bytes:
        if self.plain:
            return compact(value)  # the fast path: the clean server's bytes, unchanged
        out: list[str] = []
        self._write(value, None, 0, out)
        return "".join(out).encode("utf-8")

    def page(self, summaries: Sequence[Summary], total: int) -> bytes:
        """A listCalls body; the clean server joins prebuilt bytes, any other writer writes
        the whole page (so its wrapper object has the same form as its items)."""
        if self.plain:
            items = b",".join(body for _, body in summaries)
            return b'{"calls":[' + items + b'],"total":' + str(total).encode() + b"}"
        return self.document({"calls": [document for document, _ in summaries], "total": total})

    def _string(self, text: str) -> str:
        escape = encode_basestring_ascii if self.ensure_ascii else encode_basestring
        return str(escape(text))

    def _newline(self, depth: int) -> str:
        return "" if self.indent is None else "\n" + " " * (self.indent * depth)

    def _write(self, value: Any, key: str | None, depth: int, out: list[str]) -> None:
        if isinstance(value, dict):
            self._write_object(value, depth, out)
        elif isinstance(value, list):
            self._write_array(value, key, depth, out)
        elif isinstance(value, str):
            out.append(self._string(value))
        elif value is None or isinstance(value, bool):
            out.append(json.dumps(value))
        elif isinstance(value, int | float):
            text = self.number(key, value) if self.number is not None else None
            out.append(json.dumps(value) if text is None else text)
        else:
            raise TypeError(f"cannot write {type(value).__name__} as JSON")

    def _write_object(self, value: dict[str, Any], depth: int, out: list[str]) -> None:
        keys = tuple(value)
        if self.order is not None:
            keys = self.order(keys)
        if not keys:
            out.append("{}")
            return
        colon = ":" if self.indent is None else ": "
        out.append("{")
        for index, name in enumerate(keys):
            out.append(("," if index else "") + self._newline(depth + 1))
            out.append(self._string(name) + colon)
            self._write(value[name], name, depth + 1, out)
        out.append(self._newline(depth) + "}")

    def _write_array(self, value: list[Any], key: str | None, depth: int, out: list[str]) -> None:
        if not value:
            out.append("[]")
            return
        out.append("[")
        for index, item in enumerate(value):
            out.append(("," if index else "") + self._newline(depth + 1))
            self._write(item, key, depth + 1, out)
        out.append(self._newline(depth) + "]")


PLAIN = JsonWriter()
