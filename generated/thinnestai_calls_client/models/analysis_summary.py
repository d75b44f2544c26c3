from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AnalysisSummary")

# The properties from_dict reads; any other key goes to additional_properties.
_PROPERTY_NAMES = frozenset(
    {
        "overview",
        "key_topics",
        "action_items",
        "outcome",
    }
)


@_attrs_define
class AnalysisSummary:
    """A short summary of the call.

    Attributes:
        overview (str): One or two sentences on what happened.
        key_topics (list[str]): The main topics discussed.
        action_items (list[str]): Follow-ups promised during the call.
        outcome (str): How the call ended for the caller, e.g. `resolved`. Open vocabulary.
    """

    overview: str
    key_topics: list[str]
    action_items: list[str]
    outcome: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        overview = self.overview

        key_topics = self.key_topics

        action_items = self.action_items

        outcome = self.outcome

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "overview": overview,
                "key_topics": key_topics,
                "action_items": action_items,
                "outcome": outcome,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        overview = src_dict["overview"]

        key_topics = cast(list[str], src_dict["key_topics"])

        action_items = cast(list[str], src_dict["action_items"])

        outcome = src_dict["outcome"]

        analysis_summary = cls(
            overview,
            key_topics,
            action_items,
            outcome,
        )

        # Every required key was read above: when there are no more keys, none is unknown.
        if len(src_dict) != 4:
            d = {
                key: value
                for key, value in src_dict.items()
                if key not in _PROPERTY_NAMES
            }
            analysis_summary.additional_properties = d
        return analysis_summary

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
