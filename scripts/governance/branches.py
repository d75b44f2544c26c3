"""Pair the branches of two oneOf, anyOf or allOf lists by what they are, not where they stand.

As oasdiff does: a $ref branch pairs with the branch that references the same component; an
inline branch pairs with an identical one, else with one of the same title; one untitled
inline branch left on each side pairs with the other; last, a $ref and an inline branch that
validate the same (annotations aside) pair. Reordering branches therefore changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ANNOTATIONS = frozenset({"description", "title", "summary", "example", "examples", "deprecated"})


@dataclass
class Pairing:
    """Branch indices: pairs (old, new), and the branches only one side has."""

    pairs: list[tuple[int, int]] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    added: list[int] = field(default_factory=list)


def _ref_name(branch: Any) -> str | None:
    ref = branch.get("$ref") if isinstance(branch, dict) else None
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _title(branch: Any) -> str | None:
    title = branch.get("title") if isinstance(branch, dict) else None
    return title if isinstance(title, str) else None


def _without_annotations(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_annotations(v) for k, v in node.items() if k not in ANNOTATIONS}
    if isinstance(node, list):
        return [_without_annotations(item) for item in node]
    return node


def pair_branches(
    old: list[tuple[int, Any]],
    new: list[tuple[int, Any]],
    resolve_old: Callable[[Any], Any],
    resolve_new: Callable[[Any], Any],
) -> Pairing:
    """Pair (index, branch) lists; `resolve_*` follow a side's $refs."""
    result = Pairing()
    old_left, new_left = dict(old), dict(new)

    def pair(i: int, j: int) -> None:
        result.pairs.append((i, j))
        del old_left[i], new_left[j]

    # 1. $refs by component name.
    for i, branch in list(old_left.items()):
        name = _ref_name(branch)
        match = next((j for j, b in new_left.items() if name and _ref_name(b) == name), None)
        if match is not None:
            pair(i, match)
    # 2. Inline branches: identical, then by title, then the one untitled pair left.
    for same in (
        lambda a, b: a == b,
        lambda a, b: _title(a) is not None and _title(a) == _title(b),
    ):
        for i, branch in list(old_left.items()):
            if _ref_name(branch):
                continue
            match = next(
                (j for j, b in new_left.items() if not _ref_name(b) and same(branch, b)), None
            )
            if match is not None:
                pair(i, match)
    untitled_old = [i for i, b in old_left.items() if not _ref_name(b) and _title(b) is None]
    untitled_new = [j for j, b in new_left.items() if not _ref_name(b) and _title(b) is None]
    if len(untitled_old) == 1 and len(untitled_new) == 1:
        pair(untitled_old[0], untitled_new[0])
    # 3. A branch moved between inline and $ref, validating the same.
    for i, branch in list(old_left.items()):
        for j, other in new_left.items():
            if (_ref_name(branch) is None) != (_ref_name(other) is None) and _without_annotations(
                resolve_old(branch)
            ) == _without_annotations(resolve_new(other)):
                pair(i, j)
                break
    result.removed, result.added = sorted(old_left), sorted(new_left)
    return result
