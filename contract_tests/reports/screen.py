"""The screen summary of a contract run: it keeps to one screen however the server behaves:
the first distinct failures in full, the most frequent undocumented properties and a count of
the rest. summary.md (reports/markdown.py) has all of it.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from contract_tests.reports.facts import (
    baseline_note,
    baseline_summary,
    evidence_pointers,
    figures,
    ranked_drift,
    replay_command,
    responses_by_operation,
    verdict,
)
from contract_tests.run.coverage import check_rows, skipped_checks
from contract_tests.run.results import FailureRecord, RunResults
from contract_tests.run.runner import RunOutcome

SCREEN_FAILURES = 5  # distinct failures shown in full on screen; summary.md has them all
SCREEN_WIDTH = 100
SCREEN_DRIFT = 5  # undocumented properties named on screen; summary.md has them all
SCREEN_GAPS = 8  # coverage gaps named on screen; summary.md has them all


def _failure_lines(
    number: int,
    failure: FailureRecord,
    replay: str,
    evidence: tuple[str, str] | None,
    baseline: str = "",
) -> list[str]:
    message = failure.message.splitlines()
    lines = [
        f"{number}. {failure.check} on {failure.operation} ({failure.phase} phase, "
        f"seen {failure.occurrences}x): {failure.title}",
        f"   clause:  {failure.clause or 'see the spec'}",
    ]
    if baseline:
        lines.append(f"   baseline: {baseline}")
    lines += [f"   {line}" for line in message[:6]]
    lines += [f"   request: {failure.curl}", f"   replay:  {replay}"]
    if evidence is not None:
        lines += [f"   evidence: {evidence[0]}; re-judge it alone: {evidence[1]}"]
    return lines


def _drift_lines(results: RunResults, most: int) -> list[str]:
    ranked = ranked_drift(results)
    shown = ranked[:most]
    lines = [f"    {name} (in {count} responses)" for name, count in shown]
    if len(ranked) > len(shown):
        lines.append(f"    ... and {len(ranked) - len(shown)} more (summary.md lists them all)")
    return lines


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


def _warning_lines(outcome: RunOutcome) -> list[str]:
    """Each warning with its figures and what to do: first, so a pass that proved little
    is not read as any other pass."""
    if not outcome.warnings:
        return []
    lines = [f"  warnings ({len(outcome.warnings)}): this run proved less than it could", ""]
    for warning in outcome.warnings:
        fatal = " [--fail-on-warning: exit 3]" if warning.name in outcome.fatal_warnings else ""
        lines += textwrap.wrap(
            f"! {warning.name}{fatal}: {warning.numbers}", width=SCREEN_WIDTH,
            initial_indent="  ", subsequent_indent="      ",
        )  # fmt: skip
        lines += textwrap.wrap(
            f"what to do: {warning.advice}", width=SCREEN_WIDTH, initial_indent="      ",
            subsequent_indent="      ",
        )  # fmt: skip
    return [*lines, ""]


def _baseline_lines(outcome: RunOutcome) -> list[str]:
    if outcome.baseline is None:
        return []
    lines = ["", f"  baseline {outcome.baseline.path}:"]
    for heading, items in baseline_summary(outcome):
        if items:
            lines.append(f"    {heading} ({len(items)}):")
            lines += [f"      {item}" for item in items[:SCREEN_GAPS]]
            if len(items) > SCREEN_GAPS:
                lines.append(f"      ... and {len(items) - SCREEN_GAPS} more (summary.md)")
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
    lines += _warning_lines(outcome)
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
            note = baseline_note(outcome, failure.key)
            lines += [
                "  " + line
                for line in _failure_lines(number, failure, replay_command(outcome), evidence, note)
            ]
    lines += _baseline_lines(outcome)
    if results.errors:
        lines += ["", "  the run could not be completed:"]
        lines += [f"    {error}" for error in results.errors[:10]]
    lines += ["", f"{verdict(outcome)} (exit {outcome.exit_code})", ""]
    return "\n".join(lines)
