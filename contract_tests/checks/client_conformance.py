"""Can the generated client read what the server sent?

A body that the schema accepts but the client cannot parse is a contract failure too: it is
what every user of the client would hit. The model for a response is the component the spec
names for its status, so nothing here is a copy of the spec.

The comparison is by value, as a client user sees it: `6.80` and `6.8` are one number, key
order is nothing, and two texts of one instant (`10:20:57.123Z` and `10:20:57.123000Z`) are
one date-time. Only a value the client changed, lost or could not read is a failure.
"""

from __future__ import annotations

import marshal
from datetime import datetime
from typing import Any

from contract_tests.checks.failures import ClientCannotRead
from contract_tests.spec import response_schema


def _instant(text: str) -> datetime | None:
    """An RFC 3339 date-time with an offset as an aware datetime (microsecond resolution, as
    the client reads it); None for any other string."""
    if len(text) < 20 or text[10] not in "Tt":
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _same_value(sent: Any, read_back: Any) -> bool:
    if isinstance(sent, dict) and isinstance(read_back, dict):
        return sent.keys() == read_back.keys() and all(
            _same_value(sent[key], read_back[key]) for key in sent
        )
    if isinstance(sent, list) and isinstance(read_back, list):
        return len(sent) == len(read_back) and all(
            _same_value(a, b) for a, b in zip(sent, read_back, strict=True)
        )
    if isinstance(sent, str) and isinstance(read_back, str) and sent != read_back:
        before, after = _instant(sent), _instant(read_back)
        return before is not None and before == after
    if isinstance(sent, bool) or isinstance(read_back, bool):
        return sent is read_back
    return bool(sent == read_back)  # numbers compare by value: 99 == 99.0, 6.8 == 6.80


def _identical(sent: Any, read_back: Any) -> bool:
    """The same JSON values, types and key order alike: the common case, told ~3x faster than
    `_same_value` walks it. marshal's version 2 writes values only (no shared references,
    bool apart from int, int apart from float), so equal bytes are equal documents."""
    try:
        return marshal.dumps(sent, 2) == marshal.dumps(read_back, 2)
    except ValueError:  # a value marshal cannot write: compared by _same_value
        return False


def _differing_keys(sent: dict[str, Any], read_back: dict[str, Any]) -> list[str]:
    return sorted(
        key
        for key in set(sent) | set(read_back)
        if key not in sent or key not in read_back or not _same_value(sent[key], read_back[key])
    )


def round_trip_failure(label: str, status: int, body: Any) -> ClientCannotRead | None:
    """Why `body` does not survive `Model.from_dict(body).to_dict()`; None when it does.

    Returns None too when the spec names no model for this response (nothing to compare).
    """
    found = response_schema(label, status)
    if found is None or found[1] is None:
        return None
    model_name = found[1]
    # Imported on first use: the client (with httpx and attrs) is not needed before a run's
    # first answer, and a run's start waits for every import ahead of its first request.
    from thinnestai_calls_client import models

    model = getattr(models, model_name, None)
    if model is None:
        return ClientCannotRead(
            f"the generated client has no model {model_name}: regenerate it (nox -s generate)",
            field=model_name,
            kind="no model",
        )
    try:
        parsed = model.from_dict(body)
        again = parsed.to_dict()
    except Exception as error:  # any exception here is what a client user would see
        return ClientCannotRead(
            f"the generated client cannot read this {status} body as {model_name}: {error!r}",
            field=model_name,
            kind=f"cannot parse: {type(error).__name__}",
        )
    if _identical(body, again) or _same_value(body, again):
        return None
    changed = (
        _differing_keys(body, again) if isinstance(body, dict) and isinstance(again, dict) else []
    )
    where = ", ".join(changed[:5]) or "the top level"
    return ClientCannotRead(
        f"{model_name}.from_dict(body).to_dict() reads different values at {where}",
        field=f"{model_name}: {where}",
        kind="values change",
    )


def round_trip_problem(label: str, status: int, body: Any) -> str | None:
    """The message of `round_trip_failure`, or None."""
    failure = round_trip_failure(label, status, body)
    return None if failure is None else failure.detail
