"""Errors the API functions raise: every one is a ThinnestAIError.

    ThinnestAIError                  the base: `except ThinnestAIError` catches every failure
     +-- APIError                    a call failed; `request` is the httpx.Request sent
     |    +-- APIConnectionError     no answer: refused or reset connection, TLS failure, a
     |    |    |                     broken HTTP exchange; raised after the retries, httpx's
     |    |    |                     error as __cause__, `retries` made
     |    |    +-- APITimeoutError   no answer in time (connect, read, write or pool time-out)
     |    +-- APIResponseValidationError
     |    |                          a success status whose body is not the documented JSON;
     |    |                          also a ValueError
     |    +-- UnexpectedStatus       an undocumented status; only with raise_on_unexpected_status
     |    +-- APIStatusError         an error status (400 or more): status_code, headers, content
     |         |                     and parsed (the Error or ValidationError, else None)
     |         +-- AuthenticationError       401: the key is missing, malformed, unknown or expired
     |         +-- PermissionDeniedError     403: the call belongs to another account
     |         +-- NotFoundError             404: no call has that id
     |         +-- UnprocessableEntityError  422: an invalid input (parsed is a ValidationError)
     |         +-- RateLimitError            429: retry_after, the seconds the server asks to wait
     +-- ListingChangedError         sync_all/asyncio_all could not follow a listing that kept
                                     changing under it; also a RuntimeError

Wrong arguments (a negative max_retries, a sync_all limit below 2) raise ValueError at once,
and an exception raised by one of your hooks (client.on_request, ...) reaches you unchanged:
neither is a failure of the call.
"""

import email.utils
import math
import time
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import httpx

from .models.error import Error
from .models.validation_error import ValidationError
from .types import Response


class ThinnestAIError(Exception):
    """The base class of every exception this client raises."""


class APIError(ThinnestAIError):
    """A call to the API failed. `request` is the httpx.Request that was sent (None only when
    the error was built by hand); its headers hold the key, so do not log them."""

    request: httpx.Request | None

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        self.request = request
        super().__init__(message)


class APIConnectionError(APIError):
    """No answer: the connection was refused or reset, TLS failed, or the exchange broke off.

    Raised once the client's retries are spent (a GET is retried, max_retries); `retries` says
    how many were made and `__cause__` is httpx's own error.
    """

    retries: int

    def __init__(
        self, message: str, *, request: httpx.Request | None = None, retries: int = 0
    ) -> None:
        self.retries = retries
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    """No answer in time: the connect, read, write or pool time-out passed (Client.timeout,
    with_options(timeout=...) or a function's timeout=)."""


class APIResponseValidationError(APIError, ValueError):
    """A success status whose body is not the documented JSON: the server broke the contract.

    `status_code`, `headers` and `content` are the answer's; `__cause__` is the parsing error.
    """

    def __init__(
        self,
        status_code: HTTPStatus | int,
        headers: Mapping[str, str],
        content: bytes,
        *,
        reason: str,
        request: httpx.Request | None = None,
    ) -> None:
        self.status_code = status_code
        self.headers = headers
        self.content = content
        super().__init__(
            f"{status_code} body is not the documented JSON ({reason}): {content[:200]!r}",
            request=request,
        )


class UnexpectedStatus(APIError):
    """Raised by api functions when the response status an undocumented status and Client.raise_on_unexpected_status is True"""

    def __init__(
        self, status_code: int, content: bytes, *, request: httpx.Request | None = None
    ):
        self.status_code = status_code
        self.content = content

        super().__init__(
            f"Unexpected status code: {status_code}\n\nResponse content:\n{content.decode(errors='ignore')}",
            request=request,
        )


class APIStatusError(APIError):
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
        *,
        request: httpx.Request | None = None,
    ) -> None:
        self.status_code = status_code
        self.headers = headers
        self.content = content
        self.parsed = parsed
        super().__init__(
            f"{status_code} {_phrase(status_code)}: {_detail(parsed, content)}",
            request=request,
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


class ListingChangedError(ThinnestAIError, RuntimeError):
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
    raise error_class(
        response.status_code,
        response.headers,
        response.content,
        parsed,
        request=response.request,
    )


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
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "ListingChangedError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ThinnestAIError",
    "UnexpectedStatus",
    "UnprocessableEntityError",
    "raise_for_status",
    "retry_after_seconds",
]
