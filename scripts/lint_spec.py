"""Lint the spec: OpenAPI 3.1 validity, Spectral's OAS and OWASP rules, the project's rules.

python -m scripts.lint_spec [SPEC]. One line per problem, then a summary.
Exit 0 clean (warnings allowed), 1 lint errors, 2 the lint could not run.
"""

from __future__ import annotations

from pathlib import Path

from contract_tests.errors import ExitCode
from scripts.cli import OneLineParser, command, run
from scripts.codegen import SPEC
from scripts.governance.lint import RULESET, lint, summary


@command("lint")
def main(argv: list[str] | None = None) -> ExitCode:
    parser = OneLineParser(prog="python -m scripts.lint_spec", description=__doc__)
    parser.add_argument("spec", nargs="?", type=Path, default=SPEC, help="spec to lint")
    parser.add_argument("--ruleset", type=Path, default=RULESET, help="Spectral ruleset")
    args = parser.parse_args(argv)
    problems = lint(args.spec, args.ruleset)
    for problem in problems:
        print(problem.as_line())
    print(summary(args.spec, problems))
    failed = any(problem.severity == "error" for problem in problems)
    return ExitCode.VIOLATES if failed else ExitCode.CONFORMS


if __name__ == "__main__":
    run(main)
