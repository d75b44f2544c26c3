"""Replay the failures of a HAR: every entry (or `--entry N`) sent again `--times` times
(default 3) and judged by the check that failed, each classified in one table:

    FIXED           passed every time
    STILL FAILING   failed every time
    FLAKY           passed and failed
    NOT COMPARABLE  could not be judged as recorded (the line says why): never a pass

Exit 0 only when every failure is FIXED; 1 when one is STILL FAILING or FLAKY; 2 when one is
NOT COMPARABLE, or the replay could not be made (bad file or entry, missing key, unreachable
server), with one line saying what to do.

Which failure an entry holds: the kit's evidence.har names it in the entry's comment; for a
HAR another tool wrote (a browser's, a proxy's), the recorded answer is judged again by the
checks (run/rejudge.py) and each failure found is replayed. The request goes out with the
credential its form shows (run/credential_forms.py), the key read from THINNESTAI_API_KEY.

Design: every request goes through one in-process suite run (suite/session.py), so that
Schemathesis' built-in checks (status codes, media types, headers, schemas) judge the replay
as they judged the run; our checks judge the same exchanges through the same adapter.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from contract_tests.errors import ExitCode
from contract_tests.run.recorded import Recorded, read_entries
from contract_tests.run.settings import (
    DEFAULT_REMOTE_RATE_LIMIT,
    DEFAULT_TIMEOUT,
    ENV_API_KEY,
    ENV_BASE_URL,
    ENV_FOREIGN_CALL_IDS,
    ConfigError,
    _OneLineParser,
    check_base_url,
    parse_ids,
)
from contract_tests.spec import load_spec, match_path

DEFAULT_TIMES = 3
FIXED, STILL_FAILING, FLAKY, NOT_COMPARABLE = "FIXED", "STILL FAILING", "FLAKY", "NOT COMPARABLE"


def is_operation(method: str, path: str) -> bool:
    """Whether `method path` is an operation of the spec (a base URL may add a prefix)."""
    matched = match_path(path)
    return matched is not None and method.lower() in load_spec()["paths"][matched[0]]


@dataclass(frozen=True)
class ReplayTarget:
    base_url: str
    api_key: str
    foreign_call_ids: tuple[int, ...]
    description: str
    rate_limit: str | None


@contextmanager
def open_replay_target(
    base_url: str | None, foreign: tuple[int, ...], timeout: float
) -> Iterator[ReplayTarget]:
    """The server to replay against: `base_url` with the key from the environment (checked
    with one listCalls first), or a fresh embedded reference server and its demo key."""
    if base_url is None:
        from contract_tests.reference_server import DEMO, EmbeddedServer

        with EmbeddedServer() as server:
            yield ReplayTarget(
                server.base_url,
                DEMO.api_key,
                foreign or DEMO.foreign_call_ids,
                "embedded reference server",
                None,
            )
        return
    from contract_tests.run.target import preflight

    key = os.environ.get(ENV_API_KEY)
    if not key:
        raise ConfigError(
            f"{ENV_API_KEY} is not set: export the API key for {base_url} "
            "(it is read from the environment only)"
        )
    preflight(base_url, key, timeout)  # unreachable host or rejected key: one line, exit 2
    yield ReplayTarget(base_url, key, foreign, "remote server", DEFAULT_REMOTE_RATE_LIMIT)


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog="nox -s replay --",
        description="Re-send the failing requests of a HAR (a contract run's evidence.har, or "
        "a browser's or proxy's export) and judge each answer again with the check that "
        "failed. Each failure is FIXED (passed every time), STILL FAILING (failed every "
        "time), FLAKY (both) or NOT COMPARABLE (e.g. recorded 200, now 401 because the key "
        "is another account's: never a pass). Exit 0 when every one is FIXED, 1 when one "
        "still fails or is flaky, 2 when one is not comparable or the replay could not be "
        f"made. A request that carried `Authorization: Bearer <token>` is sent with the key "
        f"from ${ENV_API_KEY} (the embedded server's own without --base-url); the kit's "
        "near-miss keys are rebuilt from it by their form.",
    )
    parser.add_argument(
        "har", type=Path, help="the HAR file (a run's evidence.har is in --report-dir)"
    )
    parser.add_argument(
        "--entry",
        type=int,
        help="replay only this entry, 1 for the first (summary.md names each failure's "
        "entry); default: every entry",
    )
    parser.add_argument(
        "--times",
        type=int,
        default=DEFAULT_TIMES,
        help=f"how often each failure is replayed (default {DEFAULT_TIMES}); once cannot tell "
        "a fix from a flaky failure",
    )
    parser.add_argument(
        "--base-url",
        help=f"server to send it to (default: ${ENV_BASE_URL}, else a fresh embedded reference "
        f"server); the key is read from ${ENV_API_KEY}",
    )
    parser.add_argument(
        "--foreign-call-ids",
        help="another account's call ids, for invariant 11 (default: "
        f"${ENV_FOREIGN_CALL_IDS}; the embedded server's own)",
    )
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds")
    return parser


@dataclass(frozen=True)
class Row:
    """One recorded failure and what its replays said."""

    entry: int
    operation: str
    failure: str  # its identity (the kit's distinct-failure key), or the check
    verdict: str
    line: str  # how the replays went, and the first failure or why not comparable


@dataclass(frozen=True)
class Verdict:
    exit_code: ExitCode
    lines: list[str]


def classify(results: list[str]) -> str:
    """FIXED, STILL FAILING, FLAKY or NOT COMPARABLE, from each replay's result."""
    from contract_tests.run.rejudge import FAIL, PASS

    if not results or any(result not in (PASS, FAIL) for result in results):
        return NOT_COMPARABLE
    if all(result == PASS for result in results):
        return FIXED
    return STILL_FAILING if all(result == FAIL for result in results) else FLAKY


