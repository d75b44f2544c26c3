"""Credentials in recorded traffic: which key an exchange used (by hash only), and every text
that must never be written.

A recording holds real credentials: the `Authorization` header, cookies, API-key headers,
tokens in the query string. Before anything of an exchange is kept (a failure's message,
its evidence, a drift name), every credential-looking value of that exchange is replaced by
[Filtered], in every form the suite knows (suite/redaction.py: raw, base64, the near-miss
variants). A key is known to the judge only as `key#<12 hex digits of its SHA-256>`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import parse_qsl, urlsplit

from contract_tests.checks.credentials import SHORTEST_SECRET
from contract_tests.checks.exchange import Exchange
from contract_tests.suite.redaction import FILTERED, key_forms

# Header and query names whose value is a credential, whatever it looks like.
CREDENTIAL_NAME = re.compile(
    r"authorization|cookie|token|secret|passw|api[-_]?key|apikey|session|signature|credential"
    r"|^key$|^sig$|^auth",
    re.IGNORECASE,
)
# Values that look like a credential wherever they appear: a JWT, a key with a known prefix,
# or a long run of letters and digits mixed (no word, id or timestamp looks like that).
CREDENTIAL_VALUE = re.compile(
    r"\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*|\b(?:thn|sk|pk|rk|key|tok)_[A-Za-z0-9_]{8,}"
    r"|\b(?=[A-Za-z0-9_\-]{24,}\b)(?=[^\s]*[0-9])(?=[^\s]*[A-Za-z])[A-Za-z0-9_\-]{24,}\b"
)
SCHEMES = ("bearer ", "basic ", "token ", "digest ")
MAX_CACHED_KEYS = 256  # distinct keys whose redaction forms are kept at once (bounded memory)


def key_id(key: str) -> str:
    """How a key is named everywhere: a hash, never the key."""
    return "key#" + hashlib.sha256(key.encode()).hexdigest()[:12]


def bearer_key(exchange: Exchange) -> str | None:
    """The key of a request's one `Authorization: Bearer <key>` header; None otherwise."""
    values = [v for n, v in exchange.request.headers if n.lower() == "authorization"]
    if len(values) != 1 or not values[0].lower().startswith("bearer "):
        return None
    key = values[0][7:].strip()
    return key or None


@lru_cache(maxsize=MAX_CACHED_KEYS)
def _forms(secret: str) -> tuple[str, ...]:
    # key_forms caches every key it sees for the process: a day of logs holds thousands.
    return tuple(key_forms.__wrapped__(secret))


def credentials_of(exchange: Exchange) -> list[str]:
    """Every credential text the request carries: header values of credential names (and
    their parts after a scheme), credential query values, and credential-looking values."""
    found: set[str] = set()
    for name, value in exchange.request.headers:
        if CREDENTIAL_NAME.search(name):
            found.add(value)
            lowered = value.lower()
            if lowered.startswith(SCHEMES):
                found.add(value.split(" ", 1)[1].strip())
            for part in re.split(r"[;,]\s*", value):  # cookies: name=value; name2=value2
                found.add(part.split("=", 1)[-1].strip())
        found.update(CREDENTIAL_VALUE.findall(value))
    for name, value in parse_qsl(urlsplit(exchange.url).query, keep_blank_values=True):
        if CREDENTIAL_NAME.search(name):
            found.add(value)
        found.update(CREDENTIAL_VALUE.findall(value))
    return sorted((text for text in found if len(text) >= SHORTEST_SECRET), key=len, reverse=True)


class Redactor:
    """Filters the credentials of one exchange, in every form, from any text (a response
    that echoes the key included)."""

    def __init__(self, secrets: Iterable[str]) -> None:
        forms: set[str] = set()
        for secret in secrets:
            forms.add(secret)
            forms.update(_forms(secret))
        self._forms = sorted(forms, key=len, reverse=True)

    @classmethod
    def of(cls, exchange: Exchange) -> Redactor:
        secrets = credentials_of(exchange)
        for name, value in exchange.response_headers:
            if CREDENTIAL_NAME.search(name):  # Set-Cookie, a token handed out
                secrets += [value, *(part.split("=", 1)[-1] for part in value.split(";"))]
        return cls(text for text in secrets if len(text) >= SHORTEST_SECRET)

    def __call__(self, text: str) -> str:
        for form in self._forms:
            if form in text:
                text = text.replace(form, FILTERED)
        return text
