"""Warnings when a pass proved little: each raised by a server (or a key, or ids) that makes a
run judge almost nothing, none on the clean reference server; their figures; the verdict line
and every report carrying them; --fail-on-warning turning chosen ones into exit 3.

In-process: every budget-independent probe against the server (tests/test_fault_proofs.py
`probed`), concluded as the runner concludes a whole run (tests/run_outcomes.py). That the
clean reference server raises none is asserted with its probes in tests/test_fault_proofs.py;
the empty account's whole run, driven by a config profile, is in tests/test_team_config.py.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest
from run_outcomes import concluded
from starlette.applications import Starlette
from starlette.requests import Request as HttpRequest
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route
from traffic_recordings import probed, probed_at

from contract_tests.checks.exchange import Request
from contract_tests.errors import ExitCode
from contract_tests.reference_server import DEMO, create_app
from contract_tests.reference_server.data import PRIMARY, Dataset, demo_dataset, new_tenant
from contract_tests.reference_server.embedded import LoopbackServer
from contract_tests.reports.html import render_html
from contract_tests.reports.junit import build
from contract_tests.reports.markdown import render_markdown
from contract_tests.reports.screen import render_text
from contract_tests.run.results import FailureRecord, RunResults
from contract_tests.run.runner import RunOutcome
from contract_tests.run.settings import Settings
from contract_tests.run.warnings import WARNINGS, is_positive, parse_warning_names, warnings_of
from contract_tests.spec import GET_CALL, LIST_CALLS
from contract_tests.suite.probes import PAGE

KEYED = (("Authorization", f"Bearer {DEMO.api_key}"),)


def names(results: RunResults, foreign_ids: tuple[int, ...] = DEMO.foreign_call_ids) -> list[str]:
    return [warning.name for warning in concluded(results, foreign_ids=foreign_ids).warnings]


def always_busy() -> Starlette:
    """A gateway that is always full: every request 429, come back at once (Retry-After: 0),
    so the run's three waits pass quickly and the final answer is still 429."""

    async def refuse(request: HttpRequest) -> JSONResponse:
        body = {"detail": "Rate limit exceeded, retry later", "status": 429}
        return JSONResponse(body, status_code=429, headers={"Retry-After": "0"})

    return Starlette(routes=[Route("/v2/calls", refuse), Route("/v2/calls/{call_id}", refuse)])


def wrong_base_path_run() -> RunResults:
    """The API served under /api, the base URL given without it: every request 404."""
    app = Starlette(routes=[Mount("/api", app=create_app())])
    with LoopbackServer(app, name="server under /api") as server:
        return probed_at(server.base_url, DEMO.api_key, DEMO.call_ids, DEMO.foreign_call_ids)


def with_primary_calls(count: int) -> Dataset:
    """The demo data with only the primary account's first `count` calls (a short listing)."""
    data = demo_dataset()
    mine = sorted(i for i, call in data.calls.items() if call.account_id == PRIMARY.account_id)
    kept = {i: call for i, call in data.calls.items() if i not in set(mine[count:])}
    return Dataset(data.as_of, data.accounts, data.keys, kept)


def busy_run() -> RunResults:
    with LoopbackServer(always_busy(), name="busy gateway") as server:
        return probed_at(server.base_url, DEMO.api_key, DEMO.call_ids, DEMO.foreign_call_ids)


def short_listing_run() -> RunResults:
    dataset = with_primary_calls(PAGE - 2)
    ids = tuple(i for i, call in dataset.calls.items() if call.account_id == PRIMARY.account_id)
    return probed(dataset=dataset, call_ids=ids)


@dataclass(frozen=True)
class Scenario:
    """A server (or a key, or ids) a team might really run against, and what it raises."""

    run: Callable[[], RunResults]
    foreign_ids: tuple[int, ...]  # what the run was given
    raises: tuple[str, ...]


SCENARIOS = {
    # The key's account has no call yet; its listing is empty (ids discovered: none).
    "new tenant": Scenario(
        lambda: probed(dataset=new_tenant(), call_ids=()),
        DEMO.foreign_call_ids,
        ("no-records", "listing-too-short"),
    ),
    # Another account's key with this account's call ids, and no foreign ids given.
    "another account's key": Scenario(
        lambda: probed(key=DEMO.other_api_key, foreign_ids=()),
        (),
        ("no-records", "auth-dominated", "no-foreign-ids"),
    ),
    "always-busy gateway": Scenario(
        busy_run, DEMO.foreign_call_ids, ("no-records", "mostly-rate-limited", "listing-too-short")
    ),
    "wrong base path": Scenario(
        wrong_base_path_run,
        DEMO.foreign_call_ids,
        ("no-records", "low-valid-rate", "listing-too-short"),
    ),
    "short listing": Scenario(short_listing_run, DEMO.foreign_call_ids, ("listing-too-short",)),
}


