"""What a contract run is pointed at and how hard it may push: options, environment, defaults.

The API key is read from the environment only, so it never lands in shell history or CI logs,
and it is never part of `repr()` or anything written to disk.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from contract_tests.errors import CouldNotRun
from contract_tests.run.baseline import Baseline, load_baseline
from contract_tests.run.plan import ENV_API_KEY as ENV_API_KEY  # re-exported: the settings name it
from contract_tests.run.team_config import DEFAULT_CONFIG, TeamConfig, read_team_config
from contract_tests.run.warnings import WARNINGS, parse_warning_names

if TYPE_CHECKING:  # the coverage model reads the spec: not loaded before a run starts
    from contract_tests.run.coverage import Requirement

ENV_BASE_URL = "THINNESTAI_BASE_URL"
ENV_CALL_IDS = "THINNESTAI_CALL_IDS"
ENV_FOREIGN_CALL_IDS = "THINNESTAI_FOREIGN_CALL_IDS"

DEFAULT_MAX_EXAMPLES = 25
DEFAULT_REMOTE_RATE_LIMIT = "10/s"  # gentle on a shared staging server
DEFAULT_TIMEOUT = 10.0
DEFAULT_REPORT_DIR = Path("reports/contract")
RATE_LIMIT_FORMAT = re.compile(r"^[1-9][0-9]*/[smh]$")
# Shorter texts are not filtered out of responses (a one-letter "key" would be replaced in
# every word the checks read), so a shorter key is refused before anything is sent.
MIN_KEY_LENGTH = 12


CONFIG_HELP = f"""\
config file: {DEFAULT_CONFIG} (or --config PATH), checked into the repository that runs
  the kit. Keys are the long options' names; [profiles.NAME] (--profile NAME) overrides the
  top level, options on the command line override both, and both override the environment.
  Paths are relative to the file. The API key is never read from it. A complete example:

    rate-limit = "5/s"
    max-examples = 50
    report-dir = "reports/contract"

    [profiles.staging]
    base-url = "https://staging.api.thinnest.ai"
    call-ids = [101, 102, 103]
    foreign-call-ids = [9001, 9002]
    require-coverage = "all,-429"
    fail-on-warning = ["no-records", "no-foreign-ids"]
    baseline = "contract-baseline.yaml"

    [profiles.replica]
    base-url = "https://replica.api.thinnest.ai"
    rate-limit = "2/s"
    timeout = 20
    max-failures = 10
    fail-on-warning = "all"

  then: THINNESTAI_API_KEY=... nox -s contract -- --profile staging
"""


class ConfigError(CouldNotRun):
    """The run cannot be made as configured; the message says what to do."""


@dataclass(frozen=True)
class Settings:
    base_url: str | None
    api_key: str | None = field(default=None, repr=False)
    call_ids: tuple[int, ...] = ()
    foreign_call_ids: tuple[int, ...] = ()
    max_examples: int = DEFAULT_MAX_EXAMPLES
    seed: int | None = None
    rate_limit: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    report_dir: Path = DEFAULT_REPORT_DIR
    max_failures: int | None = None
    require_coverage: Requirement | None = None
    fail_on_warning: frozenset[str] = frozenset()  # warnings that make a pass exit 3
    baseline: Baseline | None = None  # known failures, read before the run
    write_baseline: Path | None = None  # where to write this run's failures as a baseline
    config_source: str = ""  # "thinnestai-contract.toml, profile staging" when one was read

    @property
    def embedded(self) -> bool:
        """No base URL: the run starts the embedded reference server and uses its demo keys."""
        return self.base_url is None


def parse_ids(text: str, source: str) -> tuple[int, ...]:
    """Comma-separated call ids, each within the spec's bounds of a call id."""
    from contract_tests.spec import id_bounds  # read the spec only when ids are given

    ids: list[int] = []
    for part in (piece.strip() for piece in text.split(",")):
        if not part:
            continue
        low, high = id_bounds()
        if not part.isdigit() or not low <= int(part) <= high:
            raise ConfigError(
                f"{source}: {part!r} is not a call id (an integer from {low} to {high})"
            )
        ids.append(int(part))
    return tuple(ids)


def check_base_url(url: str, source: str = f"--base-url / {ENV_BASE_URL}") -> str:
    """An http(s) URL with a host, without a trailing slash."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"{source}: {url!r} is not an http(s) URL with a host, "
            "e.g. https://staging.api.thinnest.ai"
        )
    if parts.query or parts.fragment:
        raise ConfigError(f"{source}: {url!r} must not carry a query or fragment")
    return url.rstrip("/")


def _number(text: str, kind: type[int] | type[float]) -> float:
    try:
        return kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a {'whole number' if kind is int else 'number'}"
        ) from None


def _positive_int(text: str) -> int:
    value = int(_number(text, int))
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _non_negative_int(text: str) -> int:
    value = int(_number(text, int))
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _positive_float(text: str) -> float:
    value = _number(text, float)
    if not value > 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def _requirement(text: str) -> Requirement:
    from contract_tests.run.coverage import Requirement

    try:
        return Requirement.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _warning_names(text: str) -> frozenset[str]:
    try:
        return parse_warning_names(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _rate(text: str) -> str:
    if not RATE_LIMIT_FORMAT.match(text):
        raise argparse.ArgumentTypeError("must look like 10/s, 300/m or 5000/h")
    return text


class _OneLineParser(argparse.ArgumentParser):
    """argparse, but a bad option is one line and exit 2 (argparse prints the usage too)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise ConfigError(f"{message} (see --help)")


