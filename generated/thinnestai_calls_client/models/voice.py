from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Voice")

# The properties from_dict reads; any other key goes to additional_properties.
_PROPERTY_NAMES = frozenset(
    {
        "provider",
        "model",
        "voice_id",
    }
)


@_attrs_define
class Voice:
    """The text-to-speech voice the agent spoke with.

    Attributes:
        provider (str): TTS provider. Open vocabulary; known: `cartesia`, `elevenlabs`, `sarvam`, `deepgram`, `rime`,
            `inworld`.
        model (str): The provider's voice model, e.g. `sonic-3`.
        voice_id (str): The provider's voice id.
    """

    provider: str
    model: str
    voice_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        provider = self.provider

        model = self.model

        voice_id = self.voice_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "provider": provider,
                "model": model,
                "voice_id": voice_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        provider = src_dict["provider"]

        model = src_dict["model"]

        voice_id = src_dict["voice_id"]

        voice = cls(
            provider,
            model,
            voice_id,
        )

        # Every required key was read above: when there are no more keys, none is unknown.
        if len(src_dict) != 3:
            d = {
                key: value
                for key, value in src_dict.items()
                if key not in _PROPERTY_NAMES
            }
            voice.additional_properties = d
        return voice

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