def replay_entries(
    entries: list[Recorded], target: ReplayTarget, times: int, timeout: float
) -> tuple[list[Row], list[str]]:
    """Each recorded failure replayed `times` times (stopping at a not comparable one):
    its row, and notes on the entries that held none."""
    import requests

    from contract_tests.run.credential_forms import restore
    from contract_tests.run.plan import RunPlan
    from contract_tests.run.rejudge import FAIL, Replayer
    from contract_tests.run.rejudge import NOT_COMPARABLE as UNCOMPARED
    from contract_tests.suite import hooks, probes
    from contract_tests.suite.session import SuiteRun

    plan = RunPlan(
        base_url=target.base_url,
        call_ids=(),
        foreign_call_ids=target.foreign_call_ids,
        max_examples=1,
        seed=0,
        rate_limit=target.rate_limit,
        timeout=timeout,
        parts_dir="",
    )
    run = SuiteRun.start(plan, target.api_key)
    hooks.install(run)
    replayer = Replayer(run)
    rows: list[Row] = []
    not_operations = no_failure = 0
    try:
        for entry in entries:
            if not is_operation(entry.method, entry.path):
                not_operations += 1
                continue
            credential = restore(entry, target.api_key)
            operation = f"{entry.method} {(match_path(entry.path) or (entry.path,))[0]}"
            if entry.check:
                failures = [(entry.check, entry.key or entry.check)]
            else:
                miss = credential.near_miss
                extra = (probes.near_miss_probe_check(miss),) if miss is not None else ()
                judged = replayer.judge_recorded(entry, credential, extra)
                failures = [(check, found[0]) for check, found in judged.failed.items()]
            if not failures:
                no_failure += 1
            for check, identity in failures:
                outcomes = []
                for _ in range(times):
                    outcomes.append(replayer.attempt(entry, credential, check))
                    if outcomes[-1].result == UNCOMPARED:
                        break
                verdict = classify([outcome.result for outcome in outcomes])
                failed = [outcome for outcome in outcomes if outcome.result == FAIL]
                if verdict == NOT_COMPARABLE:
                    line = f"not comparable: {outcomes[-1].detail}"
                elif failed:
                    line = f"{len(failed)} of {len(outcomes)} failed: {failed[0].detail}"
                else:
                    line = f"passed {len(outcomes)} of {len(outcomes)}"
                rows.append(Row(entry.number, operation, identity, verdict, line))
    except requests.RequestException as error:
        raise ConfigError(
            f"cannot reach {target.base_url}: {type(error).__name__}. Is the server up?"
        ) from None
    notes = []
    if no_failure:
        notes.append(f"{_entries(no_failure)} recorded no failure the checks find: not replayed")
    if not_operations:
        notes.append(f"{_entries(not_operations)} named no operation of the spec: not replayed")
    return rows, notes


