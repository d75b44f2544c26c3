"""Breaking-change review: a fixture pair per rule, $ref uses, matching, the CLI, exit codes.

tests/fixtures/breaking/<rule-id>/{base,head}.yaml make exactly the change the rule names (and
bump info.version as the policy wants, so that only the rule itself is reported); an
accepted.yaml beside them is that pair's accepted-breaks file. no-client-visible-change/
changes only descriptions, summaries and examples.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from scripts.breaking import main
from scripts.governance import accepted
from scripts.governance.diff import compare
from scripts.governance.findings import Outcome, Side, evaluate, version_of
from scripts.governance.render import SCHEMA
from scripts.governance.rules import RULES, Level
from scripts.governance.spec import load_at_ref, load_file

FIXTURES = Path(__file__).parent / "fixtures" / "breaking"
QUIET = "no-client-visible-change"
RULE_DIRS = sorted(path for path in FIXTURES.iterdir() if path.is_dir() and path.name != QUIET)
CALL = "/paths/~1v2~1calls~1{call_id}/get/responses/200/content/application~1json/schema"
GET_CALL = "GET /v2/calls/{call_id} → 200"
# What a fixture reports besides its own rule: the version rules' pairs need a change to judge.
ALSO = {
    "api-version-not-bumped": {"response-required-property-removed"},
    "api-major-version-not-bumped": {"response-required-property-removed"},
    "api-version-decreased": {"response-required-property-removed"},
    "api-minor-version-not-bumped": {"response-property-enum-value-added"},
}


def outcome_of(pair: Path) -> Outcome:
    base, head = load_file(pair / "base.yaml"), load_file(pair / "head.yaml")
    file = pair / "accepted.yaml"
    acceptances = accepted.load(file) if file.exists() else []
    return evaluate(
        base, head, Side("base", version_of(base)), Side("head", version_of(head)), acceptances
    )


@pytest.mark.parametrize("pair", RULE_DIRS, ids=lambda path: path.name)
def test_rule_fires_on_its_fixture_pair_and_nothing_else(pair: Path) -> None:
    findings = outcome_of(pair).findings
    assert {f.change.rule.id for f in findings} == {pair.name} | ALSO.get(pair.name, set())
    own = [f for f in findings if f.change.rule.id == pair.name]
    assert all(f.level == RULES[pair.name].level for f in own)


def test_descriptions_and_examples_are_not_changes() -> None:
    assert outcome_of(FIXTURES / QUIET).findings == []


def test_every_rule_this_issue_added_has_a_fixture_pair() -> None:
    """Every rule outside oasdiff, every deviation, and each family of issue 13."""
    families = ("deprecat", "sunset", "reactivated", "operation-id", "schema-removed", "media-type")
    wanted = {
        rule.id
        for rule in RULES.values()
        if not rule.in_oasdiff
        or rule.id.startswith(("response-header-", "api-version", "api-major", "api-minor"))
        or any(family in rule.id for family in families)
        or any(part in rule.id for part in ("-of-added", "-of-removed", "-of-types-", "-type-"))
    }
    assert wanted - {path.name for path in RULE_DIRS} == set()


def test_levels_are_oasdiffs_except_the_stated_deviations() -> None:
    assert RULES["response-property-enum-value-added"].level is Level.WARN
    assert RULES["response-property-type-generalized"].level is Level.ERR
    assert RULES["request-parameter-type-generalized"].level is Level.INFO
    raised = {rule.id for rule in RULES.values() if rule.raised}
    assert all(
        rule_id.startswith(("api-security", "api-global-security", "api-version", "api-major"))
        or rule_id == "api-operation-id-removed"
        for rule_id in raised
    ), raised
    assert all(RULES[rule_id].deviation for rule_id in raised)
    assert all(rule.deviation for rule in RULES.values() if not rule.in_oasdiff)
    assert RULES["api-security-removed"].provenance == "oasdiff: INFO"
    assert RULES["accepted-break-stale"].provenance == "not in oasdiff"


def test_change_in_a_referenced_schema_is_reported_at_every_use() -> None:
    pair = FIXTURES / "response-property-enum-value-added"
    changes = compare(load_file(pair / "base.yaml"), load_file(pair / "head.yaml"))
    assert {change.location for change in changes} == {
        "GET /v2/things → 200 → things[].status",
        "GET /v2/things/{thing_id} → 200 → status",
    }
    assert {change.operation for change in changes} == {
        "GET /v2/things",
        "GET /v2/things/{thing_id}",
    }


def test_a_removed_path_is_reported_once_per_operation() -> None:
    pair = FIXTURES / "api-path-removed-without-deprecation"
    base = load_file(pair / "base.yaml")
    base["paths"]["/v2/things/{thing_id}"]["delete"] = {"responses": {"204": {"description": "."}}}
    changes = compare(base, load_file(pair / "head.yaml"))
    assert sorted(c.operation for c in changes) == [
        "DELETE /v2/things/{thing_id}",
        "GET /v2/things/{thing_id}",
    ]
    assert {c.rule.id for c in changes} == {"api-path-removed-without-deprecation"}


def test_reordered_branches_report_nothing() -> None:
    head = load_file(FIXTURES / "response-property-one-of-added" / "base.yaml")
    base = yaml.safe_load(yaml.safe_dump(head))
    head["components"]["schemas"]["Thing"]["properties"]["shape"]["oneOf"].reverse()
    assert compare(base, head) == []


def test_operation_security_is_taken_as_written() -> None:
    """Writing out the global requirement on an operation adds one (oasdiff's reading)."""
    base = load_file(FIXTURES / QUIET / "base.yaml")
    head = yaml.safe_load(yaml.safe_dump(base))
    head["paths"]["/v2/things"]["get"]["security"] = [{"bearerAuth": []}]
    assert [c.rule.id for c in compare(base, head)] == ["api-security-added"]


def spec_at_head() -> dict[str, Any]:
    return load_at_ref("HEAD")


def write(spec: dict[str, Any], path: Path) -> Path:
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def breaking_head(tmp_path: Path) -> str:
    """HEAD's spec minus a response field, plus a status value, version unchanged."""
    spec = spec_at_head()
    schemas = spec["components"]["schemas"]
    del schemas["Call"]["properties"]["recording_url"]
    schemas["Call"]["required"].remove("recording_url")
    schemas["CallStatus"]["enum"].append("archived")
    return str(write(spec, tmp_path / "head.yaml"))


def test_acceptance_removed_field_and_new_status_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["HEAD", "--head", breaking_head(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"ERR  response-required-property-removed  {GET_CALL} → recording_url" in out
    assert f"{CALL}/properties/recording_url" in out
    assert f"WARN response-property-enum-value-added  {GET_CALL} → status" in out
    assert "'archived'" in out
    # The version policy: a break that keeps info.version is itself an ERR.
    assert "ERR  api-version-not-bumped  info.version [oasdiff: INFO]" in out
    assert "version bump required: major (2.0.1 -> 3.0.0 or later)" in out


def test_json_is_the_documented_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["HEAD", "--head", breaking_head(tmp_path), "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    jsonschema.validate(document, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert document["verdict"] == "BLOCK"
    assert document["required_bump"] == "major"
    removed = next(f for f in document["findings"] if f["id"].startswith("response-required"))
    assert removed["operation"] == "GET /v2/calls/{call_id}"
    assert removed["location"] == f"{GET_CALL} → recording_url"
    assert removed["level"] == removed["oasdiff_level"] == "ERR"


def test_file_to_file_and_fail_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pair = FIXTURES / "response-property-enum-value-removed"  # one INFO finding, minor bump
    files = [str(pair / "base.yaml"), "--head", str(pair / "head.yaml")]
    assert main(files) == 0
    assert main([*files, "--fail-on", "WARN"]) == 0
    assert main([*files, "--fail-on", "INFO"]) == 1
    capsys.readouterr()
    assert main([*files, "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert markdown.startswith("**OK**: no finding at ERR or above.")
    assert "| **INFO** | `response-property-enum-value-removed` |" in markdown


def test_accepted_break_does_not_fail_and_a_stale_one_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pair = FIXTURES / "response-required-property-removed"
    files = [str(pair / "base.yaml"), "--head", str(pair / "head.yaml")]
    entry = {
        "rule": "response-required-property-removed",
        "location": "GET /v2/things/{thing_id} → 200 → name",
        "reason": "no client reads it",
        "by": "reviewer",
        "date": "2026-01-15",
    }
    listed = {**entry, "location": "GET /v2/things → 200 → things[].name"}
    accepted_file = write({"accepted": [entry, listed]}, tmp_path / "accepted.yaml")
    assert main(files) == 1  # openapi/accepted-breaks.yaml accepts nothing
    capsys.readouterr()
    assert main([*files, "--accepted", str(accepted_file), "--format", "json"]) == 0
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert all(f["accepted"] for f in findings), findings
    stale = {**entry, "location": "GET /v2/things/{thing_id} → 200 → score"}
    write({"accepted": [entry, listed, stale]}, accepted_file)
    assert main([*files, "--accepted", str(accepted_file), "--fail-on", "WARN"]) == 1
    out = capsys.readouterr().out
    assert "WARN accepted-break-stale  GET /v2/things/{thing_id} → 200 → score" in out
    assert "ok   response-required-property-removed" in out


def test_bad_accepted_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pair = FIXTURES / QUIET
    files = [str(pair / "base.yaml"), "--head", str(pair / "head.yaml")]
    for content in ("accepted: [{rule: endpoint-added}]\n", "accepted: {}\n", "[unclosed\n"):
        bad = tmp_path / "accepted.yaml"
        bad.write_text(content, encoding="utf-8")
        assert main([*files, "--accepted", str(bad)]) == 2
        assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_default_base_is_never_the_heads_own_spec(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--format", "json"]) in (0, 1)
    captured = capsys.readouterr()
    base = json.loads(captured.out)["base"]["source"]
    assert base != "HEAD" or "uncommitted" in captured.err
    assert "breaking: base " in captured.err


def test_bad_ref_option_or_unreadable_spec_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["no-such-ref-anywhere"]) == 2
    err = capsys.readouterr().err
    assert "no-such-ref-anywhere" in err
    assert len(err.strip().splitlines()) == 1
    assert main(["HEAD", "--fail-on", "FATAL"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert main(["HEAD", "--head", str(tmp_path / "missing.yaml")]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: [unclosed\n", encoding="utf-8")
    assert main(["HEAD", "--head", str(broken)]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
