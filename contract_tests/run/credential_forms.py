"""Which credential a recorded request carried, read from its form, rebuilt with the key
from the environment: the key itself, one of the suite's near-miss probes
(checks/credentials.py), none, or something else.

A HAR keeps the form of an Authorization header, never the key: the kit writes
`Bearer [Filtered]` for the key and marks a near-miss with its probe
(`Bearer [Filtered:key_cut_short_refused]`, suite/redaction.py); a browser or a proxy writes
the token itself or its own filter mark. So:

- two Authorization headers, or the key in the query string: that near-miss probe;
- a value the kit marked, or a raw value that is a near-miss of the key: that probe;
- `Bearer <one token>`: the key, whatever the token (a browser's session key, another
  environment's key, a filter mark);
- another scheme (Basic, Token), a token split by a space, or a token without a scheme:
  the near-miss probe of that form;
- no Authorization header: none.
A bare `[Filtered]` that the kit's comment calls "the run's API key" is how older kit HARs
wrote the key.
"""

from __future__ import annotations

from dataclasses import dataclass

from contract_tests.checks.credentials import NearMiss, near_misses
from contract_tests.run.recorded import Pairs, Recorded
from contract_tests.suite.redaction import FILTER_MARK, FILTERED, credential_form

KEY = "the key"
NONE = "no credential"
OTHER = "another credential"
QUERY_CREDENTIALS = frozenset({"api_key", "access_token"})
KIT_KEY_COMMENT = "the run's API key"  # the kit's comment on the key's header
# The probe each form stands for, when no raw value says more.
FORMS = {
    "basic": "key_under_basic_scheme_refused",
    "token": "key_under_token_scheme_refused",
    "split": "key_split_by_whitespace_refused",
    "bare": "key_without_scheme_refused",
    "two": "two_authorization_headers_refused",
    "query": "key_in_query_string_refused",
}


@dataclass(frozen=True)
class Credential:
    """What to send: `kind` (KEY, NONE, OTHER or a near-miss probe's check), the
    Authorization values, and query parameters that carry it."""

    kind: str
    authorization: tuple[str, ...] = ()
    query: Pairs = ()
    near_miss: NearMiss | None = None

    @property
    def is_key(self) -> bool:
        return self.kind == KEY


def _probe(miss: NearMiss) -> Credential:
    return Credential(miss.check, miss.authorization, miss.query, miss)


def _form(values: tuple[str, ...], query: Pairs) -> str:
    """basic, token, split, bare, two, query, bearer, none or other."""
    if not values:
        return "query" if any(name in QUERY_CREDENTIALS for name, _ in query) else "none"
    if len(values) > 1:
        return "two"
    parts = values[0].split()
    scheme = parts[0].lower() if len(parts) > 1 else ""
    if scheme == "bearer":
        return "split" if len(parts) > 2 else "bearer"
    if scheme in ("basic", "token"):
        return scheme
    return "bare" if len(parts) <= 1 else "other"


def _marked(values: tuple[str, ...]) -> str:
    """The probe a kit's filter mark names (`Bearer [Filtered:key_cut_short_refused]`)."""
    for value in values:
        for part in value.split():
            mark = FILTER_MARK.fullmatch(part)
            if mark and mark.group("probe"):
                return mark.group("probe")
    return ""


def restore(recorded: Recorded, key: str) -> Credential:
    """The credential `recorded` carried, rebuilt with `key`."""
    probes = {miss.check: miss for miss in near_misses(key)}
    values = recorded.authorization
    for miss in probes.values():  # a HAR that kept the value: the probe is the value itself
        if values and miss.authorization == values:
            return _probe(miss)
    form = _form(values, recorded.query)
    if form in ("two", "query"):
        return _probe(probes[FORMS[form]])
    marked = _marked(values) or recorded.check  # the kit's mark, else the failure it names
    if marked in probes:
        return _probe(probes[marked])
    if form == "none":
        return Credential(NONE)
    if form == "bearer":
        return Credential(KEY, (f"Bearer {key}",))
    if values == (FILTERED,) and recorded.authorization_comment == KIT_KEY_COMMENT:
        return Credential(KEY, (f"Bearer {key}",))
    if form in FORMS and FORMS[form] in probes:
        return _probe(probes[FORMS[form]])
    # Another scheme: its form is sent (never a recorded secret): a credential, not the key.
    return Credential(OTHER, tuple(credential_form(value) for value in values))


def without_credential(query: Pairs) -> Pairs:
    """`query` without the parameters a credential travels in (a probe puts them back)."""
    return tuple((name, value) for name, value in query if name not in QUERY_CREDENTIALS)
