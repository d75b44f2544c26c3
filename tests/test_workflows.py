"""The CI recipes in .github/: actionlint finds nothing in them, and they call only nox sessions
that noxfile.py defines and README.md documents, with options that the sessions' own argparse
parsers accept (read from the parsers at test time, so a renamed option fails here)."""

from __future__ import annotations

import argparse
import ast
import importlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator, Mapping, Set
from pathlib import Path
from typing import NoReturn
from unittest import mock

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
RECIPES = [*WORKFLOWS, *sorted((GITHUB / "actions").glob("*/action.yml"))]
# The sessions that take options, and the module whose parser reads them.
SESSION_MODULES = {
    "contract": "scripts.contract",
    "breaking": "scripts.breaking",
    "review": "scripts.review",
}
NOX_CALL = re.compile(r"\bnox((?:[ \t]+[^\s;&|>]+)+)")  # up to a shell operator
COMMENT = re.compile(r"(?:^|(?<=\s))#.*$", re.MULTILINE)
SESSION_FLAGS = {"-s", "-e", "--session", "--sessions"}
OPTION = re.compile(r"(?<![\w-])--[A-Za-z][\w-]*")  # also inside ${SEED:+--seed "$SEED"}
SHA_PIN = re.compile(r"@([0-9a-f]{40})  # (v\d+)\.\d+\.\d+$", re.MULTILINE)

NoxCall = tuple[list[str], list[str]]  # sessions, options given after `--`


def nox_calls(script: str) -> list[NoxCall]:
    """Each `nox ... -s SESSION... [-- ARGS]` in a shell script."""
    calls: list[NoxCall] = []
    for match in NOX_CALL.finditer(COMMENT.sub("", script).replace("\\\n", " ")):
        words = match.group(1).split()
        cut = words.index("--") if "--" in words else len(words)
        sessions: list[str] = []
        naming = False
        for word in words[:cut]:
            naming = word in SESSION_FLAGS or (naming and not word.startswith("-"))
            if naming and word not in SESSION_FLAGS:
                sessions.append(word)
        calls.append((sessions, OPTION.findall(" ".join(words[cut + 1 :]))))
    return calls


def run_scripts(path: Path) -> Iterator[tuple[str, str]]:
    """(where, script) for every `run:` of a workflow's jobs or a composite action."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    jobs = document.get("jobs", {})
    steps = [(job, step) for job in jobs for step in jobs[job]["steps"]]
    steps += [("runs", step) for step in document.get("runs", {}).get("steps", [])]
    for where, step in steps:
        if "run" in step:
            yield f"{path.name} {where} {step.get('name', step['run'][:30])!r}", step["run"]


def problems(
    scripts: Iterable[tuple[str, str]],
    defined: Set[str],
    documented: Set[str],
    options: Mapping[str, Set[str]],
) -> list[str]:
    """What is wrong with the nox calls in these scripts; empty when nothing is."""
    found: list[str] = []
    for where, script in scripts:
        for sessions, given in nox_calls(script):
            if not sessions:
                found.append(f"{where}: nox names no session (-s)")
            for session in sessions:
                if session not in defined:
                    found.append(f"{where}: noxfile.py has no session {session!r}")
                elif session not in documented:
                    found.append(f"{where}: README.md does not document nox -s {session}")
            for option in given:
                known = options.get(sessions[0]) if len(sessions) == 1 else None
                if known is None:
                    found.append(f"{where}: {option} given to {sessions}: options unknown")
                elif option not in known:
                    found.append(f"{where}: nox -s {sessions[0]} has no option {option}")
    return found


def defined_sessions(noxfile: Path = ROOT / "noxfile.py") -> set[str]:
    """Names of the functions decorated with @nox.session (or its name= keyword)."""
    names: set[str] = set()
    for node in ast.parse(noxfile.read_text(encoding="utf-8")).body:
        for decorator in getattr(node, "decorator_list", []):
            call = decorator if isinstance(decorator, ast.Call) else None
            if ast.unparse(call.func if call else decorator) == "nox.session":
                named = [k.value for k in call.keywords if k.arg == "name"] if call else []
                names.add(ast.literal_eval(named[0]) if named else getattr(node, "name", ""))
    return names


def documented_sessions(readme: Path = ROOT / "README.md") -> set[str]:
    """Sessions with a row in the README's table of nox sessions."""
    text = readme.read_text(encoding="utf-8")
    return set(re.findall(r"^\| `nox -s ([\w-]+)", text, re.MULTILINE))


class _Parsing(BaseException):
    """Raised instead of parsing: carries the parser that a script's main() built."""

    def __init__(self, parser: argparse.ArgumentParser) -> None:
        super().__init__(parser.prog)
        self.parser = parser


