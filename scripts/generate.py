"""Regenerate generated/ from openapi/calls.yaml: python -m scripts.generate (nox -s generate)."""

from __future__ import annotations

import time

from contract_tests.errors import ExitCode
from scripts.cli import OneLineParser, command, run
from scripts.codegen import GENERATED, SPEC, GenerationError, generate_into


@command("generate")
def main(argv: list[str] | None = None) -> ExitCode:
    parser = OneLineParser(
        prog="nox -s generate --",
        description="Regenerate the Python client in generated/ from the spec, with the pinned "
        "openapi-python-client and ruff. Same spec in, same bytes out.",
    )
    parser.parse_args(argv)
    started = time.perf_counter()
    try:
        generate_into(GENERATED)
    except GenerationError as error:
        raise GenerationError(f"{error}. Fix the spec ({SPEC.name}) and run again.") from error
    print(f"generated {GENERATED} from {SPEC.name} in {time.perf_counter() - started:.1f}s")
    return ExitCode.CONFORMS


if __name__ == "__main__":
    run(main)
