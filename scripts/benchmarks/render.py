"""A `BenchReport` as Markdown: one section per measurement, ratios beside absolute figures."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from importlib.metadata import version

from scripts.benchmarks.client_parse import TARGET_SHARE
from scripts.benchmarks.detection import FaultDetection
from scripts.benchmarks.run import SUITE_2, BenchReport
from scripts.benchmarks.throughput import Throughput
from scripts.benchmarks.tools import CLI, SUITE

METHOD = """\
How it is measured: both tools run against one reference server on 127.0.0.1, started once
and wrapped in an ASGI middleware that logs every request (the same counter for both).
The CLI gets the very Schemathesis configuration the suite builds (seed, max examples,
generation mode `all`, checks, expected statuses, coverage without unexpected methods,
stateful max steps) and `--phases examples,coverage,fuzzing,stateful`. The two do not send
the same requests (the suite adds a pre-flight listCalls, fetches every known call once,
probes foreign ids and runs fewer stateful scenarios), so the fair comparison is per
request. Every timing is the median of the repeats, with the same seed each time, after a
warm-up run of each tool."""

DETECTION_METHOD = """\
Detection: each fault gets its own counting server with a clean shadow copy of the app; a
request whose answer differs from the clean answer is marked as changed by the fault.
*caught*: for the suite, the fault's `detected_by` check failed; for the CLI, some check
failed that does not fail against the clean server with the same seed (the clean-server
failures are listed below). *exposed at*: index of the first request the fault changed (the
earliest any tool could notice it). *caught at*: index of the first fault-changed request
to a URL the detecting check reported failing on (the suite reports the first failure of
each kind, so this is an upper bound for it). *requests*: all requests of the run: both
tools stop generating for an operation at its first failure, so a caught fault makes a
shorter run. Figures are medians over the seeds."""


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _find(report: BenchReport, tool: str, budget: int) -> Throughput | None:
    return next((t for t in report.throughput if t.tool == tool and t.budget == budget), None)


def throughput_section(report: BenchReport) -> list[str]:
    lines = [
        "## Throughput",
        "",
        "| tool | max examples | requests | wall s | req/s | active req/s "
        "| req/s ÷ CLI's | wall ÷ CLI's | req/s ÷ ceiling |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for budget in report.options.budgets:
        cli = _find(report, CLI, budget)
        for tool in (SUITE, CLI, SUITE_2):
            row = _find(report, tool, budget)
            if row is None:
                continue
            rate_ratio = _fmt(row.rps / cli.rps, 2) if cli else "-"
            wall_ratio = _fmt(row.seconds / cli.seconds, 2) if cli else "-"
            of_ceiling = f"{row.rps / report.ceiling_rps:.0%}" if report.ceiling_rps else "-"
            lines.append(
                f"| {tool} | {budget} | {row.requests:,.0f} | {row.seconds:.2f} | {row.rps:,.0f} "
                f"| {row.active_rps:,.0f} | {rate_ratio} | {wall_ratio} | {of_ceiling} |"
            )
    if report.ceiling_rps:
        lines.append(
            f"| bare httpx loop on getCall (ceiling) | - | - | - | {report.ceiling_rps:,.0f} "
            f"| {report.ceiling_rps:,.0f} | - | - | 100% |"
        )
    lines += [
        "",
        "*req/s*: requests the server saw ÷ the command's wall time (start-up included); "
        "*active req/s*: ÷ the time from its first to its last request; *÷ ceiling*: req/s ÷ "
        "the bare loop's (what HTTP alone allows on this server).",
    ]
    return lines


def scale_out_section(report: BenchReport) -> list[str]:
    lines = [
        "## Scale-out (pytest-xdist, 2 processes)",
        "",
        "| max examples | 1 process s | 2 processes s | speed-up | requests 1 / 2 |",
        "|---:|---:|---:|---:|---:|",
    ]
    for budget in report.options.budgets:
        one, two = _find(report, SUITE, budget), _find(report, SUITE_2, budget)
        if one and two:
            lines.append(
                f"| {budget} | {one.seconds:.2f} | {two.seconds:.2f} | "
                f"{one.seconds / two.seconds:.2f}x | {one.requests:,.0f} / {two.requests:,.0f} |"
            )
    return lines


def _caught(found: FaultDetection, tool: str) -> str:
    caught, runs = found.caught_share(tool)
    mark = "yes" if caught == runs else "no" if caught == 0 else "partly"
    return f"{mark} ({caught}/{runs})"


def _requests(found: FaultDetection, tool: str) -> str:
    parts = (found.median(tool, name) for name in ("caught_at", "exposed_at", "requests"))
    return " / ".join(_fmt(value, 0) for value in parts)


def _baseline_lines(report: BenchReport) -> list[str]:
    if report.baseline is None:
        return []
    lines = ["Against the clean server (same seeds): failing checks are false alarms."]
    for tool, per_seed in ((SUITE, report.baseline.suite), (CLI, report.baseline.cli)):
        found = [
            f"seed {seed}: {', '.join(sorted(checks))}"
            for seed, checks in per_seed.items()
            if checks
        ]
        lines.append(f"- {tool}: {'; '.join(found) or 'none'}")
    if report.baseline.cli and any(report.baseline.cli.values()):
        lines.append("- (the CLI's clean-server failures are not counted as catches above)")
    return lines


def detection_section(report: BenchReport) -> list[str]:
    rows = report.detection
    seeds = report.options.seeds
    everywhere = sum(found.caught_share(SUITE)[0] == len(seeds) for found in rows)
    cli_any = sum(found.caught_share(CLI)[0] > 0 for found in rows)
    lines = [
        "## Detection at the default budget",
        "",
        f"Seeds {', '.join(map(str, seeds))}; max examples {report.options.max_examples}; "
        f"{report.detection_seconds:.0f} s for this section. The suite caught "
        f"**{everywhere}/{len(rows)}** faults in every seed; the CLI caught **{cli_any}/"
        f"{len(rows)}** in at least one seed.",
        "",
        "| fault | detected_by | suite caught | suite requests: caught at / exposed at / run "
        "| CLI caught | CLI checks that tripped | CLI requests: caught at / exposed at / run |",
        "|---|---|---|---:|---|---|---:|",
    ]
    for found in rows:
        lines.append(
            f"| {found.fault} | {found.detected_by} | {_caught(found, SUITE)} "
            f"| {_requests(found, SUITE)} | {_caught(found, CLI)} "
            f"| {', '.join(found.checks(CLI)) or '-'} | {_requests(found, CLI)} |"
        )
    lines += [
        "",
        *_baseline_lines(report),
        "",
        DETECTION_METHOD,
    ]
    return lines


def start_up_section(report: BenchReport) -> list[str]:
    cli = next((row for row in report.start_up if row.tool == CLI), None)
    lines = [
        "## Start-up",
        "",
        "| tool | to first request s | to first test request s | ÷ CLI's | whole command s |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in report.start_up:
        ratio = _fmt(row.first_test_request / cli.first_test_request, 2) if cli else "-"
        lines.append(
            f"| {row.tool} | {row.first_request:.2f} | {row.first_test_request:.2f} | {ratio} "
            f"| {row.command:.2f} |"
        )
    lines += [
        "",
        "From launching the command to the server's first request: the suite's first is the "
        "runner's pre-flight listCalls, its first test request comes from the pytest process; "
        "the CLI's first is its capability probe of `/`, its first test request the first "
        "under /v2/. The suite runs `python -m scripts.contract`.",
    ]
    return lines


def client_section(report: BenchReport) -> list[str]:
    lines = [
        "## Client parsing (generated `Call.from_dict`)",
        "",
        "| payload | bytes | json.loads µs | json.loads + Call.from_dict µs | ÷ json.loads "
        f"| ≤ {TARGET_SHARE}x |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for row in report.parsing:
        lines.append(
            f"| {row.payload} | {row.size_bytes:,} | {row.json_loads_us:,.1f} "
            f"| {row.from_dict_us:,.1f} | {row.client_share:.2f}x "
            f"| {'yes' if row.within_target else 'NO'} |"
        )
    lines += [
        "",
        "CPU time, the best of several rounds, each timing both side by side. The target "
        f"(issue 14): the client's parse at most {TARGET_SHARE}x json.loads alone.",
    ]
    return lines


def cold_start_section(report: BenchReport) -> list[str]:
    lines = [
        "## Cold start of `nox -s contract` (fresh clone, no virtual environment)",
        "",
        "| venv backend | cold s | warm s (re-run) | exit codes |",
        "|---|---:|---:|---|",
    ]
    for row in report.cold_start:
        lines.append(
            f"| {row.backend} | {row.cold_seconds:.1f} | {row.warm_seconds:.1f} "
            f"| {row.cold_exit}, {row.warm_exit} |"
        )
    return lines


def render(report: BenchReport) -> str:
    options = report.options
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Contract suite benchmarks",
        "",
        f"{when}; {platform.python_implementation()} {platform.python_version()} on "
        f"{platform.system()} with {os.cpu_count()} cores; Schemathesis "
        f"{version('schemathesis')}, Hypothesis {version('hypothesis')}. "
        f"{'Quick run' if options.quick else 'Full run'}: {options.repeats} repeat(s), "
        f"detection seeds {', '.join(map(str, options.seeds))}. "
        f"The whole bench took {report.seconds:.0f} s.",
        "",
        METHOD,
        "",
    ]
    sections = [
        (bool(report.throughput) and "throughput" in options.sections, throughput_section),
        ("scale-out" in options.sections, scale_out_section),
        (bool(report.start_up), start_up_section),
        (bool(report.parsing), client_section),
        (bool(report.detection), detection_section),
        (bool(report.cold_start), cold_start_section),
    ]
    for wanted, section in sections:
        if wanted:
            lines += [*section(report), ""]
    return "\n".join(lines)
