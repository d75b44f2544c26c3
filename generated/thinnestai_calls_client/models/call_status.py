from enum import StrEnum


class CallStatus(StrEnum):
    ACTIVE = "active"
    DELETED = "deleted"
    ENDED = "ended"
    ERROR = "error"
    PENDING = "pending"

    def __str__(self) -> str:
        return str(self.value)
