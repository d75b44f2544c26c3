"""The demo setup, described for the contract suite: keys and the call ids each can read."""

from __future__ import annotations

from dataclasses import dataclass

from contract_tests.reference_server.data import (
    KEYS,
    LONG_TRANSCRIPT_CALL_ID,
    PRIMARY,
    SECONDARY,
    Dataset,
    demo_dataset,
)
from contract_tests.spec import id_bounds

PUBLISHED_CALL_ID = 77


@dataclass(frozen=True)
class DemoSetup:
    """What a client of the reference server needs to know, all derived from the data.

    `api_key` reads the primary account; `other_api_key` reads the second account;
    `foreign_call_ids` are the second account's calls, which `api_key` must get 403 on (and
    `call_ids` are what `other_api_key` must get 403 on)."""

    api_key: str
    other_api_key: str
    expired_api_key: str
    unknown_api_key: str  # well-formed, names no key
    call_ids: tuple[int, ...]  # every call of the primary account, deleted ones included
    listed_call_ids: tuple[int, ...]  # the primary account's listable calls, newest first
    deleted_call_ids: tuple[int, ...]  # the primary account's deleted calls
    other_call_ids: tuple[int, ...]  # every call of the second account
    foreign_call_ids: tuple[int, ...]  # calls the primary key must get 403 on
    unknown_call_ids: tuple[int, ...]  # ids that name no call (404)
    published_call_id: int  # call 77, exactly as in get-call.txt
    long_transcript_call_id: int  # 5,000 transcript messages


def describe(dataset: Dataset) -> DemoSetup:
    def ids(account_id: str, *, deleted: bool | None = None) -> tuple[int, ...]:
        """The account's call ids; `deleted`: only those never listed, or only the others."""
        calls = dataset.calls_of(account_id)
        return tuple(
            sorted(
                call.call_id for call in calls if deleted is None or (not call.listable) == deleted
            )
        )

    listed = sorted(
        (call for call in dataset.calls_of(PRIMARY.account_id) if call.listable),
        key=lambda call: (call.record["created_at"], call.call_id),
        reverse=True,
    )
    last = max(dataset.calls)
    return DemoSetup(
        api_key=KEYS[0].key,
        other_api_key=KEYS[1].key,
        expired_api_key=KEYS[2].key,
        unknown_api_key="thn_demo_unknown_0000000000000000",
        call_ids=ids(PRIMARY.account_id),
        listed_call_ids=tuple(call.call_id for call in listed),
        deleted_call_ids=ids(PRIMARY.account_id, deleted=True),
        other_call_ids=ids(SECONDARY.account_id),
        foreign_call_ids=ids(SECONDARY.account_id),
        unknown_call_ids=(last + 1, 1_000_000, id_bounds()[1]),
        published_call_id=PUBLISHED_CALL_ID,
        long_transcript_call_id=LONG_TRANSCRIPT_CALL_ID,
    )


DEMO = describe(demo_dataset())
