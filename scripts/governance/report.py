"""The reviewer's report: lint, breaking changes, client surface, changelog; Markdown and HTML."""

from __future__ import annotations

import html
from dataclasses import dataclass

from markdown_it import MarkdownIt

from scripts.governance.findings import Outcome
from scripts.governance.lint import Problem
from scripts.governance.render import compared, counts, findings_table, verdict
from scripts.governance.rules import Level
from scripts.governance.surface import SurfaceChange


@dataclass(frozen=True)
class Review:
    """Everything the report says, gathered before it is written."""

    spec_name: str
    outcome: Outcome  # the breaking-change findings, the version policy, accepted breaks
    lint: list[Problem] | str  # a string when the lint could not run: why
    client: list[SurfaceChange]

    @property
    def lint_errors(self) -> list[Problem]:
        return [] if isinstance(self.lint, str) else [p for p in self.lint if p.severity == "error"]

    def verdict(self) -> tuple[str, str]:
        """BLOCK or OK and why, in one line: lint errors and unaccepted ERR findings block."""
        word, reason = verdict(self.outcome, Level.ERR)
        if self.lint_errors:
            first = self.lint_errors[0]
            lint = f"{len(self.lint_errors)} lint error(s), first {first.code} at line {first.line}"
            return "BLOCK", lint + (f"; {reason}" if word == "BLOCK" else "")
        if isinstance(self.lint, str):
            return "BLOCK", f"the lint could not run ({self.lint})"
        return word, reason


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _lint_section(review: Review) -> list[str]:
    if isinstance(review.lint, str):
        return [f"The lint could not run: {review.lint}"]
    if not review.lint:
        return ["No problems: the spec is valid OpenAPI 3.1 and passes every Spectral rule."]
    lines = ["| severity | rule | where | message |", "|---|---|---|---|"]
    for problem in review.lint:
        where = f"line {problem.line}" + (f", `{_cell(problem.path)}`" if problem.path else "")
        lines.append(
            f"| {problem.severity} | `{problem.code}` | {where} | {_cell(problem.message)} |"
        )
    return lines


def _client_section(review: Review) -> list[str]:
    if not review.client:
        return ["The generated client's public surface is unchanged."]
    lines = ["| change | where | member | before | after |", "|---|---|---|---|---|"]
    for change in review.client:
        before = f"`{_cell(change.before)}`" if change.before else ""
        after = f"`{_cell(change.after)}`" if change.after else ""
        member = f"`{change.member}`" if change.member else "(all)"
        lines.append(f"| {change.kind} | `{change.owner}` | {member} | {before} | {after} |")
    return lines


def changelog(review: Review) -> list[str]:
    """A short entry for the API changelog, grouped by what it means for clients."""
    changes = [f.change for f in review.outcome.findings if f.change.operation]
    version = review.outcome.head.version
    if not changes:
        return [f"- {version}: no client-visible change."]
    headings = {Level.ERR: "Breaking", Level.WARN: "Possibly breaking", Level.INFO: "Other"}
    lines = [f"### Calls API {version}", ""]
    for level in sorted(Level, reverse=True):
        entries = [c for c in changes if c.level is level]
        if entries:
            lines += [f"**{headings[level]}**", ""]
            lines += [f"- {c.location}: {c.detail}." for c in entries]
            lines.append("")
    return lines


def as_markdown_report(review: Review) -> str:
    """Ready to paste as a pull-request comment: the verdict first, no local paths."""
    word, reason = review.verdict()
    outcome = review.outcome
    lint = (
        "could not run" if isinstance(review.lint, str) else f"{len(review.lint_errors)} error(s)"
    )
    lines = [
        f"## Spec review of `{review.spec_name}`: {word}",
        "",
        f"**{word}**: {reason}.",
        "",
        f"**Version bump required: {outcome.bump_text}**; "
        f"the head declares {outcome.head.version}.",
        "",
        f"- Compared: {compared(outcome)}",
        f"- Lint: {lint}",
        f"- Breaking-change findings: {counts(outcome.findings)}",
        f"- Generated client: {len(review.client)} change(s) to its public surface",
        "",
        "### 1. Does the spec follow our rules? (lint)",
        "",
        *_lint_section(review),
        "",
        "### 2. What breaks for existing clients? (oasdiff 1.28 rule ids)",
        "",
        *findings_table(outcome),
        "",
        "### 3. What changes in the generated client?",
        "",
        "Both clients are generated with this tree's generator settings and templates, so only",
        "the spec's effect shows.",
        "",
        *_client_section(review),
        "",
        "### 4. Changelog entry",
        "",
        *changelog(review),
    ]
    return "\n".join(lines).rstrip() + "\n"


STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; color: #222; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #ccc; padding: .3rem .6rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
code { font-size: 90%; background: #f6f6f6; padding: 0 .2rem; word-break: break-all; }
"""


def as_html(markdown: str, title: str) -> str:
    """A self-contained page: inline style, no script, no external resource."""
    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n{body}</body>\n</html>\n"
    )
