"""Print a list of changes as text (one line each) or as a Markdown table."""

from __future__ import annotations

from collections import Counter

from scripts.governance.diff import Change
from scripts.governance.rules import Level


def counts(changes: list[Change]) -> str:
    """'2 ERR, 1 WARN, 0 INFO'."""
    found = Counter(change.level for change in changes)
    return ", ".join(f"{found[level]} {level.name}" for level in sorted(Level, reverse=True))


def as_text(changes: list[Change], base: str) -> str:
    lines = [
        f"{change.level.name:<4} {change.rule.id} {change.pointer}: "
        f"{change.detail} ({change.rule.why})"
        for change in changes
    ]
    lines.append(f"breaking: {len(changes)} change(s) since {base}: {counts(changes)}")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def as_markdown(changes: list[Change], base: str) -> str:
    if not changes:
        return f"No client-visible change since `{base}`."
    lines = [
        f"{len(changes)} client-visible change(s) since `{base}`: {counts(changes)}.",
        "",
        "| level | rule (oasdiff id) | where (JSON pointer) | change |",
        "|---|---|---|---|",
    ]
    for change in changes:
        raised = f" (oasdiff: {change.rule.oasdiff_level.name})" if change.rule.raised else ""
        lines.append(
            f"| **{change.level.name}**{raised} | `{change.rule.id}` | `{_cell(change.pointer)}` "
            f"| {_cell(change.detail)}: {_cell(change.rule.why)} |"
        )
    return "\n".join(lines)
