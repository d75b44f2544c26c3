"""The resolved plan of one contract run, handed from the runner to the pytest process(es).

The runner starts the suite's process before the plan exists (it imports Schemathesis,
Hypothesis and the checks while the runner finds the target), then writes the plan as JSON
to the file named by THINNESTAI_CONTRACT_PLAN_FILE; the process waits for it. Once read, it
is kept in an environment variable so that pytest-xdist workers get it too. The API key
travels separately in THINNESTAI_API_KEY and is never part of the plan.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ENV_API_KEY = "THINNESTAI_API_KEY"  # the key: never in the plan, never in a file
ENV_PLAN = "THINNESTAI_CONTRACT_PLAN"
ENV_PLAN_FILE = "THINNESTAI_CONTRACT_PLAN_FILE"
PLAN_POLL_SECONDS = 0.005  # how often a waiting suite looks for the plan file


@dataclass(frozen=True)
class RunPlan:
    base_url: str
    call_ids: tuple[int, ...]
    foreign_call_ids: tuple[int, ...]
    max_examples: int
    seed: int
    rate_limit: str | None
    timeout: float
    parts_dir: str  # where each pytest process leaves its results for the runner to merge
    max_failures: int | None = None  # stop after this many distinct failures; None: never
    stateful_max_steps: int = 6
    notes: tuple[str, ...] = field(default=())

    @property
    def seconds_between_requests(self) -> float:
        """`10/s` -> 0.1; no cap -> 0."""
        if not self.rate_limit:
            return 0.0
        count, _, unit = self.rate_limit.partition("/")
        return {"s": 1.0, "m": 60.0, "h": 3600.0}[unit] / int(count)

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    def write(self, path: Path) -> None:
        """Hand the plan to a waiting suite: written whole, then renamed, so it is never read
        half-written."""
        partial = path.with_suffix(".partial")
        partial.write_text(self.to_env(), encoding="utf-8")
        os.replace(partial, path)

    @classmethod
    def from_env(cls) -> RunPlan:
        raw = os.environ.get(ENV_PLAN) or _wait_for_plan_file()
        os.environ[ENV_PLAN] = raw  # for the pytest-xdist workers this process starts
        data = json.loads(raw)
        for key in ("call_ids", "foreign_call_ids", "notes"):
            data[key] = tuple(data[key])
        return cls(**data)


def _wait_for_plan_file() -> str:
    """The plan the runner writes once it has found the target; gives up if the runner is
    gone (it stops a suite it no longer needs, but a killed runner cannot)."""
    name = os.environ.get(ENV_PLAN_FILE)
    if not name:
        raise RuntimeError(
            f"{ENV_PLAN} is not set: run the suite with `nox -s contract`, not pytest directly"
        )
    path, parent = Path(name), os.getppid()
    while not path.exists():
        if os.getppid() != parent:
            raise RuntimeError("the runner stopped before it handed over the run's plan")
        time.sleep(PLAN_POLL_SECONDS)
    return path.read_text(encoding="utf-8")
