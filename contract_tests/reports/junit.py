"""junit.xml of a run, for CI dashboards: one test case per check, one failure per distinct
breach, skipped checks with their reason, and the run's own state (errors, interruption).

Written by the runner from the merged results (not by pytest), so an interrupted run still
leaves a file that says what ran, and a check's failures are counted by breach, not by the
pytest test that happened to send the request.
"""

from __future__ import annotations

from pathlib import Path

from junitparser import Error, Failure, JUnitXml, Skipped, TestCase, TestSuite
from junitparser.junitparser import FinalResult

from contract_tests.reports.facts import baseline_summary, verdict
from contract_tests.run.coverage import check_rows, skipped_checks
from contract_tests.run.runner import RunOutcome

SUITE_NAME = "thinnest.ai Calls API contract"


def _known_to_baseline(outcome: RunOutcome, check: str) -> list[str]:
    """The check's failures the baseline knows: a CI dashboard shows them as skipped."""
    known = outcome.baseline.known if outcome.baseline is not None else {}
    return [
        f"known failure (baseline: {entry.who}; expires {entry.expires}): {key}"
        for key, entry in known.items()
        if outcome.results.examples[key].check == check
    ]


def _breaches_of(outcome: RunOutcome, check: str) -> list[Failure]:
    found = []
    known = outcome.baseline.known if outcome.baseline is not None else {}
    for key, record in outcome.results.examples.items():
        if record.check != check or key in known:
            continue
        failure = Failure(
            f"{record.operation}: {record.title} (seen {record.occurrences}x)", record.check
        )
        failure.text = f"{record.clause}\n\n{record.message}\n\nrequest: {record.curl}"
        found.append(failure)
    return found


def build(outcome: RunOutcome) -> JUnitXml:
    results = outcome.results
    suite = TestSuite(SUITE_NAME)
    suite.time = round(outcome.seconds, 3)
    suite.add_property("verdict", verdict(outcome))
    suite.add_property("seed", str(outcome.plan.seed))
    suite.add_property("requests", str(results.total_requests))
    suite.add_property("warnings", ", ".join(w.name for w in outcome.warnings) or "none")
    for warning in outcome.warnings:
        suite.add_property(f"warning.{warning.name}", f"{warning.numbers}. {warning.advice}.")
    if outcome.baseline is not None:
        suite.add_property("baseline", str(outcome.baseline.path))
        for heading, items in baseline_summary(outcome):
            suite.add_property(f"baseline: {heading}", "; ".join(items) or "none")
    skipped = skipped_checks(results)
    for name, passed, failed, clause in check_rows(results):
        case = TestCase(name, classname="contract.checks")
        case.system_out = f"{clause}\n{passed} passed, {failed} failed"
        outcomes: list[FinalResult] = [*_breaches_of(outcome, name)]
        if not outcomes and name in skipped:
            outcomes.append(Skipped(skipped[name]))
        elif not outcomes and _known_to_baseline(outcome, name):
            outcomes.append(Skipped("; ".join(_known_to_baseline(outcome, name))))
        case.result = outcomes
        suite.add_testcase(case)
    listed = {name for name, *_ in check_rows(results)}
    for name, reason in sorted(skipped.items()):
        if name not in listed:
            case = TestCase(name, classname="contract.checks")
            case.result = [Skipped(reason)]
            suite.add_testcase(case)
    if results.errors or outcome.interrupted_by:
        case = TestCase("the run itself", classname="contract.run")
        problems = list(results.errors)
        if outcome.interrupted_by:
            problems.insert(0, f"INTERRUPTED by {outcome.interrupted_by}: partial results")
        case.result = [Error(problem, "run") for problem in problems]
        suite.add_testcase(case)
    xml = JUnitXml(SUITE_NAME)
    xml.add_testsuite(suite)
    return xml


def write_junit(outcome: RunOutcome, report_dir: Path) -> Path:
    path = report_dir / "junit.xml"
    build(outcome).write(str(path), pretty=True)
    return path
