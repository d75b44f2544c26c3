"""What one pytest process saw: requests, check outcomes, failures, spec drift, skips.

Each process (the runner's own, or each pytest-xdist worker) fills one `RunResults` through
Schemathesis hooks and leaves it as JSON in the plan's parts folder; the runner merges them.
Nothing here ever holds the API key: requests are kept as Schemathesis' curl commands, whose
Authorization header it replaces with [Filtered], and the first failing exchange of each
distinct failure (the evidence written to evidence.har) is kept with the key filtered out.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

MAX_FAILURE_EXAMPLES = 100  # distinct breaches kept with their first request
# Evidence is kept for each distinct breach (at most MAX_FAILURE_EXAMPLES), its bodies cut at
# this many characters: a few MB at worst in memory and in each process's JSON.
MAX_EVIDENCE_BODY = 64 * 1024


@dataclass
class FailureRecord:
    """One distinct failure: its identity (check, operation, clause, field, kind: see
    checks/failures.py), what a person reads of it, and how often it was seen."""

    check: str
    clause: str  # the clause in full
    operation: str
    title: str
    message: str
    curl: str
    phase: str
    kind: str = ""  # which breach of the clause (a built-in check's: Schemathesis' own key)
    occurrences: int = 1
    clause_ref: str = ""  # the clause's short name, "invariant 5" (ours; "" for built-ins)
    field: str = ""  # the field, parameter or header it is about

    @property
    def key(self) -> str:
        """The identity as one line: what distinct failures, evidence and replay key on."""
        parts = (self.check, self.operation, self.clause_ref, self.field, self.kind or self.title)
        return " | ".join(part for part in parts if part)


@dataclass
class Evidence:
    """One request and its response as plain data (HAR 1.2's fields), the key filtered out.

    `credential` says what the Authorization header held, whose value is never kept: "key"
    (the run's API key), "other" (a credential the suite made up) or "" (none). A replay needs
    it to send the same kind of request."""

    started: str  # ISO 8601, UTC
    milliseconds: float
    method: str
    url: str
    request_headers: list[list[str]]  # [name, value] pairs, in the order sent
    request_body: str | None
    credential: str
    status: int
    reason: str
    http_version: str  # "HTTP/1.1"
    response_headers: list[list[str]]
    mime_type: str
    response_body: str  # at most MAX_EVIDENCE_BODY characters
    response_size: int  # bytes the server sent


@dataclass
class RunResults:
    requests: Counter[str] = field(default_factory=Counter)  # "GET /v2/calls 200" -> count
    phase_requests: Counter[str] = field(default_factory=Counter)  # "fuzzing" -> requests
    passes: Counter[str] = field(default_factory=Counter)  # check -> passes
    failures: Counter[str] = field(default_factory=Counter)  # check -> failures
    examples: dict[str, FailureRecord] = field(default_factory=dict)  # first of each kind
    exchanges: dict[str, Evidence] = field(default_factory=dict)  # FailureRecord.key -> first
    undocumented: Counter[str] = field(default_factory=Counter)  # "Call.x" -> responses
    skipped: dict[str, str] = field(default_factory=dict)  # check -> reason
    errors: list[str] = field(default_factory=list)  # what kept parts of the run from happening
    real_id_requests: int = 0  # positive getCall requests aimed at a known id
    positive_get_call: Counter[int] = field(default_factory=Counter)  # status -> count
    # Final answers to positive requests of either operation (run/warnings.py is_positive):
    # status -> count.
    positive_requests: Counter[int] = field(default_factory=Counter)
    rate_limit_waits: int = 0
    rate_limit_wait_seconds: float = 0.0
    first_failure_at: dict[str, int] = field(default_factory=dict)  # check -> requests sent then
    judged: dict[str, Counter[str]] = field(default_factory=dict)  # check -> "label status"
    clause_states: dict[str, Counter[str]] = field(default_factory=dict)  # check -> state
    stopped_early: str = ""  # why the run stopped before its budget (--max-failures), if it did
    activity: str = "starting"  # what is being sent now, e.g. "fuzzing GET /v2/calls" (progress)

    def record_failure(self, record: FailureRecord) -> None:
        self.failures[record.check] += 1
        self.first_failure_at.setdefault(record.check, self.total_requests)
        key = record.key
        if key in self.examples:
            self.examples[key].occurrences += 1
        elif len(self.examples) < MAX_FAILURE_EXAMPLES:
            self.examples[key] = record

    def saw_state(self, check: str, state: str) -> None:
        """`check` judged a record (or page) in `state` (coverage of its clause)."""
        counts = self.clause_states.get(check)
        if counts is None:  # not setdefault(check, Counter()): a Counter made on every call
            counts = self.clause_states[check] = Counter()
        counts[state] += 1

    def saw_judged(self, check: str, response: str) -> None:
        """`check` judged `response` ("GET /v2/calls 200")."""
        counts = self.judged.get(check)
        if counts is None:
            counts = self.judged[check] = Counter()
        counts[response] += 1

    @property
    def distinct_failures(self) -> int:
        """Distinct breaches (check, operation, kind) seen so far."""
        return len(self.examples)

    def merge(self, other: RunResults) -> None:
        for name in (
            "requests",
            "phase_requests",
            "passes",
            "failures",
            "undocumented",
            "positive_get_call",
            "positive_requests",
        ):
            getattr(self, name).update(getattr(other, name))
        for key, record in other.examples.items():
            if key in self.examples:
                self.examples[key].occurrences += record.occurrences
            else:
                self.examples[key] = record
        for key, exchange in other.exchanges.items():
            if key in self.examples:
                self.exchanges.setdefault(key, exchange)
        for name in ("judged", "clause_states"):
            mine: dict[str, Counter[str]] = getattr(self, name)
            for check, counts in getattr(other, name).items():
                mine.setdefault(check, Counter()).update(counts)
        self.skipped.update(other.skipped)
        self.stopped_early = self.stopped_early or other.stopped_early
        self.errors.extend(error for error in other.errors if error not in self.errors)
        self.real_id_requests += other.real_id_requests
        self.rate_limit_waits += other.rate_limit_waits
        self.rate_limit_wait_seconds += other.rate_limit_wait_seconds
        for check, at in other.first_failure_at.items():
            # Across xdist workers this is each worker's own count: an upper bound, not exact.
            self.first_failure_at[check] = min(at, self.first_failure_at.get(check, at))

    @property
    def total_requests(self) -> int:
        return sum(self.requests.values())

    def save(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"results-{os.getpid()}.json"
        # Not asdict(self): it rebuilds each Counter from (key, value) pairs, counting the pairs.
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data["examples"] = {key: asdict(record) for key, record in self.examples.items()}
        data["exchanges"] = {key: asdict(item) for key, item in self.exchanges.items()}
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps(data), encoding="utf-8")
        os.replace(partial, path)  # the runner may read it at any moment (a stop signal)
        return path

    @classmethod
    def load(cls, path: Path) -> RunResults:
        data = json.loads(path.read_text(encoding="utf-8"))
        results = cls(
            requests=Counter(data["requests"]),
            phase_requests=Counter(data["phase_requests"]),
            passes=Counter(data["passes"]),
            failures=Counter(data["failures"]),
            examples={key: FailureRecord(**value) for key, value in data["examples"].items()},
            exchanges={key: Evidence(**value) for key, value in data["exchanges"].items()},
            undocumented=Counter(data["undocumented"]),
            skipped=data["skipped"],
            errors=data["errors"],
            real_id_requests=data["real_id_requests"],
            positive_get_call=Counter({int(k): v for k, v in data["positive_get_call"].items()}),
            positive_requests=Counter({int(k): v for k, v in data["positive_requests"].items()}),
            rate_limit_waits=data["rate_limit_waits"],
            rate_limit_wait_seconds=data["rate_limit_wait_seconds"],
            first_failure_at=data["first_failure_at"],
            judged={check: Counter(counts) for check, counts in data["judged"].items()},
            clause_states={
                check: Counter(counts) for check, counts in data["clause_states"].items()
            },
            stopped_early=data["stopped_early"],
            activity=data["activity"],
        )
        return results

    @classmethod
    def merge_folder(cls, folder: Path) -> RunResults:
        merged = cls()
        for path in sorted(folder.glob("results-*.json")):
            merged.merge(cls.load(path))
        return merged
