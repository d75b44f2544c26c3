"""The public surface of a generated client, read with ast, and what changed between two.

The surface is every model class (its fields and their annotations, or an enum's members)
and every API module's public functions (their signatures). Comparing surfaces tells the
reviewer what a user of the generated package will see change.
"""

from __future__ import annotations

import ast
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from scripts.codegen import generate_into

PACKAGE = "thinnestai_calls_client"
# name -> {member -> how it looks}, e.g. "models.CallSummary" -> {"agent_name": "str"}
Surface = dict[str, dict[str, str]]


@dataclass(frozen=True)
class SurfaceChange:
    """One change of the client's public surface."""

    kind: str  # "added", "removed" or "changed"
    owner: str  # e.g. "models.Call" or "api.calls.get_call"
    member: str  # "" when the whole class or module changed
    before: str
    after: str


def _is_enum(node: ast.ClassDef) -> bool:
    return any(ast.unparse(base).endswith("Enum") for base in node.bases)


def _class_members(node: ast.ClassDef) -> dict[str, str]:
    members: dict[str, str] = {}
    for item in node.body:
        if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            if not item.target.id.startswith("_"):
                members[item.target.id] = ast.unparse(item.annotation)
        elif isinstance(item, ast.Assign) and _is_enum(node):
            for target in item.targets:
                if isinstance(target, ast.Name) and not target.id.startswith("_"):
                    members[target.id] = ast.unparse(item.value)
    return members


def _signature(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    returns = f" -> {ast.unparse(node.returns)}" if node.returns else ""
    return f"({ast.unparse(node.args)}){returns}"


def read_surface(package: Path) -> Surface:
    """The surface of a generated package directory (the one holding models/ and api/)."""
    surface: Surface = {}
    for module in sorted((package / "models").glob("*.py")):
        for node in ast.parse(module.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                surface[f"models.{node.name}"] = _class_members(node)
    for module in sorted((package / "api").rglob("*.py")):
        if module.name == "__init__.py":
            continue
        functions = {
            node.name: _signature(node)
            for node in ast.parse(module.read_text(encoding="utf-8")).body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and not node.name.startswith("_")
        }
        dotted = ".".join(module.relative_to(package).with_suffix("").parts)
        surface[dotted] = functions
    return surface


def surface_of(spec: dict[str, Any], workdir: Path, name: str) -> Surface:
    """Generate the client for `spec` (with the project's generator and templates) and read it."""
    spec_file = workdir / f"{name}.yaml"
    spec_file.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), "utf-8")
    out = workdir / name
    generate_into(out, spec_file)
    return read_surface(out / PACKAGE)


def compare_surfaces(base: Surface, head: Surface) -> list[SurfaceChange]:
    changes: list[SurfaceChange] = []
    for owner in sorted(base.keys() - head.keys()):
        changes.append(SurfaceChange("removed", owner, "", "present", ""))
    for owner in sorted(head.keys() - base.keys()):
        changes.append(SurfaceChange("added", owner, "", "", ", ".join(sorted(head[owner]))))
    for owner in sorted(base.keys() & head.keys()):
        old, new = base[owner], head[owner]
        for member in sorted(old.keys() - new.keys()):
            changes.append(SurfaceChange("removed", owner, member, old[member], ""))
        for member in sorted(new.keys() - old.keys()):
            changes.append(SurfaceChange("added", owner, member, "", new[member]))
        for member in sorted(old.keys() & new.keys()):
            if old[member] != new[member]:
                changes.append(SurfaceChange("changed", owner, member, old[member], new[member]))
    return changes


def client_changes(base: dict[str, Any], head: dict[str, Any]) -> list[SurfaceChange]:
    """Generate both clients into a temporary folder and compare their surfaces."""
    with tempfile.TemporaryDirectory(prefix="thinnestai-review-") as tmp:
        workdir = Path(tmp)
        return compare_surfaces(
            surface_of(base, workdir, "base"), surface_of(head, workdir, "head")
        )
