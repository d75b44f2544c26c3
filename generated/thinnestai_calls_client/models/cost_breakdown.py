from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CostBreakdown")

# The properties from_dict reads; any other key goes to additional_properties.
_PROPERTY_NAMES = frozenset(
    {
        "platform_fee",
        "stt",
        "tts",
        "llm",
        "telephony",
    }
)


@_attrs_define
class CostBreakdown:
    """Per-component costs in US dollars.

    Attributes:
        platform_fee (float): The platform's own fee.
        stt (float): Speech-to-text.
        tts (float): Text-to-speech.
        llm (float): The language model.
        telephony (float): Phone carrier charges; zero for web calls.
    """

    platform_fee: float
    stt: float
    tts: float
    llm: float
    telephony: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        platform_fee = self.platform_fee

        stt = self.stt

        tts = self.tts

        llm = self.llm

        telephony = self.telephony

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "platform_fee": platform_fee,
                "stt": stt,
                "tts": tts,
                "llm": llm,
                "telephony": telephony,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        platform_fee = src_dict["platform_fee"]

        stt = src_dict["stt"]

        tts = src_dict["tts"]

        llm = src_dict["llm"]

        telephony = src_dict["telephony"]

        cost_breakdown = cls(
            platform_fee,
            stt,
            tts,
            llm,
            telephony,
        )

        # Every required key was read above: when there are no more keys, none is unknown.
        if len(src_dict) != 5:
            d = {
                key: value
                for key, value in src_dict.items()
                if key not in _PROPERTY_NAMES
            }
            cost_breakdown.additional_properties = d
        return cost_breakdown

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
