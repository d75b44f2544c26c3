"""Generate the client package from the spec with the pinned openapi-python-client.

Importable so that the drift check and the tests run exactly the same generation.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "calls.yaml"
CONFIG = ROOT / "openapi" / "generator-config.yaml"
TEMPLATES = ROOT / "openapi" / "templates"
GENERATED = ROOT / "generated"
# setup.py metadata: installable with plain pip, no build backend to fetch.
META = "setup"


class GenerationError(Exception):
    """The generator could not turn the spec into a client; the message says why."""


def _tool_env() -> dict[str, str]:
    """The generator runs ruff from PATH: make it the pinned ruff beside this interpreter."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def generate_into(destination: Path, spec: Path = SPEC) -> None:
    """Generate the client for `spec` into `destination`, replacing what is there."""
    if not spec.is_file():
        raise GenerationError(f"spec not found: {spec}")
    with tempfile.TemporaryDirectory(prefix="thinnestai-gen-") as tmp:
        out = Path(tmp) / "client"
        command = [
            str(Path(sys.executable).parent / "openapi-python-client"),
            "generate",
            "--path", str(spec),
            "--config", str(CONFIG),
            "--custom-template-path", str(TEMPLATES),
            "--meta", META,
            "--output-path", str(out),
        ]
        result = subprocess.run(command, capture_output=True, text=True, env=_tool_env())
        # The generator exits 0 even when it skips parts of the spec: treat any warning as failure.
        if result.returncode != 0 or "Warning(s) encountered" in result.stdout or not out.is_dir():
            details = (result.stdout + result.stderr).strip().splitlines()
            raise GenerationError("generator failed: " + " | ".join(line for line in details if line.strip()))
        if destination.exists():
            shutil.rmtree(destination)
        shutil.copytree(out, destination)
