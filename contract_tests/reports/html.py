"""summary.html: the run for people who would rather look than read. The verdict first,
coloured; the figures; each distinct failure with its evidence; the coverage as coloured
matrices and the list of what was not verified, and why.

One self-contained file: inline CSS, no script, nothing fetched, so it opens from a CI
artefact as it is. Every text from the run or the server goes through `html.escape`, and the
exchanges shown are the ones filtered of the key once more (reports/evidence.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import suppress
from html import escape
from pathlib import Path

from contract_tests.checks.clauses import CLAUSES
from contract_tests.errors import ExitCode
from contract_tests.reports.evidence import HAR_NAME, scrubbed_exchanges, scrubber
from contract_tests.reports.facts import (
    baseline_note,
    baseline_summary,
    evidence_pointers,
    figures,
    responses_by_operation,
    verdict,
)
from contract_tests.run.coverage import Coverage, check_rows, skipped_checks
from contract_tests.run.results import Evidence, FailureRecord
from contract_tests.run.runner import RunOutcome

RESPONSE_EXCERPT = 4000  # characters of a response body shown; the HAR has up to 64 KB
VERDICT_CLASS = {
    ExitCode.CONFORMS: "pass",
    ExitCode.VIOLATES: "fail",
    ExitCode.COVERAGE_SHORT: "short",
}

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #222; }
.verdict { padding: .6em 1em; border-radius: 6px; color: #fff; font-size: 1.4em; }
.verdict.pass { background: #2e7d32; } .verdict.fail { background: #c62828; }
.verdict.short { background: #ef6c00; } .verdict.error { background: #555; }
table { border-collapse: collapse; margin: .5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: left; vertical-align: top; }
td.num { text-align: right; }
td.seen { background: #c8e6c9; } td.notseen { background: #ffcc80; font-weight: 600; }
td.na { background: #f0f0f0; } td.failed { background: #ffcdd2; font-weight: 600; }
.matrix { overflow-x: auto; }
pre { background: #f6f6f6; padding: .6em; overflow-x: auto; white-space: pre-wrap; }
.failure { border-left: 4px solid #c62828; padding-left: 1em; margin-bottom: 2em; }
.warnings { border-left: 4px solid #ef6c00; padding-left: 1em; }
"""


def _cell(count: int, failed: bool = False) -> str:
    if failed:
        return f'<td class="num failed">{count}</td>'
    if count:
        return f'<td class="num seen">{count}</td>'
    return '<td class="notseen">not seen</td>'


def _figures(outcome: RunOutcome) -> list[str]:
    rows = [
        f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>"
        for label, value in figures(outcome)
    ]
    return ["<h2>Figures</h2>", "<table>", *rows, "</table>"]


def _checks(outcome: RunOutcome) -> list[str]:
    lines = ["<h2>Checks</h2>", "<table>"]
    lines.append("<tr><th>check</th><th>passed</th><th>failed</th><th>clause</th></tr>")
    for name, passed, failed, clause in check_rows(outcome.results):
        if passed or failed:
            failed_cell = _cell(failed, True) if failed else '<td class="num">0</td>'
            lines.append(
                f"<tr><td><code>{escape(name)}</code></td><td class='num'>{passed}</td>"
                f"{failed_cell}<td>{escape(clause)}</td></tr>"
            )
    lines.append("</table>")
    skipped = skipped_checks(outcome.results)
    if skipped:
        lines += ["<h3>Skipped checks</h3>", "<ul>"]
        lines += [
            f"<li><code>{escape(name)}</code>: {escape(why)}</li>"
            for name, why in sorted(skipped.items())
        ]
        lines.append("</ul>")
    return lines


