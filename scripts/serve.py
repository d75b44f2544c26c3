"""Run the reference Calls API on 127.0.0.1: python -m scripts.serve (or nox -s serve --)."""

from __future__ import annotations

import argparse

from contract_tests.errors import CouldNotRun, ExitCode
from contract_tests.reference_server import (
    DEMO,
    FAULTS,
    FAULTS_BY_NAME,
    QUIRKS,
    QUIRKS_BY_NAME,
    UnknownNameError,
)
from contract_tests.reference_server.embedded import bind_loopback, make_server
from contract_tests.reference_server.ratelimit import parse_rate
from scripts.cli import OneLineParser, command, run


def catalogue_text() -> str:
    width = max(len(name) for name in (*FAULTS_BY_NAME, *QUIRKS_BY_NAME))
    lines = ["Faults (--fault NAME: breaks one clause; the suite check that must catch it):"]
    lines += [
        f"  {fault.name:<{width}}  {fault.description} [{fault.detected_by}]" for fault in FAULTS
    ]
    lines.append("Quirks (--quirk NAME, repeatable: allowed variations a correct suite accepts):")
    lines += [f"  {quirk.name:<{width}}  {quirk.description}" for quirk in QUIRKS]
    return "\n".join(lines)


def rate(text: str) -> int:
    try:
        return parse_rate(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def parser() -> argparse.ArgumentParser:
    command = OneLineParser(
        prog="nox -s serve --",
        description="Serve the reference Calls API (getCall, listCalls) on 127.0.0.1 with "
        "seeded demo data, optionally with named contract faults and allowed quirks. Prints "
        "the URL and the demo API keys; Ctrl-C stops it. Exit 2 on an unknown fault or quirk "
        "or a busy port.",
    )
    command.add_argument(
        "--port", type=int, default=0, help="port to listen on (default: a free one)"
    )
    command.add_argument(
        "--fault",
        metavar="NAME",
        action="append",
        default=[],
        help="break a contract clause; repeatable (see --list-faults)",
    )
    command.add_argument(
        "--quirk",
        metavar="NAME",
        action="append",
        default=[],
        help="turn on an allowed variation; repeatable (see --list-faults)",
    )
    command.add_argument(
        "--rate-limit", metavar="N/s", type=rate, help="allow N requests per second, then 429"
    )
    command.add_argument(
        "--list-faults", action="store_true", help="list the faults and quirks, then exit"
    )
    return command


@command("serve")
def main(argv: list[str] | None = None) -> ExitCode:
    args = parser().parse_args(argv)
    if args.list_faults:
        print(catalogue_text())
        return ExitCode.CONFORMS
    if not 0 <= args.port <= 65535:
        raise CouldNotRun(f"port {args.port} is not in 0..65535")
    try:
        server = make_server(args.quirk, args.rate_limit, access_log=True, faults=args.fault)
    except UnknownNameError as error:
        raise CouldNotRun(f"{error}; `nox -s serve -- --list-faults` lists them") from error
    try:
        sock = bind_loopback(args.port)
    except OSError as error:
        reason = error.strerror or error
        raise CouldNotRun(f"cannot listen on 127.0.0.1:{args.port}: {reason}") from error
    host, port = sock.getsockname()[:2]
    print(f"Reference Calls API on http://{host}:{port}", flush=True)
    for fault in args.fault:
        print(f"fault: {fault}")
    for quirk in args.quirk:
        print(f"quirk: {quirk}")
    print(f"primary account key:  {DEMO.api_key}")
    print(f"second account key:   {DEMO.other_api_key}")
    print(f"expired key:          {DEMO.expired_api_key}")
    print(f"try: curl -H 'Authorization: Bearer {DEMO.api_key}' http://{host}:{port}/v2/calls/77")
    print("Ctrl-C stops it.", flush=True)
    try:
        server.run(sockets=[sock])  # uvicorn handles Ctrl-C: a graceful stop
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    return ExitCode.CONFORMS


if __name__ == "__main__":
    run(main)
