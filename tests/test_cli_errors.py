"""Every command under scripts/ ends the same way on bad input or a bug: one line on stderr,
`<command>: ...`, and exit 2 (never 1, which means "violates"); Ctrl-C is 130.

Each CLI's main(argv) runs in-process; the internal error is a RuntimeError raised by a
function the main calls, so nothing slow (the generator, Spectral, a contract run) starts.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from contract_tests.errors import ExitCode
from scripts.cli import ENV_DEBUG, command

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
MISSING = "/no/such/dir/calls.yaml"


@dataclass(frozen=True)
class Cli:
    module: str  # scripts.<module>
    name: str  # the prefix of its stderr lines
    calls: str  # "module.function" its main calls: patched to raise for the internal error
    bad_path: list[str] | None  # argv naming a missing input file; None: it reads none


CLIS = [
    Cli("breaking", "breaking", "scripts.breaking.read_specs", ["HEAD", "--head", MISSING]),
    Cli("review", "review", "scripts.review.read_specs", ["HEAD", "--head", MISSING]),
    Cli("drift", "drift", "scripts.drift.check_drift", ["--spec", MISSING]),
    Cli("lint_spec", "lint", "scripts.lint_spec.lint", [MISSING]),
    # generate takes no spec path: it always generates from openapi/calls.yaml.
    Cli("generate", "generate", "scripts.generate.generate_into", None),
    # contract takes no spec path (the suite reads openapi/calls.yaml): its input files are a
    # team config (--config) and a baseline (--baseline).
    Cli("contract", "contract", "scripts.contract.load_settings", ["--config", MISSING]),
    # replay reads no spec path but a HAR file: a missing one is its bad path.
    Cli("replay", "replay", "contract_tests.run.replay.replay", ["/no/such/evidence.har"]),
    # serve and bench read no file: the reference server and the bench use the repo's spec.
    Cli("serve", "serve", "scripts.serve.make_server", None),
    Cli("bench", "bench", "scripts.bench.run_bench", None),
    # release (nox -s build) reads no file given on the line: generated/ and the spec.
    Cli("release", "build", "scripts.release.require_tools", None),
    # judge reads recordings; proxy reads no file (its input is an upstream server).
    Cli("judge", "judge", "scripts.judge.build_parser", ["/no/such/recording.har"]),
    Cli("proxy", "proxy", "scripts.proxy.build_parser", None),
    Cli("traffic_bench", "bench_traffic", "scripts.traffic_bench.build_parser", None),
]
# What each command needs besides the option under test, so that the option is what fails.
REQUIRED = {
    "replay": ["evidence.har"],
    "judge": ["recording.har"],
    "proxy": ["--upstream", "http://127.0.0.1:1"],
}
BY_MODULE = {cli.module: cli for cli in CLIS}


@pytest.fixture(autouse=True)
def _no_target_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("THINNESTAI_BASE_URL", "THINNESTAI_API_KEY", ENV_DEBUG):
        monkeypatch.delenv(name, raising=False)


def run_main(cli: Cli, argv: list[str]) -> int:
    main = importlib.import_module(f"scripts.{cli.module}").main
    code: int = main(argv)
    return code


def one_line(capsys: pytest.CaptureFixture[str], cli: Cli) -> str:
    """The single stderr line the command wrote, after checking there is just that."""
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.endswith("\n"), captured.err
    assert captured.err.startswith(f"{cli.name}: "), captured.err
    return captured.err.rstrip("\n")


def patch_to_raise(monkeypatch: pytest.MonkeyPatch, target: str, error: BaseException) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(target, fail)


@pytest.mark.parametrize("cli", CLIS, ids=lambda cli: cli.module)
def test_a_bad_option_is_one_line_and_exit_2(cli: Cli, capsys: pytest.CaptureFixture[str]) -> None:
    # A required argument is given, so the unknown option is what is reported.
    argv = REQUIRED.get(cli.module, [])
    assert run_main(cli, [*argv, "--no-such-option"]) == ExitCode.COULD_NOT_RUN
    assert "--no-such-option" in one_line(capsys, cli)


@pytest.mark.parametrize(
    "cli", [cli for cli in CLIS if cli.bad_path is not None], ids=lambda cli: cli.module
)
def test_a_missing_input_file_is_one_line_and_exit_2(
    cli: Cli, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.bad_path is not None
    assert run_main(cli, cli.bad_path) == ExitCode.COULD_NOT_RUN
    line = one_line(capsys, cli)
    assert "/no/such/" in line and "internal error" not in line


@pytest.mark.parametrize("cli", CLIS, ids=lambda cli: cli.module)
def test_an_internal_error_is_one_line_and_exit_2_never_1(
    cli: Cli, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    patch_to_raise(monkeypatch, cli.calls, RuntimeError("boom\non two lines"))
    assert run_main(cli, []) == ExitCode.COULD_NOT_RUN
    assert one_line(capsys, cli) == (
        f"{cli.name}: internal error: RuntimeError: boom on two lines (please report this)"
    )


@pytest.mark.parametrize("cli", CLIS, ids=lambda cli: cli.module)
def test_ctrl_c_is_one_line_and_exit_130(
    cli: Cli, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    patch_to_raise(monkeypatch, cli.calls, KeyboardInterrupt())
    assert run_main(cli, []) == ExitCode.INTERRUPTED
    assert "interrupted" in one_line(capsys, cli)


def test_debug_adds_the_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    @command("demo")
    def main(argv: list[str] | None = None) -> ExitCode:
        raise RuntimeError("boom")

    monkeypatch.setenv(ENV_DEBUG, "1")
    assert main([]) == ExitCode.COULD_NOT_RUN
    err = capsys.readouterr().err
    assert "Traceback" in err
    assert err.endswith("demo: internal error: RuntimeError: boom (please report this)\n")


def _entry_points(path: Path) -> tuple[list[str], str]:
    """The decorators of `main` and the statement under `if __name__ == "__main__":`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    mains = [
        node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "main"
    ]
    decorators = [ast.unparse(decorator) for main in mains for decorator in main.decorator_list]
    guards = [
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "__name__ == '__main__'"
    ]
    return decorators, "\n".join(ast.unparse(statement) for g in guards for statement in g.body)


@pytest.mark.parametrize("path", sorted(SCRIPTS.glob("*.py")), ids=lambda path: path.stem)
def test_every_command_goes_through_the_wrapper(path: Path) -> None:
    decorators, entry = _entry_points(path)
    if not decorators and not entry:
        return  # a library module (codegen, cli itself, __init__)
    assert path.stem in BY_MODULE, f"scripts/{path.name} is a command this test does not drive"
    assert decorators == [f"command({BY_MODULE[path.stem].name!r})"]
    assert entry == "run(main)"


PIPED_COMMAND = """
import os, signal, sys
from scripts.cli import command, run

@command("demo")
def main(argv=None):
    os.kill(os.getpid(), signal.SIGPIPE)  # a server thread writing to a closed connection
    for _ in range(100_000):
        print("a line of a long report")
    return 0

run(main)
"""


def test_a_command_survives_sigpipe_and_ends_quietly_when_its_reader_stops() -> None:
    """SIGPIPE stays ignored (with its default action the embedded server's write to a
    connection the suite had closed killed a contract run); a reader that stops early (`head`)
    ends the command quietly with the shell's 141."""
    process = subprocess.Popen(
        [sys.executable, "-c", PIPED_COMMAND],
        cwd=SCRIPTS.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline() == b"a line of a long report\n"
    process.stdout.close()  # the reader stops, as `head -1` does
    assert process.wait(timeout=30) == 141
    assert process.stderr.read() == b""
