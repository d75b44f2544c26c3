"""The version policy and where versions and bases come from.

The generated client's version follows info.version; the bump a change needs; the default
BASE, in a throwaway git repository, is never the head's own spec; nox -s breaking installs
only its extra, whose pins are the kit's.
"""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from scripts.codegen import CONFIG, GENERATED, ROOT, SPEC
from scripts.governance.spec import SPEC_IN_REPO, SpecUnavailable, default_base, load_file
from scripts.governance.versioning import Bump, bump_between, parse, version_findings


def test_generated_client_version_follows_info_version() -> None:
    version = load_file(SPEC)["info"]["version"]
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    assert config["package_version_override"] == version
    assert f'version="{version}"' in (GENERATED / "setup.py").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("base", "head", "moved"),
    [
        ("2.0.1", "3.0.0", Bump.MAJOR),
        ("2.0.1", "2.1.0", Bump.MINOR),
        ("2.0.1", "2.0.2", Bump.PATCH),
        ("2.0.1", "2.0.1", Bump.NONE),
        ("2.0.1", "2.0.0", None),
        ("0.3.1", "0.4.0", Bump.MAJOR),  # 0.y.z: y is the breaking number
        ("0.3.1", "0.3.2", Bump.MINOR),
    ],
)
def test_bump_between(base: str, head: str, moved: Bump | None) -> None:
    old, new = parse(base), parse(head)
    assert old is not None and new is not None
    assert bump_between(old, new) is moved


def test_no_change_with_a_patch_bump_is_fine_and_semver_is_required() -> None:
    assert version_findings("2.0.0", "2.0.1", []) == []
    assert version_findings("2.0.0", "2.0.0", []) == []
    [finding] = version_findings("2.0.0", "2.1", [])
    assert finding.rule.id == "api-version-not-semver"
    assert parse("v2.1.0-beta.1+build.5") is not None


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository on main whose spec changed twice."""
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.email", "t@example.com")
    git(tmp_path, "config", "user.name", "t")
    spec = tmp_path / SPEC_IN_REPO
    spec.parent.mkdir(parents=True)
    for version in ("1.0.0", "1.1.0"):
        spec.write_text(f"openapi: 3.1.0\ninfo: {{title: t, version: {version}}}\npaths: {{}}\n")
        git(tmp_path, "add", ".")
        git(tmp_path, "commit", "-q", "-m", f"spec {version}")
    return tmp_path


def test_default_base_on_main_is_the_spec_before_its_last_change(repo: Path) -> None:
    head = load_file(repo / SPEC_IN_REPO)
    ref, why = default_base(head, repo)
    assert ref == git(repo, "rev-parse", "--short", "HEAD") + "^"
    assert "before its last change" in why


def test_default_base_with_uncommitted_changes_is_head(repo: Path) -> None:
    spec = repo / SPEC_IN_REPO
    spec.write_text(spec.read_text().replace("1.1.0", "1.2.0"))
    assert default_base(load_file(spec), repo)[0] == "HEAD"


def test_default_base_on_a_branch_is_the_merge_base(repo: Path) -> None:
    fork = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "-b", "feature")
    git(repo, "commit", "-q", "--allow-empty", "-m", "work")
    ref, why = default_base(load_file(repo / SPEC_IN_REPO), repo)
    assert fork.startswith(ref)
    assert "merge base" in why


def test_a_spec_with_no_history_needs_an_explicit_base(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    with pytest.raises(SpecUnavailable, match="give BASE"):
        default_base({}, tmp_path)


def test_breaking_session_installs_only_its_extra_at_the_kits_pins() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extra = project["optional-dependencies"]["breaking"]
    assert extra and set(extra) <= set(project["dependencies"])
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    session = noxfile.split("def breaking(", 1)[1].split("@nox.session", 1)[0]
    assert 'extras["breaking"]' in session
    assert "install_kit" not in session
