"""Fail when generated/ is not exactly what the spec makes: python -m scripts.drift."""

from __future__ import annotations

import difflib
import filecmp
import sys
import tempfile
import time
from pathlib import Path

from contract_tests.errors import ExitCode
from scripts.cli import OneLineParser, command, run
from scripts.codegen import GENERATED, SPEC, GenerationError, generate_into, generated_files


def tree_diff(expected: Path, actual: Path) -> list[str]:
    """Unified diff lines that turn `actual` into `expected`; empty when they are identical."""
    lines: list[str] = []
    expected_files, actual_files = generated_files(expected), generated_files(actual)
    for relative in sorted(expected_files | actual_files):
        want, have = expected / relative, actual / relative
        if want.is_file() and have.is_file() and filecmp.cmp(want, have, shallow=False):
            continue
        old = have.read_text(encoding="utf-8").splitlines(keepends=True) if have.is_file() else []
        new = want.read_text(encoding="utf-8").splitlines(keepends=True) if want.is_file() else []
        lines.extend(
            difflib.unified_diff(old, new, f"generated/{relative}", f"expected/{relative}")
        )
        if not lines or not lines[-1].endswith("\n"):
            lines.append("\n")
    return lines


def check_drift(generated: Path = GENERATED, spec: Path = SPEC) -> list[str]:
    """Regenerate from `spec` into a temporary folder and diff it against `generated`."""
    with tempfile.TemporaryDirectory(prefix="thinnestai-drift-") as tmp:
        expected = Path(tmp) / "generated"
        generate_into(expected, spec)
        return tree_diff(expected, generated)


@command("drift")
def main(argv: list[str] | None = None) -> ExitCode:
    parser = OneLineParser(
        prog="nox -s drift --",
        description="Regenerate the client into a temporary folder and fail, showing the diff, "
        "when generated/ differs from what the spec makes.",
    )
    parser.add_argument(
        "--spec",
        type=Path,
        default=SPEC,
        help="the spec to generate from (default: %(default)s)",
    )
    spec: Path = parser.parse_args(argv).spec
    started = time.perf_counter()
    try:
        diff = check_drift(spec=spec)
    except GenerationError as error:
        raise GenerationError(f"{error}. Fix the spec ({spec.name}) and run again.") from error
    elapsed = time.perf_counter() - started
    if diff:
        sys.stdout.writelines(diff)
        print(f"drift: generated/ is not what {spec.name} makes. Run `nox -s generate` and commit.")
        return ExitCode.VIOLATES
    print(f"drift: generated/ matches {spec.name} ({elapsed:.1f}s)")
    return ExitCode.CONFORMS


if __name__ == "__main__":
    run(main)
