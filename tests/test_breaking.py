"""Breaking-change review: one fixture pair per rule, $ref uses, the CLI and its exit codes.

tests/fixtures/breaking/<rule-id>/{base,head}.yaml make exactly the change the rule names;
no-client-visible-change/ changes only descriptions, summaries and examples.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts.breaking import main
from scripts.governance.diff import Change, compare
from scripts.governance.rules import RULES, Level
from scripts.governance.spec import load_at_ref, load_file

FIXTURES = Path(__file__).parent / "fixtures" / "breaking"
QUIET = "no-client-visible-change"
RULE_DIRS = sorted(path for path in FIXTURES.iterdir() if path.is_dir() and path.name != QUIET)
CALL = "/paths/~1v2~1calls~1{call_id}/get/responses/200/content/application~1json/schema"


def changes_of(pair: Path) -> list[Change]:
    return compare(load_file(pair / "base.yaml"), load_file(pair / "head.yaml"))


@pytest.mark.parametrize("pair", RULE_DIRS, ids=lambda path: path.name)
def test_rule_fires_on_its_fixture_pair(pair: Path) -> None:
    found = {change.rule.id: change for change in changes_of(pair)}
    assert pair.name in found, f"expected {pair.name}, got {sorted(found)}"
    assert found[pair.name].level == RULES[pair.name].level


def test_descriptions_and_examples_are_not_changes() -> None:
    assert changes_of(FIXTURES / QUIET) == []


def test_rules_keep_their_levels() -> None:
    """The levels the issue fixes: a sample per level, security raised to ERR."""
    assert RULES["response-property-enum-value-added"].level is Level.WARN
    assert RULES["response-property-enum-value-removed"].level is Level.INFO
    assert RULES["response-required-property-removed"].level is Level.ERR
    security = [rule for rule in RULES.values() if rule.id.startswith("api-security")]
    assert all(rule.level is Level.ERR for rule in security if not rule.id.endswith("added"))
    assert RULES["api-security-removed"].raised


def test_change_in_a_referenced_schema_is_reported_at_every_use() -> None:
    pointers = {
        change.pointer
        for change in changes_of(FIXTURES / "response-property-enum-value-added")
        if change.rule.id == "response-property-enum-value-added"
    }
    assert pointers == {
        "/paths/~1v2~1things/get/responses/200/content/application~1json/schema"
        "/properties/things/items/properties/status",
        "/paths/~1v2~1things~1{thing_id}/get/responses/200/content/application~1json/schema"
        "/properties/status",
    }


def spec_at_head() -> dict[str, Any]:
    return load_at_ref("HEAD")


def write(spec: dict[str, Any], path: Path) -> Path:
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_acceptance_removed_field_and_new_status_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = spec_at_head()
    schemas = spec["components"]["schemas"]
    del schemas["Call"]["properties"]["recording_url"]
    schemas["Call"]["required"].remove("recording_url")
    schemas["CallStatus"]["enum"].append("archived")
    assert main(["HEAD", "--head", str(write(spec, tmp_path / "head.yaml"))]) == 1
    out = capsys.readouterr().out
    assert f"ERR  response-required-property-removed {CALL}/properties/recording_url" in out
    assert f"WARN response-property-enum-value-added {CALL}/properties/status" in out
    assert "'archived'" in out


def test_fail_on_warn_and_markdown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = spec_at_head()
    spec["components"]["schemas"]["CallStatus"]["enum"].append("archived")
    head = str(write(spec, tmp_path / "head.yaml"))
    assert main(["HEAD", "--head", head]) == 0
    assert main(["HEAD", "--head", head, "--fail-on", "WARN"]) == 1
    capsys.readouterr()
    assert main(["HEAD", "--head", head, "--format", "markdown"]) == 0
    assert "| **WARN** | `response-property-enum-value-added` |" in capsys.readouterr().out


def test_unchanged_spec_exits_0(tmp_path: Path) -> None:
    assert main(["HEAD", "--head", str(write(spec_at_head(), tmp_path / "same.yaml"))]) == 0


def test_bad_ref_or_unreadable_spec_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["no-such-ref-anywhere"]) == 2
    assert "no-such-ref-anywhere" in capsys.readouterr().err
    assert main(["HEAD", "--head", str(tmp_path / "missing.yaml")]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: [unclosed\n", encoding="utf-8")
    assert main(["HEAD", "--head", str(broken)]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
