"""Accepted breaks: reviewed findings that are shown as accepted and do not fail the run.

openapi/accepted-breaks.yaml lists them under `accepted:`, each with the finding's `rule` id,
its `location` (as the output prints it, in words or as the JSON pointer), and who accepted
it, when and why (`by`, `date`, `reason`). An entry whose finding no longer occurs is stale:
it is reported (accepted-break-stale) so that the list stays true.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from contract_tests.errors import CouldNotRun
from scripts.codegen import ROOT
from scripts.governance.diff import Change
from scripts.governance.rules import RULES

ACCEPTED_BREAKS = ROOT / "openapi" / "accepted-breaks.yaml"
FIELDS = ("rule", "location", "reason", "by", "date")


class AcceptedBreaksInvalid(CouldNotRun):
    """The accepted-breaks file cannot be read or an entry lacks what a review needs."""


@dataclass(frozen=True)
class Acceptance:
    rule: str
    location: str
    reason: str
    by: str
    date: str  # ISO date

    def covers(self, change: Change) -> bool:
        return self.rule == change.rule.id and self.location in (change.location, change.pointer)


def _entry(raw: Any, index: int, origin: Path) -> Acceptance:
    where = f"{origin.name}, entry {index + 1}"
    if not isinstance(raw, dict):
        raise AcceptedBreaksInvalid(f"{where} is not a mapping of {', '.join(FIELDS)}")
    missing = [name for name in FIELDS if not str(raw.get(name) or "").strip()]
    if missing:
        raise AcceptedBreaksInvalid(f"{where} lacks {', '.join(missing)}: every entry needs all")
    if raw["rule"] not in RULES:
        raise AcceptedBreaksInvalid(f"{where}: unknown rule {raw['rule']!r} (see the output's ids)")
    date = raw["date"]
    if not isinstance(date, datetime.date):
        try:
            date = datetime.date.fromisoformat(str(date))
        except ValueError:
            raise AcceptedBreaksInvalid(f"{where}: date {date!r} is not YYYY-MM-DD") from None
    text = {name: str(raw[name]).strip() for name in FIELDS[:4]}
    return Acceptance(**text, date=date.isoformat())


def load(path: Path = ACCEPTED_BREAKS) -> list[Acceptance]:
    """The entries of the file; a missing default file is an empty list."""
    if not path.exists() and path == ACCEPTED_BREAKS:
        return []
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as error:
        raise AcceptedBreaksInvalid(f"cannot read {path}: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise AcceptedBreaksInvalid(f"{path} is not valid YAML: {error}".splitlines()[0]) from error
    entries = document.get("accepted") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise AcceptedBreaksInvalid(f"{path} needs a list under `accepted:` (it may be empty)")
    return [_entry(raw, index, path) for index, raw in enumerate(entries)]


def stale(entry: Acceptance) -> Change:
    """The finding that reports an entry whose finding no longer occurs."""
    detail = (
        f"{entry.rule} no longer occurs here (accepted by {entry.by} on {entry.date}); "
        "remove the entry"
    )
    where = entry.location if entry.location.startswith("/") else ""
    return Change(RULES["accepted-break-stale"], where, detail, "", entry.location)
