"""Build the client's release files, check them, and prove the build reproducible:
python -m scripts.release (nox -s build).

1. The files generation makes (generated/, without an install's egg-info or caches) are copied
   to a temporary folder and built twice, each time into its own folder, with the standard
   `build` front end (no isolation: the setuptools pinned in the kit's `release` extra, the same
   one the package's own pyproject.toml asks for) and SOURCE_DATE_EPOCH set to the time of the
   last commit that changed openapi/ or generated/ (or to SOURCE_DATE_EPOCH when it is set).
2. The sdist is normalised (members sorted, times SOURCE_DATE_EPOCH, owner root, modes 644/755,
   the gzip header's time too): setuptools writes the build machine's times and owner into it.
   The wheel needs nothing: setuptools dates its entries SOURCE_DATE_EPOCH.
3. The two builds must be byte-identical; `twine check --strict` must pass on both files; the
   wheel's version must be the spec's info.version; and the wheel, installed into a new virtual
   environment with its dependencies, must import.

Exit 0 all passed (the files are in --out, default dist/), 1 a check failed (the line says
which), 2 the build could not be made (no git history for the epoch, a tool missing, the build
failing).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import venv
from collections.abc import Mapping, Sequence
from importlib.util import find_spec
from pathlib import Path

from contract_tests.errors import CouldNotRun, ExitCode
from contract_tests.spec import load_file
from scripts.cli import OneLineParser, command, run
from scripts.codegen import GENERATED, ROOT, SPEC, generated_files

PACKAGE = "thinnestai_calls_client"
DISTRIBUTION = "thinnestai-calls-client"
# What decides the package's bytes: the spec and templates, and the generated files.
EPOCH_PATHS = ("openapi", "generated")


class ReleaseError(CouldNotRun):
    """The build could not be made (exit 2); the message says what to do."""


class CheckFailed(Exception):
    """A built file failed a check (exit 1); the message says which."""


def source_date_epoch(environ: Mapping[str, str] = os.environ, root: Path = ROOT) -> int:
    """SOURCE_DATE_EPOCH when set, else the commit time of the last commit that changed the spec,
    its templates or generated/ (the same for every build of one commit)."""
    given = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if given:
        if not given.isdigit():
            raise ReleaseError(f"SOURCE_DATE_EPOCH={given!r} is not a whole number of seconds")
        return int(given)
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", *EPOCH_PATHS],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError) as error:
        raise ReleaseError(
            f"cannot read the spec's commit time with git ({error}): build from a git clone "
            "(with its history: fetch-depth 0 on CI) or set SOURCE_DATE_EPOCH"
        ) from error
    stamp = result.stdout.strip()
    if not stamp.isdigit():
        raise ReleaseError(
            f"no commit changed {' or '.join(EPOCH_PATHS)}/: set SOURCE_DATE_EPOCH, or commit them"
        )
    return int(stamp)


def spec_version(spec: Path = SPEC) -> str:
    return str(load_file(spec)["info"]["version"])


def stage_sources(destination: Path, generated: Path = GENERATED) -> Path:
    """Copy the generated files (not an editable install's leftovers) to `destination`."""
    for relative in sorted(generated_files(generated)):
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(generated / relative, target)
    return destination


def normalise_sdist(path: Path, epoch: int) -> None:
    """Rewrite the sdist so that its bytes depend on its contents and `epoch` only."""
    with tarfile.open(path, "r:gz") as source:
        members = sorted(source.getmembers(), key=lambda member: member.name)
        contents = {
            member.name: source.extractfile(member).read()  # type: ignore[union-attr]
            for member in members
            if member.isfile()
        }
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as target:
        for member in members:
            if not (member.isfile() or member.isdir()):
                raise CheckFailed(f"sdist holds {member.name}, neither a file nor a folder")
            member.mtime = epoch
            member.uid = member.gid = 0
            member.uname = member.gname = ""
            member.mode = 0o755 if member.isdir() else 0o644
            member.pax_headers = {}
            data = contents.get(member.name)
            target.addfile(member, io.BytesIO(data) if data is not None else None)
    with (
        path.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=epoch, compresslevel=9) as out,
    ):
        out.write(buffer.getvalue())


def require_tools() -> None:
    """The build front end, the backend and twine, from the kit's `release` extra."""
    missing = [name for name in ("build", "setuptools", "twine") if find_spec(name) is None]
    if missing:
        raise ReleaseError(
            f"{', '.join(missing)} not installed: run `nox -s build`, which installs the kit's "
            "release extra"
        )


