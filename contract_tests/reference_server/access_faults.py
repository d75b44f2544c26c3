"""Faults of access: who may read what. A request without a key is served, or a call of
another account is (contract.md, Errors: 401; invariant 11: 403)."""

from __future__ import annotations

from dataclasses import replace

from starlette.requests import Request

from contract_tests.reference_server.behaviour import Behaviour, Refusal
from contract_tests.reference_server.changes import Fault
from contract_tests.reference_server.data import KEYS, StoredCall


def serve_anonymous_as_primary(behaviour: Behaviour) -> Behaviour:
    """No Authorization header: read as the primary account's first key."""
    previous = behaviour.read_key

    def read_key(request: Request) -> str | Refusal:
        if "authorization" not in request.headers:
            return KEYS[0].key  # the primary account's key
        return previous(request)

    return replace(behaviour, read_key=read_key)


def serve_any_account(behaviour: Behaviour) -> Behaviour:
    def may_read(account_id: str, call: StoredCall) -> bool:
        return True

    return replace(behaviour, may_read=may_read)


ACCESS_FAULTS: tuple[Fault, ...] = (
    Fault(
        "auth-ignored",
        "requests without an Authorization header are served as the primary account",
        "Errors: 401 when the key is missing",
        "ignored_auth",
        serve_anonymous_as_primary,
    ),
    Fault(
        "cross-account-served",
        "a call of another account is served with 200",
        "Invariant 11: a call of one account, fetched with another account's key, is 403",
        "foreign_call_forbidden",
        serve_any_account,
    ),
)
