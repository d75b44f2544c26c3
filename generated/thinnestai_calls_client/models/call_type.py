from enum import StrEnum


class CallType(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"
    WEB = "web"

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def _missing_(cls, value: object) -> "CallType | None":
        """Keep a value this client does not know yet as an `UNKNOWN` pseudo-member.

        A server may add an enum value before the client is regenerated; parsing must not fail.
        The pseudo-member is a str equal to the raw value (`status == "archived"`), serialises
        back to it (`.value`), and is not one of the class's members (`list(...)`).
        """
        if not isinstance(value, str):
            return None
        unknown = str.__new__(cls, value)
        unknown._name_ = "UNKNOWN"
        unknown._value_ = value
        return unknown


_MEMBERS = {member.value: member for member in CallType}


def parse_call_type(value: str) -> CallType:
    """`CallType(value)`, faster for a known value: one dictionary look-up.

    from_dict uses it: calling an enum class, or only reading an attribute of it, goes through
    Python-level code of the enum machinery.
    """
    try:
        return _MEMBERS[value]
    except KeyError:
        return CallType(value)
