"""Print an outcome: text for a terminal, Markdown for a pull request, JSON for machines.

The JSON document is described, field by field, by findings.schema.json beside this module;
its `format` names the version of that schema, and fields are only ever added to it.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from scripts.codegen import ROOT
from scripts.governance.findings import Finding, Outcome
from scripts.governance.rules import Level

SCHEMA = Path(__file__).with_name("findings.schema.json")
FORMAT = "thinnestai-breaking/1"


def counts(findings: list[Finding]) -> str:
    """'2 ERR, 1 WARN, 0 INFO'."""
    found = Counter(finding.level for finding in findings)
    return ", ".join(f"{found[level]} {level.name}" for level in sorted(Level, reverse=True))


def verdict(outcome: Outcome, threshold: Level) -> tuple[str, str]:
    """('BLOCK' or 'OK', the reason in one line)."""
    failing = outcome.failing(threshold)
    if not failing:
        accepted = sum(f.acceptance is not None for f in outcome.findings)
        tail = f" ({accepted} accepted)" if accepted else ""
        return "OK", f"no finding at {threshold.name} or above{tail}"
    first = failing[0].change
    more = f" and {len(failing) - 1} more" if len(failing) > 1 else ""
    return "BLOCK", f"{first.rule.id} at {first.location}{more}"


def _tags(finding: Finding) -> str:
    tags = [finding.change.rule.provenance] if finding.change.rule.provenance else []
    if finding.acceptance:
        tags.append(f"accepted by {finding.acceptance.by} on {finding.acceptance.date}")
    return f" [{'; '.join(tags)}]" if tags else ""


def shown(source: str) -> str:
    """A source as a reader elsewhere can use it: no local absolute paths outside the repo."""
    path = Path(source)
    if not path.is_absolute():
        return source
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name


def compared(outcome: Outcome) -> str:
    """'base 7d6fb84^ (why, version 2.0.0) -> head openapi/calls.yaml (version 2.0.1)'."""
    why = f"{outcome.base.why}, " if outcome.base.why else ""
    return (
        f"base {shown(outcome.base.source)} ({why}version {outcome.base.version}) -> "
        f"head {shown(outcome.head.source)} (version {outcome.head.version})"
    )


def as_text(outcome: Outcome, threshold: Level) -> str:
    lines: list[str] = []
    for finding in outcome.findings:
        change = finding.change
        status = "ok  " if finding.acceptance else f"{change.level.name:<4}"
        lines.append(f"{status} {change.rule.id}  {change.location}{_tags(finding)}")
        lines.append(f"     {change.detail}: {change.rule.why}")
        if change.pointer:
            lines.append(f"     {change.pointer}")
    word, reason = verdict(outcome, threshold)
    lines.append(f"breaking: {compared(outcome)}")
    lines.append(
        f"breaking: {word}: {reason}; {len(outcome.findings)} finding(s): "
        f"{counts(outcome.findings)}; version bump required: {outcome.bump_text}"
    )
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def findings_table(outcome: Outcome) -> list[str]:
    """The Markdown table of findings (or one sentence when there are none)."""
    if not outcome.findings:
        return ["No client-visible change."]
    lines = [
        "| level | rule (oasdiff id) | where | what changes | JSON pointer |",
        "|---|---|---|---|---|",
    ]
    for finding in outcome.findings:
        change = finding.change
        level = f"**{change.level.name}**"
        if change.rule.provenance:
            level += f" ({change.rule.provenance})"
        if finding.acceptance:
            a = finding.acceptance
            level = f"~~{change.level.name}~~ accepted ({a.by}, {a.date}: {_cell(a.reason)})"
        pointer = f"`{_cell(change.pointer)}`" if change.pointer else ""
        lines.append(
            f"| {level} | `{change.rule.id}` | {_cell(change.location)} "
            f"| {_cell(change.detail)}: {_cell(change.rule.why)} | {pointer} |"
        )
    return lines


def as_markdown(outcome: Outcome, threshold: Level) -> str:
    word, reason = verdict(outcome, threshold)
    lines = [
        f"**{word}**: {reason}. Version bump required: **{outcome.bump_text}**.",
        "",
        f"Compared {compared(outcome)}: {counts(outcome.findings)}.",
        "",
        *findings_table(outcome),
    ]
    return "\n".join(lines)


def _finding_json(finding: Finding) -> dict[str, Any]:
    change, rule = finding.change, finding.change.rule
    acceptance = finding.acceptance
    return {
        "id": rule.id,
        "level": rule.level.name,
        "oasdiff_level": rule.oasdiff_level.name if rule.oasdiff_level else None,
        "deviation": rule.deviation or None,
        "operation": change.operation or None,
        "location": change.location,
        "pointer": change.pointer or None,
        "message": change.detail,
        "why": rule.why,
        "accepted": None
        if acceptance is None
        else {"by": acceptance.by, "date": acceptance.date, "reason": acceptance.reason},
    }


def as_json(outcome: Outcome, threshold: Level) -> str:
    word, reason = verdict(outcome, threshold)
    document = {
        "format": FORMAT,
        "verdict": word,
        "reason": reason,
        "fail_on": threshold.name,
        "required_bump": outcome.bump.name.lower(),
        "base": {"source": outcome.base.source, "version": outcome.base.version},
        "head": {"source": outcome.head.source, "version": outcome.head.version},
        "findings": [_finding_json(finding) for finding in outcome.findings],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)
