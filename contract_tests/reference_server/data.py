"""The demo data: two accounts, their API keys and 96 calls, identical on every start.

Calls are generated from a fixed seed (one random stream per call id, so changing one call
never shifts the others), except the published ones in `published_calls.json`, which are
served exactly as published. Every record keeps every invariant of contract.md; the tests
check that through the spec and the generated client.
"""

from __future__ import annotations

import functools
import json
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any

from contract_tests.reference_server.phrases import OVERVIEWS, SCRIPTS
from contract_tests.spec import listed_statuses

JsonObject = dict[str, Any]

SEED = 20260325
CALL_COUNT = 96
AS_OF = datetime(2026, 3, 25, 18, 0, 0, tzinfo=UTC)  # the data's "now": keys expire against it
# Call slots are 20 minutes apart, jittered by up to 15, so creation order and id order differ.
FIRST_SLOT = datetime(2026, 3, 24, 8, 40, 57, tzinfo=UTC)
SLOT = timedelta(minutes=20)
JITTER_SECONDS = 900
BATCH_IDS = (90, 91, 92)  # an outbound campaign created in the same second: order ties on id
RECENT_FROM = 86  # calls from this id on are the newest: many still active or pending
RECENT_STATUSES = ("active", "pending", "ended", "active", "pending", "active", "ended")
LONG_TRANSCRIPT_CALL_ID = 60
LONG_TRANSCRIPT_MESSAGES = 5_000
USD_TO_INR = 85.0
PUBLISHED_CALLS = Path(__file__).with_name("published_calls.json")

KNOWN_ENDED_REASONS = (
    "user_hangup",
    "agent_hangup",
    "silence_timeout",
    "max_duration",
    "transfer",
    "voicemail",
    "no_answer",
    "busy",
    "error",
)
# Why a finished call ended, by call type; cycled per call so every known reason appears.
ENDED_REASONS_BY_TYPE: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "web": ("user_hangup", "agent_hangup", "silence_timeout", "user_hangup", "max_duration"),
        "inbound": ("user_hangup", "transfer", "agent_hangup", "silence_timeout", "user_hangup"),
        "outbound": ("agent_hangup", "voicemail", "user_hangup", "no_answer", "busy", "transfer"),
    }
)
TRANSCRIBERS: tuple[Mapping[str, str], ...] = (
    MappingProxyType({"provider": "deepgram", "model": "nova-3"}),
    MappingProxyType({"provider": "deepgram", "model": "nova-2"}),
)
VOICES: tuple[Mapping[str, str], ...] = (
    MappingProxyType(
        {
            "provider": "cartesia",
            "model": "sonic-3",
            "voice_id": "be79f378-47fe-4f9c-b92b-f02cefa62ccf",
        }
    ),
    MappingProxyType(
        {"provider": "elevenlabs", "model": "eleven_flash_v2_5", "voice_id": "21m00Tcm4TlvDq8ikWAM"}
    ),
    MappingProxyType({"provider": "sarvam", "model": "bulbul-v2", "voice_id": "anushka"}),
    MappingProxyType({"provider": "deepgram", "model": "aura-2", "voice_id": "aura-2-thalia-en"}),
    MappingProxyType({"provider": "rime", "model": "mistv2", "voice_id": "arcade"}),
    MappingProxyType({"provider": "inworld", "model": "inworld-tts-1", "voice_id": "Ashley"}),
)
# US dollars per minute of call, by cost component.
RATES_PER_MINUTE: Mapping[str, float] = MappingProxyType(
    {"platform_fee": 0.03, "stt": 0.0059, "tts": 0.012, "llm": 0.004}
)
TELEPHONY_PER_MINUTE = 0.009


@dataclass(frozen=True)
class Agent:
    agent_id: str
    name: str
    phone_number: str
    llm: Mapping[str, str]


@dataclass(frozen=True)
class Account:
    account_id: str
    name: str
    agents: tuple[Agent, ...]


