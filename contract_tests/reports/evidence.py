"""Where each distinct failure's evidence is: its entry in evidence.har, and the command that
re-sends and re-judges it. One numbering, shared by the HAR, summary.md, the screen and the
HTML report, so "entry 2" means the same exchange everywhere.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from contract_tests.run.results import Evidence, RunResults
from contract_tests.run.runner import RunOutcome

HAR_NAME = "evidence.har"


def entry_numbers(results: RunResults) -> dict[str, int]:
    """FailureRecord.key -> its entry in evidence.har (1 for the first), in failure order;
    a failure whose exchange was not kept has none."""
    keys = [key for key in results.examples if key in results.exchanges]
    return {key: number for number, key in enumerate(keys, 1)}


def replay_entry_command(outcome: RunOutcome, har: Path, entry: int) -> str:
    """The command that re-sends entry `entry` of `har` and re-judges the answer: against the
    same remote server, or a fresh embedded server when the run used one."""
    command = f"nox -s replay -- {shlex.quote(str(har))} --entry {entry}"
    if not outcome.target.description.startswith("embedded"):
        command += f" --base-url {shlex.quote(outcome.plan.base_url)}"
    return command


def scrubber(outcome: RunOutcome) -> Callable[[str], str]:
    """A function that filters the run's key, raw or base64, from any text."""
    # Imported here: it brings in Schemathesis, which only the writing of evidence needs.
    from contract_tests.suite.redaction import scrub

    key = outcome.target.api_key
    return lambda text: scrub(text, key)


def scrubbed_exchanges(outcome: RunOutcome) -> dict[str, Evidence]:
    """The run's exchanges with the key filtered once more, here in the runner (defence in
    depth: the transport and the capture already filtered it in the suite's process)."""
    from contract_tests.suite.redaction import credential_form

    scrub = scrubber(outcome)

    def clean(pairs: list[list[str]]) -> list[list[str]]:
        return [
            [
                scrub(name),
                credential_form(value) if name.lower() == "authorization" else scrub(value),
            ]
            for name, value in pairs
        ]

    return {
        failure: replace(
            exchange,
            url=scrub(exchange.url),
            request_headers=clean(exchange.request_headers),
            request_body=None if exchange.request_body is None else scrub(exchange.request_body),
            reason=scrub(exchange.reason),
            response_headers=clean(exchange.response_headers),
            mime_type=scrub(exchange.mime_type),
            response_body=scrub(exchange.response_body),
        )
        for failure, exchange in outcome.results.exchanges.items()
    }
