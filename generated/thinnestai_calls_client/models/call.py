from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.call_status import CallStatus, parse_call_status
from ..models.call_type import CallType, parse_call_type

T = TypeVar("T", bound="Call")

# The properties from_dict reads; any other key goes to additional_properties.
_PROPERTY_NAMES = frozenset(
    {
        "id",
        "type",
        "status",
        "agent_id",
        "agent_name",
        "started_at",
        "ended_at",
        "duration_seconds",
        "ended_reason",
        "transcript",
        "recording_url",
        "recording_duration",
        "cost",
        "model",
        "transcriber",
        "voice",
        "latency_ms",
        "interruptions",
        "analysis",
        "phone_number",
        "caller_phone",
        "call_direction",
        "created_at",
        "updated_at",
    }
)


@_attrs_define
class Call:
    """The full record of one call. Every property is always present; the descriptions say
    the only case in which a property may be null. Responses may carry further properties
    that this schema does not name: clients ignore them.

        Attributes:
            id (int): The call's id, unique on the platform.
            type_ (CallType): How the call reached the agent. `web` is a browser call; `inbound` and `outbound` are phone
                calls. Closed enum.
            status (CallStatus): Where the call is in its life. `pending` has not connected yet, `active` is in progress,
                `ended` and `error` are finished, `deleted` is finished and removed from lists. Closed enum.
            agent_id (str): The public id of the agent that handled the call; starts with `ag_`.
            agent_name (str): The agent's display name.
            started_at (datetime.datetime | None): When the call was connected (RFC 3339, UTC, `Z` suffix). Null only while
                the call is `pending`.
            ended_at (datetime.datetime | None): When the call ended (RFC 3339, UTC). Null exactly when the call is `active`
                or `pending`.
            duration_seconds (float | None): Total call duration in seconds, within 1 s of `ended_at - started_at`. Null
                exactly when the call is `active` or `pending`.
            ended_reason (None | str): Why the call ended, in snake_case. Open vocabulary: known values are `user_hangup`,
                `agent_hangup`, `silence_timeout`, `max_duration`, `transfer`, `voicemail`,
                `no_answer`, `busy` and `error`; others may appear. Null exactly when the call is
                `active` or `pending`.
            transcript (list[TranscriptMessage]): The conversation so far, in order; empty when nothing was said.
            recording_url (None | str): Pre-signed URL of the recording; it expires one hour after the response. Null when
                no recording exists.
            recording_duration (int | None): Recording length in whole seconds, at most `duration_seconds + 1`. Null when no
                recording exists.
            cost (Cost): What the call cost. `total_usd` is within 0.005 of the sum of the breakdown.
            model (LlmModel): The language model that drove the agent.
            transcriber (Transcriber): The speech-to-text model that transcribed the caller.
            voice (Voice): The text-to-speech voice the agent spoke with.
            latency_ms (int | None): Average turn-around latency in milliseconds. Null when no turn was measured.
            interruptions (int): Number of times the user interrupted the agent.
            analysis (Analysis | None): The post-call analysis. Null until it has finished, and always null for `active` and
                `pending` calls.
            phone_number (None | str): The agent's phone number in E.164 form. Null for `web` calls; present for `inbound`
                and `outbound` calls.
            caller_phone (None | str): The other party's phone number in E.164 form. Null for `web` calls and when caller ID
                is withheld.
            call_direction (CallType): How the call reached the agent. `web` is a browser call; `inbound` and `outbound` are
                phone calls. Closed enum.
            created_at (datetime.datetime): When the call record was created (RFC 3339, UTC).
            updated_at (datetime.datetime): When the call record last changed (RFC 3339, UTC); never before `created_at` or
                `ended_at`.
    """

    id: int
    type_: CallType
    status: CallStatus
    agent_id: str
    agent_name: str
    started_at: datetime.datetime | None
    ended_at: datetime.datetime | None
    duration_seconds: float | None
    ended_reason: None | str
    transcript: list[TranscriptMessage]
    recording_url: None | str
    recording_duration: int | None
    cost: Cost
    model: LlmModel
    transcriber: Transcriber
    voice: Voice
    latency_ms: int | None
    interruptions: int
    analysis: Analysis | None
    phone_number: None | str
    caller_phone: None | str
    call_direction: CallType
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_.value

        status = self.status.value

        agent_id = self.agent_id

        agent_name = self.agent_name

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat().replace("+00:00", "Z")
        else:
            started_at = self.started_at

        ended_at: None | str
        if isinstance(self.ended_at, datetime.datetime):
            ended_at = self.ended_at.isoformat().replace("+00:00", "Z")
        else:
            ended_at = self.ended_at

        duration_seconds: float | None
        duration_seconds = self.duration_seconds

        ended_reason: None | str
        ended_reason = self.ended_reason

        transcript = []
        for transcript_item_data in self.transcript:
            transcript_item = transcript_item_data.to_dict()
            transcript.append(transcript_item)

        recording_url: None | str
        recording_url = self.recording_url

        recording_duration: int | None
        recording_duration = self.recording_duration

        cost = self.cost.to_dict()

        model = self.model.to_dict()

        transcriber = self.transcriber.to_dict()

        voice = self.voice.to_dict()

        latency_ms: int | None
        latency_ms = self.latency_ms

        interruptions = self.interruptions

        analysis: dict[str, Any] | None
        if isinstance(self.analysis, Analysis):
            analysis = self.analysis.to_dict()
        else:
            analysis = self.analysis

        phone_number: None | str
        phone_number = self.phone_number

        caller_phone: None | str
        caller_phone = self.caller_phone

        call_direction = self.call_direction.value

        created_at = self.created_at.isoformat().replace("+00:00", "Z")

        updated_at = self.updated_at.isoformat().replace("+00:00", "Z")

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "status": status,
                "agent_id": agent_id,
                "agent_name": agent_name,
                "started_at": started_at,
                "ended_at": ended_at,
                "duration_seconds": duration_seconds,
                "ended_reason": ended_reason,
                "transcript": transcript,
                "recording_url": recording_url,
                "recording_duration": recording_duration,
                "cost": cost,
                "model": model,
                "transcriber": transcriber,
                "voice": voice,
                "latency_ms": latency_ms,
                "interruptions": interruptions,
                "analysis": analysis,
                "phone_number": phone_number,
                "caller_phone": caller_phone,
                "call_direction": call_direction,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        id = src_dict["id"]

        type_ = parse_call_type(src_dict["type"])

        status = parse_call_status(src_dict["status"])

        agent_id = src_dict["agent_id"]

        agent_name = src_dict["agent_name"]

        started_at = src_dict["started_at"]
        if isinstance(started_at, str):
            try:
                started_at_type_0 = datetime.datetime.fromisoformat(started_at)

                started_at = started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass

        ended_at = src_dict["ended_at"]
        if isinstance(ended_at, str):
            try:
                ended_at_type_0 = datetime.datetime.fromisoformat(ended_at)

                ended_at = ended_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass

        duration_seconds = src_dict["duration_seconds"]

        ended_reason = src_dict["ended_reason"]

        transcript = [
            TranscriptMessage.from_dict(transcript_item_data)
            for transcript_item_data in src_dict["transcript"]
        ]

        recording_url = src_dict["recording_url"]

        recording_duration = src_dict["recording_duration"]

        cost = Cost.from_dict(src_dict["cost"])

        model = LlmModel.from_dict(src_dict["model"])

        transcriber = Transcriber.from_dict(src_dict["transcriber"])

        voice = Voice.from_dict(src_dict["voice"])

        latency_ms = src_dict["latency_ms"]

        interruptions = src_dict["interruptions"]

        analysis = src_dict["analysis"]
        if isinstance(analysis, dict):
            try:
                analysis_type_0 = Analysis.from_dict(analysis)

                analysis = analysis_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass

        phone_number = src_dict["phone_number"]

        caller_phone = src_dict["caller_phone"]

        call_direction = parse_call_type(src_dict["call_direction"])

        created_at = datetime.datetime.fromisoformat(src_dict["created_at"])

        updated_at = datetime.datetime.fromisoformat(src_dict["updated_at"])

        call = cls(
            id,
            type_,
            status,
            agent_id,
            agent_name,
            started_at,
            ended_at,
            duration_seconds,
            ended_reason,
            transcript,
            recording_url,
            recording_duration,
            cost,
            model,
            transcriber,
            voice,
            latency_ms,
            interruptions,
            analysis,
            phone_number,
            caller_phone,
            call_direction,
            created_at,
            updated_at,
        )

        # Every required key was read above: when there are no more keys, none is unknown.
        if len(src_dict) != 24:
            d = {
                key: value
                for key, value in src_dict.items()
                if key not in _PROPERTY_NAMES
            }
            call.additional_properties = d
        return call

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


# After the class: a model that refers back to this one finds it when this import runs.
from ..models.analysis import Analysis
from ..models.cost import Cost
from ..models.llm_model import LlmModel
from ..models.transcriber import Transcriber
from ..models.transcript_message import TranscriptMessage
from ..models.voice import Voice
