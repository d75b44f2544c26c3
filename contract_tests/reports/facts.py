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


def _short_because(outcome: RunOutcome) -> str:
    reasons = []
    if outcome.coverage_missing:
        reasons.append("the run did not verify what --require-coverage asks")
    if outcome.fatal_warnings:
        reasons.append(f"--fail-on-warning makes {', '.join(outcome.fatal_warnings)} fatal")
    return "SHORT: no violation seen, but " + " and ".join(reasons or ["coverage is short"])


def _baseline_counts(outcome: RunOutcome) -> str:
    """What the baseline made of the failures, for the verdict line ("" without one)."""
    known = outcome.baseline
    if known is None:
        return ""
    new = len(outcome.results.examples) - len(known.known) - len(known.expired)
    unseen = "not seen in this partial run" if known.partial else "fixed (remove them)"
    parts = [
        f"{new} new" if new and outcome.exit_code == ExitCode.VIOLATES else "",
        f"{len(known.expired)} past their baseline expiry" if known.expired else "",
        f"{len(known.known)} known" if known.known else "",
        f"{len(known.fixed)} baseline entries {unseen}" if known.fixed else "",
    ]
    text = ", ".join(part for part in parts if part)
    return f" ({text})" if text else ""


def verdict(outcome: RunOutcome) -> str:
    """One line: PASS, FAIL or SHORT (with the warnings raised, named, and what the
    baseline made of the failures), INTERRUPTED or ERROR."""
    if outcome.interrupted_by:
        found = outcome.results.distinct_failures
        so_far = f"{found} distinct failures so far" if found else "no failure so far"
        return f"INTERRUPTED by {outcome.interrupted_by}: partial results, {so_far}"
    if outcome.exit_code not in VERDICTS:
        return "ERROR: the run could not be made"
    text = VERDICTS[outcome.exit_code]
    if outcome.exit_code == ExitCode.COVERAGE_SHORT:
        text = _short_because(outcome)
    word, _, said = text.partition(": ")
    names = [warning.name for warning in outcome.warnings]
    if names:
        count = f"{len(names)} warning{'s' if len(names) > 1 else ''}"
        word = f"{word} with {count} ({', '.join(names)})"
        if outcome.exit_code == ExitCode.CONFORMS:
            said = "no violation seen, but the run proved less than it could"
    if outcome.exit_code == ExitCode.CONFORMS and outcome.baseline and outcome.baseline.known:
        said = "no violation but the baseline's known failures"
    return f"{word}: {said}{_baseline_counts(outcome)}"


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
        known = outcome.baseline
        rows.append(
            (
                "failures",
                f"{results.distinct_failures} distinct, {sum(results.failures.values())} "
                "failing check results in all"
                + (f"; {len(known.known)} known in the baseline" if known and known.known else ""),
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


def baseline_note(outcome: RunOutcome, key: str) -> str:
    """What the baseline says of failure `key` ("" when the run had no baseline)."""
    known = outcome.baseline
    if known is None:
        return ""
    if key in known.known:
        entry = known.known[key]
        return f"known (baseline: {entry.who}; expires {entry.expires}): does not fail the run"
    if key in known.expired:
        entry = known.expired[key]
        return f"its baseline entry expired on {entry.expires} ({entry.who}): fails the run"
    return "new: not in the baseline"


def baseline_summary(outcome: RunOutcome) -> list[tuple[str, list[str]]]:
    """(heading, failure keys or entries) of the baseline's known, expired and fixed entries."""
    known = outcome.baseline
    if known is None:
        return []
    unseen = "not seen in this partial run" if known.partial else "fixed: remove from the baseline"
    return [
        (
            "expired: fail the run",
            [f"{key} (expired {e.expires}; {e.who})" for key, e in known.expired.items()],
        ),
        ("known: do not fail the run", [f"{key} ({e.who})" for key, e in known.known.items()]),
        (unseen, [f"{e.key} ({e.who})" for e in known.fixed]),
    ]
