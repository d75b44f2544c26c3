"""Every fault caught by its named check, and every quirk quiet, without a whole suite run.

A fault is proven when the real check, given the exchanges the faulty server actually
answers, reports it. Here a suite run is made in this process (suite/session.py: the same
transport, schema, hooks and adapted checks as `nox -s contract`), against the reference
server on loopback with the fault or quirk on, and sends what every run sends whatever its
budget (suite/probes.py `every_probe`: the known calls, another account's calls, the input
edges, the listing walk, the credential near-misses), each exchange judged by Schemathesis'
built-in checks and ours. No pytest subprocess, no generated data: about 0.3 s a fault.

What only generated cases can show (negative_data_rejection, positive_data_acceptance and
ignored_auth judge a case by how it was generated) is proven by whole-suite runs in
tests/test_contract_suite.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from proof_tiers import PROVEN_IN_PROCESS, QUICK_QUIRKS
from run_outcomes import concluded
from traffic_recordings import probed

from contract_tests.reference_server import Fault
from contract_tests.run.results import RunResults


def describe(results: RunResults) -> str:
    return "; ".join(f"{r.key}: {r.message[:160]}" for r in results.examples.values()) or "none"


@pytest.fixture(scope="module")
def clean() -> Iterator[RunResults]:
    yield probed()


def test_the_clean_server_passes_every_probe(clean: RunResults) -> None:
    assert not clean.examples, describe(clean)
    assert not clean.errors
    assert clean.total_requests > 150
    for check in ("nullability_by_status", "list_page_consistent", "pages_tile_the_listing"):
        assert clean.passes[check] > 0, check
    # Nor does the clean server make the run warn that it proved little (run/warnings.py).
    warnings = concluded(clean).warnings
    assert warnings == [], [warning.line for warning in warnings]
    assert sum(clean.positive_requests.values()) > 100


@pytest.mark.parametrize("fault", PROVEN_IN_PROCESS, ids=lambda fault: fault.name)
def test_the_fault_is_caught_by_its_check(fault: Fault) -> None:
    results = probed(faults=(fault.name,))
    assert fault.detected_by in results.failures, (
        f"{fault.name} was not caught by {fault.detected_by}; failures: {describe(results)}"
    )


@pytest.mark.parametrize("quirk", QUICK_QUIRKS)
def test_the_quirk_alone_is_no_failure(quirk: str) -> None:
    results = probed(quirks=(quirk,))
    assert not results.examples, f"false alarm under {quirk}: {describe(results)}"
    assert not results.errors


def test_every_quirk_at_once_is_no_failure() -> None:
    results = probed(quirks=QUICK_QUIRKS)
    assert not results.examples, f"false alarm under all quirks: {describe(results)}"
