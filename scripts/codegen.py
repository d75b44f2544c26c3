"""Generate the client package from the spec with the pinned openapi-python-client.

Importable so that the drift check and the tests run exactly the same generation.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from contract_tests.errors import CouldNotRun
from contract_tests.spec import SPEC_PATH

ROOT = Path(__file__).resolve().parent.parent
SPEC = SPEC_PATH  # the one spec path (contract_tests/spec.py)
CONFIG = ROOT / "openapi" / "generator-config.yaml"
TEMPLATES = ROOT / "openapi" / "templates"
GENERATED = ROOT / "generated"
# setup.py metadata: pip builds it with setuptools and needs no other build backend.
META = "setup"
# What installing or checking the package leaves beside the generated files: not generated
# output, so never compared, replaced or deleted.
LOCAL_ARTEFACTS = {"__pycache__", ".mypy_cache", ".ruff_cache", "build"}
# Generator chatter that says nothing about the spec.
_BOILERPLATE = ("Generating ", "If you believe this was a mistake", "For further information")


class GenerationError(CouldNotRun):
    """The generator could not turn the spec into a client; the message says why."""


def is_local_artefact(relative: Path) -> bool:
    return bool(LOCAL_ARTEFACTS.intersection(relative.parts)) or any(
        part.endswith(".egg-info") for part in relative.parts
    )


def generated_files(root: Path) -> set[Path]:
    """The files under `root` that generation makes, relative to it."""
    return {
        path.relative_to(root)
        for path in root.rglob("*")
        if path.is_file() and not is_local_artefact(path.relative_to(root))
    }


def _tool_env() -> dict[str, str]:
    """The generator runs ruff from PATH: make it the pinned ruff beside this interpreter."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def _summary(output: str) -> str:
    """The generator's report on one line, without its boilerplate."""
    lines = (line.strip() for line in output.splitlines())
    return " | ".join(line for line in lines if line and not line.startswith(_BOILERPLATE))


def _sync(source: Path, destination: Path) -> None:
    """Make `destination` hold exactly the generated files of `source`.

    Files are replaced only when their bytes change and local artefacts (an editable install's
    egg-info, caches) are kept, so a regeneration does not pull the package from under a running
    test session or an installed environment.
    """
    wanted = generated_files(source)
    stale = generated_files(destination) - wanted if destination.is_dir() else set()
    for relative in sorted(wanted):
        target = destination / relative
        if not (target.is_file() and filecmp.cmp(source / relative, target, shallow=False)):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / relative, target)
    for relative in stale:
        (destination / relative).unlink()
    folders = {parent for relative in stale for parent in relative.parents if parent.parts}
    for folder in sorted(folders, key=lambda path: len(path.parts), reverse=True):
        if not any((destination / folder).iterdir()):
            (destination / folder).rmdir()


def generate_into(destination: Path, spec: Path = SPEC) -> None:
    """Generate the client for `spec` into `destination`, replacing what is there."""
    if not spec.is_file():
        raise GenerationError(f"spec not found: {spec}")
    with tempfile.TemporaryDirectory(prefix="thinnestai-gen-") as tmp:
        out = Path(tmp) / "client"
        command = [
            str(Path(sys.executable).parent / "openapi-python-client"),
            "generate",
            *("--path", str(spec)),
            *("--config", str(CONFIG)),
            *("--custom-template-path", str(TEMPLATES)),
            *("--meta", META),
            *("--output-path", str(out)),
        ]
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            env=_tool_env(),
        )
        output = result.stdout + result.stderr
        # The generator exits 0 when it skips parts of the spec (an unresolvable $ref drops the
        # schema and every response using it) and says so on stderr: that is a failure here.
        if result.returncode != 0 or "Warning(s) encountered" in output or not out.is_dir():
            raise GenerationError("generator failed: " + _summary(output))
        _sync(out, destination)
