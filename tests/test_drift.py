"""generated/ is exactly what the pinned generator makes from the spec, and it type-checks.

Each test that regenerates costs about a second; the file runs in a few seconds.
"""

from __future__ import annotations

import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.codegen import GENERATED, ROOT, SPEC, GenerationError, generate_into, generated_files
from scripts.drift import check_drift, main

PACKAGE = GENERATED / "thinnestai_calls_client"


def test_the_committed_client_is_what_the_spec_makes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Another hash seed than the one generated/ was made with: set order must not leak out.
    monkeypatch.setenv("PYTHONHASHSEED", "4242")

    assert main([]) == 0

    assert "drift: generated/ matches calls.yaml" in capsys.readouterr().out


def test_a_changed_spec_shows_a_diff_naming_the_change(tmp_path: Path) -> None:
    spec = tmp_path / "calls.yaml"
    original = "enum: [active, ended, error, pending, deleted]"
    text = SPEC.read_text(encoding="utf-8")
    assert original in text
    spec.write_text(text.replace(original, original[:-1] + ", archived]"), encoding="utf-8")

    diff = "".join(check_drift(GENERATED, spec=spec))

    assert "+++ expected/thinnestai_calls_client/models/call_status.py" in diff
    assert '+    ARCHIVED = "archived"' in diff


@pytest.mark.parametrize(
    ("breakage", "says"),
    [
        ("openapi: 3.1.0\npaths: [\n", "Invalid YAML"),
        ("openapi: 3.1.0\ninfo: {title: Calls}\npaths: {}\n", "info.version"),
    ],
    ids=["not-yaml", "not-openapi"],
)
def test_a_malformed_spec_is_a_generation_error(tmp_path: Path, breakage: str, says: str) -> None:
    spec = tmp_path / "calls.yaml"
    spec.write_text(breakage, encoding="utf-8")

    with pytest.raises(GenerationError, match=says):
        generate_into(tmp_path / "out", spec)
    assert not (tmp_path / "out").exists()


def test_a_spec_the_generator_only_partly_understands_is_a_generation_error(
    tmp_path: Path,
) -> None:
    """A dangling $ref makes the generator drop the schema, warn on stderr and exit 0."""
    spec = tmp_path / "calls.yaml"
    text = SPEC.read_text(encoding="utf-8")
    spec.write_text(text.replace("schemas/CallStatus'", "schemas/NoSuchSchema'"), encoding="utf-8")

    with pytest.raises(GenerationError, match="NoSuchSchema"):
        generate_into(tmp_path / "out", spec)


def test_the_cli_reports_a_malformed_spec_in_one_line_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "calls.yaml"
    spec.write_text("openapi: 3.1.0\npaths: [\n", encoding="utf-8")

    assert main(["--spec", str(spec)]) == 2

    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("drift: generator failed: ")


def test_the_output_names_nothing_of_the_machine_it_was_made_on() -> None:
    """Same spec, same bytes on any machine: no paths, no versions of the local tools."""
    text = "\n".join(
        (GENERATED / relative).read_text(encoding="utf-8")
        for relative in sorted(generated_files(GENERATED))
    )
    for local in (str(ROOT), str(Path.home()), "thinnestai-gen-", platform.python_version()):
        assert local not in text
    assert not re.search(r"[Gg]enerated (on|at) ", text)


def test_the_generated_package_is_installable_and_typed() -> None:
    files = {path.as_posix() for path in generated_files(GENERATED)}

    assert {"setup.py", "README.md", "thinnestai_calls_client/py.typed"} <= files
    setup = (GENERATED / "setup.py").read_text(encoding="utf-8")
    assert 'name="thinnestai-calls-client"' in setup
    assert 'package_data={"thinnestai_calls_client": ["py.typed"]}' in setup


def test_the_generated_package_and_its_readme_pass_mypy_strict(tmp_path: Path) -> None:
    """Checked here, not in `nox -s lint`, which leaves generated/ out of its mypy run."""
    pytest.importorskip("mypy", reason="mypy comes with the lint extra")
    readme = (GENERATED / "README.md").read_text(encoding="utf-8")
    examples = tmp_path / "readme_examples.py"
    blocks = re.findall(r"```python\n(.*?)```", readme, re.DOTALL)
    assert blocks, "the README has no python examples"
    examples.write_text("\n".join(blocks), encoding="utf-8")
    # Only --strict: the project's config leaves generated/ out.
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\n", encoding="utf-8")
    shutil.copytree(PACKAGE, tmp_path / PACKAGE.name, ignore=shutil.ignore_patterns("__pycache__"))

    result = subprocess.run(
        [
            *(sys.executable, "-m", "mypy", "--strict"),
            *("--config-file", str(config), "--cache-dir", str(tmp_path / ".mypy_cache")),
            *(PACKAGE.name, examples.name),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr
