"""Re-send one failing request from a run's evidence.har and judge the answer again, so a
developer can check a fix without rerunning the whole suite.

The HAR entry is rebuilt as a Schemathesis case of the spec's operation (path parameters,
query, headers; the Authorization header as the kind of credential it held: the key from
THINNESTAI_API_KEY, another credential, or none), sent through the run's transport (key
redaction, 429 waits, no redirects) and judged by the same checks as a run: ours and the
enabled built-ins. Exit 0: every check passes now; 1: a check still fails; 2: the replay
could not be made (bad file or entry, missing key, unreachable server, or the failed check
cannot judge a replayed request), with one line saying what to do.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from contract_tests.errors import ExitCode
from contract_tests.run.settings import (
    DEFAULT_TIMEOUT,
    ENV_API_KEY,
    ENV_BASE_URL,
    ENV_FOREIGN_CALL_IDS,
    ConfigError,
    check_base_url,
    parse_ids,
)
from contract_tests.spec import load_spec, match_path

# Headers the transport sets itself for every request; a replay must not send stale copies.
SET_BY_TRANSPORT = {
    "host",
    "content-length",
    "connection",
    "accept-encoding",
    "user-agent",
    "x-schemathesis-testcaseid",
    "authorization",
}
# Anything else the kit's HAR says of a credential: a made-up one, replayed as made-up.
CREDENTIAL_COMMENTS = {"the run's API key": "key"}
FAILED_CHECK = re.compile(r"^failure \d+: (\S+) ")


@dataclass(frozen=True)
class Recorded:
    """One HAR entry's request, as the replay needs it."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    credential: str  # "key", "other" or "" (no Authorization header)
    check: str  # the check that failed in the run ("" when the entry does not say)


