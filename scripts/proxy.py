"""A validating reverse proxy in front of a Calls API server: python -m scripts.proxy (or
nox -s proxy -- --upstream URL [--port N] [--report-dir DIR]). Every exchange that passes is
judged by the kit's checks; Ctrl-C or SIGTERM stops it and writes the reports. Exit 0: every
exchange conformed, 1: a violation passed through, 2: it could not start."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
from pathlib import Path

from contract_tests.errors import ExitCode
from contract_tests.run.settings import (
    DEFAULT_TIMEOUT,
    ENV_API_KEY,
    ENV_FOREIGN_CALL_IDS,
    ConfigError,
    check_base_url,
    parse_ids,
)
from scripts.cli import OneLineParser, command, run

DEFAULT_PORT = 8181
DEFAULT_REPORT_DIR = Path("reports/proxy")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="nox -s proxy --",
        description="A reverse proxy on 127.0.0.1 that forwards every request to --upstream "
        "unchanged (any method, streamed, the Authorization header passed through and never "
        "logged) and judges each exchange with the contract suite's checks, keeping the "
        "listing and tenancy state across requests. Point a client (or its tests) at it. "
        "Ctrl-C or SIGTERM stops it and writes the reports a contract run writes. Exit 0 "
        "conforms, 1 a violation passed through, 2 could not start.",
    )
    parser.add_argument(
        "--upstream",
        required=True,
        help="the server to forward to, e.g. https://staging.example.com",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port on 127.0.0.1 (default {DEFAULT_PORT}; 0: any free)",
    )
    parser.add_argument(
        "--report-dir", type=Path, default=DEFAULT_REPORT_DIR, help=f"default {DEFAULT_REPORT_DIR}"
    )
    parser.add_argument(
        "--foreign-call-ids",
        help=f"another account's call ids (default: ${ENV_FOREIGN_CALL_IDS}); with several keys "
        f"passing, give the key they are foreign to in ${ENV_API_KEY}",
    )
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per upstream request"
    )
    return parser


def preflight(upstream: str, timeout: float) -> None:
    """The upstream answers at all (any status): else one line and exit 2."""
    import httpx

    try:
        httpx.get(upstream, timeout=timeout, follow_redirects=False)
    except httpx.HTTPError as error:
        raise ConfigError(
            f"cannot reach --upstream {upstream}: {type(error).__name__}. "
            "Is it up and the URL right?"
        ) from None


@command("proxy")
def main(argv: list[str] | None = None) -> ExitCode:
    arguments = sys.argv[1:] if argv is None else argv
    args = build_parser().parse_args(arguments)
    upstream = check_base_url(args.upstream)
    if not 0 <= args.port <= 65535:
        raise ConfigError(f"--port {args.port}: give 0 to 65535")
    foreign_text = args.foreign_call_ids or os.environ.get(ENV_FOREIGN_CALL_IDS, "")
    foreign = frozenset(parse_ids(foreign_text, "--foreign-call-ids"))
    preflight(upstream, args.timeout)

    from contract_tests.reference_server.embedded import LoopbackServer
    from contract_tests.reports.screen import render_text
    from contract_tests.run.stop import StopSignals
    from contract_tests.traffic.judge import TrafficJudge
    from contract_tests.traffic.proxy import JudgeThread, JudgingProxy
    from scripts.contract import write_reports

    judge = TrafficJudge(
        api_key=os.environ.get(ENV_API_KEY) or None, foreign_ids=foreign, phase="proxied"
    )
    judged = JudgeThread(judge)
    started = time.perf_counter()
    try:
        server = LoopbackServer(
            JudgingProxy(upstream, judged, args.timeout), port=args.port, name="judging proxy"
        )
        with StopSignals() as stop, server:
            print(
                f"proxy: {server.base_url} -> {upstream}; Ctrl-C to stop and write the reports",
                flush=True,
            )
            while stop.received is None:
                time.sleep(0.2)
    except OSError as error:
        raise ConfigError(
            f"cannot listen on 127.0.0.1:{args.port}: {error.strerror or error}"
        ) from None
    judged.close()
    rerun = "nox -s proxy -- " + " ".join(shlex.quote(argument) for argument in arguments)
    outcome = judge.outcome(f"proxy to {upstream}", rerun, time.perf_counter() - started)
    args.report_dir.mkdir(parents=True, exist_ok=True)
    written = write_reports(outcome, args.report_dir)
    print(render_text(outcome, args.report_dir))
    if judged.unjudged:
        print(f"proxy: {judged.unjudged} exchanges passed unjudged (the judge fell behind)")
    print(f"reports: {', '.join(str(path) for path in written)}")
    return outcome.exit_code


if __name__ == "__main__":
    run(main)
