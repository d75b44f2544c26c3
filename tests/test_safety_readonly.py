"""Read-only: a full default run (every phase, stateful included) sends nothing but GET.

The reference server sits behind a middleware that records every request's method and path,
so the count covers everything that reaches the wire: generated cases, coverage probes,
Schemathesis' auth probes, the stateful run and the suite's own follow-up fetches.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise

import pytest
from safety_servers import AsgiServer, ContractRun, Recorder, run_contract

from contract_tests.reference_server import DEMO, create_app

# One worker for the whole module (--dist loadgroup): its module-scoped run is made once,
# not once on each worker.
pytestmark = [pytest.mark.timeout(120), pytest.mark.xdist_group("safety_readonly")]

READ_ONLY = {"GET", "HEAD"}
LIST_PATH = "/v2/calls"


@pytest.fixture(scope="module")
def recorded_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[ContractRun, Recorder]:
    recorder = Recorder(create_app())
    scratch = tmp_path_factory.mktemp("readonly")
    with AsgiServer(recorder) as server:
        # The default budget (max examples); only the remote default rate cap is lifted, so
        # the full run takes seconds instead of minutes.
        run = run_contract(server.base_url, DEMO.api_key, scratch, "--rate-limit", "1000/s")
    return run, recorder


def test_the_run_completes_and_the_reference_server_conforms(
    recorded_run: tuple[ContractRun, Recorder],
) -> None:
    run, recorder = recorded_run
    assert run.exit_code == 0, run.output
    assert len(recorder.seen) > 200  # a full run, not a preflight that stopped early


def test_every_request_is_a_get(recorded_run: tuple[ContractRun, Recorder]) -> None:
    _, recorder = recorded_run
    by_method = Counter(method for method, _ in recorder.seen)
    assert set(by_method) <= READ_ONLY, by_method
    assert by_method["GET"] == len(recorder.seen)


def summary_request_count(stdout: str) -> int:
    match = re.search(r"^  requests +(\d+) in .*, all GET$", stdout, re.MULTILINE)
    assert match, stdout
    return int(match.group(1))


def test_the_summary_says_all_get_and_never_counts_more_than_were_sent(
    recorded_run: tuple[ContractRun, Recorder],
) -> None:
    run, recorder = recorded_run
    assert summary_request_count(run.stdout) < len(recorder.seen)


def test_the_summary_counts_every_request_but_the_preflight(
    recorded_run: tuple[ContractRun, Recorder],
) -> None:
    run, recorder = recorded_run
    assert summary_request_count(run.stdout) == len(recorder.seen) - 1


def test_the_stateful_phase_ran_and_followed_list_into_get(
    recorded_run: tuple[ContractRun, Recorder],
) -> None:
    run, recorder = recorded_run
    by_phase = next(line for line in run.stdout.splitlines() if line.strip().startswith("by phase"))
    assert re.search(r"stateful [1-9]", by_phase), by_phase
    paths = [path for _, path in recorder.seen]
    followed = [
        later
        for earlier, later in pairwise(paths)
        if earlier == LIST_PATH and later.startswith(f"{LIST_PATH}/")
    ]
    assert followed, "no getCall right after a listCalls"
