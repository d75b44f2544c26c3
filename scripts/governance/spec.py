"""Read a spec from the working tree or from a git ref, and pick the default base.

Parsing, `$ref`s and JSON pointers are contract_tests/spec.py's (the kit's one reader of the
spec); they are re-exported here for governance's modules.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from contract_tests.spec import SPEC_PATH, SpecUnavailable, load_file, parse_spec
from contract_tests.spec import dereference as resolve
from contract_tests.spec import encode_pointer as pointer
from scripts.codegen import ROOT

SPEC_IN_REPO = SPEC_PATH.relative_to(ROOT).as_posix()

__all__ = [
    "SPEC_IN_REPO",
    "SpecUnavailable",
    "default_base",
    "load_at_ref",
    "load_file",
    "load_spec",
    "pointer",
    "resolve",
]


def load_at_ref(ref: str, repo: Path = ROOT, path: str = SPEC_IN_REPO) -> dict[str, Any]:
    """The spec as committed at a git ref (`git show REF:openapi/calls.yaml`)."""
    result = subprocess.run(
        ["git", "-C", str(repo), "show", f"{ref}:{path}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        reason = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "git failed"
        raise SpecUnavailable(f"cannot read {path} at {ref!r}: {reason}")
    return parse_spec(result.stdout, f"{path} at {ref}")


def _git(*args: str, repo: Path = ROOT) -> str | None:
    """Output of a git command, or None when it fails."""
    result = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() if result.returncode == 0 else None


def load_spec(source: str, repo: Path = ROOT) -> dict[str, Any]:
    """A spec named by a file path, a git ref (its openapi/calls.yaml) or `REF:PATH`."""
    if Path(source).is_file():
        return load_file(Path(source))
    if _git("rev-parse", "--verify", "--quiet", f"{source}^{{commit}}", repo=repo):
        return load_at_ref(source, repo)
    if ":" in source:
        ref, _, path = source.partition(":")
        return load_at_ref(ref, repo, path)
    raise SpecUnavailable(
        f"{source!r} is neither a spec file nor a git ref: give a path to a spec, or a commit, "
        "branch or tag"
    )


def default_base(head: dict[str, Any], repo: Path = ROOT) -> tuple[str, str]:
    """The BASE to compare with when none is given, and why; never the head's own spec.

    On a branch: the merge base with main (what the branch changed). On main itself (or with
    no main): HEAD when the spec has uncommitted changes, else the spec before the last
    commit that changed it.
    """
    here = _git("rev-parse", "HEAD", repo=repo)
    if here is None:
        raise SpecUnavailable(f"{repo} has no commit to compare with: give BASE (a spec file)")
    for main in ("main", "origin/main"):
        fork = _git("merge-base", "HEAD", main, repo=repo)
        if fork and fork != here:
            return fork[:12], f"the merge base of HEAD with {main}"
    committed = _git("cat-file", "-e", f"HEAD:{SPEC_IN_REPO}", repo=repo) is not None
    if committed and load_at_ref("HEAD", repo) != head:
        return "HEAD", "the last commit; the spec has uncommitted changes"
    last = _git("log", "-1", "--format=%h %s", "--", SPEC_IN_REPO, repo=repo)
    if last and _git("rev-parse", "--verify", "--quiet", f"{last.split()[0]}^", repo=repo):
        commit, _, subject = last.partition(" ")
        short = subject if len(subject) <= 60 else subject[:57] + "..."
        return f"{commit}^", f"the spec before its last change, {commit} ({short})"
    raise SpecUnavailable(f"{SPEC_IN_REPO} has no earlier version: give BASE (a ref or a file)")
