"""Regenerate generated/ from openapi/calls.yaml: python -m scripts.generate (nox -s generate)."""

from __future__ import annotations

import argparse
import sys
import time

from scripts.codegen import GENERATED, SPEC, GenerationError, generate_into


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="nox -s generate --",
        description="Regenerate the Python client in generated/ from the spec, with the pinned "
        "openapi-python-client and ruff. Same spec in, same bytes out.",
    )
    parser.parse_args(argv)
    started = time.perf_counter()
    try:
        generate_into(GENERATED)
    except GenerationError as error:
        print(f"generate: {error}. Fix the spec ({SPEC.name}) and run again.", file=sys.stderr)
        return 2
    print(f"generated {GENERATED} from {SPEC.name} in {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
