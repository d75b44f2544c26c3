from enum import StrEnum


class ListedCallStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"
    ERROR = "error"
    PENDING = "pending"

    def __str__(self) -> str:
        return str(self.value)
