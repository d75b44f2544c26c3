"""What a run verified and what it could not: documented responses, checks, clause states.

A PASS means something only when the reader knows what was checked. From a run's results
this derives: how often each documented response (operation x status) was seen, which
responses each check judged, which record states each invariant clause saw, and every gap
with its reason. `--require-coverage` names the gaps a run may not have.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from contract_tests.checks.clauses import CLAUSES
from contract_tests.checks.states import EXPECTED_STATES
from contract_tests.run.results import RunResults
from contract_tests.spec import documented_responses, operation_ids

if TYPE_CHECKING:  # the plan imports settings, which import this module's Requirement
    from contract_tests.run.plan import RunPlan

KINDS = ("responses", "checks", "clauses")


@dataclass(frozen=True)
class Gap:
    kind: str  # "responses", "checks" or "clauses"
    what: str  # "getCall 403", "nullability_by_status: pending"
    why: str
    status: int | None = None  # for a response gap


@dataclass(frozen=True)
class Coverage:
    responses: list[tuple[str, int, int]]  # (operationId, status, times seen)
    clause_states: list[tuple[str, str, int]]  # (check, state, records or pages judged)
    judged: dict[str, Counter[str]]  # check -> responses it judged
    gaps: list[Gap]

    @property
    def responses_seen(self) -> int:
        return sum(1 for _, _, seen in self.responses if seen)

    @property
    def states_seen(self) -> int:
        return sum(1 for _, _, seen in self.clause_states if seen)


def _response_gap_reason(operation: str, status: int, plan: RunPlan) -> str:
    if status == 403:
        if not plan.foreign_call_ids:
            return "no foreign call ids given (--foreign-call-ids): a 403 cannot be provoked"
        return "the foreign call ids given were never answered 403"
    if status == 429:
        return "the server did not rate-limit this run (the suite never provokes a 429)"
    if status == 200:
        return "no request was answered 200"
    return "never answered, though the suite provokes it"


def _state_gap_reason(check: str, state: str, results: RunResults, plan: RunPlan) -> str:
    if check == "foreign_call_forbidden":
        return "no foreign call ids given (--foreign-call-ids)"
    judged = sum(results.clause_states.get(check, Counter()).values())
    if check == "list_page_consistent":
        return f"no page of this kind among the {judged} pages judged"
    if check == "pages_tile_the_listing":
        return "no page boundary was compared (the listing is shorter than two pages, or moved)"
    noun = "listed calls" if check == "listed_calls_match_records" else "records"
    return f"no such call among the {judged} {noun} judged"


def coverage_of(results: RunResults, plan: RunPlan) -> Coverage:
    names = operation_ids()
    responses, gaps = [], []
    for label, status in documented_responses():
        seen = results.requests.get(f"{label} {status}", 0)
        operation = names.get(label, label)
        responses.append((operation, status, seen))
        if not seen:
            why = _response_gap_reason(operation, status, plan)
            gaps.append(Gap("responses", f"{operation} {status}", why, status))
    clause_states = []
    for check, expected in EXPECTED_STATES.items():
        counts = results.clause_states.get(check, Counter())
        for state in expected:
            clause_states.append((check, state, counts[state]))
            if not counts[state]:
                why = _state_gap_reason(check, state, results, plan)
                gaps.append(Gap("clauses", f"{check}: {state}", why))
    return Coverage(responses, clause_states, dict(results.judged), gaps)


def check_rows(results: RunResults) -> list[tuple[str, int, int, str]]:
    """(check, passes, failures, clause) for every check not skipped by the suite itself."""
    names = sorted(set(results.passes) | set(results.failures) | set(CLAUSES))
    return [
        (name, results.passes[name], results.failures[name], CLAUSES.get(name, ""))
        for name in names
        if name not in results.skipped
    ]


def skipped_checks(results: RunResults) -> dict[str, str]:
    """Checks that judged nothing in this run, with the reason."""
    skipped = dict(results.skipped)
    for name, passed, failed, _ in check_rows(results):
        if passed == 0 and failed == 0:
            skipped[name] = "no response it applies to was seen in this run"
    return skipped


@dataclass(frozen=True)
class Requirement:
    """What `--require-coverage` asks: kinds of coverage, less named exemptions."""

    kinds: frozenset[str] = frozenset()
    exempt: frozenset[str] = field(default_factory=frozenset)  # "429", "getCall 403", a check

    @classmethod
    def parse(cls, text: str) -> Requirement:
        """`all`, or a comma list of responses, checks, clauses; `-X` exempts X: a status
        (`-429`), a response (`-getCall:403`), a check or a clause's check (`-cost_adds_up`),
        or one state (`-nullability_by_status:pending`). ValueError on anything else."""
        kinds: set[str] = set()
        exempt: set[str] = set()
        for raw in (part.strip() for part in text.split(",")):
            if not raw:
                continue
            if raw == "all":
                kinds.update(KINDS)
            elif raw in KINDS:
                kinds.add(raw)
            elif raw.startswith("-") and len(raw) > 1:
                exempt.add(raw[1:].replace(":", " ", 1) if raw[1:2].isalpha() else raw[1:])
            else:
                raise ValueError(
                    f"{raw!r} is not a coverage item: use all, responses, checks, clauses, "
                    "and -EXEMPTION (e.g. -429, -getCall:403, -cost_adds_up)"
                )
        if not kinds:
            raise ValueError("name at least one of all, responses, checks, clauses")
        return cls(frozenset(kinds), frozenset(exempt))

    def missing(self, coverage: Coverage, skipped_checks: dict[str, str]) -> list[Gap]:
        """The gaps this requirement does not allow."""
        gaps = list(coverage.gaps)
        gaps += [Gap("checks", name, why) for name, why in sorted(skipped_checks.items())]
        return [gap for gap in gaps if gap.kind in self.kinds and not self._exempts(gap)]

    def _exempts(self, gap: Gap) -> bool:
        if gap.status is not None and str(gap.status) in self.exempt:
            return True
        check = gap.what.split(":", 1)[0]
        what = gap.what.replace(": ", " ")
        return gap.what in self.exempt or check in self.exempt or what in self.exempt