def _entry(har: Path, number: int) -> dict[str, Any]:
    try:
        document = json.loads(har.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"cannot read {har}: {error.strerror or error}") from None
    except ValueError:
        raise ConfigError(
            f"{har} is not JSON: give the evidence.har a contract run wrote"
        ) from None
    entries = document.get("log", {}).get("entries") if isinstance(document, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{har} holds no HAR entries: give the evidence.har of a failing run")
    if not 1 <= number <= len(entries):
        raise ConfigError(
            f"--entry {number}: {har} has entries 1 to {len(entries)} (summary.md names each)"
        )
    entry = entries[number - 1]
    if not isinstance(entry, dict) or not isinstance(entry.get("request"), dict):
        raise ConfigError(f"entry {number} of {har} has no request")
    return entry


def read_entry(har: Path, number: int) -> Recorded:
    """Entry `number` (1 for the first) of `har`; ConfigError when it cannot be replayed."""
    entry = _entry(har, number)
    request = entry["request"]
    try:
        url = urlsplit(str(request["url"]))
        headers = {str(h["name"]): str(h["value"]) for h in request.get("headers", [])}
        auth = [h for h in request.get("headers", []) if str(h["name"]).lower() == "authorization"]
        query = [(str(q["name"]), str(q["value"])) for q in request.get("queryString", [])]
    except (KeyError, TypeError):
        raise ConfigError(f"entry {number} of {har} is not a HAR 1.2 request") from None
    credential = ""
    if auth:
        credential = CREDENTIAL_COMMENTS.get(str(auth[0].get("comment", "")), "other")
    failed = FAILED_CHECK.match(str(entry.get("comment", "")))
    return Recorded(
        method=str(request.get("method", "GET")).upper(),
        path=url.path,
        query=query or parse_qsl(url.query, keep_blank_values=True),
        headers={k: v for k, v in headers.items() if k.lower() not in SET_BY_TRANSPORT},
        credential=credential,
        check=failed.group(1) if failed else "",
    )


def operation_of(method: str, path: str) -> tuple[str, dict[str, str]]:
    """The spec path whose template ends `path` (a base URL may add a prefix) and its path
    parameters, decoded; ConfigError when the spec has no such operation."""
    matched = match_path(path)
    if matched is None or method.lower() not in load_spec()["paths"][matched[0]]:
        raise ConfigError(f"{method} {path} is no operation of the spec: is this a contract HAR?")
    return matched


@dataclass(frozen=True)
class ReplayTarget:
    base_url: str
    api_key: str
    foreign_call_ids: tuple[int, ...]
    description: str


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
    yield ReplayTarget(base_url, key, foreign, "remote server")


def build_parser() -> argparse.ArgumentParser:
    from contract_tests.run.settings import _OneLineParser

    parser = _OneLineParser(
        prog="nox -s replay --",
        description="Re-send one request of a contract run's evidence.har and judge the answer "
        "again with the suite's checks. Exit 0 passes now, 1 still fails, 2 could not replay.",
    )
    parser.add_argument("har", type=Path, help="the run's evidence.har (in --report-dir)")
    parser.add_argument(
        "--entry",
        type=int,
        default=1,
        help="which entry, 1 for the first (summary.md names each failure's entry); default 1",
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
class Verdict:
    exit_code: ExitCode
    lines: list[str]


def judge(recorded: Recorded, target: ReplayTarget, timeout: float) -> Verdict:
    """Send `recorded` to `target` as a case of its operation and run every check on it,
    in this process: a suite run of one request, its key and ids in its context."""
    import requests

    from contract_tests.checks.exchange import Request
    from contract_tests.run.plan import RunPlan
    from contract_tests.suite import hooks
    from contract_tests.suite.redaction import FILTERED, scrub
    from contract_tests.suite.session import SuiteRun

    template, params = operation_of(recorded.method, recorded.path)
    plan = RunPlan(
        base_url=target.base_url,
        call_ids=(),
        foreign_call_ids=target.foreign_call_ids,
        max_examples=1,
        seed=0,
        rate_limit=None,
        timeout=timeout,
        parts_dir="",
    )
    run = SuiteRun.start(plan, target.api_key)
    hooks.install(run)
    headers = list(recorded.headers.items())
    if recorded.credential:
        key = f"Bearer {target.api_key}"
        headers.append(("Authorization", key if recorded.credential == "key" else FILTERED))
    request = Request(
        f"{recorded.method} {template}", params, tuple(recorded.query), tuple(headers)
    )
    try:
        run.judge(run.send(request))
    except requests.RequestException as error:
        raise ConfigError(
            f"cannot reach {target.base_url}: {type(error).__name__}. Is the server up?"
        ) from None
    results = run.results
    sent = results.total_requests
    lines = [
        f"replay: {recorded.method} {recorded.path} sent to {target.base_url} "
        f"({target.description}); {sent} request(s), the checks' own probes included"
    ]
    failures = list(results.examples.values())
    if failures:
        lines.append(f"FAIL: {len(failures)} check failure(s) on the answer")
        for number, record in enumerate(failures, 1):
            message = scrub(record.message, target.api_key).splitlines() or [record.title]
            lines.append(f"  {number}. {record.check} ({record.clause or 'see the spec'})")
            lines += [f"     {line}" for line in message[:6] if line.strip()]
        return Verdict(ExitCode.VIOLATES, lines)
    check = recorded.check
    if check and not (results.passes[check] or results.failures[check]):
        lines.append(
            f"cannot re-judge: {check} did not judge the replayed request (it judges only "
            "cases the suite generated, or, for invariant 11, needs --foreign-call-ids); "
            "give those, or rerun the suite with the seed in summary.md"
        )
        return Verdict(ExitCode.COULD_NOT_RUN, lines)
    judged = f" ({check} included)" if check else ""
    lines.append(f"PASS: every check passes on the answer now{judged}")
    return Verdict(ExitCode.CONFORMS, lines)


def replay(argv: list[str]) -> Verdict:
    """Parse `argv`, replay the entry and judge it; ConfigError when it cannot be made."""
    args = build_parser().parse_args(argv)
    base_url = args.base_url or os.environ.get(ENV_BASE_URL) or None
    if base_url is not None:
        base_url = check_base_url(base_url)
    foreign_text = args.foreign_call_ids or os.environ.get(ENV_FOREIGN_CALL_IDS, "")
    foreign = parse_ids(foreign_text, "--foreign-call-ids")
    recorded = read_entry(args.har, args.entry)
    operation_of(recorded.method, recorded.path)  # a bad entry fails before a server starts
    with open_replay_target(base_url, foreign, args.timeout) as target:
        return judge(recorded, target, args.timeout)