def _entries(count: int) -> str:
    return "1 entry" if count == 1 else f"{count} entries"


def table(rows: list[Row]) -> list[str]:
    """The rows as an aligned text table, each followed by its line."""
    operation_width = max(len("operation"), *(len(row.operation) for row in rows))
    verdict_width = len(NOT_COMPARABLE)
    lines = [
        f"{'entry':>5}  {'operation':<{operation_width}}  {'verdict':<{verdict_width}}  failure"
    ]
    for row in rows:
        lines.append(
            f"{row.entry:>5}  {row.operation:<{operation_width}}  "
            f"{row.verdict:<{verdict_width}}  {row.failure}"
        )
        lines.append(f"{'':>5}  {row.line}")
    return lines


def verdict_of(rows: list[Row]) -> tuple[ExitCode, str]:
    """The exit code and the last line."""
    counts = {
        name: sum(row.verdict == name for row in rows)
        for name in (FIXED, STILL_FAILING, FLAKY, NOT_COMPARABLE)
    }
    tally = ", ".join(f"{count} {name}" for name, count in counts.items() if count)
    uncompared = [row for row in rows if row.verdict == NOT_COMPARABLE]
    if uncompared:
        first = uncompared[0]
        why = first.line.removeprefix("not comparable: ")
        return ExitCode.COULD_NOT_RUN, f"NOT COMPARABLE: entry {first.entry}: {why} ({tally})"
    if counts[FIXED] == len(rows):
        return ExitCode.CONFORMS, f"FIXED: every failure passes now ({tally})"
    return ExitCode.VIOLATES, f"FAIL: not every failure is fixed ({tally})"


def replay(argv: list[str]) -> Verdict:
    """Parse `argv`, replay the HAR's failures and judge them; ConfigError when it cannot
    be made."""
    args = build_parser().parse_args(argv)
    if args.times < 1:
        raise ConfigError(f"--times {args.times}: give 1 or more (3 tells fixed from flaky)")
    base_url = args.base_url or os.environ.get(ENV_BASE_URL) or None
    if base_url is not None:
        base_url = check_base_url(base_url)
    foreign_text = args.foreign_call_ids or os.environ.get(ENV_FOREIGN_CALL_IDS, "")
    foreign = parse_ids(foreign_text, "--foreign-call-ids")
    entries = read_entries(args.har, args.entry)
    if args.entry is not None and not is_operation(entries[0].method, entries[0].path):
        raise ConfigError(
            f"{entries[0].method} {entries[0].path} is no operation of the spec: "
            "is this a contract HAR?"
        )
    with open_replay_target(base_url, foreign, args.timeout) as target:
        rows, notes = replay_entries(entries, target, args.times, args.timeout)
        if not rows:
            raise ConfigError(
                f"no entry of {args.har} records a failure the checks find: nothing to replay"
            )
        exit_code, last = verdict_of(rows)
        sent = "once" if args.times == 1 else f"{args.times} times"
        lines = [
            f"replay: {len(rows)} failure(s) of {args.har.name}, each sent {sent} to "
            f"{target.base_url} ({target.description})",
            *table(rows),
            *notes,
            last,
        ]
    return Verdict(exit_code, lines)
