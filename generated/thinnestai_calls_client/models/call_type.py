from enum import StrEnum


class CallType(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"
    WEB = "web"

    def __str__(self) -> str:
        return str(self.value)
