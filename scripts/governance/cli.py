"""What the governance commands share: the BASE and --head arguments, and reading both specs."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from scripts.codegen import ROOT, SPEC
from scripts.governance.findings import Side, version_of
from scripts.governance.spec import default_base, load_spec

DEFAULT_HEAD = SPEC.relative_to(ROOT).as_posix()


def add_spec_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "base",
        nargs="?",
        help="the old spec: a git ref, a spec file or REF:PATH (default: printed; never the "
        "head's own spec)",
    )
    parser.add_argument(
        "--head",
        default=None,
        help=f"the new spec: a spec file, a git ref or REF:PATH (default: {DEFAULT_HEAD})",
    )


def read_specs(
    base_arg: str | None, head_arg: str | None
) -> tuple[dict[str, Any], dict[str, Any], Side, Side]:
    """Both specs and how each was found; raises SpecUnavailable with what to do."""
    head_source = head_arg or str(SPEC)
    head = load_spec(head_source)
    why = ""
    if base_arg is None:
        base_arg, why = default_base(head)
    base = load_spec(base_arg)
    return (
        base,
        head,
        Side(base_arg, version_of(base), why, _file(base_arg)),
        Side(head_arg or DEFAULT_HEAD, version_of(head), "", _file(head_source)),
    )


def _file(source: str) -> str:
    return source if Path(source).is_file() else ""