@functools.cache
def results_of(scenario: str) -> RunResults:
    return SCENARIOS[scenario].run()


def test_every_warning_has_a_server_that_raises_it() -> None:
    raised = {name for scenario in SCENARIOS.values() for name in scenario.raises}
    assert raised == set(WARNINGS)


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_each_server_raises_its_warnings(scenario: str) -> None:
    foreign_ids = SCENARIOS[scenario].foreign_ids
    raised = concluded(results_of(scenario), foreign_ids=foreign_ids).warnings
    assert tuple(found.name for found in raised) == SCENARIOS[scenario].raises, [
        found.line for found in raised
    ]
    for found in raised:
        assert any(char.isdigit() for char in found.numbers) and found.advice


@pytest.fixture
def new_tenant_results() -> RunResults:
    return results_of("new tenant")


def test_a_new_tenant_passes_with_its_warnings_named_in_the_verdict(
    new_tenant_results: RunResults,
) -> None:
    outcome = concluded(new_tenant_results)
    assert outcome.exit_code == ExitCode.CONFORMS
    raised = [warning.name for warning in outcome.warnings]
    assert raised == ["no-records", "listing-too-short"]
    line = render_text(outcome).strip().splitlines()[-1]
    assert line.startswith("PASS with 2 warnings (no-records, listing-too-short): "), line
    assert line.endswith("(exit 0)")


@pytest.mark.parametrize(
    ("fail_on", "code"),
    [
        ("no-records", ExitCode.COVERAGE_SHORT),
        ("all", ExitCode.COVERAGE_SHORT),
        ("auth-dominated,no-foreign-ids", ExitCode.CONFORMS),  # raised neither
    ],
)
def test_fail_on_warning_turns_the_named_ones_into_exit_3(
    new_tenant_results: RunResults, fail_on: str, code: ExitCode
) -> None:
    settings = Settings(base_url=None, fail_on_warning=parse_warning_names(fail_on))
    outcome = concluded(new_tenant_results, settings)
    assert outcome.exit_code == code
    if code == ExitCode.COVERAGE_SHORT:
        line = render_text(outcome).strip().splitlines()[-1]
        assert line.startswith("SHORT with 2 warnings (no-records, listing-too-short): ")
        assert "--fail-on-warning makes no-records" in line


def test_a_violation_stays_exit_1_whatever_the_warnings(new_tenant_results: RunResults) -> None:
    results = RunResults()
    results.merge(new_tenant_results)
    record = FailureRecord("cost_adds_up", "Invariant 5", GET_CALL, "t", "m", "curl", "probes")
    results.record_failure(record)
    outcome = concluded(results, Settings(base_url=None, fail_on_warning=frozenset(WARNINGS)))
    assert outcome.exit_code == ExitCode.VIOLATES
    assert render_text(outcome).strip().splitlines()[-1].startswith("FAIL with 2 warnings (")


def junit_properties(outcome: RunOutcome, folder: Path) -> dict[str, str]:
    """The properties of junit.xml as written (read back as plain XML)."""
    build(outcome).write(str(folder / "junit.xml"))
    found = ElementTree.parse(folder / "junit.xml").iter("property")
    return {str(prop.get("name")): str(prop.get("value")) for prop in found}


def test_every_report_puts_the_warnings_first(
    new_tenant_results: RunResults, tmp_path: Path
) -> None:
    outcome = concluded(new_tenant_results)
    screen = render_text(outcome)
    assert screen.index("! no-records") < screen.index("  target ") < screen.index("checks:")
    assert len(screen.splitlines()) < 60
    markdown = render_markdown(outcome)
    assert markdown.index("## Warnings (2)") < markdown.index("## Checks")
    assert "- **listing-too-short**: the listing walk compared 0 page boundaries" in markdown
    page = render_html(outcome)
    assert page.index('id="warnings"') < page.index("<h2>Figures</h2>")
    properties = junit_properties(outcome, tmp_path)
    assert properties["warnings"] == "no-records, listing-too-short"
    assert properties["warning.no-records"].startswith("getCall answered 200 to 0 of its ")


def test_junit_says_none_when_the_run_raised_no_warning(tmp_path: Path) -> None:
    outcome = concluded(RunResults(clause_states=dict(FULL_STATES)))
    assert outcome.warnings == []
    assert junit_properties(outcome, tmp_path)["warnings"] == "none"


