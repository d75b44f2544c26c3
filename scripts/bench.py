"""Speed and detection power of the contract suite beside the Schemathesis CLI, in one run.

python -m scripts.bench [--quick] [--out reports/bench.md] (or nox -s bench -- ...)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from contract_tests.errors import ExitCode
from contract_tests.reference_server import FAULTS_BY_NAME
from contract_tests.run.settings import DEFAULT_MAX_EXAMPLES
from scripts.benchmarks.render import render
from scripts.benchmarks.run import (
    SECTIONS,
    BenchOptions,
    detection_seeds,
    parse_sections,
    run_bench,
)
from scripts.cli import OneLineParser, command, run

DEFAULT_OUT = Path("reports/bench.md")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="python -m scripts.bench",
        description="Benchmark the contract suite and the Schemathesis CLI on one counting "
        "reference server: throughput, scale-out, start-up, client parsing, and detection of "
        "every catalogue fault. Prints the report and writes it as Markdown.",
    )
    parser.add_argument("--quick", action="store_true", help="1 detection seed, 1 repeat")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"default {DEFAULT_OUT}")
    parser.add_argument(
        "--max-examples",
        type=int,
        default=DEFAULT_MAX_EXAMPLES,
        help=f"the default budget (default {DEFAULT_MAX_EXAMPLES})",
    )
    parser.add_argument(
        "--scale", type=int, default=10, help="also measure at N x the budget (1: skip; default 10)"
    )
    parser.add_argument("--seeds", type=int, help="detection seeds 1..N (default 5)")
    parser.add_argument("--repeats", type=int, help="timed runs per figure (default 3)")
    parser.add_argument("--faults", default="", help="comma-separated fault names (default all)")
    parser.add_argument(
        "--sections",
        default=",".join(SECTIONS),
        help=f"comma-separated subset of {', '.join(SECTIONS)} (default all)",
    )
    parser.add_argument(
        "--cold-start",
        action="store_true",
        help="also time `nox -s contract` in fresh clones (uv and venv backends): slow",
    )
    return parser


def options_from(argv: list[str]) -> tuple[BenchOptions, Path]:
    """The bench options and the Markdown file to write; raises UsageError on a bad option."""
    parser = build_parser()
    args = parser.parse_args(argv)
    faults = tuple(name for name in args.faults.split(",") if name)
    unknown = [name for name in faults if name not in FAULTS_BY_NAME]
    if unknown:
        parser.error(f"unknown fault(s): {', '.join(unknown)}")
    if args.max_examples < 1 or args.scale < 1:
        parser.error("--max-examples and --scale must be 1 or more")
    try:
        sections = parse_sections(args.sections)
    except ValueError as error:
        parser.error(str(error))
    options = BenchOptions(
        max_examples=args.max_examples,
        scale=args.scale,
        seeds=detection_seeds(args.quick, args.seeds),
        repeats=1 if args.quick else max(1, args.repeats or 3),
        faults=faults,
        sections=sections,
        cold_start=args.cold_start,
        quick=args.quick,
    )
    return options, args.out


@command("bench")
def main(argv: list[str] | None = None) -> ExitCode:
    options, target = options_from(sys.argv[1:] if argv is None else argv)
    report = run_bench(options)
    text = render(report)
    print(text)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"written to {target} ({report.seconds:.0f} s)")
    return ExitCode.CONFORMS


if __name__ == "__main__":
    run(main)
