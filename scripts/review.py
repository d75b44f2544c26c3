"""Write the reviewer's report for the spec change since BASE: a verdict first (BLOCK or OK, why,
and the version bump required), then the lint, the breaking changes, what changes in the
generated client and a changelog entry. Markdown ready to paste into a pull request, and a
self-contained HTML page.

python -m scripts.review [BASE] [--head HEAD] [--out DIR] [--accepted FILE]
BASE and HEAD as for nox -s breaking (a git ref, a spec file or REF:PATH; the default BASE
never is the head's own spec). Exit 0 report written and OK, 1 report written and BLOCK (lint
errors or unaccepted ERR findings), 2 the review could not be made (bad option, ref or file,
Spectral or the generator failing).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

import yaml

from contract_tests.errors import ExitCode
from scripts.cli import OneLineParser, command, run
from scripts.codegen import ROOT
from scripts.governance import accepted
from scripts.governance.cli import add_spec_arguments, read_specs
from scripts.governance.findings import evaluate
from scripts.governance.lint import lint
from scripts.governance.report import Review, as_html, as_markdown_report
from scripts.governance.surface import client_changes


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="nox -s review --",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_spec_arguments(parser)
    parser.add_argument("--out", type=Path, default=ROOT / "reports", help="output folder")
    parser.add_argument("--accepted", type=Path, default=accepted.ACCEPTED_BREAKS)
    return parser


@command("review")
def main(argv: list[str] | None = None) -> ExitCode:
    args = build_parser().parse_args(argv)
    base, head, base_side, head_side = read_specs(args.base, args.head)
    outcome = evaluate(base, head, base_side, head_side, accepted.load(args.accepted))
    with tempfile.TemporaryDirectory(prefix="thinnestai-review-") as tmp:
        review = Review(
            spec_name=Path(head_side.source).name,
            outcome=outcome,
            lint=lint(_as_file(head_side.file, head, Path(tmp))),
            client=client_changes(base, head),
        )
    markdown = as_markdown_report(review)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "review.md").write_text(markdown, encoding="utf-8")
    word, reason = review.verdict()
    page = as_html(markdown, f"Spec review: {word}")
    (args.out / "review.html").write_text(page, encoding="utf-8")
    print(f"review: {word}: {reason}")
    print(f"review: wrote {args.out / 'review.md'} and {args.out / 'review.html'}")
    return ExitCode.VIOLATES if word == "BLOCK" else ExitCode.CONFORMS


def _as_file(file: str, spec: dict[str, Any], tmp: Path) -> Path:
    """The head spec as a file for the lint: its own file, or a ref's spec written out."""
    if file:
        return Path(file)
    path = tmp / "calls.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


if __name__ == "__main__":
    run(main)
