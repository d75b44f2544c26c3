"""The summary of a contract run: one screen of text, and the whole of it as Markdown on disk.

The screen keeps to one screen however the server behaves: the first distinct failures in
full, the most frequent undocumented properties and a count of the rest; summary.md has all.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from contract_tests.checks.clauses import CLAUSES
from contract_tests.reports.evidence import HAR_NAME, entry_numbers, replay_entry_command
from contract_tests.run.coverage import Coverage, check_rows, skipped_checks
from contract_tests.run.results import FailureRecord, RunResults
from contract_tests.run.runner import CONFORMS, COVERAGE_SHORT, VIOLATES, RunOutcome
from contract_tests.spec import GET_CALL, LIST_CALLS

SCREEN_FAILURES = 5  # distinct failures shown in full on screen; summary.md has them all
SCREEN_WIDTH = 100
SCREEN_DRIFT = 5  # undocumented properties named on screen; summary.md has them all
SCREEN_GAPS = 8  # coverage gaps named on screen; summary.md has them all
VERDICTS = {
    CONFORMS: "PASS: the server conforms to the contract",
    VIOLATES: "FAIL: the server violates the contract",
    COVERAGE_SHORT: "SHORT: no violation seen, but the run did not verify what "
    "--require-coverage asks",
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


def figures(outcome: RunOutcome) -> list[tuple[str, str]]:
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


def _failure_lines(
    number: int, failure: FailureRecord, replay: str, evidence: tuple[str, str] | None
) -> list[str]:
    message = failure.message.splitlines()
    lines = [
        f"{number}. {failure.check} on {failure.operation} ({failure.phase} phase, "
        f"seen {failure.occurrences}x): {failure.title}",
        f"   clause:  {failure.clause or 'see the spec'}",
    ]
    lines += [f"   {line}" for line in message[:6]]
    lines += [f"   request: {failure.curl}", f"   replay:  {replay}"]
    if evidence is not None:
        lines += [f"   evidence: {evidence[0]}; re-judge it alone: {evidence[1]}"]
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


def responses_by_operation(coverage: Coverage) -> dict[str, list[tuple[int, int]]]:
    table: dict[str, list[tuple[int, int]]] = {}
    for operation, status, seen in coverage.responses:
        table.setdefault(operation, []).append((status, seen))
    return table


def _coverage_lines(outcome: RunOutcome) -> list[str]:
    coverage = outcome.coverage
    lines = [
        "",
        f"  coverage: {coverage.responses_seen} of {len(coverage.responses)} documented "
        f"responses seen, {coverage.states_seen} of {len(coverage.clause_states)} clause "
        "states exercised",
    ]
    for operation, statuses in responses_by_operation(coverage).items():
        seen = ", ".join(
            f"{status} x{count}" if count else f"{status} -" for status, count in statuses
        )
        lines.append(f"    {operation:<10} {seen}")
    if coverage.gaps:
        shown = coverage.gaps[:SCREEN_GAPS]
        lines.append(f"    not verified ({len(coverage.gaps)}; all in summary.md):")
        lines += [f"      {gap.what}: {gap.why}" for gap in shown]
    if outcome.coverage_missing:
        lines.append(
            f"    required by --require-coverage but not verified: {len(outcome.coverage_missing)}"
        )
        lines += [f"      {gap.what}" for gap in outcome.coverage_missing[:SCREEN_GAPS]]
    return lines


def _coverage_markdown(outcome: RunOutcome) -> list[str]:
    coverage = outcome.coverage
    table = responses_by_operation(coverage)
    statuses = sorted({status for _, status, _ in coverage.responses})
    lines = ["", "## Coverage", "", "### Documented responses seen", ""]
    lines += ["| operation | " + " | ".join(str(s) for s in statuses) + " |"]
    lines += ["|---|" + "---:|" * len(statuses)]
    for operation, seen in table.items():
        counts = dict(seen)
        cells = [
            str(counts[status]) if counts.get(status) else ("not seen" if status in counts else "")
            for status in statuses
        ]
        lines.append(f"| {operation} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "### Responses each check judged",
        "",
        "| check | responses judged |",
        "|---|---|",
    ]
    for check, judged in sorted(coverage.judged.items()):
        text = ", ".join(f"{label} x{count}" for label, count in sorted(judged.items()))
        lines.append(f"| `{check}` | {text} |")
    lines += ["", "### Record states each invariant clause saw", ""]
    lines += ["| check | clause | state | judged |", "|---|---|---|---:|"]
    for check, state, count in coverage.clause_states:
        clause = CLAUSES.get(check, "")
        lines.append(f"| `{check}` | {clause} | {state} | {count or 'not seen'} |")
    lines += ["", "### Not verified, and why", ""]
    lines += [f"- {gap.what}: {gap.why}" for gap in coverage.gaps] or ["Everything was seen."]
    if outcome.coverage_missing:
        lines += ["", "### Required by --require-coverage but not verified", ""]
        lines += [f"- {gap.what} ({gap.kind}): {gap.why}" for gap in outcome.coverage_missing]
    return lines


def _wrapped(label: str, items: list[str]) -> list[str]:
    return textwrap.wrap(
        f"{label}: " + ", ".join(items), width=SCREEN_WIDTH, initial_indent="  ",
        subsequent_indent="    ", break_on_hyphens=False,
    )  # fmt: skip


def _check_lines(results: RunResults) -> list[str]:
    """Failing checks in full rows; passing and skipped ones folded into a few lines (the
    whole table is in summary.md), so the screen stays one screen however many checks run."""
    rows = check_rows(results)
    judged = [row for row in rows if row[1] or row[2]]
    failing = [row for row in judged if row[2]]
    lines = [
        "",
        f"  checks: {len(judged)} ran, {len(failing)} failed (the table is in summary.md)",
    ]
    if failing:
        lines.append(f"  {'failed check':<36} {'passed':>7} {'failed':>7}  clause")
        lines += [f"x {name:<36} {ok:>7} {bad:>7}  {clause}" for name, ok, bad, clause in failing]
    passing = [f"{name} {ok}" for name, ok, bad, _ in judged if not bad]
    if passing:
        lines += _wrapped("passed", passing)
    by_reason: dict[str, list[str]] = {}
    for name, reason in sorted(skipped_checks(results).items()):
        by_reason.setdefault(reason, []).append(name)
    for reason, names in by_reason.items():
        lines += _wrapped(f"not judged ({reason})", names)
    return lines


def render_text(outcome: RunOutcome, report_dir: Path | None = None) -> str:
    """The screen summary; `report_dir` locates evidence.har in the failures' pointers."""
    results = outcome.results
    lines = ["", "thinnest.ai Calls API contract run", ""]
    lines += [f"  {label:<24} {value}" for label, value in figures(outcome)]
    lines += _check_lines(results)
    if results.undocumented:
        lines += ["", "  spec drift (undocumented properties; allowed, not failures):"]
        lines += _drift_lines(results, SCREEN_DRIFT)
    for note in outcome.plan.notes:
        lines.append(f"  note: {note}")
    lines += _coverage_lines(outcome)
    failures = list(results.examples.values())
    if failures:
        shown = min(len(failures), SCREEN_FAILURES)
        lines += [
            "",
            f"  distinct failures ({len(failures)}, first {shown} shown; all in summary.md):",
        ]
        pointers = evidence_pointers(outcome, report_dir)
        for number, failure in enumerate(failures[:SCREEN_FAILURES], 1):
            evidence = pointers.get(failure.key)
            lines += [
                "  " + line
                for line in _failure_lines(number, failure, replay_command(outcome), evidence)
            ]
    if results.errors:
        lines += ["", "  the run could not be completed:"]
        lines += [f"    {error}" for error in results.errors[:10]]
    lines += ["", f"{verdict(outcome)} (exit {outcome.exit_code})", ""]
    return "\n".join(lines)


