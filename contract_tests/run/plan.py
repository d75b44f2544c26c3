"""The resolved plan of one contract run, handed from the runner to the pytest process(es).

It travels as JSON in an environment variable so that pytest-xdist workers get it too; the
API key travels separately in THINNESTAI_API_KEY and is never part of the plan.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field

ENV_PLAN = "THINNESTAI_CONTRACT_PLAN"


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

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> RunPlan:
        raw = os.environ.get(ENV_PLAN)
        if not raw:
            raise RuntimeError(
                f"{ENV_PLAN} is not set: run the suite with `nox -s contract`, not pytest directly"
            )
        data = json.loads(raw)
        for key in ("call_ids", "foreign_call_ids", "notes"):
            data[key] = tuple(data[key])
        return cls(**data)
