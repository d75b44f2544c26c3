"""The team config file: profiles drive a run, options override the file, and a bad file
(a key in it, an unknown setting, a bad value, an unknown profile, an unreadable file) is one
line and exit 2, never repeating a secret. The example in --help and in the README works.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from test_cli_errors import BY_MODULE, one_line, run_main

from contract_tests.errors import ExitCode
from contract_tests.reference_server import DEMO, EmbeddedServer
from contract_tests.reference_server.data import new_tenant
from contract_tests.run.settings import (
    CONFIG_HELP,
    ENV_API_KEY,
    ENV_BASE_URL,
    ENV_FOREIGN_CALL_IDS,
    build_parser,
    load_settings,
)
from contract_tests.run.team_config import DEFAULT_CONFIG, FILE_KEYS, looks_like_credential

ROOT = Path(__file__).resolve().parent.parent
KEY = "sk_staging_0123456789abcdef"
CONTRACT = BY_MODULE["contract"]
NOT_IN_A_FILE = {"help", "config", "profile", "write-baseline"}


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (ENV_BASE_URL, ENV_API_KEY, ENV_FOREIGN_CALL_IDS, "THINNESTAI_CALL_IDS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # the default config file is looked for in the working folder


def write(folder: Path, text: str, name: str = str(DEFAULT_CONFIG)) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_file_sets_every_long_option_but_the_ones_about_the_file_itself() -> None:
    options = {
        option[2:]
        for action in build_parser()._actions
        for option in action.option_strings
        if option.startswith("--")
    }
    assert set(FILE_KEYS) == options - NOT_IN_A_FILE


def test_a_profile_overrides_the_top_level_and_options_override_both(tmp_path: Path) -> None:
    (tmp_path / "team").mkdir()
    path = write(
        tmp_path / "team",
        """
        rate-limit = "5/s"
        max-examples = 50
        timeout = 7.5
        [profiles.staging]
        base-url = "https://staging.example.test/"
        call-ids = [101, 102]
        foreign-call-ids = "9001, 9002"
        max-examples = 40
        require-coverage = "all,-429"
        fail-on-warning = ["no-records", "no-foreign-ids"]
        report-dir = "reports/staging"
        """,
        "contract.toml",
    )
    env = {ENV_API_KEY: KEY, ENV_BASE_URL: "https://elsewhere.example.test"}
    argv = ["--config", str(path), "--profile", "staging"]
    settings = load_settings([*argv, "--max-examples", "3"], environ=env)
    assert settings.base_url == "https://staging.example.test"  # the file over the environment
    assert settings.call_ids == (101, 102) and settings.foreign_call_ids == (9001, 9002)
    assert settings.rate_limit == "5/s" and settings.timeout == 7.5
    assert settings.max_examples == 3  # the command line over the profile over the top level
    assert settings.require_coverage is not None and "429" in settings.require_coverage.exempt
    assert settings.fail_on_warning == {"no-records", "no-foreign-ids"}
    assert settings.report_dir == tmp_path / "team" / "reports/staging"  # beside the file
    assert settings.config_source == f"{path}, profile staging"
    top_level = load_settings(["--config", str(path)], environ={})
    assert top_level.base_url is None and top_level.max_examples == 50


def test_no_file_in_the_working_folder_is_no_config() -> None:
    assert load_settings([], environ={}).config_source == ""


def examples_in(text: str) -> list[str]:
    """The TOML examples of a text: a ```toml block, or the lines indented under 'A complete
    example:' (--help)."""
    fenced = re.findall(r"```toml\n(.*?)```", text, re.DOTALL)
    indented = re.findall(r"complete example:\n\n((?:    .*\n|\n)+)", text)
    return fenced + [textwrap.dedent(example) for example in indented]


@pytest.mark.parametrize("where", ["--help", "README.md"])
def test_the_documented_example_is_complete_and_valid(tmp_path: Path, where: str) -> None:
    text = CONFIG_HELP if where == "--help" else (ROOT / "README.md").read_text(encoding="utf-8")
    [example] = examples_in(text)
    write(tmp_path, example)
    keys = set(re.findall(r"^([a-z-]+) =", example, re.MULTILINE))
    assert keys == set(FILE_KEYS) - {"seed"}, "the example shows every setting a team keeps"
    for profile in re.findall(r"^\[profiles\.([a-z]+)\]", example, re.MULTILINE):
        (tmp_path / "contract-baseline.yaml").write_text("known-failures: []\n")
        settings = load_settings(["--profile", profile], environ={ENV_API_KEY: KEY})
        assert settings.base_url is not None and settings.fail_on_warning


CREDENTIAL_FILES = [
    ('api-key = "whatever"\n', "api-key: a key or token is never read from the config file"),
    ('[profiles.prod]\ntoken = "x"\n', "[profiles.prod] token: a key or token is never read"),
    (f'[profiles.staging]\nrate-limit = "{KEY}"\n', "rate-limit holds what looks like a key"),
    (
        'base-url = "https://ci:hunter2-secret@staging.example.test"\n',
        "base-url holds what looks like a key",
    ),
    ('base-url = "https://staging.example.test/?access_token=abc"\n', "base-url holds what"),
    ('report-dir = "Bearer abc"\n', "report-dir holds what looks like a key"),
]


@pytest.mark.parametrize(("text", "says"), CREDENTIAL_FILES)
def test_a_key_in_the_file_is_refused_in_one_line_without_showing_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, says: str
) -> None:
    write(tmp_path, text + "[profiles.staging]\n" * ("[profiles.staging]" not in text))
    assert run_main(CONTRACT, ["--profile", "staging"]) == ExitCode.COULD_NOT_RUN
    line = one_line(capsys, CONTRACT)
    assert says in line
    for secret in (KEY, "hunter2", "Bearer abc", "access_token=abc"):
        assert secret not in line


def test_the_environments_key_written_in_the_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_API_KEY, "correct-horse-battery-staple")  # no digit: not token-like
    write(tmp_path, 'report-dir = "correct-horse-battery-staple"\n')
    assert run_main(CONTRACT, []) == ExitCode.COULD_NOT_RUN
    line = one_line(capsys, CONTRACT)
    assert "report-dir holds what looks like a key" in line and "horse" not in line


BAD_FILES = [
    ("max-exampels = 5\n", [], "max-exampels is not a setting: did you mean max-examples?"),
    ("max-examples = 0\n", [], "max-examples = '0': must be 1 or more"),
    ('max-examples = "many"\n', [], "max-examples = 'many': 'many' is not a whole number"),
    ("max-examples = [1, 2]\n", [], "max-examples: expected text or a number, not a list"),
    ("timeout = true\n", [], "timeout: expected text or a number, not a true/false"),
    ('rate-limit = "fast"\n', [], "rate-limit = 'fast': must look like 10/s"),
    ('call-ids = [1, "x"]\n', [], "call-ids = '1,x': 'x' is not a call id"),
    ('base-url = "ftp://x.test"\n', [], "base-url = 'ftp://x.test': 'ftp://x.test' is not an"),
    ('fail-on-warning = "no-record"\n', [], "no-record: not a warning; use all or any of"),
    ('require-coverage = "everything"\n', [], "'everything' is not a coverage item"),
    ('baseline = "nowhere.yaml"\n', [], "cannot read the baseline"),
    ("[profiles.staging]\n", ["--profile", "prod"], "has no [profiles.prod] (its profiles: st"),
    ("profiles = 3\n", [], "profiles must be tables, e.g. [profiles.staging]"),
    ("max-examples =\n", [], "is not valid TOML: "),
    (None, ["--profile", "staging"], f"there is no {DEFAULT_CONFIG} in "),
    (None, ["--config", "/no/such/team.toml"], "cannot read the config file /no/such/team.toml"),
]


@pytest.mark.parametrize(("text", "argv", "says"), BAD_FILES)
def test_a_bad_file_is_one_line_and_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str | None,
    argv: list[str],
    says: str,
) -> None:
    if text is not None:
        write(tmp_path, text)
    assert run_main(CONTRACT, argv) == ExitCode.COULD_NOT_RUN
    line = one_line(capsys, CONTRACT)
    assert says in line and "internal error" not in line
    if text is not None and "is not valid TOML" not in says and argv[:1] != ["--profile"]:
        assert line.startswith(f"contract: {DEFAULT_CONFIG}")  # which file says it


@pytest.mark.parametrize(
    ("text", "credential"),
    [
        ("thn_demo_primary_6f1c0e9a4b7d2835", True),
        ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", True),
        ("Basic dXNlcjpwYXNz", True),
        ("https://staging.api.thinnest.ai", False),
        ("reports/contract-nightly-2026-05", False),
        ("contract-baseline.yaml", False),
        ("all,-getCall:403", False),
        ("no-records,listing-too-short", False),
        ("101,102,103", False),
    ],
)
def test_what_looks_like_a_credential(text: str, credential: bool) -> None:
    assert looks_like_credential(text) is credential


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_a_profile_alone_drives_a_whole_run_against_a_new_tenant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Done when: a profile drives a whole run with no flag but the profile; a correct
    server whose account has no call yet names no-records in the verdict line, and
    fail-on-warning no-records makes it exit 3."""
    monkeypatch.setenv(ENV_API_KEY, DEMO.api_key)
    with EmbeddedServer(dataset=new_tenant()) as server:
        write(
            tmp_path,
            f"""
            max-examples = 3
            seed = 1
            [profiles.new-tenant]
            base-url = "{server.base_url}"
            rate-limit = "1000/s"
            foreign-call-ids = {list(DEMO.foreign_call_ids)}
            fail-on-warning = "no-records"
            report-dir = "reports"
            """,
        )
        code = run_main(CONTRACT, ["--profile", "new-tenant"])
    out = capsys.readouterr().out
    assert f"settings from {DEFAULT_CONFIG}, profile new-tenant" in out
    verdict = [line for line in out.splitlines() if line.startswith("SHORT")]
    assert verdict == [
        "SHORT with 2 warnings (no-records, listing-too-short): no violation seen, but "
        "--fail-on-warning makes no-records fatal (exit 3)"
    ], out[-2000:]
    assert code == ExitCode.COVERAGE_SHORT
    assert "**SHORT with 2 warnings" in (tmp_path / "reports" / "summary.md").read_text()
