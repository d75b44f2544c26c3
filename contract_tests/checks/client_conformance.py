"""Can the generated client read what the server sent?

A body that the schema accepts but the client cannot parse is a contract failure too: it is
what every user of the client would hit. The model for a response is the component the spec
names for its status, so nothing here is a copy of the spec.
"""

from __future__ import annotations

import json
from typing import Any

from thinnestai_calls_client import models

from contract_tests.spec import response_schema


def _as_json(value: Any) -> Any:
    """The JSON document a value serialises to (so 6.80 and 6.8 compare equal)."""
    return json.loads(json.dumps(value))


def round_trip_problem(label: str, status: int, body: Any) -> str | None:
    """Why `body` does not survive `Model.from_dict(body).to_dict()`; None when it does.

    Returns None too when the spec names no model for this response (nothing to compare).
    """
    found = response_schema(label, status)
    if found is None or found[1] is None:
        return None
    model_name = found[1]
    model = getattr(models, model_name, None)
    if model is None:
        return f"the generated client has no model {model_name}: regenerate it (nox -s generate)"
    try:
        parsed = model.from_dict(body)
        again = parsed.to_dict()
    except Exception as error:  # any exception here is what a client user would see
        return f"the generated client cannot read this {status} body as {model_name}: {error!r}"
    before, after = _as_json(body), _as_json(again)
    if after != before:
        changed = (
            sorted(key for key in set(before) | set(after) if before.get(key) != after.get(key))
            if isinstance(before, dict) and isinstance(after, dict)
            else []
        )
        where = ", ".join(changed[:5]) or "the top level"
        return f"{model_name}.from_dict(body).to_dict() differs from the body at {where}"
    return None