def build_once(sources: Path, out: Path, epoch: int) -> list[Path]:
    """`python -m build` of `sources` into `out`: the sdist (normalised) and the wheel."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "PYTHONHASHSEED": "0"}
    command = [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(sources)]
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        tail = (result.stdout + result.stderr).strip().splitlines()[-8:]
        raise ReleaseError("python -m build failed:\n  " + "\n  ".join(tail))
    built = sorted(out.iterdir())
    sdists = [path for path in built if path.name.endswith(".tar.gz")]
    wheels = [path for path in built if path.suffix == ".whl"]
    if len(sdists) != 1 or len(wheels) != 1:
        raise ReleaseError(f"expected one sdist and one wheel, got {[p.name for p in built]}")
    normalise_sdist(sdists[0], epoch)
    return [sdists[0], wheels[0]]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def compare(first: Sequence[Path], second: Sequence[Path]) -> None:
    for one, two in zip(first, second, strict=True):
        if one.name != two.name or one.read_bytes() != two.read_bytes():
            raise CheckFailed(f"not reproducible: two builds of {one.name} differ")


def twine_check(files: Sequence[Path]) -> None:
    command = [sys.executable, "-m", "twine", "check", "--strict", *map(str, files)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise CheckFailed("twine check failed:\n" + (result.stdout + result.stderr).strip())


def install_and_import(wheel: Path, where: Path, version: str) -> str:
    """Install `wheel` into a new virtual environment under `where` and import it there; what
    the import printed. uv makes the environment when it is on PATH (nox has it), else venv."""
    environment = where / "venv"
    python = environment / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    uv = shutil.which("uv")
    if uv:
        steps = [
            [uv, "venv", "--quiet", "--python", sys.executable, str(environment)],
            [uv, "pip", "install", "--quiet", "--python", str(python), str(wheel)],
        ]
    else:
        venv.create(environment, with_pip=True)
        steps = [[str(python), "-m", "pip", "install", "--quiet", str(wheel)]]
    probe = (
        "import importlib.metadata as m, thinnestai_calls_client as p\n"
        "from thinnestai_calls_client import errors\n"
        "from thinnestai_calls_client.api.calls import get_call, list_calls\n"
        f"assert m.version({DISTRIBUTION!r}) == {version!r}, m.version({DISTRIBUTION!r})\n"
        "assert issubclass(errors.APITimeoutError, errors.ThinnestAIError)\n"
        "print(m.version('thinnestai-calls-client'), p.__file__)\n"
    )
    # From an empty folder, so that the checkout's generated/ cannot be imported instead.
    steps.append([str(python), "-I", "-c", probe])
    output = ""
    for step in steps:
        result = subprocess.run(step, capture_output=True, text=True, cwd=where)
        if result.returncode != 0:
            raise CheckFailed(
                f"installing and importing the wheel failed ({Path(step[0]).name}):\n"
                + (result.stdout + result.stderr).strip()
            )
        output = result.stdout.strip()
    if str(environment) not in output:
        raise CheckFailed(f"the import did not come from the new environment: {output}")
    return output


def release(out: Path, epoch: int, version: str) -> list[Path]:
    """Build twice, compare, check, install; the files, left in `out`."""
    with tempfile.TemporaryDirectory(prefix="thinnestai-build-") as tmp:
        work = Path(tmp)
        builds = []
        for n in (1, 2):
            # Each build from its own copy, in its own folder: nothing of one reaches the other.
            sources = stage_sources(work / f"source-{n}" / DISTRIBUTION)
            builds.append(build_once(sources, work / f"dist-{n}", epoch))
        compare(*builds)
        files = builds[0]
        wheel = files[1]
        if not wheel.name.startswith(f"{PACKAGE}-{version}-"):
            raise CheckFailed(f"the wheel {wheel.name} is not version {version} (info.version)")
        twine_check(files)
        (work / "probe").mkdir()
        imported = install_and_import(wheel, work / "probe", version)
        print(f"installed into a new environment and imported: {imported}")
        out.mkdir(parents=True, exist_ok=True)
        kept = []
        for path in files:
            (out / path.name).unlink(missing_ok=True)
            kept.append(Path(shutil.copy2(path, out / path.name)))
        return kept


@command("build")
def main(argv: list[str] | None = None) -> ExitCode:
    parser = OneLineParser(
        prog="nox -s build --",
        description="Build the client's sdist and wheel twice from generated/, check that the "
        "builds are byte-identical, pass twine check, and install and import in a new "
        "environment.",
    )
    parser.add_argument(
        "--out", type=Path, default=ROOT / "dist", help="where the files go (default: dist/)"
    )
    args = parser.parse_args(argv)
    require_tools()
    epoch = source_date_epoch()
    version = spec_version()
    print(f"building {DISTRIBUTION} {version} with SOURCE_DATE_EPOCH={epoch}")
    try:
        files = release(args.out, epoch, version)
    except CheckFailed as error:  # a verdict on the build, not a failure to make it
        print(f"build: {error}", file=sys.stderr)
        return ExitCode.VIOLATES
    print("two builds byte-identical; twine check passed")
    for path in files:
        print(f"{sha256(path)}  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return ExitCode.CONFORMS


if __name__ == "__main__":
    run(main)
