"""A recording judged as a stream: read an exchange, judge it, forget it.

With `workers` > 1 the map step (parsing, and every check of an exchange alone) runs in a
process pool, in order and a chunk at a time (`imap`: at most a few chunks in flight), and
this process folds the results; memory stays bounded either way. Progress is the suite's
line (live on a terminal, a plain line every few seconds in CI). SIGINT or SIGTERM stops
the reading: what was judged is reported, with the signal's exit code.
"""

from __future__ import annotations

import itertools
import multiprocessing
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from contract_tests.run.progress import ProgressLine, Snapshot
from contract_tests.run.runner import RunOutcome
from contract_tests.run.settings import ConfigError, Settings
from contract_tests.run.stop import StopSignals
from contract_tests.traffic.builtin import BuiltinChecks
from contract_tests.traffic.judge import TrafficJudge
from contract_tests.traffic.one_exchange import Judged, judge_alone, portable
from contract_tests.traffic.recording import parse_raw, read_raw

CHUNK = 64  # exchanges per task sent to a worker
IN_FLIGHT_PER_WORKER = 3  # tasks read ahead per worker: the bound on what is held in flight
PROGRESS_EVERY = 500  # exchanges between looks at the progress line

Raw = tuple[str, Any, str]  # ("har" | "ndjson", the entry or line, where it is)

_worker_checks: BuiltinChecks | None = None


def _start_worker() -> None:
    global _worker_checks
    _worker_checks = BuiltinChecks()


def judge_raw(raw: Raw, phase: str = "recorded") -> tuple[Judged, str]:
    """The map step on one raw entry or line: parsed and judged alone. A pure function of its
    input (and the spec): what a distributed engine's map step would run."""
    global _worker_checks
    if _worker_checks is None:
        _worker_checks = BuiltinChecks()
    recorded = parse_raw(*raw)
    return judge_alone(recorded.exchange, _worker_checks, phase), recorded.started


def _judge_batch(batch: list[Raw]) -> list[tuple[Judged, str]]:
    found = []
    for raw in batch:
        judged, started = judge_raw(raw)
        found.append((portable(judged), started))
    return found


def _batches(raws: Iterator[Raw], size: int) -> Iterator[list[Raw]]:
    while batch := list(itertools.islice(raws, size)):
        yield batch


def _raws(files: Iterable[Path]) -> Iterator[Raw]:
    for path in files:
        yield from read_raw(path)


def judged_stream(files: list[Path], workers: int) -> Iterator[tuple[Judged, str]]:
    """Each exchange of `files` judged alone, in order. With workers, at most
    IN_FLIGHT_PER_WORKER batches per worker are read ahead (an executor's map would read the
    whole file into its queue)."""
    raws = _raws(files)
    if workers <= 1:
        yield from (judge_raw(raw) for raw in raws)
        return
    # forkserver: workers start from a clean process (a fork of this one, with its threads and
    # native libraries' state, could hang); a worker that dies breaks the pool, never hangs it.
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker) as pool:
        pending: deque[Future[list[tuple[Judged, str]]]] = deque()
        try:
            for batch in _batches(raws, CHUNK):
                pending.append(pool.submit(_judge_batch, batch))
                if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        except BrokenProcessPool:
            raise ConfigError(
                "a judging process died (out of memory?): judge again with --workers 1"
            ) from None
        finally:
            for future in pending:
                future.cancel()


def judge_files(
    files: list[Path],
    *,
    api_key: str | None,
    foreign_ids: frozenset[int],
    settings: Settings | None = None,
    workers: int = 1,
    progress: bool = True,
    rerun: str = "",
) -> RunOutcome:
    """Every exchange of `files`, in order, judged into one outcome (concluded with
    `settings`' verdict options)."""
    judge = TrafficJudge(api_key=api_key, foreign_ids=foreign_ids)
    line = ProgressLine() if progress else None
    started = time.perf_counter()
    names = ", ".join(str(path) for path in files)
    judge.results.activity = f"judging {names}"
    with StopSignals() as stop:
        stream = judged_stream(files, workers)
        try:
            for count in itertools.count(1):
                item = next(stream, None)
                if item is None or stop.received is not None:
                    break
                judge.fold(*item)
                if line is not None and count % PROGRESS_EVERY == 0:
                    line.update(Snapshot.of(judge.results))
        finally:
            if isinstance(stream, Iterator) and hasattr(stream, "close"):
                stream.close()
            if line is not None:
                line.close()
        judge.finish()
    seconds = time.perf_counter() - started
    description = f"recording {names}"
    return judge.outcome(description, rerun, seconds, stop.exit_code, stop.name, settings)
