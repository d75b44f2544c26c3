"""The team config file: a run's settings checked into the repository that runs the kit.

    # thinnestai-contract.toml
    rate-limit = "5/s"                     # top level: every run
    [profiles.staging]                     # --profile staging
    base-url = "https://staging.api.thinnest.ai"
    foreign-call-ids = [9001, 9002]

Keys are the long options' names; a profile's keys override the top level, and options on
the command line override both (run/settings.py turns the file into options placed before
the command line's, so one parser validates both). Paths are relative to the file's folder.
The key is read from the environment only: a credential-looking name or value is refused,
and never repeated in the message.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from contract_tests.errors import CouldNotRun

DEFAULT_CONFIG = Path("thinnestai-contract.toml")  # in the working folder
# Every long option a file may set (tests/test_team_config.py keeps it in step with --help).
FILE_KEYS = (
    "base-url",
    "call-ids",
    "foreign-call-ids",
    "max-examples",
    "seed",
    "rate-limit",
    "timeout",
    "max-failures",
    "require-coverage",
    "fail-on-warning",
    "baseline",
    "report-dir",
)
LIST_KEYS = ("call-ids", "foreign-call-ids", "require-coverage", "fail-on-warning")
PATH_KEYS = ("baseline", "report-dir")
CREDENTIAL_NAME = re.compile(
    r"(^|[-_.])(api[-_]?key|key|keys|token|secret|password|passwd|credentials?|authorization"
    r"|bearer|cookie)$",
    re.IGNORECASE,
)
# A run of 20+ letters, digits, - and _ with a letter and a digit: how API keys, tokens and
# secrets look (thn_live_6f1c..., sk_test_...); paths, URLs, names and lists never do.
TOKEN_LIKE = re.compile(r"(?=[\w-]*[0-9])(?=[\w-]*[A-Za-z])[\w-]{20,}", re.ASCII)
JWT_LIKE = re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]*", re.ASCII)


class TeamConfigError(CouldNotRun):
    """The config file cannot be used; the message says what to change (exit 2)."""


@dataclass(frozen=True)
class TeamConfig:
    path: Path
    profile: str | None
    values: dict[str, str]  # option name -> its value as it would be typed after --name

    @property
    def source(self) -> str:
        return f"{self.path}" + (f", profile {self.profile}" if self.profile else "")


def looks_like_credential(text: str, api_key: str | None = None) -> bool:
    """A value that is, or carries, a key or token."""
    stripped = text.strip()
    if api_key and api_key in stripped:
        return True
    if stripped.lower().startswith(("bearer ", "basic ", "token ")):
        return True
    if TOKEN_LIKE.fullmatch(stripped) or JWT_LIKE.fullmatch(stripped):
        return True
    if "://" in stripped:
        parts = urlsplit(stripped)
        names = [name for name, _ in parse_qsl(parts.query, keep_blank_values=True)]
        return bool(parts.password or any(CREDENTIAL_NAME.search(name) for name in names))
    return False


def _as_option_text(where: str, key: str, value: Any) -> str:
    """A TOML value as the text the option takes (a list of ids or names: comma-separated)."""
    if isinstance(value, list) and key in LIST_KEYS:
        if all(isinstance(item, str | int) and not isinstance(item, bool) for item in value):
            return ",".join(str(item) for item in value)
    elif isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value)
    kind = {dict: "table", list: "list", bool: "true/false"}.get(type(value), type(value).__name__)
    expected = "text, a number or a list of them" if key in LIST_KEYS else "text or a number"
    raise TeamConfigError(f"{where} {key}: expected {expected}, not a {kind}")


def _settings(
    table: dict[str, Any], where: str, folder: Path, api_key: str | None
) -> dict[str, str]:
    """The table's settings as option texts; refuses credentials, unknown names, bad types."""
    values: dict[str, str] = {}
    for key, value in table.items():
        if CREDENTIAL_NAME.search(key):
            raise TeamConfigError(
                f"{where} {key}: a key or token is never read from the config file (it is "
                "checked into a repository): remove it and export THINNESTAI_API_KEY instead"
            )
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(t, str) and looks_like_credential(t, api_key) for t in texts):
            raise TeamConfigError(
                f"{where} {key} holds what looks like a key or token (not shown): the API key "
                "is read from THINNESTAI_API_KEY only; remove it from the file"
            )
        if key not in FILE_KEYS:
            close = difflib.get_close_matches(key, FILE_KEYS, n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            raise TeamConfigError(
                f"{where} {key} is not a setting: {hint}the settings are the long options' "
                f"names: {', '.join(FILE_KEYS)}"
            )
        text = _as_option_text(where, key, value)
        if key in PATH_KEYS and not Path(text).is_absolute():
            text = str(folder / text)
        values[key] = text
    return values


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise TeamConfigError(
            f"cannot read the config file {path}: {error.strerror or error}"
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise TeamConfigError(f"{path} is not valid TOML: {error}") from None


def read_team_config(
    path: Path | None, profile: str | None, api_key: str | None = None
) -> TeamConfig | None:
    """The settings of `path` (default: thinnestai-contract.toml in the working folder, when
    there is one) with `profile`'s over the top level; None when there is no file to read.

    Every table is checked, not only the one used: a key or a typo in any profile is refused."""
    explicit = path is not None
    path = path if path is not None else DEFAULT_CONFIG
    if not explicit and not path.exists():
        if profile is not None:
            raise TeamConfigError(
                f"--profile {profile}: there is no {DEFAULT_CONFIG} in {Path.cwd()}: give "
                "--config PATH"
            )
        return None
    document = _read(path)
    profiles = document.pop("profiles", {})
    if not isinstance(profiles, dict) or not all(isinstance(t, dict) for t in profiles.values()):
        raise TeamConfigError(
            f"{path}: profiles must be tables, e.g. [profiles.staging] with its settings below"
        )
    values = _settings(document, f"{path}:", path.parent, api_key)
    chosen = {
        name: _settings(table, f"{path} [profiles.{name}]", path.parent, api_key)
        for name, table in profiles.items()
    }
    if profile is not None:
        if profile not in chosen:
            known = ", ".join(chosen) or "none"
            raise TeamConfigError(
                f"--profile {profile}: {path} has no [profiles.{profile}] (its profiles: {known})"
            )
        values.update(chosen[profile])
    return TeamConfig(path, profile, values)
