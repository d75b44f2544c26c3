"""One review of a spec change: the diff's changes, the version policy, accepted breaks.

`evaluate` is what both `nox -s breaking` and `nox -s review` run; renderers only print it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scripts.governance import accepted
from scripts.governance.diff import Change, compare
from scripts.governance.rules import Level
from scripts.governance.versioning import Bump, parse, required_bump, version_findings


@dataclass(frozen=True)
class Side:
    """One spec compared: where it came from and its info.version."""

    source: str
    version: str
    why: str = ""  # how a default was chosen, e.g. "the merge base of HEAD with main"
    file: str = ""  # the spec's file when it was read from one


@dataclass(frozen=True)
class Finding:
    change: Change
    acceptance: accepted.Acceptance | None = None

    @property
    def level(self) -> Level:
        return self.change.level


@dataclass(frozen=True)
class Outcome:
    base: Side
    head: Side
    findings: list[Finding]
    bump: Bump  # the bump the changes require

    def failing(self, threshold: Level) -> list[Finding]:
        """Findings at or above the threshold that no one accepted."""
        return [f for f in self.findings if f.acceptance is None and f.level >= threshold]

    @property
    def changes(self) -> list[Change]:
        return [finding.change for finding in self.findings]

    @property
    def bump_text(self) -> str:
        """'major (2.0.1 -> 3.0.0 or later)' or 'none' for a patch-or-nothing change."""
        base = parse(self.base.version)
        name = self.bump.name.lower()
        if base is None:
            return f"{name} (info.version {self.base.version!r} is not semver)"
        if self.bump is Bump.PATCH:
            return f"at most a patch ({self.base.version} -> {base.bumped(Bump.PATCH)} or same)"
        return f"{name} ({self.base.version} -> {base.bumped(self.bump)} or later)"


def version_of(spec: dict[str, Any]) -> str:
    return str((spec.get("info") or {}).get("version", ""))


def evaluate(
    base: dict[str, Any],
    head: dict[str, Any],
    base_side: Side,
    head_side: Side,
    acceptances: list[accepted.Acceptance],
) -> Outcome:
    """Compare, judge the version, and mark what reviewers accepted."""
    changes = compare(base, head)
    bump = required_bump(changes)
    changes += version_findings(version_of(base), version_of(head), changes)
    findings = [
        Finding(change, next((a for a in acceptances if a.covers(change)), None))
        for change in changes
    ]
    used = {id(f.acceptance) for f in findings if f.acceptance is not None}
    findings += [Finding(accepted.stale(a)) for a in acceptances if id(a) not in used]
    findings.sort(key=lambda f: (f.acceptance is not None, -f.level))
    return Outcome(base_side, head_side, findings, bump)
