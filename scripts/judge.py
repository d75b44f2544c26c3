"""Judge recorded traffic of the Calls API with every check of the kit: python -m scripts.judge
(or nox -s judge -- FILE... [options]). Exit 0 conforms, 1 violates, 2 could not judge,
3 a warning --fail-on-warning names (or coverage --require-coverage asks for) and no
violation, 130/143 stopped (partial reports written). The verdict options, the team config
file and the baseline are the contract run's (run/settings.py)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from contract_tests.errors import ExitCode
from contract_tests.run.settings import (
    ENV_API_KEY,
    ENV_FOREIGN_CALL_IDS,
    ConfigError,
    Settings,
    add_config_options,
    add_verdict_options,
    baseline_of,
    parse_ids,
    parse_with_team_config,
)
from contract_tests.run.warnings import WARNINGS
from scripts.cli import OneLineParser, command, run

DEFAULT_REPORT_DIR = Path("reports/judge")
# A pool of worker processes takes ~1 s to start (each imports Schemathesis and the checks):
# what one process judges of ~15 MB. Smaller recordings are judged in this process.
POOL_FROM_MB = 50
# What the judge takes of a team config file: the rest is about sending requests.
CONFIG_KEYS = ("foreign-call-ids", "require-coverage", "fail-on-warning", "baseline")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="nox -s judge --",
        description="Judge recorded exchanges of the Calls API (HAR 1.2 or NDJSON, one exchange "
        "a line: README, 'Judging recorded traffic') with the contract suite's checks: schema, "
        "status, headers, the record and listing invariants, tenancy, credential near-misses, "
        "the client round trip. Reports as a contract run does (screen, summary.md, "
        "summary.html, junit.xml, evidence.har) plus the drift the traffic shows. The file is "
        "read as a stream, in bounded memory. Exit 0 conforms, 1 violates, 2 could not judge, "
        "3 no violation but a warning --fail-on-warning names (or less coverage than "
        "--require-coverage asks), 130/143 stopped.",
        epilog=f"warnings (as a contract run's, judged on the traffic: README, 'Judging real "
        f"traffic'): {', '.join(WARNINGS)}. From a team config file (--config, --profile) the "
        f"judge takes {', '.join(CONFIG_KEYS)}; its other settings are about sending requests.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="HAR or NDJSON")
    parser.add_argument(
        "--report-dir", type=Path, default=DEFAULT_REPORT_DIR, help=f"default {DEFAULT_REPORT_DIR}"
    )
    parser.add_argument(
        "--foreign-call-ids",
        help="another account's call ids, which the recording's key must get 403 on and never "
        f"see listed (default: ${ENV_FOREIGN_CALL_IDS}). Give the key in ${ENV_API_KEY} when the "
        "recording holds several keys, so they are the other account's for that key",
    )
    parser.add_argument(
        "--workers",
        type=int,
        help="processes judging exchanges alone (the map step); 1: all in this process "
        f"(default: 1 for recordings under {POOL_FROM_MB} MB in all, whose judgement takes less "
        "than a pool takes to start, else 2 on two cores or more)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress line")
    add_verdict_options(parser)
    add_config_options(parser)
    return parser


def default_workers(files: list[Path]) -> int:
    megabytes = sum(path.stat().st_size for path in files) / 1_000_000
    return 1 if megabytes < POOL_FROM_MB else min(2, os.cpu_count() or 1)


def rerun_command(argv: list[str]) -> str:
    import shlex

    return "nox -s judge -- " + " ".join(shlex.quote(arg) for arg in argv)


@command("judge")
def main(argv: list[str] | None = None) -> ExitCode:
    arguments = sys.argv[1:] if argv is None else argv
    api_key = os.environ.get(ENV_API_KEY) or None
    given, args, team = parse_with_team_config(build_parser, arguments, api_key, CONFIG_KEYS)
    for path in args.files:
        if not path.is_file():
            raise ConfigError(f"{path} is not a file: give a HAR or NDJSON recording")
    if args.workers is not None and args.workers < 1:
        raise ConfigError("--workers must be 1 or more")
    workers = args.workers or default_workers(args.files)
    foreign_text = args.foreign_call_ids or os.environ.get(ENV_FOREIGN_CALL_IDS, "")
    foreign = frozenset(parse_ids(foreign_text, "--foreign-call-ids"))
    settings = Settings(
        base_url=None,
        foreign_call_ids=tuple(sorted(foreign)),
        require_coverage=args.require_coverage,
        fail_on_warning=args.fail_on_warning or frozenset(),
        baseline=baseline_of(given, args, team),
        write_baseline=args.write_baseline,
        report_dir=args.report_dir,
        config_source=team.source if team is not None else "",
    )

    from contract_tests.reports.screen import render_text
    from contract_tests.traffic.stream import judge_files
    from scripts.contract import write_baseline_of, write_reports

    started = time.perf_counter()
    outcome = judge_files(
        args.files,
        api_key=api_key,
        foreign_ids=foreign,
        settings=settings,
        workers=workers,
        progress=not args.quiet,
        rerun=rerun_command(arguments),
    )
    seconds = time.perf_counter() - started
    args.report_dir.mkdir(parents=True, exist_ok=True)
    written = write_reports(outcome, args.report_dir)
    print(render_text(outcome, args.report_dir))
    total = outcome.results.total_requests
    rate = total / max(outcome.seconds, 1e-9)
    took = f"{outcome.seconds:.2f} s ({rate:.0f}/s); {seconds:.2f} s in all"
    print(f"judged {total} exchanges in {took}")
    print(f"reports: {', '.join(str(path) for path in written)}")
    if settings.write_baseline is not None:
        names = ", ".join(str(path) for path in args.files)
        write_baseline_of(outcome, settings.write_baseline, f"the judgement of {names}")
    return outcome.exit_code


if __name__ == "__main__":
    run(main)
