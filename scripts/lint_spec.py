"""Lint the spec: OpenAPI 3.1 validity, Spectral's OAS and OWASP rules, the project's rules.

python -m scripts.lint_spec [SPEC]. One line per problem, then a summary.
Exit 0 clean (warnings allowed), 1 lint errors, 2 the lint could not run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scripts.codegen import SPEC
from scripts.governance.lint import RULESET, LintUnavailable, lint, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.lint_spec", description=__doc__)
    parser.add_argument("spec", nargs="?", type=Path, default=SPEC, help="spec to lint")
    parser.add_argument("--ruleset", type=Path, default=RULESET, help="Spectral ruleset")
    args = parser.parse_args(argv)
    try:
        problems = lint(args.spec, args.ruleset)
    except LintUnavailable as error:
        print(f"lint: {error}", file=sys.stderr)
        return 2
    for problem in problems:
        print(problem.as_line())
    print(summary(args.spec, problems))
    return 1 if any(problem.severity == "error" for problem in problems) else 0


if __name__ == "__main__":
    sys.exit(main())
