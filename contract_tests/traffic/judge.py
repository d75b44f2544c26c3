"""Judging traffic nobody here generated: each exchange as it comes, into a run's results.

    exchange --> one_exchange.judge_alone (map: built-in checks, ours alone, drift)
             --> TrafficJudge.take (fold: near-misses, tenancy, records, pages, tiling)
             --> RunResults (the suite's: same failure identities, evidence, coverage)
             --> runner.conclude (the suite's verdict: warnings, --fail-on-warning, the
                 baseline, --require-coverage) --> RunOutcome --> the suite's reporters

One TrafficJudge serves `nox -s judge` (a recording read as a stream) and `nox -s proxy`
(exchanges as they pass). Its memory is bounded (traffic/state.py), whatever the traffic.

The warnings read positive requests (run/warnings.py is_positive): sent with the run's key,
inputs within bounds, not aimed at a foreign call. The run's key is a working key here
(state.Keys: THINNESTAI_API_KEY, else any key the recording shows answered 2xx), so what a
key did before its first 2xx (its answers, its requests of another account's calls) is held
per key (state.Unproven, bounded) and counted and judged once it proves to work.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urlsplit

from contract_tests.checks import credentials
from contract_tests.checks.context import CheckContext
from contract_tests.checks.exchange import Exchange
from contract_tests.checks.failures import ContractFailure
from contract_tests.checks.registry import (
    Breach,
    foreign_call_forbidden,
    list_page_consistent,
    listed_calls_match_records,
    no_foreign_call_listed,
)
from contract_tests.run.plan import RunPlan
from contract_tests.run.results import FailureRecord, RunResults
from contract_tests.run.runner import RunOutcome, conclude
from contract_tests.run.settings import Settings
from contract_tests.run.target import Target
from contract_tests.run.warnings import RunWarning, is_positive
from contract_tests.spec import GET_CALL, LIST_CALLS
from contract_tests.suite.capture import record_of_breach
from contract_tests.traffic.builtin import BuiltinChecks
from contract_tests.traffic.one_exchange import Judged, curl_of, evidence_for, judge_alone
from contract_tests.traffic.state import (
    MAX_HELD_FOREIGN,
    MAX_KEYS,
    Bounded,
    Keys,
    Listings,
    Pages,
    PendingPage,
    RecordedFetcher,
    Records,
    Unproven,
    key_hash,
)

StatefulCheck = Callable[[Exchange, CheckContext], bool]

# The warnings are the suite's (run/warnings.py, from the results alone); what to do about
# one differs: a recording is not run again but recorded again.
TRAFFIC_ADVICE = {
    "no-records": "the recording holds no getCall answer with a call record: record a session "
    "that opens calls (or the account has none yet)",
    "auth-dominated": "the client's key is refused or asks for calls it may not read: check "
    "the key it used (its account and scopes) and the ids it asks for",
    "mostly-rate-limited": "the client was mostly turned away (in a recording every answer "
    "counts, a 429 it retried too): record at a calmer time, or give its key a higher limit",
    "low-valid-rate": "valid requests were turned away: 404 means the ids name no call of the "
    "key's account, 422 that the server rejects inputs the spec allows",
    "no-foreign-ids": "give --foreign-call-ids (or THINNESTAI_FOREIGN_CALL_IDS), ids of "
    "another account's calls, and record the client's key asking for one of them",
    "listing-too-short": "record a client walking the listing of an account with more than one "
    "page of calls (pages that meet, as sync_all walks it)",
}


class TrafficJudge:
    """Every check that can judge recorded traffic, exchange after exchange.

    `api_key`: the key the recording was made with (THINNESTAI_API_KEY), when known: the
    foreign call ids are another account's for it. Without it every key answered 2xx counts
    as working and the foreign ids apply to each."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        foreign_ids: frozenset[int] = frozenset(),
        phase: str = "recorded",
    ) -> None:
        self.results = RunResults()
        self.phase = phase
        self.foreign_ids = foreign_ids
        self.api_key = api_key
        self._builtin: BuiltinChecks | None = None
        self.keys = Keys(api_key)
        self.records = Records()
        self.pages = Pages()
        self.listings = Listings()
        self.unproven: Bounded[str, Unproven] = Bounded(MAX_KEYS)  # by key hash
        self.seq = 0
        self.origin = ""  # scheme://host of the first exchange: where a replay would go

    # ---- one exchange ------------------------------------------------------------------------

    def take(self, exchange: Exchange, started: str = "") -> None:
        """Judge one exchange, alone and with what came before it."""
        self.fold(judge_alone(exchange, self.builtin, self.phase), started)

    def fold(self, judged: Judged, started: str) -> None:
        """The fold step on an exchange judged alone (here, or in a worker process)."""
        exchange = judged.exchange
        self.seq += 1
        if not self.origin:
            parts = urlsplit(exchange.url)
            self.origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
        miss = self.keys.near_miss(exchange)
        working = miss is None and self.keys.working(judged.key, exchange.status)
        self._count(judged, working, started)
        if miss is not None:
            self._near_miss(miss, judged, started)
        elif judged.key is not None:
            self._until_proven(judged, working, started)
        if not working or judged.key is None:
            return
        key = key_hash(judged.key)
        context = self._context(judged.key)
        if exchange.operation == GET_CALL:
            self.results.positive_get_call[exchange.status] += 1
            self._stateful(foreign_call_forbidden, judged, context, started)
            call_id = self.records.keep(key, judged, self.seq)
            if call_id is not None:
                for page in self.pages.recorded(key, call_id):
                    self._judge_page(page)
        elif exchange.operation == LIST_CALLS and exchange.status == 200:
            self._stateful(no_foreign_call_listed, judged, context, started)
            self._stateful(self._tiling(key), judged, context, started, "pages_tile_the_listing")
            waiting = PendingPage(self.seq, key, judged, started)
            for page in self.pages.wait(waiting, self.records):
                self._judge_page(page)

    def finish(self) -> None:
        """Judge the pages still waiting for records (the recording has ended)."""
        for page in self.pages.flush():
            self._judge_page(page)

    @property
    def builtin(self) -> BuiltinChecks:
        if self._builtin is None:  # not needed when workers judge the exchanges alone
            self._builtin = BuiltinChecks()
        return self._builtin

    # ---- the fold's checks -------------------------------------------------------------------

    def _foreign_to(self, api_key: str) -> frozenset[int]:
        """The ids of another account's calls for `api_key`."""
        given = self.api_key is None or api_key == self.api_key
        return self.foreign_ids if given else frozenset()

    def _until_proven(self, judged: Judged, working: bool, started: str) -> None:
        """Count a positive request's answer among the run's (the warnings' shares) once its
        key is seen working, and judge then its earlier requests of another account's calls;
        until then, hold both for the key."""
        api_key, exchange = judged.key, judged.exchange
        assert api_key is not None
        foreign = self._foreign_to(api_key)
        positive = is_positive(exchange.request, api_key, foreign)
        held = self.unproven.pop(key_hash(api_key))
        if working:
            if held is not None:
                self._proven(api_key, held)
            if positive:
                self.results.positive_requests[exchange.status] += 1
            return
        if self.api_key is not None:
            return  # with THINNESTAI_API_KEY given, no other key ever works
        held = held if held is not None else Unproven()
        if positive:
            held.answers[exchange.status] += 1
        raw = exchange.request.path_parameters.get("call_id", "")
        if (
            exchange.operation == GET_CALL
            and raw.isdigit()
            and int(raw) in foreign
            and len(held.foreign) < MAX_HELD_FOREIGN
        ):
            held.foreign.append((judged, started))
        if held.answers or held.foreign:
            self.unproven.put(key_hash(api_key), held)

    def _proven(self, api_key: str, held: Unproven) -> None:
        self.results.positive_requests.update(held.answers)
        context = self._context(api_key)
        for judged, started in held.foreign:
            self._stateful(foreign_call_forbidden, judged, context, started)

    def _context(self, api_key: str, fetcher: RecordedFetcher | None = None) -> CheckContext:
        return CheckContext(
            api_key=api_key,
            foreign_ids=self._foreign_to(api_key),
            fetcher=fetcher,
            observations=self.results,
        )

    def _tiling(self, key: str) -> StatefulCheck:
        def pages_tile_the_listing(exchange: Exchange, context: CheckContext) -> bool:
            return self.listings.judge(key, exchange, self.seq, context)

        return pages_tile_the_listing

    def _judge_page(self, page: PendingPage) -> None:
        key = page.judged.key
        assert key is not None, "only pages of a working key wait"
        fetcher = RecordedFetcher(self.records.lookup(page.key), page.seq)
        context = self._context(key, fetcher)
        for check in (list_page_consistent, listed_calls_match_records):
            self._stateful(check, page.judged, context, page.started)

    def _near_miss(self, miss: credentials.NearMiss, judged: Judged, started: str) -> None:
        verdict = credentials.near_miss_check(miss)

        def refused(exchange: Exchange, context: CheckContext) -> bool:
            verdict(exchange.status)
            return True

        self._stateful(refused, judged, CheckContext(api_key=""), started, miss.check, False)

    def _stateful(
        self,
        check: StatefulCheck,
        judged: Judged,
        context: CheckContext,
        started: str,
        name: str = "",
        working: bool = True,
    ) -> None:
        name = name or check.__name__
        exchange = judged.exchange
        try:
            applies = check(exchange, context)
        except ContractFailure as failure:
            breach = Breach.of(failure, name, exchange.operation)
            record = record_of_breach(breach, curl_of(exchange), self.phase, judged.clean)
            self._fail(record, judged, working, started)
        else:
            if applies:
                self.results.passes[name] += 1
                self.results.saw_judged(name, judged.response)

    # ---- into the results --------------------------------------------------------------------

    def _count(self, judged: Judged, working: bool, started: str) -> None:
        results = self.results
        results.requests[judged.response] += 1
        results.phase_requests[self.phase] += 1
        results.passes.update(judged.passed)
        for check in judged.passed:
            results.saw_judged(check, judged.response)
        for record in judged.failures:
            self._fail(record, judged, working, started)
        for check, state in judged.states:
            results.saw_state(check, state)
        for name in judged.drift:
            results.undocumented[name] += 1

    def _fail(self, record: FailureRecord, judged: Judged, working: bool, started: str) -> None:
        results = self.results
        results.saw_judged(record.check, judged.response)
        results.record_failure(record)
        if record.key in results.examples and record.key not in results.exchanges:
            results.exchanges[record.key] = evidence_for(judged, working, started)

    # ---- the verdict -------------------------------------------------------------------------

    def outcome(
        self,
        description: str,
        rerun: str,
        seconds: float,
        interrupted_by: int | None = None,
        interrupted_name: str | None = None,
        settings: Settings | None = None,
    ) -> RunOutcome:
        """The results as a run's outcome, concluded as the suite's are (`settings`: the
        verdict options; none by default), for the suite's reporters."""
        results = self.results
        if not results.total_requests and not interrupted_by:
            results.errors.append(f"{description}: no exchange of the Calls API to judge")
        target = Target(
            base_url=self.origin or "(no server)",
            # What the reporters filter once more; the keys of the traffic were filtered from
            # every text as it was judged, and are held nowhere now.
            api_key=self.api_key or secrets.token_urlsafe(24),
            call_ids=(),
            foreign_call_ids=tuple(sorted(self.foreign_ids)),
            description=description,
            notes=(f"{self.keys.count} working keys seen (by hash)",),
        )
        plan = RunPlan(
            base_url=target.base_url,
            call_ids=(),
            foreign_call_ids=target.foreign_call_ids,
            max_examples=0,
            seed=0,
            rate_limit=None,
            timeout=0.0,
            parts_dir="",
            notes=target.notes,
        )
        outcome = conclude(
            settings or Settings(base_url=None),
            results,
            target,
            plan,
            seconds,
            stopped=interrupted_by,
            interrupted_by=interrupted_name,
        )
        outcome.rerun = rerun
        outcome.warnings = [self._for_traffic(warning) for warning in outcome.warnings]
        return outcome

    def _for_traffic(self, warning: RunWarning) -> RunWarning:
        numbers = warning.numbers
        if warning.name == "listing-too-short":  # the suite's "why" speaks of its own walk
            pages = self.results.requests.get(f"{LIST_CALLS} 200", 0)
            numbers = (
                f"of the {pages} listCalls pages recorded, no two of one listing (the same "
                "key, query and total) met at a page boundary, so invariant 10's pages were "
                "not checked against each other"
            )
        if warning.name == "no-foreign-ids" and not self.foreign_ids:
            numbers = (
                "no foreign call ids were given, so no request could be judged as one for "
                "another account's call: invariant 11 (another account's call is 403) was not "
                "checked"
            )
        return replace(warning, numbers=numbers, advice=TRAFFIC_ADVICE[warning.name])
