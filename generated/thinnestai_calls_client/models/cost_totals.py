from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CostTotals")

# The properties from_dict reads; any other key goes to additional_properties.
_PROPERTY_NAMES = frozenset(
    {
        "total_usd",
        "total_inr",
    }
)


@_attrs_define
class CostTotals:
    """The totals of a call's cost, as listed.

    Attributes:
        total_usd (float): Total cost in US dollars.
        total_inr (float): Total cost in Indian rupees.
    """

    total_usd: float
    total_inr: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        total_usd = self.total_usd

        total_inr = self.total_inr

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "total_usd": total_usd,
                "total_inr": total_inr,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        total_usd = src_dict["total_usd"]

        total_inr = src_dict["total_inr"]

        cost_totals = cls(
            total_usd,
            total_inr,
        )

        # Every required key was read above: when there are no more keys, none is unknown.
        if len(src_dict) != 2:
            d = {
                key: value
                for key, value in src_dict.items()
                if key not in _PROPERTY_NAMES
            }
            cost_totals.additional_properties = d
        return cost_totals

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
