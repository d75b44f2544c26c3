"""List the client-visible changes of the spec since BASE, with oasdiff's rule ids and levels.

python -m scripts.breaking [BASE] [--fail-on ERR|WARN] [--format text|markdown] [--head FILE]
BASE is a git ref (default: the merge base of HEAD with main). Exit 0 nothing at the failing
level, 1 a change at or above it (ERR by default), 2 the specs could not be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scripts.codegen import SPEC
from scripts.governance.diff import compare
from scripts.governance.render import as_markdown, as_text
from scripts.governance.rules import Level
from scripts.governance.spec import SpecUnavailable, load_at_ref, load_file, merge_base


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nox -s breaking --", description=__doc__)
    parser.add_argument("base", nargs="?", help="git ref of the old spec (default: merge base)")
    parser.add_argument("--fail-on", choices=["ERR", "WARN"], default="ERR")
    parser.add_argument("--format", choices=["text", "markdown"], default="text")
    parser.add_argument("--head", type=Path, default=SPEC, help="the new spec (default: tree)")
    args = parser.parse_args(argv)
    try:
        base_ref = args.base or merge_base()
        changes = compare(load_at_ref(base_ref), load_file(args.head))
    except SpecUnavailable as error:
        print(f"breaking: {error}", file=sys.stderr)
        return 2
    render = as_markdown if args.format == "markdown" else as_text
    print(render(changes, base_ref))
    threshold = Level[args.fail_on]
    return 1 if any(change.level >= threshold for change in changes) else 0


if __name__ == "__main__":
    sys.exit(main())
