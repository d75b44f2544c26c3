"""Cold start of `nox -s contract`: a fresh clone, no virtual environment, then a warm re-run.

nox and uv are installed (pinned) in a throw-away virtual environment of their own; each
backend gets its own clone so neither reuses the other's `.nox` folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

NOX_PIN, UV_PIN = "nox==2026.10.20", "uv==0.13.8"
BACKENDS = {"uv": [], "venv": ["--default-venv-backend", "venv"]}
TIMEOUT_SECONDS = 1_200


@dataclass(frozen=True)
class ColdStart:
    backend: str
    cold_seconds: float
    warm_seconds: float
    cold_exit: int
    warm_exit: int


def _timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int]:
    started = time.perf_counter()
    completed = subprocess.run(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    return time.perf_counter() - started, completed.returncode


def measure_cold_start(repo: Path) -> list[ColdStart]:
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as folder:
        root = Path(folder)
        tools = root / "tools"
        subprocess.run([sys.executable, "-m", "venv", str(tools)], check=True)
        pip = [str(tools / "bin" / "python"), "-m", "pip", "install", "-q", NOX_PIN, UV_PIN]
        subprocess.run(pip, check=True, timeout=TIMEOUT_SECONDS)
        # The tools' bin first on PATH: nox finds uv there; no VIRTUAL_ENV leaks in from ours.
        env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
        env["PATH"] = os.pathsep.join([str(tools / "bin"), env.get("PATH", "")])
        for backend, options in BACKENDS.items():
            clone = root / f"clone-{backend}"
            subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)
            command = [str(tools / "bin" / "python"), "-m", "nox", *options, "-s", "contract"]
            cold, cold_exit = _timed(command, clone, env)
            warm, warm_exit = _timed(command, clone, env)
            results.append(ColdStart(backend, cold, warm, cold_exit, warm_exit))
    return results
