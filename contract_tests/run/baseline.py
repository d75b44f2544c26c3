"""A baseline of known failures: a breach a ticket is open for does not keep the run red.

    known-failures:
      - check: cost_adds_up                  # the failure's identity (checks/failures.py
        operation: GET /v2/calls/{call_id}   #   Identity): typed fields, never values, so
        clause: invariant 5                  #   the same breach matches on any seed, call
        field: cost.total_usd                #   or value in its message
        kind: CostMismatch
        reason: rounding in the billing service   # what a person fills in
        owner: payments-team
        ticket: PAY-1234
        expires: 2026-09-30                  # after this date the failure fails the run again

A failure that matches an entry not past its expiry is *known*: reported, but it does not
fail the run. One whose entry has expired fails it, and the report says which entry. An
entry whose failure no longer occurs is *fixed*: to remove. `--write-baseline` writes the
entries of a run for a person to complete.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contract_tests.errors import CouldNotRun
from contract_tests.run.results import FailureRecord, RunResults

ROOT = "known-failures"
IDENTITY = ("check", "operation", "clause", "field", "kind")
FILLED_IN = ("reason", "owner", "ticket", "expires")


class BaselineError(CouldNotRun):
    """The baseline file cannot be used; the message says what to change (exit 2)."""


@dataclass(frozen=True)
class KnownFailure:
    check: str
    operation: str
    clause: str
    field: str
    kind: str
    reason: str
    owner: str
    ticket: str
    expires: datetime.date

    @property
    def identity(self) -> tuple[str, ...]:
        return tuple(getattr(self, name) for name in IDENTITY)

    @property
    def key(self) -> str:
        """As FailureRecord.key writes the same identity."""
        return " | ".join(part for part in self.identity if part)

    @property
    def who(self) -> str:
        """Owner, ticket and reason, as far as they are given."""
        return ", ".join(part for part in (self.ticket, self.owner, self.reason) if part) or "-"


def identity_of(record: FailureRecord) -> tuple[str, ...]:
    """A failure's identity in the baseline's terms (FailureRecord.key's parts)."""
    return (
        record.check,
        record.operation,
        record.clause_ref,
        record.field,
        record.kind or record.title,
    )


@dataclass(frozen=True)
class Baseline:
    path: Path
    entries: tuple[KnownFailure, ...]


def _date(where: str, value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            raise BaselineError(f"{where}: expires {value!r} is not a date (YYYY-MM-DD)") from None
    raise BaselineError(
        f"{where} has no expiry date: fill in expires: YYYY-MM-DD, the day after which this "
        "failure fails the run again"
    )


def _entry(where: str, item: Any) -> KnownFailure:
    if not isinstance(item, dict):
        raise BaselineError(f"{where} is not a mapping of check, operation, kind, ... fields")
    unknown = sorted(set(map(str, item)) - {*IDENTITY, *FILLED_IN})
    if unknown:
        raise BaselineError(
            f"{where}: {', '.join(unknown)} is not a field; an entry has "
            f"{', '.join((*IDENTITY, *FILLED_IN))}"
        )
    for name in ("check", "operation", "kind"):
        if not isinstance(item.get(name), str) or not item[name]:
            raise BaselineError(f"{where} has no {name}: copy the entry from --write-baseline")
    texts = {}
    for name in ("clause", "field", "reason", "owner", "ticket"):
        value = item.get(name) or ""
        if not isinstance(value, str | int):
            raise BaselineError(f"{where}: {name} must be text")
        texts[name] = str(value)
    return KnownFailure(
        check=item["check"],
        operation=item["operation"],
        kind=item["kind"],
        expires=_date(where, item.get("expires")),
        **texts,
    )


def load_baseline(path: Path) -> Baseline:
    """The baseline at `path`; BaselineError (one line) when it cannot be used."""
    import yaml  # here: the settings read this module before a run starts

    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise BaselineError(f"cannot read the baseline {path}: {error.strerror or error}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        problem = " ".join(str(error).split())
        raise BaselineError(f"{path} is not valid YAML: {problem}") from None
    items = document.get(ROOT) if isinstance(document, dict) else None
    if not isinstance(document, dict) or set(document) != {ROOT} or not isinstance(items, list):
        raise BaselineError(f"{path}: expected one list, {ROOT}: (as --write-baseline writes it)")
    entries: list[KnownFailure] = []
    for number, item in enumerate(items, 1):
        where = f"{path} entry {number}"
        entry = _entry(where, item)
        for earlier, other in enumerate(entries, 1):
            if other.identity == entry.identity:
                raise BaselineError(f"{where} repeats entry {earlier} ({entry.key})")
        entries.append(entry)
    return Baseline(path, tuple(entries))


@dataclass
class BaselineVerdict:
    """What a run's failures are in the light of a baseline."""

    path: Path
    known: dict[str, KnownFailure] = field(default_factory=dict)  # failure key -> its entry
    expired: dict[str, KnownFailure] = field(default_factory=dict)  # occurred, entry too old
    fixed: list[KnownFailure] = field(default_factory=list)  # entries whose failure is gone
    partial: bool = False  # the run stopped early: an unseen entry may not be fixed

    def excused_failures(self, results: RunResults) -> int:
        """Failing check results the baseline excuses (the known failures' occurrences)."""
        return sum(results.examples[key].occurrences for key in self.known)


def judge_baseline(
    results: RunResults, baseline: Baseline, today: datetime.date, *, partial: bool = False
) -> BaselineVerdict:
    by_identity = {entry.identity: entry for entry in baseline.entries}
    verdict = BaselineVerdict(baseline.path, partial=partial)
    seen = set()
    for key, record in results.examples.items():
        entry = by_identity.get(identity_of(record))
        if entry is None:
            continue
        seen.add(entry.identity)
        if entry.expires < today:
            verdict.expired[key] = entry
        else:
            verdict.known[key] = entry
    verdict.fixed = [entry for entry in baseline.entries if entry.identity not in seen]
    return verdict


HEADER = """\
# Known failures of the thinnest.ai Calls API contract run: nox -s contract -- --baseline FILE
# A failure listed here is reported as known and does not fail the run until it expires.
# Each entry is a failure's identity (check, operation, clause, field, kind: keep them as
# written) and what a person fills in: reason, owner, ticket and expires (YYYY-MM-DD; an
# entry without it is refused). The empty ones below are TODO.
"""


def baseline_text(
    results: RunResults, previous: BaselineVerdict | None = None, written_from: str = ""
) -> str:
    """The run's failures as baseline entries; an entry of `previous` that still matches
    keeps what a person filled in."""
    import yaml

    kept = {**(previous.known if previous else {}), **(previous.expired if previous else {})}
    lines = [HEADER.rstrip("\n")]
    if written_from:
        lines.append(f"# Written by --write-baseline from {written_from}.")
    if not results.examples:
        return "\n".join([*lines, f"{ROOT}: []", ""])
    lines.append(f"{ROOT}:")
    for key, record in results.examples.items():
        entry: dict[str, Any] = dict(zip(IDENTITY, identity_of(record), strict=True))
        old = kept.get(key)
        if old is not None:
            entry.update({name: getattr(old, name) for name in FILLED_IN})
        else:
            entry.update({name: "" for name in FILLED_IN})
        lines.append(f"  # {record.check} on {record.operation}: {' '.join(record.title.split())}")
        dumped = yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, width=1000)
        lines += [f"  {line}" for line in dumped.splitlines()]
    return "\n".join(lines) + "\n"


def write_baseline(
    results: RunResults, path: Path, previous: BaselineVerdict | None, written_from: str
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(baseline_text(results, previous, written_from), encoding="utf-8")
    return path
