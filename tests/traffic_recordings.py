"""Recordings the traffic tests judge: what the suite's own probes exchanged with the reference
server (faults and quirks on), captured on the wire with the raw credentials, as a real
recording holds them; and the suite's results for the very same exchanges."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from schemathesis import Response

from contract_tests.checks.exchange import Exchange, request_from_url
from contract_tests.reference_server import DEMO, EmbeddedServer
from contract_tests.reference_server.data import Dataset
from contract_tests.run.plan import RunPlan
from contract_tests.run.results import RunResults
from contract_tests.suite import hooks, probes
from contract_tests.suite.session import SuiteRun

Recording = list[tuple[Exchange, str]]


def exchange_of(response: Response) -> Exchange:
    request = response.request
    headers = tuple((str(n), str(v)) for n, v in request.headers.items())
    url = request.url or ""
    return Exchange(
        request=request_from_url(request.method or "GET", url, headers),
        status=response.status_code,
        response_headers=tuple((n, v) for n, values in response.headers.items() for v in values),
        body=response.content,
        url=url,
        elapsed=response.elapsed,
    )


def probed_at(
    base_url: str,
    key: str,
    call_ids: tuple[int, ...],
    foreign_ids: tuple[int, ...],
    recording: Recording | None = None,
) -> RunResults:
    """The results of every budget-independent probe of the suite against any server at
    `base_url`; each exchange made is appended to `recording` when one is given."""
    plan = RunPlan(
        base_url=base_url,
        call_ids=call_ids,
        foreign_call_ids=foreign_ids,
        max_examples=1,
        seed=1,
        rate_limit=None,
        timeout=10.0,
        parts_dir="",
    )
    run = SuiteRun.start(plan, key)
    hooks.install(run)
    if recording is not None:
        received = run.transport.received

        def record(response: Response) -> None:
            received(response)
            if urlsplit(response.request.url or "").path.startswith("/v2/"):
                recording.append((exchange_of(response), datetime.now(UTC).isoformat()))

        run.transport.received = record  # type: ignore[method-assign]
    probes.every_probe(run, plan.call_ids, plan.foreign_call_ids)
    return run.results


def probed(
    faults: Sequence[str] = (),
    quirks: Sequence[str] = (),
    *,
    dataset: Dataset | None = None,
    key: str = DEMO.api_key,
    call_ids: tuple[int, ...] = DEMO.call_ids,
    foreign_ids: tuple[int, ...] = DEMO.foreign_call_ids,
    recording: Recording | None = None,
) -> RunResults:
    """The results of every budget-independent probe of the suite against the reference
    server (its data: `dataset`, else the demo's); each exchange made is appended to
    `recording` when one is given."""
    with EmbeddedServer(faults=faults, quirks=quirks, dataset=dataset) as server:
        return probed_at(server.base_url, key, call_ids, foreign_ids, recording)


def recorded_probes(
    faults: Sequence[str] = (), quirks: Sequence[str] = (), **options: Any
) -> tuple[RunResults, Recording]:
    """`probed`, and each exchange it made, in order."""
    recording: Recording = []
    return probed(faults, quirks, recording=recording, **options), recording