def add_verdict_options(parser: argparse.ArgumentParser) -> None:
    """--require-coverage, --fail-on-warning, --baseline and --write-baseline: how results
    become a verdict (run/runner.py conclude), for a contract run and a judged recording alike."""
    parser.add_argument(
        "--require-coverage",
        type=_requirement,
        metavar="ITEMS",
        help="what the run must have verified, or it exits 3: all, or a comma list of "
        "responses (every documented operation x status), checks (every check judged a "
        "response), clauses (every record state an invariant speaks of); -X exempts X, "
        "e.g. all,-429 or responses,-getCall:403",
    )
    parser.add_argument(
        "--fail-on-warning",
        type=_warning_names,
        metavar="NAMES",
        help="exit 3 when any of these warnings is raised and nothing failed: all, or a comma "
        f"list of {', '.join(WARNINGS)}",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        metavar="PATH",
        help="YAML of known failures: each is reported as known and does not fail the run "
        "until its expiry date; entries no longer seen are reported as fixed",
    )
    parser.add_argument(
        "--write-baseline",
        type=Path,
        metavar="PATH",
        help="write this run's failures to PATH as baseline entries (reason, owner, ticket "
        "and expires left empty for a person to fill in)",
    )


def add_config_options(parser: argparse.ArgumentParser) -> None:
    """--config and --profile: the team config file (run/team_config.py)."""
    parser.add_argument(
        "--config",
        type=Path,
        metavar="PATH",
        help=f"team config file (TOML; default: {DEFAULT_CONFIG} in the working folder, when "
        "there is one); options given here override it",
    )
    parser.add_argument(
        "--profile",
        metavar="NAME",
        help="use [profiles.NAME] of the config file over its top-level settings",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog="nox -s contract --",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Check a thinnest.ai Calls API server against openapi/calls.yaml and the invariants "
            "of contract.md.\n\nWith no base URL, the embedded reference server is started on "
            "127.0.0.1 and checked with its demo keys. Only GET requests are sent."
        ),
        epilog=(
            "environment:\n"
            f"  {ENV_BASE_URL}          target base URL (same as --base-url)\n"
            f"  {ENV_API_KEY}           API key for a remote target (environment only, never an "
            "option)\n"
            f"  {ENV_CALL_IDS}          ids the key can read (same as --call-ids)\n"
            f"  {ENV_FOREIGN_CALL_IDS}  ids of another account's calls (same as "
            "--foreign-call-ids)\n\n"
            "exit codes: 0 the server conforms (known failures of --baseline aside), 1 it "
            "violates the contract, 2 the run could not be made, 3 no violation but less "
            "coverage than --require-coverage asks or a warning --fail-on-warning names, "
            "130/143 stopped by SIGINT/SIGTERM (partial reports written).\n"
            "progress: a live line on a terminal, a plain line every few seconds otherwise.\n"
            "reports: summary.md, summary.html, junit.xml and evidence.har (each failing\n"
            "  exchange, HAR 1.2) in --report-dir; nox -s replay re-sends one. The key is never\n"
            "  written.\n"
            "warnings: a pass that proved little says so, first in the summary and in the\n"
            "  verdict line, e.g. PASS with 1 warning (no-records); their names:\n"
            f"  {', '.join(WARNINGS)}.\n\n"
            f"{CONFIG_HELP}"
        ),
    )
    parser.add_argument(
        "--base-url",
        help=f"server to check, e.g. https://staging.api.thinnest.ai (default: ${ENV_BASE_URL}, "
        "else the embedded reference server)",
    )
    parser.add_argument(
        "--call-ids",
        help="comma-separated ids of calls the key can read (default: discovered with listCalls)",
    )
    parser.add_argument(
        "--foreign-call-ids",
        help="comma-separated ids of calls of another account; enables the cross-account check "
        "(invariant 11)",
    )
    parser.add_argument(
        "--max-examples",
        type=_positive_int,
        default=DEFAULT_MAX_EXAMPLES,
        help=f"generated examples per operation and phase (default {DEFAULT_MAX_EXAMPLES})",
    )
    parser.add_argument(
        "--seed", type=_non_negative_int, help="seed to replay a run (default: a new one, printed)"
    )
    parser.add_argument(
        "--rate-limit",
        type=_rate,
        help=f"request rate cap such as 10/s (default {DEFAULT_REMOTE_RATE_LIMIT} against a remote "
        "target, none against the embedded server)",
    )
    parser.add_argument(
        "--timeout",
        type=_positive_float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds before one request times out (default {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--max-failures",
        type=_positive_int,
        metavar="N",
        help="stop after N distinct failures (default: run the whole budget and report every "
        "distinct failure)",
    )
    add_verdict_options(parser)
    add_config_options(parser)
    parser.add_argument(
        "--report-dir",
        type=Path,
        default=DEFAULT_REPORT_DIR,
        help=f"folder for summary.md, summary.html, junit.xml and, when a check failed, "
        f"evidence.har (default {DEFAULT_REPORT_DIR})",
    )
    return parser


def _file_options(team: TeamConfig) -> list[str]:
    """The file's settings as options, each checked alone so that an error names its key."""
    tokens: list[str] = []
    for key, text in team.values.items():
        where = f"{team.source}: {key} = {text!r}"
        try:
            build_parser().parse_args([f"--{key}={text}"])
            if key == "base-url":
                check_base_url(text, where)
            elif key in ("call-ids", "foreign-call-ids"):
                parse_ids(text, where)
        except ConfigError as error:
            reason = str(error).removesuffix(" (see --help)")
            raise ConfigError(f"{where}: {reason.split(': ', 1)[-1]}") from None
        tokens.append(f"--{key}={text}")  # one token: a value may start with "-" (-429)
    return tokens


def parse_with_team_config(
    build: Callable[[], argparse.ArgumentParser],
    argv: list[str],
    api_key: str | None,
    keys: Collection[str] | None = None,
) -> tuple[argparse.Namespace, argparse.Namespace, TeamConfig | None]:
    """(the command line alone, with the config file's settings, the file): the file's
    settings (only `keys` of them, when given) as options placed before the command line's,
    which come later and win. `build` makes a parser with the options of add_config_options."""
    given = build().parse_args(argv)  # bad options raise ConfigError (a one-line parser)
    team = read_team_config(given.config, given.profile, api_key)
    if team is None:
        return given, given, None
    if keys is not None:
        team = replace(team, values={k: v for k, v in team.values.items() if k in keys})
    return given, build().parse_args([*_file_options(team), *argv]), team


def baseline_of(
    given: argparse.Namespace, args: argparse.Namespace, team: TeamConfig | None
) -> Baseline | None:
    """The baseline --baseline names (on the command line or in the file), read."""
    if args.baseline is None:
        return None
    try:
        return load_baseline(args.baseline)
    except CouldNotRun as error:
        if given.baseline is not None or team is None:
            raise
        raise ConfigError(f"{team.source}: baseline: {error}") from None


def load_settings(argv: list[str], environ: dict[str, str] | None = None) -> Settings:
    """Settings from options first, then the config file, then the environment; raises
    ConfigError (or another CouldNotRun) on bad input."""
    env = dict(os.environ) if environ is None else environ
    given, args, team = parse_with_team_config(build_parser, argv, env.get(ENV_API_KEY))
    baseline = baseline_of(given, args, team)
    base_url = args.base_url or env.get(ENV_BASE_URL) or None
    api_key = env.get(ENV_API_KEY) or None
    if base_url is not None:
        base_url = check_base_url(base_url)
        if api_key is None:
            raise ConfigError(
                f"{ENV_API_KEY} is not set: export the API key for {base_url} "
                "(it is read from the environment only)"
            )
        if len(api_key) < MIN_KEY_LENGTH:
            raise ConfigError(
                f"{ENV_API_KEY} has {len(api_key)} characters: a key this short cannot be "
                f"filtered from reports without mangling them; use a real key "
                f"({MIN_KEY_LENGTH} characters or more)"
            )
    call_ids_text = args.call_ids if args.call_ids is not None else env.get(ENV_CALL_IDS, "")
    foreign_text = (
        args.foreign_call_ids
        if args.foreign_call_ids is not None
        else env.get(ENV_FOREIGN_CALL_IDS, "")
    )
    rate_limit = args.rate_limit
    if rate_limit is None and base_url is not None:
        rate_limit = DEFAULT_REMOTE_RATE_LIMIT
    return Settings(
        base_url=base_url,
        api_key=api_key,
        call_ids=parse_ids(call_ids_text, "--call-ids"),
        foreign_call_ids=parse_ids(foreign_text, "--foreign-call-ids"),
        max_examples=args.max_examples,
        seed=args.seed,
        rate_limit=rate_limit,
        timeout=args.timeout,
        report_dir=args.report_dir,
        max_failures=args.max_failures,
        require_coverage=args.require_coverage,
        fail_on_warning=args.fail_on_warning or frozenset(),
        baseline=baseline,
        write_baseline=args.write_baseline,
        config_source=team.source if team is not None else "",
    )
