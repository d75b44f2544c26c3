"""Each lint rule of the project fires on its fixture and not on the real spec.

tests/fixtures/lint/<rule-id>.yaml breaks exactly the rule it is named after; valid.yaml is
the base they are made from and breaks none. Spectral runs once over all of them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scripts.codegen import SPEC
from scripts.governance.lint import (
    RULESET,
    SPECTRAL,
    Problem,
    spectral_problems,
    structural_problems,
)
from scripts.lint_spec import main

FIXTURES = Path(__file__).parent / "fixtures" / "lint"
RULE_FIXTURES = sorted(path for path in FIXTURES.glob("*.yaml") if path.stem != "valid")

if not SPECTRAL.exists():
    reason = "Spectral is not installed: run `npm ci` in openapi/ (nox -s lint does)"
    if os.environ.get("CI"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason, allow_module_level=True)


@pytest.fixture(scope="module")
def errors_by_file() -> dict[str, list[Problem]]:
    problems = spectral_problems([SPEC, FIXTURES / "valid.yaml", *RULE_FIXTURES])
    found: dict[str, list[Problem]] = {}
    for problem in problems:
        if problem.severity == "error":
            found.setdefault(problem.file, []).append(problem)
    return found


def test_every_project_rule_has_a_fixture() -> None:
    ruleset = RULESET.read_text(encoding="utf-8")
    project_rules = {
        line.strip().rstrip(":") for line in ruleset.splitlines() if line.startswith("  thinnest-")
    }
    assert project_rules <= {path.stem for path in RULE_FIXTURES}


@pytest.mark.parametrize("fixture", RULE_FIXTURES, ids=lambda path: path.stem)
def test_rule_fires_on_its_fixture(fixture: Path, errors_by_file: dict[str, list[Problem]]) -> None:
    codes = {problem.code for problem in errors_by_file.get(fixture.name, [])}
    assert fixture.stem in codes, f"{fixture.stem} did not fire; errors: {sorted(codes)}"
    assert structural_problems(fixture) == [], "a fixture must be valid OpenAPI 3.1"


def test_fixture_base_and_real_spec_have_no_errors(
    errors_by_file: dict[str, list[Problem]],
) -> None:
    assert errors_by_file.get("valid.yaml", []) == []
    assert [problem.as_line() for problem in errors_by_file.get(SPEC.name, [])] == []


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(SPEC)]) == 0
    assert main([str(FIXTURES / "thinnest-operation-summary.yaml")]) == 1
    out = capsys.readouterr().out
    assert "error thinnest-operation-summary" in out
    assert out.strip().splitlines()[-1].startswith("lint: thinnest-operation-summary.yaml fails: ")
    assert main([str(tmp_path / "missing.yaml")]) == 2
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.1.0\ninfo: {title: x}\npaths: {}\n", encoding="utf-8")
    assert main([str(broken)]) == 1
    assert "openapi-spec-validator" in capsys.readouterr().out
