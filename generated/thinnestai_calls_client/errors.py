"""Errors the API functions raise.

    Exception
     +-- UnexpectedStatus           an undocumented status; only with raise_on_unexpected_status
     +-- APIStatusError             an error status (400 or more): status_code, headers, content
     |    |                         and parsed (the Error or ValidationError, else None)
     |    +-- AuthenticationError       401: the key is missing, malformed, unknown or expired
     |    +-- PermissionDeniedError     403: the call belongs to another account
     |    +-- NotFoundError             404: no call has that id
     |    +-- UnprocessableEntityError  422: an invalid input (parsed is a ValidationError)
     |    +-- RateLimitError            429: retry_after, the seconds the server asks to wait
     +-- ListingChangedError        sync_all/asyncio_all could not follow a listing that kept
                                    changing under it

No answer at all (a time-out, a refused connection) is httpx's own error: httpx.HTTPError.
"""

import email.utils
import math
import time
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from .models.error import Error
from .models.validation_error import ValidationError
from .types import Response


class UnexpectedStatus(Exception):
    """Raised by api functions when the response status an undocumented status and Client.raise_on_unexpected_status is True"""

    def __init__(self, status_code: int, content: bytes):
        self.status_code = status_code
        self.content = content

        super().__init__(
            f"Unexpected status code: {status_code}\n\nResponse content:\n{content.decode(errors='ignore')}"
        )


class APIStatusError(Exception):
    """The API answered with an error status (400 or more).

    Raised as one of the subclasses below for a status the spec documents, as this class for
    any other (a gateway's 502 once retries are spent, a 500).
    """

    status_code: HTTPStatus | int
    headers: Mapping[str, str]
    content: bytes
    parsed: Error | ValidationError | None

    def __init__(
        self,
        status_code: HTTPStatus | int,
        headers: Mapping[str, str],
        content: bytes,
        parsed: Error | ValidationError | None,
    ) -> None:
        self.status_code = status_code
        self.headers = headers
        self.content = content
        self.parsed = parsed
        super().__init__(
            f"{status_code} {_phrase(status_code)}: {_detail(parsed, content)}"
        )


class AuthenticationError(APIStatusError):
    """401: the API key is missing, malformed, unknown or expired."""

    parsed: Error | None


class PermissionDeniedError(APIStatusError):
    """403: the key is valid, but the call belongs to another account."""

    parsed: Error | None


class NotFoundError(APIStatusError):
    """404: no call has that id."""

    parsed: Error | None


class UnprocessableEntityError(APIStatusError):
    """422: an input is invalid; `parsed.detail` lists each one (`loc`, `msg`, `type_`)."""

    parsed: ValidationError | None


class RateLimitError(APIStatusError):
    """429: too many requests. `retry_after` is the seconds the server asks the caller to wait
    (from Retry-After), None when it sent none that can be read."""

    parsed: Error | None

    @property
    def retry_after(self) -> float | None:
        return retry_after_seconds(self.headers)


class ListingChangedError(RuntimeError):
    """sync_all/asyncio_all found, more often than api.MAX_RECOVERIES, that a page did not join
    the page before: calls are deleted, or arrive faster than a page a request, all the time."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def raise_for_status(response: Response[Any]) -> None:
    """Raise the APIStatusError for `response` when its status is 400 or more."""
    if response.status_code < 400:
        return
    parsed = (
        response.parsed
        if isinstance(response.parsed, Error | ValidationError)
        else None
    )
    error_class = _BY_STATUS.get(response.status_code, APIStatusError)
    raise error_class(response.status_code, response.headers, response.content, parsed)


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """The wait a Retry-After header asks for, in seconds (0 or more), from either of its forms
    (`120` or an HTTP date); None when there is no such header or it cannot be read."""
    value = headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    return max(seconds, 0.0) if math.isfinite(seconds) else None


def _phrase(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return "Error"


def _detail(parsed: Error | ValidationError | None, content: bytes) -> str:
    if isinstance(parsed, ValidationError):
        return "; ".join(f"{item.loc}: {item.msg}" for item in parsed.detail)
    if isinstance(parsed, Error):
        return str(parsed.detail)
    return repr(content[:200])


__all__ = [
    "APIStatusError",
    "AuthenticationError",
    "ListingChangedError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnexpectedStatus",
    "UnprocessableEntityError",
    "raise_for_status",
    "retry_after_seconds",
]