# ---- the figures and their thresholds, on results made by hand ------------------------------

FULL_STATES = {
    "nullability_by_status": Counter({"ended": 3}),
    "foreign_call_forbidden": Counter({"another account's call": 2}),
    "pages_tile_the_listing": Counter({"page boundaries compared": 3}),
}


def by_hand(**answers: int) -> RunResults:
    """Results whose positive requests got `answers` ({"s401": 6, "s200": 4}), all else seen."""
    counts = Counter({int(status[1:]): count for status, count in answers.items()})
    return RunResults(positive_requests=counts, clause_states=dict(FULL_STATES))


@pytest.mark.parametrize(
    ("answers", "raised"),
    [
        ({"s200": 10}, []),
        ({"s401": 3, "s403": 2, "s200": 5}, []),  # half is not most
        ({"s401": 4, "s403": 2, "s200": 4}, ["auth-dominated"]),
        ({"s429": 6, "s200": 4}, ["mostly-rate-limited"]),
        ({"s404": 5, "s422": 1, "s200": 4}, ["low-valid-rate"]),
        # 401/403/429 have their own warnings: they do not count as another 4xx.
        ({"s401": 3, "s429": 3, "s404": 1, "s200": 3}, []),
        ({}, []),  # no positive request: no share to speak of
    ],
)
def test_the_share_warnings_take_more_than_half(answers: dict[str, int], raised: list[str]) -> None:
    assert names(by_hand(**answers)) == raised


def test_the_figures_say_how_many_of_how_many() -> None:
    [warning] = concluded(by_hand(s401=4, s403=2, s200=4)).warnings
    assert warning.numbers.startswith("6 of 10 positive requests (60%) were answered 401 or 403")
    assert "(401: 4, 403: 2)" in warning.numbers


def test_no_foreign_ids_says_whether_ids_were_given() -> None:
    results = RunResults(clause_states={k: v for k, v in FULL_STATES.items() if "foreign" not in k})
    given = warnings_of(results, concluded(results).coverage, foreign_ids_given=3)
    none = warnings_of(results, concluded(results).coverage, foreign_ids_given=0)
    assert [w.name for w in given] == [w.name for w in none] == ["no-foreign-ids"]
    assert "3 foreign call ids were given" in given[0].numbers
    assert "no foreign call ids were given" in none[0].numbers


def test_listing_too_short_names_the_walks_page() -> None:
    results = RunResults(clause_states={k: v for k, v in FULL_STATES.items() if "pages" not in k})
    [warning] = concluded(results).warnings
    assert warning.name == "listing-too-short"
    assert f"over {PAGE} listed calls" in warning.advice


@pytest.mark.parametrize(
    ("request_", "positive"),
    [
        (Request(GET_CALL, {"call_id": "77"}, headers=KEYED), True),
        (Request(LIST_CALLS, query=(("limit", "10"), ("offset", "0")), headers=KEYED), True),
        (Request(LIST_CALLS, headers=KEYED), True),
        (Request(GET_CALL, {"call_id": "77"}), False),  # no key
        (Request(GET_CALL, {"call_id": "77"}, headers=(("Authorization", "Bearer x"),)), False),
        (Request(GET_CALL, {"call_id": "0"}, headers=KEYED), False),  # below the id bounds
        (Request(GET_CALL, {"call_id": "077"}, headers=KEYED), False),
        (Request(GET_CALL, {"call_id": "abc"}, headers=KEYED), False),
        (Request(GET_CALL, {"call_id": str(DEMO.foreign_call_ids[0])}, headers=KEYED), False),
        (Request(LIST_CALLS, query=(("limit", "0"),), headers=KEYED), False),
        (Request(LIST_CALLS, query=(("limit", "5"), ("limit", "6")), headers=KEYED), False),
        (Request(LIST_CALLS, query=(("status", "ended"),), headers=KEYED), False),
        (Request("GET /v2/other", headers=KEYED), False),
    ],
)
def test_a_positive_request_is_keyed_valid_and_not_another_accounts(
    request_: Request, positive: bool
) -> None:
    assert is_positive(request_, DEMO.api_key, DEMO.foreign_call_ids) is positive


def test_fail_on_warning_names_are_checked() -> None:
    assert parse_warning_names("all") == frozenset(WARNINGS)
    assert parse_warning_names(" no-records, listing-too-short ") == {
        "no-records",
        "listing-too-short",
    }
    with pytest.raises(ValueError, match="no-record: not a warning; use all or any of"):
        parse_warning_names("no-record")
