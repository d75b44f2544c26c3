from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.message_role import MessageRole, parse_message_role

T = TypeVar("T", bound="TranscriptMessage")

# The properties from_dict reads; any other key goes to additional_properties.
_PROPERTY_NAMES = frozenset(
    {
        "role",
        "content",
        "timestamp",
    }
)


@_attrs_define
class TranscriptMessage:
    """One turn of the conversation.

    Attributes:
        role (MessageRole): Who spoke. `assistant` is the agent, `user` the other party. Closed enum.
        content (str): What was said, as text, in the language it was spoken.
        timestamp (str): Seconds from the start of the call, as a decimal string such as `"5.2"`. Never decreases along
            the transcript.
    """

    role: MessageRole
    content: str
    timestamp: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        role = self.role.value

        content = self.content

        timestamp = self.timestamp

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "role": role,
                "content": content,
                "timestamp": timestamp,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        role = parse_message_role(src_dict["role"])

        content = src_dict["content"]

        timestamp = src_dict["timestamp"]

        transcript_message = cls(
            role,
            content,
            timestamp,
        )

        # Every required key was read above: when there are no more keys, none is unknown.
        if len(src_dict) != 3:
            d = {
                key: value
                for key, value in src_dict.items()
                if key not in _PROPERTY_NAMES
            }
            transcript_message.additional_properties = d
        return transcript_message

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
