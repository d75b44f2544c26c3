"""The version policy: info.version is semver, and the bump follows what changed for clients.

A change at ERR needs a major bump, any other client-visible change at least a minor one, and
a spec whose changes are descriptions only needs at most a patch. In 0.x versions the minor
number plays the major's part, as oasdiff and semver have it. Under oasdiff's own rule ids
where oasdiff has one (it judges only breaking changes, at INFO); raised to ERR here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

from scripts.governance.diff import Change
from scripts.governance.rules import RULES, Level

# semver.org's pattern, with oasdiff's optional leading "v".
SEMVER = re.compile(
    r"^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
WHERE = "/info/version"


class Bump(IntEnum):
    """How far a version moved, or must move; ordered."""

    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3


@dataclass(frozen=True)
class Version:
    major: int
    minor: int
    patch: int

    def bumped(self, bump: Bump) -> str:
        """The smallest version with that bump: 2.0.1 + MAJOR -> 3.0.0."""
        if self.major == 0 and bump is Bump.MAJOR:
            return f"0.{self.minor + 1}.0"
        if self.major == 0 and bump is Bump.MINOR:
            return f"0.{self.minor}.{self.patch + 1}"
        return {
            Bump.MAJOR: f"{self.major + 1}.0.0",
            Bump.MINOR: f"{self.major}.{self.minor + 1}.0",
            Bump.PATCH: f"{self.major}.{self.minor}.{self.patch + 1}",
            Bump.NONE: f"{self.major}.{self.minor}.{self.patch}",
        }[bump]


def parse(text: str) -> Version | None:
    match = SEMVER.match(text)
    return Version(*(int(match.group(i)) for i in (1, 2, 3))) if match else None


def required_bump(changes: list[Change]) -> Bump:
    """What the changes need: MAJOR for an ERR, MINOR for any other, PATCH for none."""
    if any(change.level is Level.ERR for change in changes):
        return Bump.MAJOR
    return Bump.MINOR if changes else Bump.PATCH


def bump_between(base: Version, head: Version) -> Bump | None:
    """How far head moved from base; None when it went down. 0.x shifts the meaning down."""
    old, new = (base.major, base.minor, base.patch), (head.major, head.minor, head.patch)
    if new < old:
        return None
    if base.major == 0 and head.major == 0:
        # 0.y.z: y is the breaking number; z covers additions and fixes alike.
        return Bump.MAJOR if head.minor != base.minor else Bump.MINOR if new != old else Bump.NONE
    for bump, before, after in zip((Bump.MAJOR, Bump.MINOR, Bump.PATCH), old, new, strict=True):
        if after != before:
            return bump
    return Bump.NONE


def version_findings(base_text: str, head_text: str, changes: list[Change]) -> list[Change]:
    """The policy's findings for a base and head info.version, given the other findings."""
    base, head = parse(base_text), parse(head_text)

    def finding(rule_id: str, detail: str) -> Change:
        return Change(RULES[rule_id], WHERE, detail, "", "info.version")

    if head is None or base is None:
        which = head_text if head is None else base_text
        return [finding("api-version-not-semver", f"{which!r} is not MAJOR.MINOR.PATCH")]
    needed, moved = required_bump(changes), bump_between(base, head)
    target = base.bumped(needed)
    if needed is Bump.MAJOR and moved is not Bump.MAJOR:
        if moved is Bump.NONE:
            rule = "api-version-not-bumped"
        else:
            rule = "api-version-decreased" if moved is None else "api-major-version-not-bumped"
        return [finding(rule, f"{base_text} -> {head_text}: a breaking change needs {target}")]
    if needed is Bump.MINOR and (moved is None or moved < Bump.MINOR):
        detail = f"{base_text} -> {head_text}: a client-visible change needs at least {target}"
        return [finding("api-minor-version-not-bumped", detail)]
    most = Bump.MINOR if head.major == 0 else Bump.PATCH  # 0.y.z has no patch-only number
    if needed is Bump.PATCH and moved is not None and moved > most:
        detail = f"{base_text} -> {head_text}: with no client-visible change, at most a patch"
        return [finding("api-version-bumped-without-change", detail)]
    return []
