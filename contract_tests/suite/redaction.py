"""The API key, filtered from every text before anything can quote it.

Schemathesis filters the Authorization header by name, but a server may echo the key in a
body or another header, and failure messages quote both: they reach the screen, summary.md
and junit.xml. The run's transport filters every response it receives (transport.py); the
evidence and the reports filter every text they write.
"""

from __future__ import annotations

import base64
import re
from functools import cache

from contract_tests.checks.credentials import near_misses, secret_variants

FILTERED = "[Filtered]"  # what Schemathesis puts in place of the Authorization header
# Schemes are no secret: a recorded Authorization header keeps its scheme (and how many parts
# followed it), so that a replay can tell the key from a near-miss by its form.
SCHEMES = frozenset({"bearer", "basic", "token"})
FILTER_MARK = re.compile(r"\[Filtered(?::(?P<probe>\w+))?\]")


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


def credential_form(value: str, key: str = "") -> str:
    """An Authorization header's value with every part filtered but a known scheme:
    `Bearer [Filtered]`, `Basic [Filtered]`, `Bearer [Filtered] [Filtered]`, `[Filtered]`.
    A near-miss of `key` (checks/credentials.py) is marked with its probe's name, which is no
    secret (`Bearer [Filtered:key_cut_short_refused]`): filtered, it would read as the key.
    A part that is already a filter mark is kept."""
    parts = value.split()
    scheme = parts[:1] if len(parts) > 1 and parts[0].lower() in SCHEMES else []
    if key:
        for miss in near_misses(key):
            if miss.authorization == (value,):
                return " ".join([*scheme, f"{FILTERED[:-1]}:{miss.check}]"])
    rest = parts[len(scheme) :]
    marks = [part if FILTER_MARK.fullmatch(part) else FILTERED for part in rest] or [FILTERED]
    return " ".join([*scheme, *marks])
