"""List the client-visible changes of the spec since BASE, under oasdiff 1.28's rule ids and levels.

python -m scripts.breaking [BASE] [--head HEAD] [--fail-on ERR|WARN|INFO]
                           [--format text|markdown|json] [--accepted FILE]

BASE and HEAD are each a git ref (its openapi/calls.yaml), a spec file, or REF:PATH. HEAD
defaults to openapi/calls.yaml in the working tree; BASE to the merge base with main, or on
main itself to the spec before its last change (the base used is printed). The version policy
(info.version is semver; an ERR needs a major bump, any other change a minor one) and
openapi/accepted-breaks.yaml apply. --format json prints the document findings.schema.json
describes (scripts/governance/). Exit 0 nothing unaccepted at the failing level (ERR by
default), 1 something is, 2 the run could not be made (bad option, ref or file).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from contract_tests.errors import ExitCode
from scripts.cli import OneLineParser, command, run
from scripts.governance import accepted
from scripts.governance.cli import add_spec_arguments, read_specs
from scripts.governance.findings import evaluate
from scripts.governance.render import as_json, as_markdown, as_text, compared
from scripts.governance.rules import Level

RENDERERS = {"text": as_text, "markdown": as_markdown, "json": as_json}


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="nox -s breaking --",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_spec_arguments(parser)
    parser.add_argument("--fail-on", choices=[level.name for level in Level], default="ERR")
    parser.add_argument("--format", choices=sorted(RENDERERS), default="text")
    parser.add_argument(
        "--accepted",
        type=Path,
        default=accepted.ACCEPTED_BREAKS,
        help="reviewed findings that do not fail the run (default: openapi/accepted-breaks.yaml)",
    )
    return parser


@command("breaking")
def main(argv: list[str] | None = None) -> ExitCode:
    args = build_parser().parse_args(argv)
    base, head, base_side, head_side = read_specs(args.base, args.head)
    outcome = evaluate(base, head, base_side, head_side, accepted.load(args.accepted))
    threshold = Level[args.fail_on]
    if args.format != "text":  # text says it in its summary; stdout stays one document
        print(f"breaking: {compared(outcome)}", file=sys.stderr)
    print(RENDERERS[args.format](outcome, threshold))
    return ExitCode.VIOLATES if outcome.failing(threshold) else ExitCode.CONFORMS


if __name__ == "__main__":
    run(main)
