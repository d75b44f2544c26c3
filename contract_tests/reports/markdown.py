"""summary.md: the whole of a contract run as Markdown on disk, every failure, check and gap."""

from __future__ import annotations

from pathlib import Path

from contract_tests.checks.clauses import CLAUSES
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
from contract_tests.run.runner import RunOutcome


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


def _warnings_markdown(outcome: RunOutcome) -> list[str]:
    if not outcome.warnings:
        return []
    lines = [f"## Warnings ({len(outcome.warnings)}): this run proved less than it could", ""]
    for warning in outcome.warnings:
        fatal = (
            " (fatal: --fail-on-warning, exit 3)" if warning.name in outcome.fatal_warnings else ""
        )
        lines += [f"- **{warning.name}**{fatal}: {warning.numbers}.", f"  {warning.advice}."]
    return [*lines, ""]


def _baseline_markdown(outcome: RunOutcome) -> list[str]:
    if outcome.baseline is None:
        return []
    lines = ["", f"## Baseline (`{outcome.baseline.path}`)", ""]
    for heading, items in baseline_summary(outcome):
        lines += [f"- {heading}: {len(items)}", *(f"  - `{item}`" for item in items)]
    return lines


def render_markdown(outcome: RunOutcome, report_dir: Path | None = None) -> str:
    results = outcome.results
    pointers = evidence_pointers(outcome, report_dir)
    lines = ["# Contract run", "", f"**{verdict(outcome)}** (exit {outcome.exit_code})", ""]
    lines += _warnings_markdown(outcome)
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
            note = baseline_note(outcome, failure.key)
            lines += [f"- baseline: {note}"] if note else []
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
    lines += _baseline_markdown(outcome)
    # Last but the errors: against a server that adds many properties it is long.
    lines += ["", "## Spec drift (undocumented properties)", ""]
    lines += [f"- `{name}` in {count} responses" for name, count in ranked_drift(results)]
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
