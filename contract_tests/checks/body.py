"""Decoded response bodies, shared by every check and hook of a run."""

from __future__ import annotations

from typing import Any

from schemathesis import Response


def response_json(response: Response) -> Any:
    """The decoded body; Schemathesis caches it on the response, so a large body is parsed
    once for all checks (a 50 MB body parsed by each check took gigabytes)."""
    try:
        return response.json()
    except ValueError:  # not JSON, or not text (UnicodeDecodeError is a ValueError)
        return None
