"""What every report of a run states the same way: the verdict, the figures, the command that
replays the run, where each failure's evidence is, and the tallies the summaries share."""

from __future__ import annotations

from pathlib import Path

from contract_tests.errors import ExitCode
from contract_tests.reports.evidence import HAR_NAME, entry_numbers, replay_entry_command
from contract_tests.run.coverage import Coverage
from contract_tests.run.results import RunResults
from contract_tests.run.runner import RunOutcome
from contract_tests.spec import GET_CALL, LIST_CALLS

VERDICTS = {
    ExitCode.CONFORMS: "PASS: the server conforms to the contract",
    ExitCode.VIOLATES: "FAIL: the server violates the contract",
    ExitCode.COVERAGE_SHORT: "SHORT: no violation seen, but the run did not verify what "
    "--require-coverage asks",
}


def verdict(outcome: RunOutcome) -> str:
    if outcome.interrupted_by:
        found = outcome.results.distinct_failures
        so_far = f"{found} distinct failures so far" if found else "no failure so far"
        return f"INTERRUPTED by {outcome.interrupted_by}: partial results, {so_far}"
    return VERDICTS.get(outcome.exit_code, "ERROR: the run could not be made")


def replay_command(outcome: RunOutcome) -> str:
    if outcome.rerun:  # recorded or proxied traffic: no seed makes it again
        return outcome.rerun
    target = "" if outcome.target.description.startswith("embedded") else " --base-url URL"
    return f"nox -s contract -- --seed {outcome.plan.seed}{target}"


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "n/a"


def figures(outcome: RunOutcome) -> list[tuple[str, str]]:
    results = outcome.results
    total = results.total_requests
    ok = sum(count for key, count in results.requests.items() if key.endswith(" 200"))
    positive = sum(results.positive_get_call.values())
    rate = total / outcome.seconds if outcome.seconds else 0.0
    rows = [
        ("target", f"{outcome.plan.base_url} ({outcome.target.description})"),
        ("operations", f"{LIST_CALLS} (listCalls), {GET_CALL} (getCall)"),
        (
            ("judge again", outcome.rerun)
            if outcome.rerun
            else ("seed", f"{outcome.plan.seed} (replay: {replay_command(outcome)})")
        ),
        ("requests", f"{total} in {outcome.seconds:.1f}s ({rate:.0f}/s), all GET"),
        (
            "by phase",
            ", ".join(f"{phase} {count}" for phase, count in results.phase_requests.items())
            or "none",
        ),
        ("answered 200", f"{_share(ok, total)} of all requests"),
        (
            "getCall reaching a call",
            f"{_share(results.positive_get_call.get(200, 0), positive)} of {positive} "
            f"positive getCall requests answered 200 "
            f"({results.real_id_requests} aimed at known ids)",
        ),
    ]
    if results.failures:
        rows.append(
            (
                "failures",
                f"{results.distinct_failures} distinct, {sum(results.failures.values())} "
                "failing check results in all",
            )
        )
    if results.rate_limit_waits:
        rows.append(
            (
                "rate limited",
                f"{results.rate_limit_waits} 429s waited out "
                f"({results.rate_limit_wait_seconds:.0f}s, as Retry-After asked)",
            )
        )
    if results.stopped_early:
        rows.append(("stopped early", results.stopped_early))
    return rows


def evidence_pointers(outcome: RunOutcome, report_dir: Path | None) -> dict[str, tuple[str, str]]:
    """FailureRecord.key -> (where its exchange is in evidence.har, the command that re-sends
    and re-judges it), for the failures whose exchange was kept."""
    har = (report_dir or Path()) / HAR_NAME
    return {
        key: (f"{har} entry {number}", replay_entry_command(outcome, har, number))
        for key, number in entry_numbers(outcome.results).items()
    }


def ranked_drift(results: RunResults) -> list[tuple[str, int]]:
    """Undocumented properties, the most frequent first."""
    return sorted(results.undocumented.items(), key=lambda item: (-item[1], item[0]))


def responses_by_operation(coverage: Coverage) -> dict[str, list[tuple[int, int]]]:
    table: dict[str, list[tuple[int, int]]] = {}
    for operation, status, seen in coverage.responses:
        table.setdefault(operation, []).append((status, seen))
    return table
