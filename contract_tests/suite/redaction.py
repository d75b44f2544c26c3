"""The API key, filtered from every text before anything can quote it.

Schemathesis filters the Authorization header by name, but a server may echo the key in a
body or another header, and failure messages quote both: they reach the screen, summary.md
and junit.xml. The run's transport filters every response it receives (transport.py); the
evidence and the reports filter every text they write.
"""

from __future__ import annotations

import base64
from functools import cache

from contract_tests.checks.credentials import secret_variants

FILTERED = "[Filtered]"  # what Schemathesis puts in place of the Authorization header


@cache  # one key per run, asked for on every response
def key_forms(key: str) -> tuple[str, ...]:
    """The key as a server might echo it, and every near-miss of it the suite sends
    (checks/credentials.py: those are secrets too): raw, and base64 (standard and URL-safe)
    of each, of `Bearer <it>`, of `:<it>` and `<it>:` (Basic-auth pairs)."""
    forms: list[str] = []
    for secret in secret_variants(key):
        forms.append(secret)
        for text in (secret, f"Bearer {secret}", f":{secret}", f"{secret}:"):
            encoded = text.encode()
            pair = [base64.b64encode(encoded).decode(), base64.urlsafe_b64encode(encoded).decode()]
            forms += pair + [form.rstrip("=") for form in pair]
    # Longest first, so that a form containing a shorter one is replaced whole.
    return tuple(sorted(set(forms), key=len, reverse=True))


def scrub(text: str, key: str) -> str:
    """`text` with every form of `key` (and of its near-misses) replaced by [Filtered]."""
    for form in key_forms(key):
        text = text.replace(form, FILTERED)
    return text
