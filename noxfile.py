"""One session per verb: generate, drift, lint, tests, serve, contract, replay, judge, proxy,
breaking, review, bench, bench_traffic, build, sweep.

`nox` alone runs drift, lint and tests. Every session installs what it needs through this
project's own files (pyproject extras and the generated client), so a fresh machine with
Python 3.11 and pip is enough.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import nox

nox.options.default_venv_backend = "uv|virtualenv"
# uv leaves installed packages uncompiled (pip compiles them): every later process would then
# compile each module it imports, on every start where bytecode may not be written
# (PYTHONDONTWRITEBYTECODE). A contract run imports ~800 modules in two processes.
os.environ.setdefault("UV_COMPILE_BYTECODE", "1")
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["drift", "lint", "tests"]

PROJECT_CODE = ["contract_tests", "scripts", "tests", "noxfile.py"]
KIT_CODE = ["contract_tests", "scripts", "generated/thinnestai_calls_client"]


def install_kit(session: nox.Session, *extras: str) -> None:
    """Install this project (editable) with the given extras, and the generated client."""
    target = f".[{','.join(extras)}]" if extras else "."
    session.install("-e", target, "-e", "./generated")
    # Editable installs are never compiled by the installer: compile the kit's own code too.
    session.run("python", "-m", "compileall", "-q", *KIT_CODE, silent=True)


def run_keeping_exit_code(session: nox.Session, module: str) -> None:
    """Run `python -m module` whose exit code means something: 0 ok, 1 violation, 2 could not
    run, 130/143 stopped by SIGINT/SIGTERM.

    nox turns every failure into exit 1 and does not hand back the code, so the command runs
    in the session's environment directly and its code is passed through unchanged. A SIGINT
    or SIGTERM sent to nox (a CI runner cancelling the job) is passed on to the command, which
    stops cleanly and writes its reports, instead of nox dying and leaving it orphaned.
    """
    assert session.bin, "this session needs a virtual environment"
    env = {**os.environ, **{k: v for k, v in session.env.items() if v is not None}}
    env["PATH"] = os.pathsep.join([session.bin, env.get("PATH", "")])
    command = [os.path.join(session.bin, "python"), "-m", module, *session.posargs]
    session.log(" ".join(command[1:]))
    process = subprocess.Popen(command, env=env)

    def pass_on(number: int, frame: object) -> None:
        process.send_signal(number)

    previous = {sig: signal.signal(sig, pass_on) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        code = process.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if code:
        session.log(f"{module} exited with {code}")
        sys.exit(code)


@nox.session
def generate(session: nox.Session) -> None:
    """Regenerate generated/ from openapi/calls.yaml with the pinned generator."""
    session.install("-e", ".[generate]")
    session.run("python", "-m", "scripts.generate", *session.posargs)


@nox.session
def drift(session: nox.Session) -> None:
    """Fail, showing the diff, when generated/ is not exactly what the spec makes."""
    session.install("-e", ".[generate]")
    session.run("python", "-m", "scripts.drift", *session.posargs)


def install_spectral(session: nox.Session) -> None:
    """`npm ci` in openapi/ (Spectral and its rulesets, pinned by package-lock.json).

    Skipped when node_modules was installed from the current lock file: npm writes its own
    copy of the lock to node_modules/.package-lock.json, newer than the committed one.
    """
    lock = os.path.join("openapi", "package-lock.json")
    installed = os.path.join("openapi", "node_modules", ".package-lock.json")
    if os.path.exists(installed) and os.path.getmtime(installed) >= os.path.getmtime(lock):
        session.log("openapi/node_modules is up to date with package-lock.json")
        return
    with session.chdir("openapi"):
        # --ignore-scripts: no install script of a lint tool may run (one only sends telemetry).
        session.run("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", external=True)


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff and mypy on the project's own code; the spec's validity and rules."""
    install_kit(session, "lint", "test", "review")  # mypy reads the tests' imports too
    install_spectral(session)
    session.run("ruff", "check", *PROJECT_CODE)
    session.run("ruff", "format", "--check", *PROJECT_CODE)
    session.run("mypy", *PROJECT_CODE)
    # session.run, not run_keeping_exit_code: a failing spec must not stop `nox`'s later
    # sessions. `python -m scripts.lint_spec` itself exits 1 (lint errors) or 2 (cannot run).
    session.run("python", "-m", "scripts.lint_spec", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """The kit's own tests: spec, client, reference server, contract suite, governance; on
    two workers (pytest-xdist), the exhaustive sweeps left to `nox -s sweep`."""
    install_kit(session, "test", "review")
    session.run("pytest", "-n", "2", "--dist", "loadgroup", *session.posargs)


@nox.session
def sweep(session: nox.Session) -> None:
    """The exhaustive whole-run sweeps: every fault, every quirk alone, seeds 1 to 3."""
    install_kit(session, "test", "review")
    session.run("pytest", "-m", "sweep", "-n", "2", *session.posargs)


@nox.session
def serve(session: nox.Session) -> None:
    """Run the reference server: nox -s serve -- [--port N] [--fault NAME] [--list-faults]."""
    install_kit(session)
    run_keeping_exit_code(session, "scripts.serve")


@nox.session
def contract(session: nox.Session) -> None:
    """Check a server against the spec: nox -s contract -- --help for the options."""
    install_kit(session)
    run_keeping_exit_code(session, "scripts.contract")


@nox.session
def replay(session: nox.Session) -> None:
    """Re-send every failure of a HAR N times and classify it: nox -s replay -- HAR
    [--entry N] [--times N] [--base-url URL]."""
    install_kit(session)
    run_keeping_exit_code(session, "scripts.replay")


@nox.session
def judge(session: nox.Session) -> None:
    """Judge recorded traffic (HAR or NDJSON) with every check: nox -s judge -- FILE... --help."""
    install_kit(session)
    run_keeping_exit_code(session, "scripts.judge")


@nox.session
def proxy(session: nox.Session) -> None:
    """A validating reverse proxy that judges what passes: nox -s proxy -- --upstream URL."""
    install_kit(session)
    run_keeping_exit_code(session, "scripts.proxy")


@nox.session
def breaking(session: nox.Session) -> None:
    """Client-visible spec changes: nox -s breaking -- [BASE] [--head HEAD] [--format json]."""
    # Only what the command imports (the "breaking" extra): installing the whole kit took
    # seconds per call. It runs from the checkout, so the project itself needs no install.
    extras = nox.project.load_toml("pyproject.toml")["project"]["optional-dependencies"]
    session.install(*extras["breaking"])
    run_keeping_exit_code(session, "scripts.breaking")


@nox.session
def review(session: nox.Session) -> None:
    """Write reports/review.md and .html, verdict first: nox -s review -- [BASE] [--head HEAD]."""
    install_kit(session, "lint", "generate", "review")
    install_spectral(session)
    run_keeping_exit_code(session, "scripts.review")


@nox.session
def bench(session: nox.Session) -> None:
    """Speed and detection power beside the Schemathesis CLI: nox -s bench -- --help."""
    install_kit(session, "test", "bench")
    session.run("python", "-m", "scripts.bench", *session.posargs)


@nox.session
def bench_traffic(session: nox.Session) -> None:
    """The traffic judge's memory and speed on 20 and 200 MB recordings, the proxy's added
    latency, and the dask map step: nox -s bench_traffic -- --help."""
    install_kit(session, "bench")
    session.run("python", "-m", "scripts.traffic_bench", *session.posargs)


@nox.session
def build(session: nox.Session) -> None:
    """Build the client's sdist and wheel into dist/, twice: byte-identical, twine check, and
    installed and imported in a new environment (nox -s build -- --help)."""
    session.install("-e", ".[release]")
    run_keeping_exit_code(session, "scripts.release")
