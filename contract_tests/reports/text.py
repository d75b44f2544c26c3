"""The summary of a contract run: one screen of text, and the whole of it as Markdown on disk.

The screen keeps to one screen however the server behaves: the first distinct failures in
full, the most frequent undocumented properties and a count of the rest; summary.md has all.
"""

from __future__ import annotations

from pathlib import Path

from contract_tests.checks.registry import CLAUSES
from contract_tests.run.results import FailureRecord, RunResults
from contract_tests.run.runner import CONFORMS, VIOLATES, RunOutcome
from contract_tests.spec import GET_CALL, LIST_CALLS

SCREEN_FAILURES = 5  # distinct failures shown in full on screen; summary.md has them all
SCREEN_DRIFT = 5  # undocumented properties named on screen; summary.md has them all
VERDICTS = {
    CONFORMS: "PASS: the server conforms to the contract",
    VIOLATES: "FAIL: the server violates the contract",
}


def verdict(outcome: RunOutcome) -> str:
    if outcome.interrupted_by:
        found = outcome.results.distinct_failures
        so_far = f"{found} distinct failures so far" if found else "no failure so far"
        return f"INTERRUPTED by {outcome.interrupted_by}: partial results, {so_far}"
    return VERDICTS.get(outcome.exit_code, "ERROR: the run could not be made")


def replay_command(outcome: RunOutcome) -> str:
    target = "" if outcome.target.description.startswith("embedded") else " --base-url URL"
    return f"nox -s contract -- --seed {outcome.plan.seed}{target}"


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "n/a"


def _figures(outcome: RunOutcome) -> list[tuple[str, str]]:
    results = outcome.results
    total = results.total_requests
    ok = sum(count for key, count in results.requests.items() if key.endswith(" 200"))
    positive = sum(results.positive_get_call.values())
    rate = total / outcome.seconds if outcome.seconds else 0.0
    rows = [
        ("target", f"{outcome.plan.base_url} ({outcome.target.description})"),
        ("operations", f"{LIST_CALLS} (listCalls), {GET_CALL} (getCall)"),
        ("seed", f"{outcome.plan.seed} (replay: {replay_command(outcome)})"),
        ("requests", f"{total} in {outcome.seconds:.1f}s ({rate:.0f}/s), all GET"),
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


def _failure_lines(number: int, failure: FailureRecord, replay: str) -> list[str]:
    message = failure.message.splitlines()
    lines = [
        f"{number}. {failure.check} on {failure.operation} ({failure.phase} phase, "
        f"seen {failure.occurrences}x): {failure.title}",
        f"   clause:  {failure.clause or 'see the spec'}",
    ]
    lines += [f"   {line}" for line in message[:6]]
    lines += [f"   request: {failure.curl}", f"   replay:  {replay}"]
    return lines


def _ranked_drift(results: RunResults) -> list[tuple[str, int]]:
    """Undocumented properties, the most frequent first."""
    return sorted(results.undocumented.items(), key=lambda item: (-item[1], item[0]))


def _drift_lines(results: RunResults, most: int) -> list[str]:
    ranked = _ranked_drift(results)
    shown = ranked[:most]
    lines = [f"    {name} (in {count} responses)" for name, count in shown]
    if len(ranked) > len(shown):
        lines.append(f"    ... and {len(ranked) - len(shown)} more (summary.md lists them all)")
    return lines


def render_text(outcome: RunOutcome) -> str:
    results = outcome.results
    lines = ["", "thinnest.ai Calls API contract run", ""]
    lines += [f"  {label:<24} {value}" for label, value in _figures(outcome)]
    lines += ["", f"  {'check':<30} {'passed':>7} {'failed':>7}  clause"]
    for name, passed, failed, clause in check_rows(results):
        if passed or failed:
            mark = "x" if failed else " "
            lines.append(f"{mark} {name:<30} {passed:>7} {failed:>7}  {clause}")
    skipped = skipped_checks(results)
    if skipped:
        lines += ["", "  skipped checks:"]
        lines += [f"    {name}: {reason}" for name, reason in sorted(skipped.items())]
    if results.undocumented:
        lines += ["", "  spec drift (undocumented properties; allowed, not failures):"]
        lines += _drift_lines(results, SCREEN_DRIFT)
    for note in outcome.plan.notes:
        lines.append(f"  note: {note}")
    failures = list(results.examples.values())
    if failures:
        shown = min(len(failures), SCREEN_FAILURES)
        lines += [
            "",
            f"  distinct failures ({len(failures)}, first {shown} shown; all in summary.md):",
        ]
        for number, failure in enumerate(failures[:SCREEN_FAILURES], 1):
            lines += [
                "  " + line for line in _failure_lines(number, failure, replay_command(outcome))
            ]
    if results.errors:
        lines += ["", "  the run could not be completed:"]
        lines += [f"    {error}" for error in results.errors[:10]]
    lines += ["", f"{verdict(outcome)} (exit {outcome.exit_code})", ""]
    return "\n".join(lines)


def render_markdown(outcome: RunOutcome) -> str:
    results = outcome.results
    lines = ["# Contract run", "", f"**{verdict(outcome)}** (exit {outcome.exit_code})", ""]
    lines += ["| | |", "|---|---|"]
    lines += [f"| {label} | {value.replace('|', '/')} |" for label, value in _figures(outcome)]
    lines += ["", "## Checks", "", "| check | passed | failed | clause |", "|---|---:|---:|---|"]
    lines += [
        f"| `{name}` | {passed} | {failed} | {clause} |"
        for name, passed, failed, clause in check_rows(results)
        if passed or failed
    ]
    skipped = skipped_checks(results)
    if skipped:
        lines += ["", "## Skipped checks", ""]
        lines += [f"- `{name}`: {reason}" for name, reason in sorted(skipped.items())]
    lines += ["", "## Spec drift (undocumented properties)", ""]
    lines += [f"- `{name}` in {count} responses" for name, count in _ranked_drift(results)]
    if not results.undocumented:
        lines.append("None seen.")
    if results.examples:
        lines += ["", f"## Distinct failures ({results.distinct_failures})", ""]
        for number, failure in enumerate(results.examples.values(), 1):
            lines += [
                f"### {number}. `{failure.check}` on `{failure.operation}`: {failure.title}",
                "",
                f"- clause: {failure.clause or 'see the spec'}",
                f"- phase: {failure.phase}; seen {failure.occurrences} times",
                f"- replay: `{replay_command(outcome)}`",
                "",
                "```",
                failure.message,
                "```",
                "",
                "```sh",
                failure.curl,
                "```",
                "",
            ]
    if results.errors:
        lines += ["", "## The run could not be completed", ""]
        lines += [f"- {error}" for error in results.errors]
    return "\n".join(lines) + "\n"


def write_markdown(outcome: RunOutcome, report_dir: Path) -> Path:
    path = report_dir / "summary.md"
    path.write_text(render_markdown(outcome), encoding="utf-8")
    return path
