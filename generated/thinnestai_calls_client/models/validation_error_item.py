from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ValidationErrorItem")

# The properties from_dict reads; any other key goes to additional_properties.
_PROPERTY_NAMES = frozenset(
    {
        "loc",
        "msg",
        "type",
    }
)


@_attrs_define
class ValidationErrorItem:
    """One invalid input.

    Attributes:
        loc (list[int | str]): Where the input is, e.g. `["path", "call_id"]` or `["query", "limit"]`.
        msg (str): What is wrong with it, for a person to read.
        type_ (str): A machine-readable error kind, e.g. `int_parsing`.
    """

    loc: list[int | str]
    msg: str
    type_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        loc = []
        for loc_item_data in self.loc:
            loc_item: int | str
            loc_item = loc_item_data
            loc.append(loc_item)

        msg = self.msg

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "loc": loc,
                "msg": msg,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        loc = []
        _loc = src_dict["loc"]
        for loc_item_data in _loc:
            loc_item = loc_item_data

            loc.append(loc_item)

        msg = src_dict["msg"]

        type_ = src_dict["type"]

        validation_error_item = cls(
            loc,
            msg,
            type_,
        )

        # Every required key was read above: when there are no more keys, none is unknown.
        if len(src_dict) != 3:
            d = {
                key: value
                for key, value in src_dict.items()
                if key not in _PROPERTY_NAMES
            }
            validation_error_item.additional_properties = d
        return validation_error_item

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
