"""Lint the spec: structural validity with openapi-spec-validator (python -m scripts.lint_spec)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from scripts.codegen import SPEC


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.lint_spec", description=__doc__)
    parser.add_argument("spec", nargs="?", type=Path, default=SPEC, help="spec to lint")
    args = parser.parse_args(argv)
    try:
        document = yaml.safe_load(args.spec.read_text(encoding="utf-8"))
        validate(document)
    except (OSError, yaml.YAMLError) as error:
        print(f"lint: cannot read {args.spec}: {error}", file=sys.stderr)
        return 2
    except OpenAPIValidationError as error:
        print(f"lint: {args.spec} is not valid OpenAPI 3.1: {error.message}", file=sys.stderr)
        return 1
    print(f"lint: {args.spec.name} is valid OpenAPI 3.1")
    return 0


if __name__ == "__main__":
    sys.exit(main())
