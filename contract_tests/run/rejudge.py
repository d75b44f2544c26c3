"""One replay of one recorded failure: the request sent again, the answer judged by the check
that failed, as the run judged it, and the verdict: passed, failed, or not comparable.

Everything goes through a suite run of this process (suite/session.py): the run's transport
(key filtered, 429 waited out), Schemathesis' built-in checks (status codes, media types,
headers, schemas) and ours, the hooks that keep each failure by its identity. A check that
a plain replay cannot judge is judged the way the run judged it:

- a probe's check (credential near-misses, input edges, pages that tile the listing): the
  probe is made again (the near-miss rebuilt from the key, the edge from its name, the page
  boundary from the recorded offset);
- a check that judges how Schemathesis generated a case (negative_data_rejection,
  positive_data_acceptance, missing_required_header): the HAR recorded which it was, so
  the replayed answer's status is held to that check's expected statuses;
- ignored_auth: Schemathesis' own check, which re-sends the request without the key.

A recorded 2xx that the key now gets 401/403 for is not comparable (the key is not the
recorded account's, or was refused): never a pass.
"""

from __future__ import annotations

from collections import Counter
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import timedelta

import requests
from schemathesis import Response
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import ignored_auth

from contract_tests.checks import edges
from contract_tests.checks.context import CheckContext
from contract_tests.checks.exchange import Exchange, Request
from contract_tests.checks.registry import CHECKS, Check
from contract_tests.run.credential_forms import KIT_KEY_COMMENT, Credential, without_credential
from contract_tests.run.recorded import Recorded
from contract_tests.run.results import RunResults
from contract_tests.spec import match_path
from contract_tests.suite import probes
from contract_tests.suite.adapter import Adapter, exchange_of
from contract_tests.suite.schema import NEGATIVE_OK, POSITIVE_OK
from contract_tests.suite.session import SuiteRun

PASS, FAIL, NOT_COMPARABLE = "pass", "fail", "not comparable"
GENERATED_CASE_CHECKS = ("negative_data_rejection", "positive_data_acceptance")
# Schemathesis' default expected statuses of missing_required_header (its config's).
MISSING_HEADER_OK = ("400", "401", "403", "406", "415", "422")
REFUSED = (401, 403)


@dataclass(frozen=True)
class Outcome:
    result: str  # PASS, FAIL or NOT_COMPARABLE
    status: int  # the replayed answer's status (0: none)
    detail: str = ""  # FAIL: the failure's identity and first line; NOT_COMPARABLE: why


@dataclass(frozen=True)
class Judged:
    """What the checks said of the exchanges judged since a snapshot of the results."""

    passed: frozenset[str]
    failed: dict[str, tuple[str, str]]  # check -> (its identity, the message's first line)


class _Snapshot:
    def __init__(self, results: RunResults) -> None:
        self.results = results
        self.passes = Counter(results.passes)
        self.failures = Counter(results.failures)
        self.seen = {key: record.occurrences for key, record in results.examples.items()}

    def since(self) -> Judged:
        results = self.results
        failed: dict[str, tuple[str, str]] = {}
        for key, record in results.examples.items():
            if record.occurrences > self.seen.get(key, 0):
                lines = [line.strip() for line in record.message.splitlines() if line.strip()]
                first = " ".join(lines[:2]) or record.title
                failed.setdefault(record.check, (key, first[:240]))
        for check, count in results.failures.items():  # beyond the examples kept
            if count > self.failures[check]:
                failed.setdefault(check, (check, ""))
        passed = {check for check, count in results.passes.items() if count > self.passes[check]}
        return Judged(frozenset(passed - set(failed)), failed)


def _statuses(expected: tuple[str, ...] | list[str]) -> set[int]:
    codes: set[int] = set()
    for text in expected:
        if text.endswith("xx"):
            codes.update(range(int(text[0]) * 100, int(text[0]) * 100 + 100))
        else:
            codes.add(int(text))
    return codes


