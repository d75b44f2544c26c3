"""The review report: its Markdown sections, the client surface diff, and the HTML page as a
real browser (headless Chromium) renders it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts.governance.spec import load_at_ref
from scripts.review import main

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str:
    """The chromium binary; in CI its absence fails the test, elsewhere it skips it."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary:
        return binary
    reason = "chromium is not installed: apt-get install -y chromium (.ci/run does)"
    if os.environ.get("CI"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def breaking_head(tmp_path: Path) -> Path:
    """HEAD's spec minus a response field, plus a status value (the issue's scenario)."""
    spec: dict[str, Any] = load_at_ref("HEAD")
    schemas = spec["components"]["schemas"]
    del schemas["Call"]["properties"]["recording_url"]
    schemas["Call"]["required"].remove("recording_url")
    schemas["CallStatus"]["enum"].append("archived")
    head = tmp_path / "head.yaml"
    head.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return head


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("review")
    assert main(["HEAD", "--head", str(breaking_head(tmp)), "--out", str(tmp / "out")]) == 1
    return tmp / "out"


def test_markdown_starts_with_the_verdict_and_the_bump(report: Path) -> None:
    lines = (report / "review.md").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "## Spec review of `head.yaml`: BLOCK"
    # The examples still show recording_url: the strict-examples lint catches it too.
    assert lines[2].startswith("**BLOCK**: 3 lint error(s), first thinnest-example-documented-")
    assert "; response-required-property-removed at GET /v2/calls/{call_id} → 200 → " in lines[2]
    assert lines[4].startswith("**Version bump required: major (2.0.1 -> 3.0.0 or later)**")


def test_markdown_answers_the_three_questions(report: Path) -> None:
    markdown = (report / "review.md").read_text(encoding="utf-8")
    assert "### 1. Does the spec follow our rules? (lint)" in markdown
    assert "`response-required-property-removed`" in markdown
    assert "`response-property-enum-value-added`" in markdown
    assert "| removed | `models.Call` | `recording_url` |" in markdown
    assert "| added | `models.CallStatus` | `ARCHIVED` |" in markdown
    assert "**Breaking**" in markdown
    assert "- GET /v2/calls/{call_id} → 200 → recording_url: property recording_url removed." in (
        markdown
    )
    # Human-readable location first, the JSON pointer kept beside it.
    assert "| GET /v2/calls/{call_id} → 200 → recording_url |" in markdown
    assert "/properties/recording_url` |" in markdown


def test_markdown_is_ready_to_paste(report: Path, tmp_path: Path) -> None:
    """A pull-request comment: no local paths, no raw HTML, every table row well formed."""
    markdown = (report / "review.md").read_text(encoding="utf-8")
    assert str(report.parent) not in markdown and "/tmp/" not in markdown
    assert "<" not in markdown.replace("<br>", "")
    for table in (line for line in markdown.splitlines() if line.startswith("|")):
        assert table.endswith("|")


def test_unchanged_spec_reports_nothing(tmp_path: Path) -> None:
    head = tmp_path / "same.yaml"
    head.write_text(yaml.safe_dump(load_at_ref("HEAD"), sort_keys=False), encoding="utf-8")
    assert main(["HEAD", "--head", str(head), "--out", str(tmp_path)]) == 0
    markdown = (tmp_path / "review.md").read_text(encoding="utf-8")
    assert "**OK**: no finding at ERR or above." in markdown
    assert "No client-visible change." in markdown
    assert "public surface is unchanged" in markdown


def test_bad_ref_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no-such-ref-anywhere", "--out", str(tmp_path)]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert not (tmp_path / "review.md").exists()


def test_browser_shows_the_verdict_first(report: Path, tmp_path: Path) -> None:
    page = report / "review.html"
    command = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    result = subprocess.run(
        [*command, "--dump-dom", page.resolve().as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    dom = result.stdout
    assert "<table>" in dom, f"chromium rendered no table: {result.stderr[-500:]}"
    before_tables = dom.split("<table>", 1)[0]
    assert "<h2>Spec review of <code>head.yaml</code>: BLOCK</h2>" in before_tables
    assert "<p><strong>BLOCK</strong>: 3 lint error(s)" in before_tables
    assert "response-required-property-removed at GET /v2/calls/{call_id}" in before_tables
    assert "Version bump required: major" in before_tables
    assert "<strong>ERR</strong>" in dom
    assert "<code>response-property-enum-value-added</code>" in dom
    assert "GET /v2/calls/{call_id} → 200 → recording_url" in dom
