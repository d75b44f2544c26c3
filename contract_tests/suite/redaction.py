"""The API key, removed from every response before anything can quote it.

Schemathesis filters the Authorization header by name, but a server may echo the key in a
body or another header, and failure messages quote both: they reach the screen, summary.md
and junit.xml. The run's transport applies this to every response it receives.
"""

from __future__ import annotations

import base64
from functools import cache

from schemathesis import Response

from contract_tests.run.plan import api_key

FILTERED = "[Filtered]"  # what Schemathesis puts in place of the Authorization header


@cache
def key_forms(key: str) -> tuple[str, ...]:
    """The key as a server might echo it: raw, and base64 (standard and URL-safe) of the key,
    of `Bearer <key>` and of `:<key>` (a Basic-auth pair with an empty user)."""
    forms = [key]
    for text in (key, f"Bearer {key}", f":{key}"):
        encoded = text.encode()
        forms += [base64.b64encode(encoded).decode(), base64.urlsafe_b64encode(encoded).decode()]
        forms += [form.rstrip("=") for form in forms[-2:]]
    # Longest first, so that a form containing a shorter one is replaced whole.
    return tuple(sorted(set(forms), key=len, reverse=True))


def redact_text(text: str) -> str:
    """`text` with every form of the key replaced."""
    for form in key_forms(api_key()):
        text = text.replace(form, FILTERED)
    return text


def redact_key(response: Response) -> None:
    """Replace the API key wherever a server echoed it back (body or headers)."""
    for form in key_forms(api_key()):
        raw = form.encode()
        if raw in response.content:
            response.content = response.content.replace(raw, FILTERED.encode())
        for name, values in response.headers.items():
            if any(form in value for value in values):
                response.headers[name] = [value.replace(form, FILTERED) for value in values]
