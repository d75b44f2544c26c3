"""Warnings: what makes a pass prove little, named, counted and with what to do about it.

A run against an account with no calls, a key that is refused, a server that rate-limits
everything or a listing of one page can pass every check because the checks judged almost
nothing. `warnings_of` reads that from a run's results and coverage alone (no server, no
Schemathesis), so any source of results (the suite's run, a recording judged offline) gets
the same warnings; the reports print them, the verdict line names them, and
`--fail-on-warning` turns chosen ones into exit 3.

A *positive request* is one a correct server accepts: sent with the run's key, every input
within the spec's bounds, and not aimed at another account's call (`is_positive`). The
share warnings are about the final answers to those (after any 429 waited out).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the settings import this module: nothing of the spec before a run starts
    from contract_tests.checks.exchange import Request
    from contract_tests.run.coverage import Coverage
    from contract_tests.run.results import RunResults

MOST = 0.5  # "most": more than half of the positive requests
DECIMAL = re.compile(r"0|[1-9][0-9]*")
TILING = "pages_tile_the_listing"
FOREIGN = "foreign_call_forbidden"

# name -> what it means, in the order the reports list them.
WARNINGS: dict[str, str] = {
    "no-records": "no call record could be read, so the record clauses judged nothing",
    "auth-dominated": "most positive requests were answered 401 or 403",
    "mostly-rate-limited": "most positive requests ended in 429",
    "low-valid-rate": "most positive requests were answered another 4xx",
    "no-foreign-ids": "tenancy (invariant 11) was not checked",
    "listing-too-short": "the listing walk compared no page boundary",
}


@dataclass(frozen=True)
class RunWarning:
    name: str  # one of WARNINGS
    numbers: str  # what the run saw, in figures
    advice: str  # what to do so that the next run proves more

    @property
    def line(self) -> str:
        return f"{self.name}: {self.numbers}. {self.advice}"


def parse_warning_names(text: str) -> frozenset[str]:
    """`all`, or a comma list of warning names (ValueError on anything else)."""
    names = {part.strip() for part in text.split(",") if part.strip()}
    if "all" in names:
        return frozenset(WARNINGS)
    unknown = sorted(names - set(WARNINGS))
    if unknown or not names:
        raise ValueError(
            f"{', '.join(unknown) or repr(text)}: not a warning; use all or any of "
            f"{', '.join(WARNINGS)}"
        )
    return frozenset(names)


def _within(text: str | None, low: int, high: int) -> bool:
    return text is not None and DECIMAL.fullmatch(text) is not None and low <= int(text) <= high


def is_positive(request: Request, api_key: str, foreign_ids: Iterable[int] = ()) -> bool:
    """Sent with the run's key, every input within the spec's bounds, and not aimed at
    another account's call: a request a correct server answers 200 (or 404 for an id it
    does not hold)."""
    from contract_tests.spec import GET_CALL, LIST_CALLS, id_bounds, limit_bounds, offset_bounds

    if request.header("Authorization") != f"Bearer {api_key}":
        return False
    names = [name for name, _ in request.query]
    if request.operation == GET_CALL:
        call_id = request.path_parameters.get("call_id")
        low, high = id_bounds()
        return (
            not names and _within(call_id, low, high) and int(call_id or 0) not in set(foreign_ids)
        )
    if request.operation == LIST_CALLS:
        bounds = {"limit": limit_bounds()[:2], "offset": offset_bounds()[:2]}
        if len(names) != len(set(names)) or not set(names) <= set(bounds):
            return False
        return all(_within(request.query_value(name), *bounds[name]) for name in names)
    return False


def _share(part: int, whole: int) -> str:
    return f"{part} of {whole} positive requests ({100 * part / whole:.0f}%)"


def _by_status(answers: Counter[int], statuses: Iterable[int]) -> str:
    return ", ".join(f"{status}: {answers[status]}" for status in sorted(statuses))


def _share_warnings(results: RunResults) -> list[RunWarning]:
    answers = results.positive_requests
    whole = sum(answers.values())
    if not whole:
        return []
    found = []
    refused = [status for status in answers if status in (401, 403)]
    if sum(answers[s] for s in refused) > MOST * whole:
        found.append(
            RunWarning(
                "auth-dominated",
                f"{_share(sum(answers[s] for s in refused), whole)} were answered 401 or 403 "
                f"({_by_status(answers, refused)})",
                "the key is refused or may not read what the run asks for: check "
                "THINNESTAI_API_KEY's account and scopes, and that --call-ids are that "
                "account's calls",
            )
        )
    if answers[429] > MOST * whole:
        found.append(
            RunWarning(
                "mostly-rate-limited",
                f"{_share(answers[429], whole)} ended in 429 (the run waited out "
                f"{results.rate_limit_waits} others as Retry-After asked)",
                "lower --rate-limit (e.g. 2/s), give the test key a higher limit, or run "
                "when the server is less busy",
            )
        )
    other = [status for status in answers if 400 <= status < 500 and status not in (401, 403, 429)]
    if sum(answers[s] for s in other) > MOST * whole:
        found.append(
            RunWarning(
                "low-valid-rate",
                f"{_share(sum(answers[s] for s in other), whole)} were answered another 4xx "
                f"({_by_status(answers, other)})",
                "valid requests were turned away: 404 means the call ids name no call of this "
                "account (check --call-ids), 422 that the server rejects inputs the spec allows",
            )
        )
    return found


def warnings_of(
    results: RunResults, coverage: Coverage, *, foreign_ids_given: int
) -> list[RunWarning]:
    """Every warning the run deserves, in the order of WARNINGS. `foreign_ids_given`: how
    many ids of another account's calls the run was given (it says why tenancy was not
    checked)."""
    from contract_tests.checks.states import RECORD_CLAUSE_STATES  # reads the spec
    from contract_tests.spec import GET_CALL

    found: list[RunWarning] = []
    records = max(
        (
            sum(results.clause_states.get(check, Counter()).values())
            for check in RECORD_CLAUSE_STATES
        ),
        default=0,
    )
    if not records:
        asked = sum(n for key, n in results.requests.items() if key.startswith(f"{GET_CALL} "))
        states = [row for row in coverage.clause_states if row[0] in RECORD_CLAUSE_STATES]
        found.append(
            RunWarning(
                "no-records",
                f"getCall answered 200 to {results.requests.get(f'{GET_CALL} 200', 0)} of its "
                f"{asked} requests and the record clauses (invariants 1-9) judged no record: "
                f"0 of {len(states)} of their states exercised",
                "the account has no call the key can read (a new tenant?) or the call ids name "
                "none: run against an account with calls, or give --call-ids of calls the key "
                "can read",
            )
        )
    found += _share_warnings(results)
    if not sum(results.clause_states.get(FOREIGN, Counter()).values()):
        numbers = (
            "no foreign call ids were given, so no other account's call was fetched"
            if not foreign_ids_given
            else f"{foreign_ids_given} foreign call ids were given, none was judged"
        )
        found.append(
            RunWarning(
                "no-foreign-ids",
                f"{numbers}: invariant 11 (another account's call is 403) was not checked",
                "give --foreign-call-ids (or THINNESTAI_FOREIGN_CALL_IDS): ids of calls of "
                "another account on the same server",
            )
        )
    tiling = results.clause_states.get(TILING, Counter())
    if not tiling["page boundaries compared"]:
        moved = tiling["listing moved: not judged"]
        why = f"the listing moved during {moved} of them" if moved else "the listing is short"
        found.append(
            RunWarning(
                "listing-too-short",
                f"the listing walk compared 0 page boundaries ({why}), so invariant 10's "
                "pages were not checked against each other",
                "run against an account with more calls than two pages of the walk hold (over "
                "10 listed calls), at a time when its listing holds still",
            )
        )
    return found