class Replayer:
    """Sends recorded requests again through `run` and judges them."""

    def __init__(self, run: SuiteRun) -> None:
        self.run = run

    # ---- the request --------------------------------------------------------------------

    def request_of(self, recorded: Recorded, credential: Credential) -> Request:
        template, parameters = match_path(recorded.path) or (recorded.path, {})
        headers = [*recorded.headers, *(("Authorization", v) for v in credential.authorization)]
        query = (*without_credential(recorded.query), *credential.query)
        return Request(f"{recorded.method} {template}", parameters, query, tuple(headers))

    # ---- judging ------------------------------------------------------------------------

    @staticmethod
    def _validate(
        exchange: Exchange, adapter: Adapter, extra: tuple[Check, ...], auth: bool
    ) -> None:
        """Schemathesis' checks and ours (bound to `adapter`'s context) on `exchange`; the
        run's hooks keep what they say."""
        case, response = exchange.origin
        checks = [adapter.adapt(check) for check in (*CHECKS, *extra)]
        with suppress(Failure, FailureGroup):
            case.validate_response(
                response, additional_checks=checks, excluded_checks=[] if auth else [ignored_auth]
            )

    def send_and_judge(
        self, request: Request, extra: tuple[Check, ...] = (), auth: bool = False
    ) -> tuple[Exchange, Judged]:
        """`request` sent through the run and judged by every check, `extra` too, and
        Schemathesis' ignored_auth when `auth`."""
        snapshot = _Snapshot(self.run.results)
        exchange = self.run.send(request)
        self._validate(exchange, self.run.adapter, extra, auth)
        return exchange, snapshot.since()

    def judge_recorded(
        self, recorded: Recorded, credential: Credential, extra: tuple[Check, ...]
    ) -> Judged:
        """The recorded answer judged again, as a run would have judged it, by the checks
        that need nothing but the exchange (no follow-up fetch: the records may have moved
        since). Its request carries the restored credential, never a recorded token (it is
        not sent: the answer is the recorded one)."""
        request = self.request_of(recorded, credential)
        case = self.run.sender.case_of(request)
        prepared = requests.Request(
            recorded.method,
            recorded.url,
            headers=dict(request.headers),
        ).prepare()
        headers: dict[str, list[str]] = {}
        for name, value in recorded.response_headers:
            headers.setdefault(name.lower(), []).append(value)
        response = Response(
            status_code=recorded.status,
            headers=headers,
            content=recorded.body,
            request=prepared,
            elapsed=recorded.elapsed,
            verify=True,
            message=recorded.reason,
        )
        exchange = exchange_of(case, response)
        if recorded.started is not None:
            received = recorded.started + timedelta(seconds=recorded.elapsed)
            exchange = replace(exchange, received_at=received)
        snapshot = _Snapshot(self.run.results)
        context = self.run.context
        alone = Adapter(
            CheckContext(context.api_key, context.foreign_ids, None, context.observations)
        )
        self._validate(exchange, alone, extra, auth=False)
        return snapshot.since()

    # ---- one replay of one failure ------------------------------------------------------

    def attempt(self, recorded: Recorded, credential: Credential, check: str) -> Outcome:
        """Replay `recorded` once and say whether `check` still fails on the answer."""
        if check == "pages_tile_the_listing":
            return self._tiling(recorded)
        extra: tuple[Check, ...] = ()
        if credential.near_miss is not None:
            extra = (probes.near_miss_probe_check(credential.near_miss),)
        request = self.request_of(recorded, credential)
        if check == "input_edges_answered_as_documented":
            edge = _edge_of(recorded)
            if edge is None:
                return Outcome(NOT_COMPARABLE, 0, "no input edge of the kit's has this request")
            plain = self.run.send(probes.get_call(self.run, edge[1]))
            extra = (probes.edge_check(edge[0], plain),)
        exchange, judged = self.send_and_judge(request, extra, auth=check == "ignored_auth")
        status = exchange.status
        uncomparable = _uncomparable(recorded, credential, status)
        if uncomparable:
            return Outcome(NOT_COMPARABLE, status, uncomparable)
        expected = self._generated_case_statuses(check, request)
        if expected is not None:
            ok = status in expected
            return Outcome(
                PASS if ok else FAIL, status, "" if ok else f"{check}: answered {status}"
            )
        if check in judged.failed:
            return Outcome(FAIL, status, judged.failed[check][1])
        if check in judged.passed:
            return Outcome(PASS, status)
        return Outcome(
            NOT_COMPARABLE,
            status,
            f"{check} did not judge the replayed answer (recorded {recorded.status}, "
            f"replayed {status})",
        )

    def _generated_case_statuses(self, check: str, request: Request) -> set[int] | None:
        if check == "negative_data_rejection":
            return _statuses(NEGATIVE_OK)
        if check == "positive_data_acceptance":
            return _statuses(POSITIVE_OK)
        if check == "missing_required_header":
            return _statuses(MISSING_HEADER_OK)
        return None

    def _tiling(self, recorded: Recorded) -> Outcome:
        """The page boundary compared again: the recorded page is the second half."""
        offsets = [value for name, value in recorded.query if name == "offset"]
        try:
            offset = int(offsets[0]) - probes.PAGE
        except (IndexError, ValueError):
            return Outcome(NOT_COMPARABLE, 0, "the recorded page has no offset to compare at")
        snapshot = _Snapshot(self.run.results)
        probes.compare_pages(self.run, max(offset, 0))
        judged = snapshot.since()
        check = "pages_tile_the_listing"
        if check in judged.failed:
            return Outcome(FAIL, 200, judged.failed[check][1])
        if check in judged.passed:
            return Outcome(PASS, 200)
        return Outcome(NOT_COMPARABLE, 0, "the listing moved during the comparison: not judged")


def _uncomparable(recorded: Recorded, credential: Credential, status: int) -> str:
    """Why the replayed answer cannot be compared with the recorded one ("" when it can):
    the key refused where the recorded credential was accepted, or accepted where the
    recorded one (not known to be the key) was refused."""
    if not credential.is_key:
        return ""
    if 200 <= recorded.status < 300 and status in REFUSED:
        return (
            f"recorded {recorded.status}, replayed {status}: the key was refused; give the "
            "key of the account the HAR was recorded with (THINNESTAI_API_KEY)"
        )
    if (
        recorded.status == 401
        and status != 401
        and recorded.authorization_comment != KIT_KEY_COMMENT
    ):
        return (
            f"recorded 401, replayed {status} with the key: the recorded credential was "
            "refused, and its form does not say which it was"
        )
    return ""


def _edge_of(recorded: Recorded) -> tuple[edges.Edge, int] | None:
    """The kit's input edge the request was (and the known id it was made around)."""
    _, parameters = match_path(recorded.path) or ("", {})
    raw = parameters.get("call_id", "")
    digits = "".join(ch for ch in raw.translate(_FROM_ARABIC_INDIC) if ch.isdigit())
    known_id = int(digits) if digits and len(digits) < 19 else 1
    query = recorded.query
    field = recorded.key.split(" | ")[3] if recorded.key.count(" | ") >= 4 else ""
    for edge in edges.edges(known_id):
        if edge.name == field or (
            (edge.path_value is not None and edge.path_value == raw)
            or (edge.path_value is None and edge.query == query)
        ):
            return edge, known_id
    return None


_FROM_ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