@dataclass(frozen=True)
class ApiKey:
    key: str
    account_id: str
    expires_at: datetime | None

    def is_expired(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now


@dataclass(frozen=True)
class StoredCall:
    """A call record as the API serves it, and the account that owns it."""

    account_id: str
    record: Mapping[str, Any]

    @property
    def call_id(self) -> int:
        return int(self.record["id"])

    @property
    def listable(self) -> bool:
        """Its status is one a listed call may have (the spec's: never `deleted`)."""
        return self.record["status"] in listed_statuses()


@dataclass(frozen=True)
class Dataset:
    as_of: datetime
    accounts: tuple[Account, ...]
    keys: Mapping[str, ApiKey]
    calls: Mapping[int, StoredCall]

    def calls_of(self, account_id: str) -> list[StoredCall]:
        return [call for call in self.calls.values() if call.account_id == account_id]


PRIMARY = Account(
    "acc_sharma_electronics",
    "Sharma Electronics",
    (
        Agent(
            "ag_5d2678fd_e556",
            "Priya Support Agent",
            "+918045678900",
            MappingProxyType({"provider": "groq", "model_id": "llama-3.3-70b-versatile"}),
        ),
        Agent(
            "ag_7c1e90ab_a012",
            "Arjun Sales Agent",
            "+918045678901",
            MappingProxyType({"provider": "openai", "model_id": "gpt-4o-mini"}),
        ),
        Agent(
            "ag_3f9a21cd_b7e4",
            "Meera Collections Agent",
            "+918045678902",
            MappingProxyType({"provider": "sarvam", "model_id": "sarvam-m"}),
        ),
    ),
)
SECONDARY = Account(
    "acc_sunrise_clinics",
    "Sunrise Clinics",
    (
        Agent(
            "ag_9b4e7d12_c3a8",
            "Kavya Booking Agent",
            "+912261234500",
            MappingProxyType({"provider": "groq", "model_id": "llama-3.1-8b-instant"}),
        ),
        Agent(
            "ag_1a6c5e88_d290",
            "Rohan Reminder Agent",
            "+912261234501",
            MappingProxyType({"provider": "openai", "model_id": "gpt-4.1-mini"}),
        ),
    ),
)
KEYS = (
    ApiKey("thn_demo_primary_6f1c0e9a4b7d2835", PRIMARY.account_id, None),
    ApiKey("thn_demo_second_93ad51e7c20b4f68", SECONDARY.account_id, None),
    ApiKey(
        "thn_demo_expired_0b5e2d7149ac3f86",
        PRIMARY.account_id,
        datetime(2026, 1, 31, 0, 0, 0, tzinfo=UTC),
    ),
)
PRIMARY_SHARE = 0.62  # share of generated calls that belong to the primary account


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def load_published_calls() -> dict[int, JsonObject]:
    """The calls published in the reference and the spec's examples, served verbatim."""
    records: list[JsonObject] = json.loads(PUBLISHED_CALLS.read_text(encoding="utf-8"))
    return {int(record["id"]): record for record in records}


def _status_for(call_id: int) -> str:
    if call_id >= RECENT_FROM:
        return RECENT_STATUSES[(call_id - RECENT_FROM) % len(RECENT_STATUSES)]
    if call_id % 9 == 4:
        return "deleted"
    if call_id % 11 == 6:
        return "error"
    if call_id % 23 == 0:
        return "pending"  # a scheduled outbound call
    return "ended"


def _type_for(call_id: int, status: str, rng: random.Random) -> str:
    if call_id == LONG_TRANSCRIPT_CALL_ID:
        return "inbound"
    if status == "pending":
        return rng.choice(("outbound", "outbound", "web"))
    return rng.choice(("web", "web", "inbound", "inbound", "outbound", "outbound", "web"))


def _created_at(call_id: int, rng: random.Random) -> datetime:
    slot_id = BATCH_IDS[0] if call_id in BATCH_IDS else call_id
    jitter = 0 if call_id in BATCH_IDS else rng.randint(-JITTER_SECONDS, JITTER_SECONDS)
    return FIRST_SLOT + slot_id * SLOT + timedelta(seconds=jitter)


def _phone(rng: random.Random) -> str:
    return "+91" + str(rng.choice((6, 7, 8, 9))) + "".join(str(rng.randint(0, 9)) for _ in range(9))


def _transcript(language: str, count: int, span: float, rng: random.Random) -> list[JsonObject]:
    """`count` messages spread evenly over `span` seconds, cycling one scripted conversation."""
    script = rng.choice(SCRIPTS[language])
    step = span / max(count - 1, 1)
    return [
        {
            "role": script[index % len(script)][0],
            "content": script[index % len(script)][1],
            "timestamp": f"{round(index * step, 1):.1f}",
        }
        for index in range(count)
    ]


def call_cost(minutes: float, phone: bool) -> JsonObject:
    breakdown = {name: round(rate * minutes, 4) for name, rate in RATES_PER_MINUTE.items()}
    breakdown["telephony"] = round(TELEPHONY_PER_MINUTE * minutes, 4) if phone else 0.0
    total_usd = round(sum(breakdown.values()), 4)
    return {
        "total_usd": total_usd,
        "total_inr": round(total_usd * USD_TO_INR, 2),
        "breakdown": breakdown,
    }


def _analysis(language: str, rng: random.Random) -> JsonObject:
    overview, topics, actions, outcome = OVERVIEWS[language]
    score = rng.randint(38, 97)
    return {
        "summary": {
            "overview": overview,
            "key_topics": list(topics),
            "action_items": list(actions) if rng.random() < 0.7 else [],
            "outcome": outcome if score >= 50 else "unresolved",
        },
        "sentiment": "positive" if score >= 75 else "neutral" if score >= 50 else "negative",
        "score": {
            "score": score,
            "reasoning": "Clear answers, few interruptions"
            if score >= 75
            else "Caller had to repeat details",
        },
        "tags": [topics[0], "hindi" if language == "hi" else language],
        "knowledge_gaps": ["Warranty terms for refurbished items"] if score < 60 else [],
    }


def recording_of(account_id: str, call_id: int, duration: float, rng: random.Random) -> JsonObject:
    signature = f"{rng.getrandbits(128):032x}"
    return {
        "recording_url": "https://storage.googleapis.com/thinnestai-recordings/recordings/"
        f"{account_id}/{call_id}.wav?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Expires=3600"
        f"&X-Goog-Signature={signature}",
        "recording_duration": int(duration),
    }


def _elapsed_seconds(reason: str, call_type: str, call_id: int, rng: random.Random) -> int:
    if call_id == LONG_TRANSCRIPT_CALL_ID:
        return 3 * 60 * 60
    if reason in ("no_answer", "busy"):
        return 0
    if reason == "voicemail":
        return rng.randint(18, 40)
    if reason == "error":
        return rng.randint(3, 30)
    if reason == "max_duration":
        return 1800 if call_type == "web" else 3600
    return rng.randint(35, 540)


def generate_call(call_id: int, account: Account, rng: random.Random, counter: int) -> JsonObject:
    """One call record, consistent by construction with invariants 1-9 of contract.md."""
    status = _status_for(call_id)
    call_type = _type_for(call_id, status, rng)
    agent = rng.choice(account.agents)
    language = "hinglish" if call_id == LONG_TRANSCRIPT_CALL_ID else rng.choice(tuple(SCRIPTS))
    phone = call_type != "web"
    created = _created_at(call_id, rng)
    withheld = call_type == "inbound" and rng.random() < 0.3
    record: JsonObject = {
        "id": call_id,
        "type": call_type,
        "status": status,
        "agent_id": agent.agent_id,
        "agent_name": agent.name,
        "started_at": None,
        "ended_at": None,
        "duration_seconds": None,
        "ended_reason": None,
        "transcript": [],
        "recording_url": None,
        "recording_duration": None,
        "cost": call_cost(0.0, phone),
        "model": dict(agent.llm),
        "transcriber": dict(rng.choice(TRANSCRIBERS)),
        "voice": dict(rng.choice(VOICES)),
        "latency_ms": None,
        "interruptions": 0,
        "analysis": None,
        "phone_number": agent.phone_number if phone else None,
        "caller_phone": _phone(rng) if phone and not withheld else None,
        "call_direction": call_type,
        "created_at": rfc3339(created),
        "updated_at": rfc3339(created),
    }
    if status == "pending":
        return record
    started = created + timedelta(seconds=rng.randint(1, 4) if phone else 0)
    record["started_at"] = rfc3339(started)
    record["interruptions"] = rng.randint(0, 5)
    if status == "active":
        so_far = rng.randint(20, 240)
        record["transcript"] = _transcript(language, so_far // 9 + 1, so_far - 1, rng)
        record["latency_ms"] = rng.randint(320, 880)
        record["cost"] = call_cost(so_far / 60, phone)
        record["updated_at"] = rfc3339(started + timedelta(seconds=so_far))
        return record

    reasons = ENDED_REASONS_BY_TYPE[call_type]
    reason = "error" if status == "error" else reasons[counter % len(reasons)]
    if call_id == LONG_TRANSCRIPT_CALL_ID:
        reason = "max_duration"
    elapsed = _elapsed_seconds(reason, call_type, call_id, rng)
    duration = elapsed + rng.choice((0.0, 0.1, 0.3, 0.4, 0.6, 0.8)) if elapsed else 0.0
    ended = started + timedelta(seconds=elapsed)
    if call_id == LONG_TRANSCRIPT_CALL_ID:
        messages = LONG_TRANSCRIPT_MESSAGES
    elif reason == "voicemail":
        messages = 1
    else:
        messages = min(elapsed // 8, 60)
    spoke = messages > 0
    record.update(
        ended_at=rfc3339(ended),
        duration_seconds=duration,
        ended_reason=reason,
        transcript=_transcript(language, messages, max(duration - 0.5, 0.0), rng) if spoke else [],
        cost=call_cost(duration / 60, phone),
        latency_ms=rng.randint(300, 950) if spoke else None,
        interruptions=record["interruptions"] if spoke else 0,
    )
    if elapsed and rng.random() < 0.8:
        record.update(recording_of(account.account_id, call_id, duration, rng))
    # Analysis runs after the call; the newest finished calls may still be waiting for it.
    analysed = spoke and not (call_id >= RECENT_FROM and rng.random() < 0.5)
    record["analysis"] = _analysis(language, rng) if analysed else None
    updated = ended + timedelta(seconds=rng.randint(2, 8) + (40 if analysed else 0))
    if status == "deleted":
        updated = min(ended + timedelta(hours=rng.randint(1, 3)), AS_OF)
    record["updated_at"] = rfc3339(updated)
    return record


def _owner(call_id: int, published: Mapping[int, JsonObject], rng: random.Random) -> Account:
    if call_id in published or call_id == LONG_TRANSCRIPT_CALL_ID:
        return PRIMARY
    return PRIMARY if rng.random() < PRIMARY_SHARE else SECONDARY


def build_dataset(seed: int = SEED) -> Dataset:
    published = load_published_calls()
    calls: dict[int, StoredCall] = {}
    for counter, call_id in enumerate(range(1, CALL_COUNT + 1)):
        rng = random.Random(f"{seed}:{call_id}")
        account = _owner(call_id, published, rng)
        record = published.get(call_id) or generate_call(call_id, account, rng, counter)
        calls[call_id] = StoredCall(account.account_id, record)
    return Dataset(
        as_of=AS_OF,
        accounts=(PRIMARY, SECONDARY),
        keys={key.key: key for key in KEYS},
        calls=calls,
    )


@functools.cache
def demo_dataset() -> Dataset:
    """The one dataset every server start serves (built once per process)."""
    return build_dataset()


def new_tenant() -> Dataset:
    """The demo data as a new tenant sees it: the primary account (the demo key's) has no
    call yet; the other account keeps its calls. A correct server with nothing to judge."""
    dataset = demo_dataset()
    calls = {i: call for i, call in dataset.calls.items() if call.account_id != PRIMARY.account_id}
    return Dataset(dataset.as_of, dataset.accounts, dataset.keys, calls)
