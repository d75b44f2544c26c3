"""Whole contract runs, where the run itself is what is proven: the clean server passes, the
faults only generated cases reveal are caught, and all quirks at once are no failure.

Every other fault and quirk is proven in-process, each its own test id, by
tests/test_fault_proofs.py. The exhaustive sweeps (every seed, every fault and quirk as a
whole run) are marked `sweep`: `nox -s sweep` runs them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from proof_tiers import PROVEN_BY_WHOLE_RUNS, QUICK_QUIRKS

from contract_tests.errors import ExitCode
from contract_tests.reference_server import FAULTS, Fault
from contract_tests.run.runner import RunOutcome, execute
from contract_tests.run.settings import Settings

pytestmark = pytest.mark.slow
SEEDS = (1, 2, 3)

# The fault sweep's budget: every fault is caught well within it (most by the probes and the
# known-call fetches, which do not depend on it); `nox -s bench` measures detection at 25.
SWEEP_BUDGET = 3


def run(tmp_path: Path, seed: int, fault: str | None = None, budget: int = 25) -> RunOutcome:
    label = fault or "clean"
    settings = Settings(
        base_url=None, seed=seed, max_examples=budget, report_dir=tmp_path / f"{label}-{seed}"
    )
    return execute(settings, faults=(fault,) if fault else (), quiet=True)


def describe(outcome: RunOutcome) -> str:
    failures = "; ".join(f"{r.check}: {r.message[:160]}" for r in outcome.results.examples.values())
    return f"exit {outcome.exit_code}, errors {outcome.results.errors}, failures: {failures}"


@pytest.mark.parametrize(
    "seed", [1, *(pytest.param(seed, marks=pytest.mark.sweep) for seed in SEEDS[1:])]
)
def test_the_clean_reference_server_conforms(tmp_path: Path, seed: int) -> None:
    outcome = run(tmp_path, seed)
    assert outcome.exit_code == ExitCode.CONFORMS, describe(outcome)
    results = outcome.results
    assert not results.failures and not results.errors
    assert results.total_requests > 100
    # Positive getCall requests mostly reach real calls, and every check family was exercised.
    assert results.positive_get_call[200] > sum(results.positive_get_call.values()) / 2
    for check in ("nullability_by_status", "list_page_consistent", "foreign_call_forbidden"):
        assert results.passes[check] > 0, check
    assert not results.examples, "no distinct failure on a clean server"


@pytest.mark.parametrize(
    "fault",
    [
        fault if fault in PROVEN_BY_WHOLE_RUNS else pytest.param(fault, marks=pytest.mark.sweep)
        for fault in FAULTS
    ],
    ids=lambda fault: fault.name,
)
def test_the_fault_is_caught_by_its_check_in_a_whole_run(tmp_path: Path, fault: Fault) -> None:
    """The faults only generated cases reveal, here; every fault under `nox -s sweep`."""
    outcome = run(tmp_path, seed=1, fault=fault.name, budget=SWEEP_BUDGET)
    assert outcome.exit_code == ExitCode.VIOLATES, describe(outcome)
    assert fault.detected_by in outcome.results.failures, describe(outcome)


# A quirk changes how a server answers, not what the suite generates: each alone gets a small
# budget (every probe, known call and phase still runs); all at once get the default budget.
QUIRK_ALONE_BUDGET = 5


def quirk_run(tmp_path: Path, names: Sequence[str], budget: int, seed: int) -> RunOutcome:
    label = names[0] if len(names) == 1 else "all"
    settings = Settings(
        base_url=None, seed=seed, max_examples=budget, report_dir=tmp_path / f"{label}-{seed}"
    )
    return execute(settings, quirks=tuple(names), quiet=True)


@pytest.mark.sweep
@pytest.mark.parametrize("quirk", QUICK_QUIRKS, ids=str)
@pytest.mark.parametrize("seed", SEEDS)
def test_the_quirk_alone_passes_a_whole_run(tmp_path: Path, quirk: str, seed: int) -> None:
    """What a correct but different server sends (a quirk) is never a failure (proven
    in-process for each quirk by tests/test_fault_proofs.py; as whole runs here)."""
    outcome = quirk_run(tmp_path, (quirk,), QUIRK_ALONE_BUDGET, seed)
    assert outcome.exit_code == ExitCode.CONFORMS, describe(outcome)
    if quirk == "extra-field":
        extra = outcome.results.undocumented
        assert "Call.sip_trunk_id" in extra and "CallSummary.sip_trunk_id" in extra


@pytest.mark.parametrize(
    "seed", [1, *(pytest.param(seed, marks=pytest.mark.sweep) for seed in SEEDS[1:])]
)
def test_every_quirk_at_once_passes(tmp_path: Path, seed: int) -> None:
    outcome = quirk_run(tmp_path, QUICK_QUIRKS, budget=25, seed=seed)
    assert outcome.exit_code == ExitCode.CONFORMS, describe(outcome)
    assert outcome.results.total_requests > 100