def _response_excerpt(exchange: Evidence) -> str:
    head = [f"{exchange.http_version} {exchange.status} {exchange.reason}"]
    head += [f"{name}: {value}" for name, value in exchange.response_headers]
    body = exchange.response_body
    with suppress(ValueError):  # JSON is easier to read indented; anything else as it came
        body = json.dumps(json.loads(body), indent=2, ensure_ascii=False)
    more = len(body) > RESPONSE_EXCERPT
    body = body[:RESPONSE_EXCERPT]
    return "\n".join(head) + "\n\n" + body + ("\n[... the HAR entry has the rest]" if more else "")


def _warnings(outcome: RunOutcome) -> list[str]:
    if not outcome.warnings:
        return []
    lines = [
        f'<section class="warnings" id="warnings"><h2>Warnings ({len(outcome.warnings)}): '
        "this run proved less than it could</h2>",
        "<ul>",
    ]
    for warning in outcome.warnings:
        fatal = (
            " (fatal: --fail-on-warning, exit 3)" if warning.name in outcome.fatal_warnings else ""
        )
        lines.append(
            f"<li><strong>{escape(warning.name)}</strong>{fatal}: {escape(warning.numbers)}."
            f"<br>{escape(warning.advice)}.</li>"
        )
    return [*lines, "</ul></section>"]


def _baseline(outcome: RunOutcome) -> list[str]:
    if outcome.baseline is None:
        return []
    lines = [f'<h2 id="baseline">Baseline <code>{escape(str(outcome.baseline.path))}</code></h2>']
    for heading, items in baseline_summary(outcome):
        lines += [f"<h3>{escape(heading)}: {len(items)}</h3>", "<ul>"]
        lines += [f"<li><code>{escape(item)}</code></li>" for item in items]
        lines.append("</ul>")
    return lines


def _failure(
    number: int,
    record: FailureRecord,
    exchange: Evidence | None,
    pointer: tuple[str, str] | None,
    clean: Callable[[str], str],
    baseline: str = "",
) -> list[str]:
    lines = [
        '<div class="failure">',
        f"<h3>{number}. <code>{escape(record.check)}</code> on "
        f"<code>{escape(record.operation)}</code>: {escape(clean(record.title))}</h3>",
        "<ul>",
        f"<li>clause: {escape(record.clause or 'see the spec')}</li>",
        f"<li>phase: {escape(record.phase)}; seen {record.occurrences} times</li>",
    ]
    lines += [f"<li>baseline: {escape(baseline)}</li>"] if baseline else []
    if pointer is not None:
        where, command = pointer
        lines += [
            f'<li>evidence: <a href="{HAR_NAME}">{escape(where)}</a> (HAR 1.2)</li>',
            f"<li>re-send and re-judge: <code>{escape(command)}</code></li>",
        ]
    lines += ["</ul>", f"<pre>{escape(clean(record.message))}</pre>"]
    lines += ["<h4>Request</h4>", f"<pre>{escape(clean(record.curl))}</pre>"]
    if exchange is not None:
        lines += ["<h4>Response</h4>", f"<pre>{escape(_response_excerpt(exchange))}</pre>"]
    lines.append("</div>")
    return lines


def _failures(outcome: RunOutcome, report_dir: Path | None) -> list[str]:
    results = outcome.results
    if not results.examples:
        return []
    exchanges = scrubbed_exchanges(outcome)
    pointers = evidence_pointers(outcome, report_dir)
    scrub = scrubber(outcome)
    lines = [f"<h2>Distinct failures ({results.distinct_failures})</h2>"]
    for number, (key, record) in enumerate(results.examples.items(), 1):
        note = baseline_note(outcome, key)
        lines += _failure(number, record, exchanges.get(key), pointers.get(key), scrub, note)
    return lines


