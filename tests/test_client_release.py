"""The client's release build (issue 24): `nox -s build` (scripts/release.py) makes an sdist
and a wheel of generated/ that pass `twine check`, install and import in a new environment, and
are byte-identical from one build to the next; and the pins it builds with agree.

The whole release runs once (two builds, the checks, an install: about 5 s) and one more build,
a second later and in another folder, must give the same bytes.
"""

from __future__ import annotations

import struct
import tarfile
import time
import tomllib
import zipfile
from pathlib import Path

import pytest

from scripts import release
from scripts.codegen import GENERATED, ROOT


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("dist")
    assert release.main(["--out", str(out)]) == 0
    return sorted(out.iterdir())


@pytest.mark.timeout(120)
def test_the_release_builds_checks_and_installs_an_sdist_and_a_wheel(
    released: list[Path],
) -> None:
    """main() returned 0 (the fixture): both builds alike, twine check passed, the wheel
    imported in a new environment. Here: the files, named with the spec's info.version."""
    version = release.spec_version()
    assert {path.name for path in released} == {
        f"thinnestai_calls_client-{version}.tar.gz",
        f"thinnestai_calls_client-{version}-py3-none-any.whl",
    }


def test_a_failed_check_is_exit_1_with_its_reason(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    builds = iter([b"first", b"second"])  # what two builds that differ would write

    def build_once(sources: Path, out: Path, epoch: int) -> list[Path]:
        out.mkdir(parents=True)
        sdist, wheel = out / "p-1.tar.gz", out / "p-1-py3-none-any.whl"
        sdist.write_bytes(b"same")
        wheel.write_bytes(next(builds))
        return [sdist, wheel]

    monkeypatch.setattr(release, "build_once", build_once)

    assert release.main(["--out", str(tmp_path)]) == 1
    assert "build: not reproducible: two builds of p-1-py3-none-any.whl differ" in (
        capsys.readouterr().err
    )
    assert not list(tmp_path.iterdir())


@pytest.mark.timeout(120)
def test_another_build_later_elsewhere_is_byte_identical(
    released: list[Path], tmp_path: Path
) -> None:
    time.sleep(1.1)  # another second on the clock: a time that leaked in would show
    sources = release.stage_sources(tmp_path / "elsewhere" / "checkout")
    again = release.build_once(sources, tmp_path / "again", release.source_date_epoch())

    assert {path.name: path.read_bytes() for path in again} == {
        path.name: path.read_bytes() for path in released
    }


def test_the_files_hold_the_package_and_nothing_of_the_build_machine(released: list[Path]) -> None:
    epoch = release.source_date_epoch()
    sdist = next(path for path in released if path.name.endswith(".tar.gz"))
    wheel = next(path for path in released if path.suffix == ".whl")

    with zipfile.ZipFile(wheel) as archive:
        wheel_names = archive.namelist()
        dates = {info.date_time for info in archive.infolist()}
    assert "thinnestai_calls_client/py.typed" in wheel_names
    assert "thinnestai_calls_client/errors.py" in wheel_names
    assert not any("egg-info" in name or "__pycache__" in name for name in wheel_names)
    assert dates == {time.gmtime(max(epoch, 315532800))[:6]}  # zip dates start in 1980

    header = sdist.read_bytes()[:10]
    assert header[:2] == b"\x1f\x8b" and struct.unpack("<I", header[4:8]) == (epoch,)
    with tarfile.open(sdist) as archive:
        members = archive.getmembers()
    assert [m.name for m in members] == sorted(m.name for m in members)
    assert {(m.mtime, m.uid, m.gid, m.uname, m.gname) for m in members} == {(epoch, 0, 0, "", "")}
    names = {m.name.split("/", 1)[-1] for m in members}
    assert {"PKG-INFO", "setup.py", "pyproject.toml", "README.md"} <= names
    assert "thinnestai_calls_client/py.typed" in names


def test_the_epoch_is_the_last_spec_or_client_commit_unless_given() -> None:
    from_git = release.source_date_epoch({})
    assert from_git > 1_600_000_000
    assert release.source_date_epoch({"SOURCE_DATE_EPOCH": "1700000000"}) == 1_700_000_000
    with pytest.raises(release.ReleaseError, match="not a whole number"):
        release.source_date_epoch({"SOURCE_DATE_EPOCH": "yesterday"})


def test_without_git_history_the_build_says_to_set_source_date_epoch(tmp_path: Path) -> None:
    with pytest.raises(release.ReleaseError, match="SOURCE_DATE_EPOCH"):
        release.source_date_epoch({"GIT_DIR": "nowhere"}, root=tmp_path)


def test_the_build_pins_agree() -> None:
    """generated/pyproject.toml asks for the setuptools the kit's release extra installs (the
    build runs without isolation), and the test extra has the release extra's pins."""
    kit = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package = tomllib.loads((GENERATED / "pyproject.toml").read_text(encoding="utf-8"))
    extras = kit["project"]["optional-dependencies"]

    assert package["build-system"]["requires"] == [
        pin for pin in extras["release"] if pin.startswith("setuptools==")
    ]
    assert set(extras["release"]) <= set(extras["test"])
    assert all("==" in pin for pin in extras["release"])
