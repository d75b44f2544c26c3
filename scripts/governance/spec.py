"""Read a spec from the working tree or from a git ref, and follow its local $refs."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import yaml

from scripts.codegen import ROOT, SPEC

SPEC_IN_REPO = SPEC.relative_to(ROOT).as_posix()


class SpecUnavailable(Exception):
    """The spec could not be read (bad git ref, missing file, broken YAML); says which."""


def parse(text: str, origin: str) -> dict[str, Any]:
    """Parse spec text; `origin` names where it came from, for the error message."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        # One line: PyYAML's own message spans several, with a source excerpt.
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or type(error).__name__
        raise SpecUnavailable(f"{origin} is not valid YAML{where}: {problem}") from error
    if not isinstance(document, dict) or "openapi" not in document:
        raise SpecUnavailable(f"{origin} is not an OpenAPI document")
    return document


def load_file(path: Path) -> dict[str, Any]:
    """The spec in a file."""
    try:
        return parse(path.read_text(encoding="utf-8"), str(path))
    except OSError as error:
        raise SpecUnavailable(f"cannot read {path}: {error.strerror}") from error


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
    return parse(result.stdout, f"{path} at {ref}")


def merge_base(repo: Path = ROOT, branch: str = "main") -> str:
    """The default BASE: the merge base of HEAD with main (on main itself, HEAD)."""
    result = subprocess.run(
        ["git", "-C", str(repo), "merge-base", "HEAD", branch],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SpecUnavailable(f"no merge base of HEAD and {branch}: {result.stderr.strip()}")
    return result.stdout.strip()


def resolve(document: dict[str, Any], node: Any) -> Any:
    """Follow local $refs (#/...) until a node that is not a reference; cycles stop the walk."""
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if not ref.startswith("#/") or ref in seen:
            raise SpecUnavailable(f"cannot resolve $ref {ref!r}")
        seen.add(ref)
        node = document
        for part in ref[2:].split("/"):
            key = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, dict) or key not in node:
                raise SpecUnavailable(f"$ref {ref!r} points to nothing")
            node = node[key]
    return node


def pointer(*parts: str | int) -> str:
    """RFC 6901 JSON pointer from unescaped parts."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)
