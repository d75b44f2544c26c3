"""Credential near-misses: a key that is almost right must be refused (contract.md, Errors:
401 when the key is missing, malformed, unknown or expired, with `WWW-Authenticate: Bearer`).

A server that compares keys loosely (a prefix, any letter case, any scheme, the key from the
query string) is a security hole that a random wrong key never finds. Each probe starts from
the run's own key. The variants are secrets as much as the key: `secret_variants` feeds the
redaction, so none of them is ever printed or written.

Not probed, on purpose: whitespace around the key. RFC 9110 strips a header value's leading
and trailing whitespace, and RFC 6750 allows one or more spaces after `Bearer`, so a server
that accepts `Bearer   <key>  ` is right.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass

from contract_tests.checks.failures import NearMissAccepted

CLAUSE = (
    "Errors: a key that is missing, malformed, unknown or expired is 401, with "
    "`WWW-Authenticate: Bearer`"
)


@dataclass(frozen=True)
class NearMiss:
    check: str  # the named check that judges it
    what: str  # for a person: "the key with its last character changed"
    authorization: tuple[str, ...]  # Authorization header values, in order (none: no header)
    query: tuple[tuple[str, str], ...] = ()


def _other_last_character(key: str) -> str:
    last = key[-1]
    return key[:-1] + ("A" if last != "A" else "B")


# Each probe's named check, and what it sends.
PROBES: dict[str, str] = {
    "key_last_character_changed_refused": "the key with its last character changed",
    "key_cut_short_refused": "the key cut short by one character",
    "key_with_suffix_refused": "the key with a suffix added",
    "key_in_other_case_refused": "the key in another letter case",
    "key_split_by_whitespace_refused": "the key split by a space inside it",
    "key_under_basic_scheme_refused": "the key sent as Basic credentials (base64 of `key:`)",
    "key_under_token_scheme_refused": "the key under the Token scheme",
    "key_without_scheme_refused": "the key with no scheme",
    "key_in_query_string_refused": "the key in the query string and no Authorization header",
    "two_authorization_headers_refused": "two Authorization headers: a wrong key, then the key",
}


def near_misses(key: str) -> list[NearMiss]:
    """Every probe for `key` (one that would not differ from the key is left out)."""
    half = len(key) // 2
    basic = base64.b64encode(f"{key}:".encode()).decode()  # the key as a Basic user name
    other = _other_last_character(key)
    sent: dict[str, tuple[tuple[str, ...], tuple[tuple[str, str], ...]]] = {
        "key_last_character_changed_refused": ((f"Bearer {other}",), ()),
        "key_cut_short_refused": ((f"Bearer {key[:-1]}",), ()),
        "key_with_suffix_refused": ((f"Bearer {key}0",), ()),
        "key_in_other_case_refused": ((f"Bearer {key.swapcase()}",), ()),
        "key_split_by_whitespace_refused": ((f"Bearer {key[:half]} {key[half:]}",), ()),
        "key_under_basic_scheme_refused": ((f"Basic {basic}",), ()),
        "key_under_token_scheme_refused": ((f"Token {key}",), ()),
        "key_without_scheme_refused": ((key,), ()),
        "key_in_query_string_refused": ((), (("api_key", key), ("access_token", key))),
        "two_authorization_headers_refused": ((f"Bearer {other}", f"Bearer {key}"), ()),
    }
    return [
        NearMiss(check, PROBES[check], authorization, query)
        for check, (authorization, query) in sent.items()
        # A key without letters reads the same in any case: that probe would be the key.
        if authorization != (f"Bearer {key}",)
    ]


def clause_of(check: str) -> str:
    return f"{CLAUSE}. Probe: {PROBES[check]}."


SHORTEST_SECRET = 8  # a shorter text is no secret to filter: it would match ordinary words


def secret_variants(key: str) -> list[str]:
    """Every credential text a probe sends: redacted wherever it could appear."""
    texts = {key}
    for miss in near_misses(key):
        texts.update(value.split(" ", 1)[-1] for value in miss.authorization)
        texts.update(value for _, value in miss.query)
    texts.update(half for text in list(texts) for half in text.split(" "))
    return sorted((text for text in texts if len(text) >= SHORTEST_SECRET), key=len, reverse=True)


def refused(status: int) -> str | None:
    """Why an answer to a near-miss is not a refusal; None when it is one. (That a 401
    carries `WWW-Authenticate: Bearer` is judged on every response by the header checks, so
    a server without it gets one failure for it, not one per probe.)"""
    return None if status == 401 else f"answered {status}, not 401"


def near_miss_check(miss: NearMiss) -> Callable[[int], None]:
    """The named check of one probe: raises NearMissAccepted on a breach."""

    def check(status: int) -> None:
        problem = refused(status)
        if problem is not None:
            raise NearMissAccepted(
                f"{miss.what} was {problem}", field="Authorization", kind=f"answered {status}"
            )

    check.__name__ = miss.check
    check.__doc__ = clause_of(miss.check)
    return check
