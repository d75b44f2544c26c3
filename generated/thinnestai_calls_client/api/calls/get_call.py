from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...api import asend, send
from ...client import AuthenticatedClient, Client
from ...models.call import Call
from ...models.error import Error
from ...models.validation_error import ValidationError
from ...types import UNSET, Response, Unset, status_code_of


def _get_kwargs(
    call_id: int,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v2/calls/{call_id}".format(
            call_id=quote(str(call_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Call | Error | ValidationError | None:
    if response.status_code == 200:
        response_200 = Call.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = ValidationError.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(
            response.status_code, response.content, request=response.request
        )
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response, retries: int
) -> Response[Call | Error | ValidationError]:
    parsed: Call | Error | ValidationError | None
    try:
        parsed = _parse_response(client=client, response=response)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        # Proxies and gateways answer errors with HTML or their own JSON: report the status and
        # raw content rather than crash. A success body that cannot be parsed still raises.
        if not response.is_error:
            raise errors.APIResponseValidationError(
                status_code_of(response.status_code),
                response.headers,
                response.content,
                reason=f"{type(error).__name__}: {error}",
                request=response.request,
            ) from error
        parsed = None
    return Response(
        status_code=status_code_of(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=parsed,
        retries=retries,
        request=response.request,
    )


def sync_detailed(
    call_id: int,
    *,
    client: AuthenticatedClient,
    timeout: float | httpx.Timeout | None | Unset = UNSET,
) -> Response[Call | Error | ValidationError]:
    """Get a call

     Returns the full record of one call of the key's account: transcript, recording,
    cost, models and post-call analysis. Deleted calls stay retrievable by id. A call of
    another account is 403, an id that names no call is 404.

    Args:
        call_id (int):
        timeout (float | httpx.Timeout | None | Unset): replaces the client's time-out for this call
            (None waits forever).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.APIResponseValidationError: If a success status comes with a body that is not the documented JSON.
        errors.APITimeoutError: If no answer came in time (after the client's retries).
        errors.APIConnectionError: If no answer came at all (after the client's retries).

    Returns:
        Response[Call | Error | ValidationError]
    """

    kwargs = _get_kwargs(
        call_id=call_id,
    )

    response, retries = send(client, kwargs, timeout)

    return _build_response(client=client, response=response, retries=retries)


def sync(
    call_id: int,
    *,
    client: AuthenticatedClient,
    timeout: float | httpx.Timeout | None | Unset = UNSET,
) -> Call | Error | ValidationError | None:
    """Get a call

     Returns the full record of one call of the key's account: transcript, recording,
    cost, models and post-call analysis. Deleted calls stay retrievable by id. A call of
    another account is 403, an id that names no call is 404.

    Args:
        call_id (int):
        timeout (float | httpx.Timeout | None | Unset): replaces the client's time-out for this call
            (None waits forever).

    Raises:
        errors.APIStatusError: For a status of 400 or more, when Client.raise_on_error_status is True.
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.APIResponseValidationError: If a success status comes with a body that is not the documented JSON.
        errors.APITimeoutError: If no answer came in time (after the client's retries).
        errors.APIConnectionError: If no answer came at all (after the client's retries).

    Returns:
        Call | Error | ValidationError
    """

    response = sync_detailed(
        call_id=call_id,
        client=client,
        timeout=timeout,
    )
    if client.raise_on_error_status:
        errors.raise_for_status(response)
    return response.parsed


async def asyncio_detailed(
    call_id: int,
    *,
    client: AuthenticatedClient,
    timeout: float | httpx.Timeout | None | Unset = UNSET,
) -> Response[Call | Error | ValidationError]:
    """Get a call

     Returns the full record of one call of the key's account: transcript, recording,
    cost, models and post-call analysis. Deleted calls stay retrievable by id. A call of
    another account is 403, an id that names no call is 404.

    Args:
        call_id (int):
        timeout (float | httpx.Timeout | None | Unset): replaces the client's time-out for this call
            (None waits forever).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.APIResponseValidationError: If a success status comes with a body that is not the documented JSON.
        errors.APITimeoutError: If no answer came in time (after the client's retries).
        errors.APIConnectionError: If no answer came at all (after the client's retries).

    Returns:
        Response[Call | Error | ValidationError]
    """

    kwargs = _get_kwargs(
        call_id=call_id,
    )

    response, retries = await asend(client, kwargs, timeout)

    return _build_response(client=client, response=response, retries=retries)


async def asyncio(
    call_id: int,
    *,
    client: AuthenticatedClient,
    timeout: float | httpx.Timeout | None | Unset = UNSET,
) -> Call | Error | ValidationError | None:
    """Get a call

     Returns the full record of one call of the key's account: transcript, recording,
    cost, models and post-call analysis. Deleted calls stay retrievable by id. A call of
    another account is 403, an id that names no call is 404.

    Args:
        call_id (int):
        timeout (float | httpx.Timeout | None | Unset): replaces the client's time-out for this call
            (None waits forever).

    Raises:
        errors.APIStatusError: For a status of 400 or more, when Client.raise_on_error_status is True.
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.APIResponseValidationError: If a success status comes with a body that is not the documented JSON.
        errors.APITimeoutError: If no answer came in time (after the client's retries).
        errors.APIConnectionError: If no answer came at all (after the client's retries).

    Returns:
        Call | Error | ValidationError
    """

    response = await asyncio_detailed(
        call_id=call_id,
        client=client,
        timeout=timeout,
    )
    if client.raise_on_error_status:
        errors.raise_for_status(response)
    return response.parsed
