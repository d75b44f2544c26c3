from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CallList")

# The properties from_dict reads; any other key goes to additional_properties.
_PROPERTY_NAMES = frozenset(
    {
        "calls",
        "total",
    }
)


@_attrs_define
class CallList:
    """One page of calls, newest first, and the number of all listable calls.

    Attributes:
        calls (list[CallSummary]): At most `limit` call summaries, ordered by `created_at` descending, then `id`
            descending. Never a deleted call.
        total (int): The exact number of listable calls of the account (never a deleted call, never another account's),
            so this page holds `min(limit, max(0, total - offset))` calls.
    """

    calls: list[CallSummary]
    total: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        calls = []
        for calls_item_data in self.calls:
            calls_item = calls_item_data.to_dict()
            calls.append(calls_item)

        total = self.total

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "calls": calls,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        calls = [
            CallSummary.from_dict(calls_item_data)
            for calls_item_data in src_dict["calls"]
        ]

        total = src_dict["total"]

        call_list = cls(
            calls,
            total,
        )

        # Every required key was read above: when there are no more keys, none is unknown.
        if len(src_dict) != 2:
            d = {
                key: value
                for key, value in src_dict.items()
                if key not in _PROPERTY_NAMES
            }
            call_list.additional_properties = d
        return call_list

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
from ..models.call_summary import CallSummary
