"""The traffic judge's bench: memory and speed on generated recordings of two sizes, beside
the time to merely parse them; the proxy's added latency beside direct calls; the map step on
dask.bag; with --against CHECKOUT, another checkout's judge on the same recordings, as a ratio.
python -m scripts.traffic_bench [--sizes 20,200] [--against DIR] [--out reports/traffic-bench.md]
(or nox -s bench_traffic -- ...)."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from contract_tests.errors import ExitCode
from scripts.benchmarks.traffic import REPO, JudgeRun, judge_file, write_recording
from scripts.cli import OneLineParser, command, run

DEFAULT_OUT = Path("reports/traffic-bench.md")
LATENCY_REQUESTS = 300


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="nox -s bench_traffic --",
        description="Generate NDJSON recordings of the given sizes (MB), judge each in its own "
        "process (peak memory, exchanges per second, beside json.loads of every line), measure "
        "the proxy's median added latency per request, and run the map step on dask.bag.",
    )
    parser.add_argument("--sizes", default="20,200", help="recording sizes in MB (default 20,200)")
    parser.add_argument("--workers", default="1,2", help="judge processes to try (default 1,2)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"default {DEFAULT_OUT}")
    parser.add_argument(
        "--against",
        type=Path,
        metavar="CHECKOUT",
        help="another checkout of the kit (e.g. `git worktree add /tmp/main main`): each "
        "recording is judged by its judge too, alternately with this one, and the table gives "
        "this judge's rate as a ratio to it",
    )
    return parser


def proxy_latency(requests: int) -> tuple[float, float]:
    """Median seconds of a getCall direct and through `python -m scripts.proxy`, interleaved."""
    import httpx

    from contract_tests.reference_server import DEMO, EmbeddedServer

    with EmbeddedServer() as server:
        command = [sys.executable, "-m", "scripts.proxy", "--upstream", server.base_url]
        command += ["--port", "0", "--report-dir", tempfile.mkdtemp(prefix="proxy-bench-")]
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env, cwd=REPO)
        try:
            assert process.stdout is not None
            proxy_url = process.stdout.readline().split()[1]
            headers = {"Authorization": f"Bearer {DEMO.api_key}"}
            path = f"/v2/calls/{DEMO.published_call_id}"
            times: dict[str, list[float]] = {"direct": [], "proxy": []}
            with httpx.Client(headers=headers) as client:
                for _ in range(requests):
                    for name, base in (("direct", server.base_url), ("proxy", proxy_url)):
                        started = time.perf_counter()
                        client.get(base + path).raise_for_status()
                        times[name].append(time.perf_counter() - started)
        finally:
            process.terminate()
            process.communicate(timeout=60)
    return statistics.median(times["direct"]), statistics.median(times["proxy"])


def dask_map_step(path: Path) -> tuple[int, float, dict[str, int]]:
    """The map step (each exchange judged alone) on dask.bag over `path`: exchanges, seconds,
    and how often each check failed. A day of logs: the same code on a cluster's workers."""
    import dask.bag as bag

    from contract_tests.traffic.stream import judge_raw

    def failures_of(line: str) -> list[str]:
        judged, _ = judge_raw(("ndjson", line, "dask"))
        return [record.check for record in judged.failures] or ["(none)"]

    started = time.perf_counter()
    lines = bag.read_text(str(path), blocksize="8MB").filter(str.strip)  # type: ignore[no-untyped-call,unused-ignore]
    counts = dict(lines.map(failures_of).flatten().frequencies().compute(scheduler="processes"))
    seconds = time.perf_counter() - started
    exchanges = sum(counts.values())  # one per line: a clean recording fails no check
    return exchanges, seconds, counts


