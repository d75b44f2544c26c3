"""Write the reviewer's report for the spec change since BASE: lint, breaking changes, what
changes in the generated client, a changelog entry. Markdown and a self-contained HTML page.

python -m scripts.review [BASE] [--out DIR] [--head FILE]   (nox -s review -- [BASE])
Exit 0 report written and nothing breaks, 1 report written with lint errors or ERR changes,
2 the review could not be made (bad ref, unreadable spec, Spectral or the generator failing).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scripts.codegen import ROOT, SPEC, GenerationError
from scripts.governance.diff import compare
from scripts.governance.lint import LintUnavailable, lint
from scripts.governance.report import Review, as_html, as_markdown_report
from scripts.governance.rules import Level
from scripts.governance.spec import SpecUnavailable, load_at_ref, load_file, merge_base
from scripts.governance.surface import client_changes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nox -s review --", description=__doc__)
    parser.add_argument("base", nargs="?", help="git ref of the old spec (default: merge base)")
    parser.add_argument("--out", type=Path, default=ROOT / "reports", help="output folder")
    parser.add_argument("--head", type=Path, default=SPEC, help="the new spec (default: tree)")
    args = parser.parse_args(argv)
    try:
        base_ref = args.base or merge_base()
        base, head = load_at_ref(base_ref), load_file(args.head)
        review = Review(
            base=base_ref,
            spec_name=args.head.name,
            version=str(head.get("info", {}).get("version", "?")),
            lint=lint(args.head),
            changes=compare(base, head),
            client=client_changes(base, head),
        )
    except (SpecUnavailable, LintUnavailable, GenerationError) as error:
        print(f"review: {error}", file=sys.stderr)
        return 2
    markdown = as_markdown_report(review)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "review.md").write_text(markdown, encoding="utf-8")
    page = as_html(markdown, f"Spec review since {base_ref}")
    (args.out / "review.html").write_text(page, encoding="utf-8")
    print(f"review: wrote {args.out / 'review.md'} and {args.out / 'review.html'}")
    lint_errors = (
        []
        if isinstance(review.lint, str)
        else [problem for problem in review.lint if problem.severity == "error"]
    )
    failing = bool(lint_errors) or any(c.level is Level.ERR for c in review.changes)
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
