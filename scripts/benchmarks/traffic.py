"""Recordings of any size for the traffic judge's bench: a session of real exchanges with the
reference server, repeated under a new key each time until the file is as large as asked.

A session is what a client does: the listing walked as sync_all walks it (pages of 20 that
overlap by one), every listed call fetched (but the 5,000-message one), a few unknown calls
(404) and another account's calls (403). Each repeat has its own key, so the judge's
per-key state fills to its bounds as it would on a day of gateway logs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from contract_tests.checks.exchange import Exchange, request_from_url
from contract_tests.traffic.recording import ndjson_line

PAGE = 20
REPO = Path(__file__).resolve().parents[2]


def session_exchanges(base_url: str, key: str) -> list[Exchange]:
    """One client session against the reference server at `base_url`."""
    from contract_tests.reference_server import DEMO

    headers = {"Authorization": f"Bearer {key}", "Accept": "application/json"}
    urls = []
    offset = 0
    for _ in range(len(DEMO.listed_call_ids) // (PAGE - 1) + 1):
        urls.append(f"{base_url}/v2/calls?limit={PAGE}&offset={offset}")
        offset += PAGE - 1
    urls += [
        f"{base_url}/v2/calls/{call_id}"
        for call_id in DEMO.listed_call_ids
        if call_id != DEMO.long_transcript_call_id
    ]
    urls += [f"{base_url}/v2/calls/{call_id}" for call_id in DEMO.unknown_call_ids[:2]]
    urls += [f"{base_url}/v2/calls/{call_id}" for call_id in DEMO.foreign_call_ids[:2]]
    found = []
    with httpx.Client(headers=headers) as client:
        for url in urls:
            response = client.get(url)
            request = request_from_url("GET", url, tuple(response.request.headers.items()))
            found.append(
                Exchange(
                    request,
                    response.status_code,
                    tuple(response.headers.multi_items()),
                    response.content,
                    url,
                    response.elapsed.total_seconds(),
                )
            )
    return found


def write_recording(path: Path, megabytes: float, key: str) -> int:
    """An NDJSON recording of about `megabytes` MB; returns how many exchanges it holds."""
    from contract_tests.reference_server import EmbeddedServer

    with EmbeddedServer() as server:
        lines = [ndjson_line(exchange, "") for exchange in session_exchanges(server.base_url, key)]
    target = int(megabytes * 1_000_000)
    written = count = repeat = 0
    with path.open("w", encoding="utf-8") as handle:
        while written < target:
            repeat += 1
            other = f"{key[:8]}bench{repeat:010d}{key[23:]}"  # the same length, a new key
            started = f"2026-11-01T00:{repeat // 60 % 60:02d}:{repeat % 60:02d}Z"
            for line in lines:
                text = line.replace(key, other).replace('"started": ""', f'"started": "{started}"')
                handle.write(text + "\n")
                written += len(text) + 1
                count += 1
    return count


@dataclass(frozen=True)
class JudgeRun:
    megabytes: float
    exchanges: int
    seconds: float  # the judgement, as the judge reports it (start-up not included)
    peak_mb: float  # the judge process's peak resident memory
    cpu_seconds: float  # the judge process's CPU time, start-up included (workers' not)
    parse_seconds: float  # json.loads of every line, nothing else

    @property
    def rate(self) -> float:
        return self.exchanges / self.seconds

    @property
    def cpu_rate(self) -> float:
        """Exchanges per CPU-second of the judge process: what a busy machine does not blur."""
        return self.exchanges / self.cpu_seconds

    @property
    def parse_ratio(self) -> float:
        return self.seconds / self.parse_seconds


def parse_only(path: Path) -> float:
    started = time.perf_counter()
    with path.open("rb") as handle:
        for line in handle:
            json.loads(line)
    return time.perf_counter() - started


def judge_file(
    path: Path, megabytes: float, exchanges: int, workers: int, repo: Path = REPO
) -> JudgeRun:
    """`python -m scripts.judge FILE` in its own process: its peak memory and its time. `repo`:
    the checkout whose judge runs (another one: its code first on the path, this environment)."""
    report_dir = path.parent / f"reports-{path.stem}"
    command = [sys.executable, "-m", "scripts.judge", str(path), "--report-dir", str(report_dir)]
    command += ["--workers", str(workers), "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(repo)}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env, cwd=repo)
    output = process.stdout.read() if process.stdout is not None else ""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    # "judged N exchanges in S s (R/s); ...": the judgement's own time, start-up left out.
    seconds = next(
        float(line.split()[4]) for line in output.splitlines() if line.startswith("judged ")
    )
    # ru_maxrss: KiB on Linux, bytes on macOS.
    peak_mb = usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 1024)
    cpu = usage.ru_utime + usage.ru_stime
    return JudgeRun(megabytes, exchanges, seconds, peak_mb, cpu, parse_only(path))
