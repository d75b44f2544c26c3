from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ValidationError")

# The properties from_dict reads; any other key goes to additional_properties.
_PROPERTY_NAMES = frozenset(
    {
        "detail",
        "status",
    }
)


@_attrs_define
class ValidationError:
    """The error body of a 422 response; the shared error shape with one item per invalid input.

    Attributes:
        detail (list[ValidationErrorItem]): One item per invalid input.
        status (int | Unset): The HTTP status code, repeated in the body.
    """

    detail: list[ValidationErrorItem]
    status: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        detail = []
        for detail_item_data in self.detail:
            detail_item = detail_item_data.to_dict()
            detail.append(detail_item)

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "detail": detail,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        detail = [
            ValidationErrorItem.from_dict(detail_item_data)
            for detail_item_data in src_dict["detail"]
        ]

        status = src_dict.get("status", UNSET)

        validation_error = cls(
            detail,
            status,
        )

        # Every required key was read above: when there are no more keys, none is unknown.
        if len(src_dict) != 1:
            d = {
                key: value
                for key, value in src_dict.items()
                if key not in _PROPERTY_NAMES
            }
            validation_error.additional_properties = d
        return validation_error

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
from ..models.validation_error_item import ValidationErrorItem