def _responses_matrix(coverage: Coverage) -> list[str]:
    statuses = sorted({status for _, status, _ in coverage.responses})
    table = {operation: dict(seen) for operation, seen in responses_by_operation(coverage).items()}
    lines = ['<div class="matrix"><table id="responses">', "<tr><th>operation</th>"]
    lines[-1] += "".join(f"<th>{status}</th>" for status in statuses) + "</tr>"
    for operation, counts in table.items():
        cells = [
            _cell(counts[status]) if status in counts else '<td class="na"></td>'
            for status in statuses
        ]
        lines.append(f"<tr><th>{escape(operation)}</th>{''.join(cells)}</tr>")
    lines.append("</table></div>")
    return lines


def _clauses_matrix(coverage: Coverage) -> list[str]:
    states: list[str] = []
    table: dict[str, dict[str, int]] = {}
    for check, state, count in coverage.clause_states:
        if state not in states:
            states.append(state)
        table.setdefault(check, {})[state] = count
    lines = ['<div class="matrix"><table id="clauses">', "<tr><th>clause</th>"]
    lines[-1] += "".join(f"<th>{escape(state)}</th>" for state in states) + "</tr>"
    for check, counts in table.items():
        cells = [
            _cell(counts[state]) if state in counts else '<td class="na"></td>' for state in states
        ]
        name = f"{escape(CLAUSES.get(check, check))}<br><code>{escape(check)}</code>"
        lines.append(f"<tr><th>{name}</th>{''.join(cells)}</tr>")
    lines.append("</table></div>")
    return lines


def _coverage(outcome: RunOutcome) -> list[str]:
    coverage = outcome.coverage
    lines = [
        "<h2>Coverage</h2>",
        f"<p>{coverage.responses_seen} of {len(coverage.responses)} documented responses seen, "
        f"{coverage.states_seen} of {len(coverage.clause_states)} clause states exercised.</p>",
        "<h3>Documented responses seen (operation &times; status)</h3>",
        *_responses_matrix(coverage),
        "<h3>Record states each invariant clause saw (clause &times; state)</h3>",
        *_clauses_matrix(coverage),
        "<h3>Not verified, and why</h3>",
    ]
    if coverage.gaps:
        lines.append('<ul id="gaps">')
        lines += [
            f"<li><strong>{escape(gap.what)}</strong>: {escape(gap.why)}</li>"
            for gap in coverage.gaps
        ]
        lines.append("</ul>")
    else:
        lines.append("<p>Everything was seen.</p>")
    if outcome.coverage_missing:
        lines += ["<h3>Required by --require-coverage but not verified</h3>", "<ul>"]
        lines += [
            f"<li>{escape(gap.what)} ({escape(gap.kind)}): {escape(gap.why)}</li>"
            for gap in outcome.coverage_missing
        ]
        lines.append("</ul>")
    return lines


def render_html(outcome: RunOutcome, report_dir: Path | None = None) -> str:
    """The whole page; `report_dir` locates evidence.har in the failures' pointers."""
    kind = VERDICT_CLASS.get(outcome.exit_code, "error")
    if outcome.interrupted_by:
        kind = "error"
    body = [
        f'<h1 class="verdict {kind}" id="verdict">{escape(verdict(outcome))} '
        f"(exit {outcome.exit_code})</h1>",
        *_warnings(outcome),
        *_figures(outcome),
        *_failures(outcome, report_dir),
        *_baseline(outcome),
        *_coverage(outcome),
        *_checks(outcome),
    ]
    if outcome.results.errors:
        body += ["<h2>The run could not be completed</h2>", "<ul>"]
        body += [f"<li>{escape(error)}</li>" for error in outcome.results.errors]
        body.append("</ul>")
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            # Nothing may load or run: the page is read from CI artefacts and mail attachments.
            '<meta http-equiv="Content-Security-Policy" '
            "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
            "<title>thinnest.ai Calls API contract run</title>",
            f"<style>{STYLE}</style></head><body>",
            *body,
            "</body></html>",
        ]
    )


def write_html(outcome: RunOutcome, report_dir: Path) -> Path:
    path = report_dir / "summary.html"
    path.write_text(render_html(outcome, report_dir), encoding="utf-8")
    return path