def option_strings(module: str) -> set[str]:
    """The options of `python -m module`: main() runs until it parses, and its parser is read."""

    def stop(parser: argparse.ArgumentParser, *args: object, **kwargs: object) -> NoReturn:
        raise _Parsing(parser)

    main = importlib.import_module(module).main
    with (
        mock.patch.object(argparse.ArgumentParser, "parse_args", stop),
        mock.patch.object(argparse.ArgumentParser, "parse_known_args", stop),
        pytest.raises(_Parsing) as parsing,
    ):
        main([])
    return {option for action in parsing.value.parser._actions for option in action.option_strings}


def actionlint(*paths: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    # Beside this interpreter (the test extra installs it there), else on PATH.
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    binary = shutil.which("actionlint", path=search)
    assert binary, "actionlint is not installed: it comes with the test extra (pyproject.toml)"
    command = [binary, "-no-color", "-oneline", *map(str, paths)]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=60)


def test_actionlint_is_clean(tmp_path: Path) -> None:
    """Clean as written, and with each SHA pin read as its major tag (`@v7`), which is how
    actionlint knows the inputs of popular actions; and it does report a broken workflow."""
    assert WORKFLOWS, f"no workflow in {GITHUB / 'workflows'}"
    result = actionlint(*WORKFLOWS, cwd=ROOT)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
    tagged = tmp_path / "tagged"
    shutil.copytree(GITHUB, tagged / ".github")
    for path in (tagged / ".github").rglob("*.yml"):
        path.write_text(SHA_PIN.sub(r"@\2", path.read_text(encoding="utf-8")), encoding="utf-8")
    result = actionlint(*sorted((tagged / ".github/workflows").glob("*.yml")), cwd=tagged)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")

    broken = tagged / ".github/workflows/ci.yml"
    text = broken.read_text(encoding="utf-8")
    broken.write_text(text.replace("persist-credentials", "persist-credential"), "utf-8")
    assert 'input "persist-credential" is not defined' in actionlint(broken, cwd=tagged).stdout


def test_recipes_call_only_sessions_and_options_that_exist() -> None:
    scripts = [script for path in RECIPES for script in run_scripts(path)]
    options = {session: option_strings(module) for session, module in SESSION_MODULES.items()}
    assert problems(scripts, defined_sessions(), documented_sessions(), options) == []
    called = {session for _, script in scripts for call in nox_calls(script) for session in call[0]}
    assert called >= {"drift", "lint", "tests", "contract", "breaking", "review"}


def test_the_checker_reports_made_up_sessions_and_options(tmp_path: Path) -> None:
    fake = tmp_path / "fake.yml"
    steps = [
        {"run": "python3 -m nox -s contrakt"},
        {"run": "nox -s bench"},
        {"run": 'nox -s contract -- --report-dir r \\\n  --max-exampels 5 ${S:+--seed "$S"} || x'},
        {"run": "nox -s breaking -- HEAD --fail-on ERR --format markdown"},
        {"run": "nox -s tests -- --lf; nox --list  # nox -s fine"},
    ]
    fake.write_text(yaml.safe_dump({"jobs": {"j": {"steps": steps}}}), encoding="utf-8")
    defined, documented = defined_sessions(), documented_sessions() - {"bench"}
    options = {"contract": option_strings("scripts.contract"), "breaking": {"--fail-on"}}
    found = "\n".join(problems(run_scripts(fake), defined, documented, options))
    assert "no session 'contrakt'" in found
    assert "does not document nox -s bench" in found
    assert "nox -s contract has no option --max-exampels" in found
    assert "--report-dir" not in found and "--seed" not in found
    assert "nox -s breaking has no option --format" in found and "--fail-on" not in found
    assert "--lf given to ['tests']: options unknown" in found
    assert "nox names no session" in found
    assert len(found.splitlines()) == 6, found


def test_ci_workflow_runs_the_ci_script_command() -> None:
    ci_run = nox_calls((ROOT / ".ci/run").read_text(encoding="utf-8"))
    scripts = [script for _, script in run_scripts(GITHUB / "workflows/ci.yml")]
    assert ci_run == [call for script in scripts for call in nox_calls(script)]


def test_pins_permissions_and_secrets() -> None:
    """Actions pinned by commit with their version; nox and uv as the README pins them; secrets
    reach scripts through env only; the staging run may only read the repository."""
    for path in RECIPES:
        text = path.read_text(encoding="utf-8")
        for line in re.findall(r"uses: (.*)", text):
            assert line.startswith("./") or SHA_PIN.search(line), f"{path.name}: unpinned {line}"
        assert all("secrets." not in script for _, script in run_scripts(path)), path.name
    pins = dict(re.findall(r'"(nox|uv)==([^"]+)"', (ROOT / "README.md").read_text("utf-8")))
    setup = (GITHUB / "actions/setup-kit/action.yml").read_text(encoding="utf-8")
    assert f'"nox=={pins["nox"]}"' in setup and f'version: "{pins["uv"]}"' in setup
    staging = yaml.safe_load((GITHUB / "workflows/staging-contract.yml").read_text("utf-8"))
    assert staging["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in staging["jobs"].values())
