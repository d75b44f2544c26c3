"""A run's verdict made in-process: results (from probes or by hand) concluded as the runner
concludes a whole run (run/runner.py `conclude`), with no pytest subprocess."""

from __future__ import annotations

from datetime import date

from contract_tests.reference_server import DEMO
from contract_tests.run.plan import RunPlan
from contract_tests.run.results import RunResults
from contract_tests.run.runner import RunOutcome, conclude
from contract_tests.run.settings import Settings
from contract_tests.run.target import Target

BASE_URL = "http://127.0.0.1:1"


def concluded(
    results: RunResults,
    settings: Settings | None = None,
    *,
    foreign_ids: tuple[int, ...] = DEMO.foreign_call_ids,
    today: date | None = None,
) -> RunOutcome:
    settings = settings or Settings(base_url=None)
    plan = RunPlan(BASE_URL, (), foreign_ids, 1, 1, None, 1.0, "")
    target = Target(BASE_URL, DEMO.api_key, (), foreign_ids, "embedded reference server")
    return conclude(settings, results, target, plan, 1.0, today=today)
