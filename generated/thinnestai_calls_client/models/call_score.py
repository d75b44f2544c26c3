from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CallScore")

# The properties from_dict reads; any other key goes to additional_properties.
_PROPERTY_NAMES = frozenset(
    {
        "score",
        "reasoning",
    }
)


@_attrs_define
class CallScore:
    """The call's quality score.

    Attributes:
        score (int): Quality from 0 to 100.
        reasoning (str): Why the call got that score.
    """

    score: int
    reasoning: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        score = self.score

        reasoning = self.reasoning

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "score": score,
                "reasoning": reasoning,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        score = src_dict["score"]

        reasoning = src_dict["reasoning"]

        call_score = cls(
            score,
            reasoning,
        )

        # Every required key was read above: when there are no more keys, none is unknown.
        if len(src_dict) != 2:
            d = {
                key: value
                for key, value in src_dict.items()
                if key not in _PROPERTY_NAMES
            }
            call_score.additional_properties = d
        return call_score

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
