"""One failure type per breach of the contract, and the identity every report keys on.

    ContractFailure (an AssertionError: a verdict on the server, never a broken run)
      +-- RecordBreach            invariants 1-9, one class per clause
      +-- WrongCallServed         getCall returns the call it names
      +-- PageBreach              invariant 10, the page
      +-- ListedCallBreach        invariant 10, listed calls fetched by id
      +-- ListingStale            invariant 10, a listed call as it was before a change
      +-- PagesDoNotTile          invariant 10, consecutive pages
      +-- ForeignCallListed       invariant 10, tenancy in the listing
      +-- ForeignCallAnswered     invariant 11
      +-- HeaderFormBreach        Errors: a documented header's form
      +-- InputEdgeMisanswered    Errors: 422 at and past every input's edge
      +-- NearMissAccepted        Errors: a near-miss key is 401
      +-- ClientCannotRead        the generated client reads every documented response

A failure's identity (`Identity`: check, clause, operation, field, kind) is made of typed
fields and never of the values in its message: the same breach on another call, at another
count or time, is the same failure; another field or another kind of breach is another.
Distinct failures, the HAR evidence, replay and a baseline all key on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class Identity:
    check: str  # the check that judged it: "cost_adds_up"
    clause: str  # the clause it breaks: "invariant 5"
    operation: str  # "GET /v2/calls/{call_id}"
    field: str = ""  # the field, parameter or header it is about, "" when none
    kind: str = ""  # which breach of the clause: the failure class, refined

    @property
    def key(self) -> str:
        """One line: `check | operation | clause | field | kind` (empty parts left out)."""
        parts = (self.check, self.operation, self.clause, self.field, self.kind)
        return " | ".join(part for part in parts if part)


class ContractFailure(AssertionError):
    """A breach of one clause. Subclasses name the clause and a title; each instance says
    which field and which kind of breach it is, and a message with the values."""

    clause: ClassVar[str] = "the contract"
    title: ClassVar[str] = "the contract is broken"

    def __init__(self, message: str, *, field: str = "", kind: str = "") -> None:
        super().__init__(f"{self.clause}: {message}")
        self.detail = message
        self.field = field
        self.kind = kind or type(self).__name__

    def identity(self, check: str, operation: str) -> Identity:
        return Identity(check, self.clause, operation, self.field, self.kind)


class RecordBreach(ContractFailure):
    """A call record breaks one of invariants 1-9."""


class NullabilityBreach(RecordBreach):
    clause, title = "invariant 1", "a field is null or set against the call's status"


class TimestampsOutOfOrder(RecordBreach):
    clause, title = "invariant 2", "the record's timestamps are out of order"


class DurationMismatch(RecordBreach):
    clause, title = "invariant 3", "duration_seconds is not ended_at - started_at"


class RecordingMismatch(RecordBreach):
    clause, title = "invariant 4", "recording_url and recording_duration disagree"


class CostMismatch(RecordBreach):
    clause, title = "invariant 5", "cost.total_usd is not the sum of its breakdown"


class TranscriptOutOfOrder(RecordBreach):
    clause, title = "invariant 6", "the transcript's timeline is broken"


class PhoneNumberMismatch(RecordBreach):
    clause, title = "invariant 7", "the phone numbers do not fit the call's type"


class DirectionMismatch(RecordBreach):
    clause, title = "invariant 8", "call_direction is not the call's type"


class AnalysisTooEarly(RecordBreach):
    clause, title = "invariant 9", "an unfinished call carries an analysis"


class WrongCallServed(ContractFailure):
    clause, title = "getCall", "served another call than the one it names"


class PageBreach(ContractFailure):
    clause, title = "invariant 10", "a listed page breaks the listing's rules"


class ListedCallBreach(ContractFailure):
    clause, title = "invariant 10", "a listed call differs from its record"


class ListingStale(ContractFailure):
    clause, title = "invariant 10", "a listed call is shown as it was before the listing"


class PagesDoNotTile(ContractFailure):
    clause, title = "invariant 10", "consecutive pages do not tile the listing"


class ForeignCallListed(ContractFailure):
    clause, title = "invariant 10", "another account's call is listed"


class ForeignCallAnswered(ContractFailure):
    clause, title = "Invariant 11", "another account's call was not refused with 403"


class HeaderFormBreach(ContractFailure):
    clause, title = "headers", "a documented header does not have its documented form"


class InputEdgeMisanswered(ContractFailure):
    clause, title = "input edges", "an input at its edge was not answered as documented"


class NearMissAccepted(ContractFailure):
    clause, title = "credentials", "a key that is almost right was not refused with 401"


class ClientCannotRead(ContractFailure):
    clause, title = "the generated client", "the generated client cannot read the response"
