"""Faults of key handling: ways a real server accepts a key that is almost right.

Each loosens one step of authentication (reading the key from the request, or finding the
account's key it names), the way hand-written auth code goes wrong. A random wrong key
still gets 401 on every one of them; only the suite's near-miss probes find them
(contract_tests/checks/credentials.py).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from starlette.requests import Request

from contract_tests.reference_server.behaviour import FindKey, ReadKey, Refusal
from contract_tests.reference_server.changes import Fault, on_stage
from contract_tests.reference_server.data import KEYS, ApiKey

CLAUSE = "Errors: 401 when the key is missing, malformed, unknown or expired"
KNOWN: Mapping[str, ApiKey] = MappingProxyType({key.key: key for key in KEYS})


def _loose_match(matches: Callable[[str, str], bool]) -> Callable[[FindKey], FindKey]:
    """Find the key the presented text `matches` (presented, real) when no key is exact."""

    def wrap(exact: FindKey) -> FindKey:
        def find(presented: str) -> ApiKey | None:
            found = exact(presented)
            if found is not None:
                return found
            return next((key for real, key in KNOWN.items() if matches(presented, real)), None)

        return find

    return wrap


def _also_read(extra: Callable[[Request], str | None]) -> Callable[[ReadKey], ReadKey]:
    """Read the key as before; when that refuses, try `extra` on the request."""

    def wrap(read: ReadKey) -> ReadKey:
        def read_key(request: Request) -> str | Refusal:
            found = read(request)
            if not isinstance(found, Refusal):
                return found
            other = extra(request)
            return found if other is None else other

        return read_key

    return wrap


def _authorization(request: Request) -> list[str]:
    return request.headers.getlist("authorization")


def _scheme_ignored(request: Request) -> str | None:
    values = _authorization(request)
    return values[0].split()[-1] if len(values) == 1 and values[0].split() else None


def _no_scheme(request: Request) -> str | None:
    values = _authorization(request)
    return values[0].strip() if len(values) == 1 and " " not in values[0].strip() else None


def _basic_user(request: Request) -> str | None:
    values = _authorization(request)
    if len(values) != 1 or not values[0].lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(values[0][6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    return decoded.split(":", 1)[0]


def _spaces_removed(request: Request) -> str | None:
    values = _authorization(request)
    if len(values) != 1 or not values[0].lower().startswith("bearer "):
        return None
    return "".join(values[0][7:].split())


def _query(request: Request) -> str | None:
    return request.query_params.get("api_key") or request.query_params.get("access_token")


def _any_header(request: Request) -> str | None:
    """With several Authorization headers, the first that names a key."""
    for value in _authorization(request):
        scheme, _, key = value.partition(" ")
        if scheme.lower() == "bearer" and key.strip() in KNOWN:
            return key.strip()
    return None


def _fault(
    name: str, description: str, detected_by: str, stage: str, wrap: Callable[[Any], Any]
) -> Fault:
    return Fault(name, description, CLAUSE, detected_by, on_stage(stage, wrap))


CREDENTIAL_FAULTS: tuple[Fault, ...] = (
    _fault(
        "key-prefix-match",
        "keys are compared on their first 16 characters only",
        "key_last_character_changed_refused",
        "find_key",
        _loose_match(lambda presented, real: presented[:16] == real[:16]),
    ),
    _fault(
        "key-truncation-accepted",
        "a key that is the start of a real key is accepted (a LIKE 'key%' look-up)",
        "key_cut_short_refused",
        "find_key",
        _loose_match(lambda presented, real: len(presented) >= 8 and real.startswith(presented)),
    ),
    _fault(
        "key-suffix-ignored",
        "anything after a real key is ignored (the key read by its known length)",
        "key_with_suffix_refused",
        "find_key",
        _loose_match(lambda presented, real: presented.startswith(real)),
    ),
    _fault(
        "key-case-insensitive",
        "keys are compared without regard to letter case",
        "key_in_other_case_refused",
        "find_key",
        _loose_match(lambda presented, real: presented.lower() == real.lower()),
    ),
    _fault(
        "key-spaces-removed",
        "spaces inside the presented key are removed before the look-up",
        "key_split_by_whitespace_refused",
        "read_key",
        _also_read(_spaces_removed),
    ),
    _fault(
        "key-basic-user-accepted",
        "Basic credentials are accepted with the key as the user name",
        "key_under_basic_scheme_refused",
        "read_key",
        _also_read(_basic_user),
    ),
    _fault(
        "key-any-scheme",
        "the scheme word is ignored: `Token <key>` is read like `Bearer <key>`",
        "key_under_token_scheme_refused",
        "read_key",
        _also_read(_scheme_ignored),
    ),
    _fault(
        "key-without-scheme",
        "a bare key without a scheme is accepted",
        "key_without_scheme_refused",
        "read_key",
        _also_read(_no_scheme),
    ),
    _fault(
        "key-from-query-string",
        "the key is also read from the `api_key` or `access_token` query parameter",
        "key_in_query_string_refused",
        "read_key",
        _also_read(_query),
    ),
    _fault(
        "key-any-authorization-header",
        "with two Authorization headers, either one that names a key is accepted",
        "two_authorization_headers_refused",
        "read_key",
        _also_read(_any_header),
    ),
)
