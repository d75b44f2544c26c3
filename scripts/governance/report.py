"""The reviewer's report: lint, breaking changes, client surface, changelog; Markdown and HTML."""

from __future__ import annotations

import html
from dataclasses import dataclass

from markdown_it import MarkdownIt

from scripts.governance.diff import Change
from scripts.governance.lint import Problem
from scripts.governance.render import as_markdown, counts
from scripts.governance.rules import Level
from scripts.governance.surface import SurfaceChange


@dataclass(frozen=True)
class Review:
    """Everything the report says, gathered before it is written."""

    base: str
    spec_name: str
    version: str
    lint: list[Problem] | str  # a string when the lint could not run: why
    changes: list[Change]
    client: list[SurfaceChange]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _lint_section(review: Review) -> list[str]:
    if isinstance(review.lint, str):
        return [f"The lint could not run: {review.lint}"]
    if not review.lint:
        return ["No problems: the spec is valid OpenAPI 3.1 and passes every Spectral rule."]
    lines = ["| severity | rule | where | message |", "|---|---|---|---|"]
    for problem in review.lint:
        where = f"{problem.file}:{problem.line}"
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


def where_in_words(pointer: str) -> str:
    """'/paths/~1v2~1calls/get/responses/200/...' -> 'GET /v2/calls 200'."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    if len(parts) >= 3 and parts[0] == "paths":
        words = f"{parts[2].upper()} {parts[1]}"
        if len(parts) >= 5 and parts[3] == "responses":
            words += f" {parts[4]}"
        return words
    return "/".join(parts) or "the spec"


def changelog(review: Review) -> list[str]:
    """A short entry for the API changelog, grouped by what it means for clients."""
    if not review.changes:
        return [f"- {review.version}: no client-visible change."]
    headings = {
        Level.ERR: "Breaking",
        Level.WARN: "Possibly breaking",
        Level.INFO: "Other changes",
    }
    lines = [f"### Calls API {review.version}", ""]
    for level in sorted(Level, reverse=True):
        entries = [c for c in review.changes if c.level is level]
        if entries:
            lines.append(f"**{headings[level]}**")
            lines.append("")
            lines += [f"- {where_in_words(c.pointer)}: {c.detail}." for c in entries]
            lines.append("")
    return lines


def as_markdown_report(review: Review) -> str:
    errors = (
        "could not run"
        if isinstance(review.lint, str)
        else f"{sum(p.severity == 'error' for p in review.lint)} error(s)"
    )
    lines = [
        f"# Spec review: `{review.spec_name}` since `{review.base}`",
        "",
        f"- Lint: {errors}",
        f"- Breaking changes: {counts(review.changes)}",
        f"- Generated client: {len(review.client)} change(s) to its public surface",
        "",
        "## 1. Does the spec follow our rules? (lint)",
        "",
        *_lint_section(review),
        "",
        "## 2. What breaks for existing clients? (oasdiff rule ids)",
        "",
        as_markdown(review.changes, review.base),
        "",
        "## 3. What changes in the generated client?",
        "",
        "Both clients are generated with this tree's generator settings and templates, so only",
        "the spec's effect shows.",
        "",
        *_client_section(review),
        "",
        "## 4. Changelog entry",
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
