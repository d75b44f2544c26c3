from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="LlmModel")

# The properties from_dict reads; any other key goes to additional_properties.
_PROPERTY_NAMES = frozenset(
    {
        "provider",
        "model_id",
    }
)


@_attrs_define
class LlmModel:
    """The language model that drove the agent.

    Attributes:
        provider (str): LLM provider. Open vocabulary; known: `groq`, `openai`, `sarvam`.
        model_id (str): The provider's model id, e.g. `llama-3.3-70b-versatile`.
    """

    provider: str
    model_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        provider = self.provider

        model_id = self.model_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "provider": provider,
                "model_id": model_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        provider = src_dict["provider"]

        model_id = src_dict["model_id"]

        llm_model = cls(
            provider,
            model_id,
        )

        # Every required key was read above: when there are no more keys, none is unknown.
        if len(src_dict) != 2:
            d = {
                key: value
                for key, value in src_dict.items()
                if key not in _PROPERTY_NAMES
            }
            llm_model.additional_properties = d
        return llm_model

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