def render_markdown(outcome: RunOutcome, report_dir: Path | None = None) -> str:
    results = outcome.results
    pointers = evidence_pointers(outcome, report_dir)
    lines = ["# Contract run", "", f"**{verdict(outcome)}** (exit {outcome.exit_code})", ""]
    lines += ["| | |", "|---|---|"]
    lines += [f"| {label} | {value.replace('|', '/')} |" for label, value in figures(outcome)]
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
    lines += _coverage_markdown(outcome)
    if results.examples:
        lines += ["", f"## Distinct failures ({results.distinct_failures})", ""]
        for number, failure in enumerate(results.examples.values(), 1):
            lines += [
                f"### {number}. `{failure.check}` on `{failure.operation}`: {failure.title}",
                "",
                f"- clause: {failure.clause or 'see the spec'}",
                f"- phase: {failure.phase}; seen {failure.occurrences} times",
                f"- replay the run: `{replay_command(outcome)}`",
            ]
            if failure.key in pointers:
                where, command = pointers[failure.key]
                lines += [
                    f"- evidence: {where} (HAR 1.2)",
                    f"- re-send and re-judge this request alone: `{command}`",
                ]
            lines += [
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
    # Last but the errors: against a server that adds many properties it is long.
    lines += ["", "## Spec drift (undocumented properties)", ""]
    lines += [f"- `{name}` in {count} responses" for name, count in _ranked_drift(results)]
    if not results.undocumented:
        lines.append("None seen.")
    if results.errors:
        lines += ["", "## The run could not be completed", ""]
        lines += [f"- {error}" for error in results.errors]
    return "\n".join(lines) + "\n"


def write_markdown(outcome: RunOutcome, report_dir: Path) -> Path:
    path = report_dir / "summary.md"
    path.write_text(render_markdown(outcome, report_dir), encoding="utf-8")
    return path
