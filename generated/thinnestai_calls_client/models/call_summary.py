from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.call_type import CallType, parse_call_type
from ..models.listed_call_status import ListedCallStatus, parse_listed_call_status

T = TypeVar("T", bound="CallSummary")

# The properties from_dict reads; any other key goes to additional_properties.
_PROPERTY_NAMES = frozenset(
    {
        "id",
        "type",
        "status",
        "agent_id",
        "agent_name",
        "started_at",
        "ended_at",
        "duration_seconds",
        "latency_ms",
        "cost",
    }
)


@_attrs_define
class CallSummary:
    """A call as it appears in a list: a subset of the call record, with the same meaning and
    null cases. Fetching the call by id returns the same values.

        Attributes:
            id (int): The call's id, unique on the platform.
            type_ (CallType): How the call reached the agent. `web` is a browser call; `inbound` and `outbound` are phone
                calls. Closed enum.
            status (ListedCallStatus): The status of a listed call; deleted calls are never listed. Closed enum.
            agent_id (str): The public id of the agent that handled the call; starts with `ag_`.
            agent_name (str): The agent's display name.
            started_at (datetime.datetime | None): When the call was connected (RFC 3339, UTC). Null only while the call is
                `pending`.
            ended_at (datetime.datetime | None): When the call ended (RFC 3339, UTC). Null exactly when the call is `active`
                or `pending`.
            duration_seconds (float | None): Total call duration in seconds. Null exactly when the call is `active` or
                `pending`.
            latency_ms (int | None): Average turn-around latency in milliseconds. Null when no turn was measured.
            cost (CostTotals): The totals of a call's cost, as listed.
    """

    id: int
    type_: CallType
    status: ListedCallStatus
    agent_id: str
    agent_name: str
    started_at: datetime.datetime | None
    ended_at: datetime.datetime | None
    duration_seconds: float | None
    latency_ms: int | None
    cost: CostTotals
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_.value

        status = self.status.value

        agent_id = self.agent_id

        agent_name = self.agent_name

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat().replace("+00:00", "Z")
        else:
            started_at = self.started_at

        ended_at: None | str
        if isinstance(self.ended_at, datetime.datetime):
            ended_at = self.ended_at.isoformat().replace("+00:00", "Z")
        else:
            ended_at = self.ended_at

        duration_seconds: float | None
        duration_seconds = self.duration_seconds

        latency_ms: int | None
        latency_ms = self.latency_ms

        cost = self.cost.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "status": status,
                "agent_id": agent_id,
                "agent_name": agent_name,
                "started_at": started_at,
                "ended_at": ended_at,
                "duration_seconds": duration_seconds,
                "latency_ms": latency_ms,
                "cost": cost,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        id = src_dict["id"]

        type_ = parse_call_type(src_dict["type"])

        status = parse_listed_call_status(src_dict["status"])

        agent_id = src_dict["agent_id"]

        agent_name = src_dict["agent_name"]

        started_at = src_dict["started_at"]
        if isinstance(started_at, str):
            try:
                started_at_type_0 = datetime.datetime.fromisoformat(started_at)

                started_at = started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass

        ended_at = src_dict["ended_at"]
        if isinstance(ended_at, str):
            try:
                ended_at_type_0 = datetime.datetime.fromisoformat(ended_at)

                ended_at = ended_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass

        duration_seconds = src_dict["duration_seconds"]

        latency_ms = src_dict["latency_ms"]

        cost = CostTotals.from_dict(src_dict["cost"])

        call_summary = cls(
            id,
            type_,
            status,
            agent_id,
            agent_name,
            started_at,
            ended_at,
            duration_seconds,
            latency_ms,
            cost,
        )

        # Every required key was read above: when there are no more keys, none is unknown.
        if len(src_dict) != 10:
            d = {
                key: value
                for key, value in src_dict.items()
                if key not in _PROPERTY_NAMES
            }
            call_summary.additional_properties = d
        return call_summary

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
from ..models.cost_totals import CostTotals