def render(
    runs: dict[int, list[JudgeRun]],
    latency: tuple[float, float],
    dask: tuple[int, float, dict[str, int]],
    against: dict[int, list[JudgeRun]] | None = None,
    against_name: str = "",
) -> str:
    load = os.getloadavg()[0]
    lines = [
        "# Traffic judge bench",
        "",
        f"{os.cpu_count()} cores; NDJSON recordings made by scripts/benchmarks/traffic.py (a "
        f"client session repeated under a new key each time); load average {load:.1f} at the "
        "end (the cores are shared: per CPU-second is the steadier figure; with workers, the judge "
        "process's own CPU and memory, the workers' not).",
        "",
        "## Judging recordings",
        "",
        "| workers | size (MB) | exchanges | seconds | exchanges/s | per CPU-second | "
        "peak memory (MB) | json.loads alone (s) | judge / parse |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for workers, found in runs.items():
        for item in found:
            lines.append(
                f"| {workers} | {item.megabytes:g} | {item.exchanges} | {item.seconds:.1f} | "
                f"{item.rate:.0f} | {item.cpu_rate:.0f} | {item.peak_mb:.0f} | "
                f"{item.parse_seconds:.2f} | {item.parse_ratio:.1f}x |"
            )
        if len(found) > 1:
            small, large = found[0], found[-1]
            lines.append(
                f"| {workers} | | | | | | peak {large.megabytes:g} MB / {small.megabytes:g} MB: "
                f"{large.peak_mb / small.peak_mb:.2f} | | |"
            )
    if against:
        lines += [
            "",
            f"## Against {against_name} (the same recordings, judged alternately)",
            "",
            "| workers | size (MB) | there: exchanges/s | per CPU-second | peak memory (MB) | "
            "here / there |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        for workers, found in against.items():
            for item, here in zip(found, runs[workers], strict=True):
                lines.append(
                    f"| {workers} | {item.megabytes:g} | {item.rate:.0f} | {item.cpu_rate:.0f} | "
                    f"{item.peak_mb:.0f} | {here.rate / item.rate:.2f}x |"
                )
    direct, proxied = latency
    lines += [
        "",
        "## The proxy",
        "",
        f"| getCall, median of {LATENCY_REQUESTS} | ms |",
        "|---|---:|",
        f"| direct | {direct * 1000:.2f} |",
        f"| through the proxy | {proxied * 1000:.2f} |",
        f"| added by the proxy | {(proxied - direct) * 1000:.2f} |",
    ]
    exchanges, seconds, counts = dask
    lines += [
        "",
        "## The map step on dask.bag (one file, the local process scheduler)",
        "",
        f"{exchanges} exchanges in {seconds:.1f} s ({exchanges / seconds:.0f}/s); "
        f"checks failing: {counts}",
    ]
    return "\n".join(lines) + "\n"


@command("bench_traffic")
def main(argv: list[str] | None = None) -> ExitCode:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    try:
        sizes = [float(size) for size in args.sizes.split(",") if size]
        if args.against is not None and not (args.against / "scripts" / "judge.py").is_file():
            build_parser().error(f"--against {args.against}: not a checkout of the kit")
        workers = [int(count) for count in args.workers.split(",") if count]
    except ValueError:
        build_parser().error("--sizes and --workers are comma-separated numbers")
    from contract_tests.reference_server import DEMO

    folder = Path(tempfile.mkdtemp(prefix="traffic-bench-"))
    try:
        recordings = []
        for size in sizes:
            path = folder / f"recording-{size:g}mb.ndjson"
            recordings.append((path, size, write_recording(path, size, DEMO.api_key)))
            print(f"bench_traffic: wrote {path} ({recordings[-1][2]} exchanges)", flush=True)
        runs: dict[int, list[JudgeRun]] = {}
        against: dict[int, list[JudgeRun]] = {}
        for count in workers:
            for path, size, exchanges in recordings:
                if args.against is not None:  # first, then this one: alternately, same load
                    there = judge_file(path, size, exchanges, count, args.against.resolve())
                    against.setdefault(count, []).append(there)
                runs.setdefault(count, []).append(judge_file(path, size, exchanges, count))
                print(f"bench_traffic: judged {path.name} with {count} worker(s)", flush=True)
        latency = proxy_latency(LATENCY_REQUESTS)
        dask = dask_map_step(recordings[0][0])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    text = render(runs, latency, dask, against, str(args.against))
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    return ExitCode.CONFORMS


if __name__ == "__main__":
    run(main)
