"""Check a server against the contract: python -m scripts.contract (or nox -s contract --)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from contract_tests.errors import ExitCode
from contract_tests.run.settings import load_settings
from scripts.cli import command, run

if TYPE_CHECKING:  # the runner brings in heavy imports: loaded once the settings are read
    from contract_tests.run.runner import RunOutcome


def write_reports(outcome: RunOutcome, report_dir: Path) -> list[Path]:
    """summary.md, summary.html, junit.xml and (when a check failed) evidence.har."""
    from contract_tests.reports.har import write_har
    from contract_tests.reports.html import write_html
    from contract_tests.reports.junit import write_junit
    from contract_tests.reports.markdown import write_markdown

    written = [write_markdown(outcome, report_dir), write_html(outcome, report_dir)]
    written.append(write_junit(outcome, report_dir))
    har = write_har(outcome, report_dir)
    return [*written, har] if har is not None else written


@command("contract")
def main(argv: list[str] | None = None) -> ExitCode:
    try:
        # Bad settings raise ConfigError, a CouldNotRun: one line and exit 2 (scripts/cli.py).
        settings = load_settings(sys.argv[1:] if argv is None else argv)
        # Said before the heavy imports (Schemathesis, the client): a run is never silent long.
        source = f" (settings from {settings.config_source})" if settings.config_source else ""
        print(
            f"contract: preparing a run against {settings.base_url or 'the embedded server'}"
            f"{source}",
            flush=True,
        )
        from contract_tests.run.runner import execute

        outcome = execute(settings)
    except KeyboardInterrupt:  # Ctrl-C before the run started (the run itself catches it)
        print("contract: interrupted before the run started; nothing was written", file=sys.stderr)
        return ExitCode.INTERRUPTED
    from contract_tests.reports.screen import render_text  # after the run: not on its path

    written = write_reports(outcome, settings.report_dir)
    print(render_text(outcome, settings.report_dir))
    print(f"reports: {', '.join(str(path) for path in written)}")
    if settings.write_baseline is not None:
        written_from = f"the run with seed {outcome.plan.seed} ({outcome.target.description})"
        write_baseline_of(outcome, settings.write_baseline, written_from)
    return outcome.exit_code


def write_baseline_of(outcome: RunOutcome, path: Path, written_from: str) -> None:
    """--write-baseline: the outcome's failures as baseline entries, and a line saying so."""
    from contract_tests.run.baseline import write_baseline

    written = write_baseline(outcome.results, path, outcome.baseline, written_from)
    print(
        f"baseline: {len(outcome.results.examples)} failures written to {written}; fill in "
        "reason, owner, ticket and expires before using it with --baseline"
    )


if __name__ == "__main__":
    run(main)
