"""Lint a spec: openapi-spec-validator for structure, then Spectral with openapi/.spectral.yaml.

Spectral runs from openapi/node_modules (installed by `npm ci` in openapi/, which `nox -s lint`
does). Problems come back as plain records; the CLI in scripts/lint_spec.py prints them.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from contract_tests.errors import CouldNotRun
from contract_tests.spec import SpecUnavailable, encode_pointer, load_document
from scripts.codegen import ROOT

OPENAPI_DIR = ROOT / "openapi"
RULESET = OPENAPI_DIR / ".spectral.yaml"
SPECTRAL = OPENAPI_DIR / "node_modules" / ".bin" / "spectral"
# Spectral's JSON severities, by number.
SEVERITIES = {0: "error", 1: "warning", 2: "info", 3: "hint"}


class LintUnavailable(CouldNotRun):
    """The lint could not run (unreadable spec, Spectral missing or crashed); says what to do."""


@dataclass(frozen=True)
class Problem:
    """One finding: where it is, how bad, which rule and what it says."""

    file: str
    line: int
    column: int
    severity: str
    code: str
    message: str
    path: str

    def as_line(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        at = f" [{self.path}]" if self.path else ""
        return f"{where}: {self.severity} {self.code}: {self.message}{at}"


def read_spec(spec: Path) -> Any:
    """Parse the spec's YAML, or raise LintUnavailable when it cannot be read."""
    try:
        return load_document(spec)
    except SpecUnavailable as error:
        raise LintUnavailable(str(error)) from error


def structural_problems(spec: Path) -> list[Problem]:
    """Validate against the OpenAPI 3.1 schema; the validator reports its first error only."""
    try:
        validate(read_spec(spec))
    except OpenAPIValidationError as error:
        path = json_pointer(list(error.path))
        return [Problem(spec.name, 0, 0, "error", "openapi-spec-validator", error.message, path)]
    return []


def spectral_problems(specs: list[Path], ruleset: Path = RULESET) -> list[Problem]:
    """Run Spectral once over the given specs and return every result it reports."""
    if not SPECTRAL.exists():
        raise LintUnavailable(f"Spectral is not installed: run `npm ci` in {OPENAPI_DIR}")
    command = [str(SPECTRAL), "lint", *map(str, specs), "--ruleset", str(ruleset)]
    command += ["--format", "json", "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        records = json.loads(result.stdout)
    except json.JSONDecodeError as error:
        detail = (result.stderr or result.stdout).strip().splitlines()
        reason = detail[-1] if detail else f"exit code {result.returncode}"
        raise LintUnavailable(
            f"Spectral could not run ({reason}); run `npm ci` in {OPENAPI_DIR}"
        ) from error
    return [_problem(record) for record in records]


def _problem(record: dict[str, Any]) -> Problem:
    start = record.get("range", {}).get("start", {})
    return Problem(
        file=Path(record.get("source") or "?").name,
        # Spectral counts lines and columns from 0; editors count from 1.
        line=int(start.get("line", 0)) + 1,
        column=int(start.get("character", 0)) + 1,
        severity=SEVERITIES.get(int(record.get("severity", 0)), "error"),
        code=str(record.get("code", "?")),
        message=str(record.get("message", "")),
        path=json_pointer(record.get("path", [])),
    )


def json_pointer(parts: list[Any]) -> str:
    """RFC 6901 pointer of a path such as ["paths", "/v2/calls", "get"]."""
    return encode_pointer(*parts)


def lint(spec: Path, ruleset: Path = RULESET) -> list[Problem]:
    """All problems of one spec: structure first; Spectral runs only on a valid document."""
    problems = structural_problems(spec)
    if problems:
        return problems
    return spectral_problems([spec], ruleset)


def summary(spec: Path, problems: list[Problem]) -> str:
    """One line: how many errors and warnings, and whether the spec passes."""
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = sum(problem.severity == "warning" for problem in problems)
    verdict = "fails" if errors else "passes"
    return f"lint: {spec.name} {verdict}: {errors} error(s), {warnings} warning(s)"
