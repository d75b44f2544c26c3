from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx

from ... import errors
from ...api import PageWalk, asend, send
from ...client import AuthenticatedClient, Client
from ...models.call_list import CallList
from ...models.call_summary import CallSummary
from ...models.error import Error
from ...models.validation_error import ValidationError
from ...types import UNSET, Response, Unset, status_code_of


def _get_kwargs(
    *,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["offset"] = offset

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v2/calls",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CallList | Error | ValidationError | None:
    if response.status_code == 200:
        response_200 = CallList.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

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
) -> Response[CallList | Error | ValidationError]:
    parsed: CallList | Error | ValidationError | None
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
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
    timeout: float | httpx.Timeout | None | Unset = UNSET,
) -> Response[CallList | Error | ValidationError]:
    """List calls

     Returns one page of the calls of the key's account, newest first (`created_at`
    descending, then `id` descending). Deleted calls are never listed, and neither is a
    call of another account. `total` is the exact number of the account's listable calls,
    not only this page: a page holds `min(limit, max(0, total - offset))` calls, and
    consecutive pages tile the listing with no gap and no overlap.

    Args:
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.
        timeout (float | httpx.Timeout | None | Unset): replaces the client's time-out for this call
            (None waits forever).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.APIResponseValidationError: If a success status comes with a body that is not the documented JSON.
        errors.APITimeoutError: If no answer came in time (after the client's retries).
        errors.APIConnectionError: If no answer came at all (after the client's retries).

    Returns:
        Response[CallList | Error | ValidationError]
    """

    kwargs = _get_kwargs(
        limit=limit,
        offset=offset,
    )

    response, retries = send(client, kwargs, timeout)

    return _build_response(client=client, response=response, retries=retries)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
    timeout: float | httpx.Timeout | None | Unset = UNSET,
) -> CallList | Error | ValidationError | None:
    """List calls

     Returns one page of the calls of the key's account, newest first (`created_at`
    descending, then `id` descending). Deleted calls are never listed, and neither is a
    call of another account. `total` is the exact number of the account's listable calls,
    not only this page: a page holds `min(limit, max(0, total - offset))` calls, and
    consecutive pages tile the listing with no gap and no overlap.

    Args:
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.
        timeout (float | httpx.Timeout | None | Unset): replaces the client's time-out for this call
            (None waits forever).

    Raises:
        errors.APIStatusError: For a status of 400 or more, when Client.raise_on_error_status is True.
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.APIResponseValidationError: If a success status comes with a body that is not the documented JSON.
        errors.APITimeoutError: If no answer came in time (after the client's retries).
        errors.APIConnectionError: If no answer came at all (after the client's retries).

    Returns:
        CallList | Error | ValidationError
    """

    response = sync_detailed(
        client=client,
        limit=limit,
        offset=offset,
        timeout=timeout,
    )
    if client.raise_on_error_status:
        errors.raise_for_status(response)
    return response.parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
    timeout: float | httpx.Timeout | None | Unset = UNSET,
) -> Response[CallList | Error | ValidationError]:
    """List calls

     Returns one page of the calls of the key's account, newest first (`created_at`
    descending, then `id` descending). Deleted calls are never listed, and neither is a
    call of another account. `total` is the exact number of the account's listable calls,
    not only this page: a page holds `min(limit, max(0, total - offset))` calls, and
    consecutive pages tile the listing with no gap and no overlap.

    Args:
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.
        timeout (float | httpx.Timeout | None | Unset): replaces the client's time-out for this call
            (None waits forever).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.APIResponseValidationError: If a success status comes with a body that is not the documented JSON.
        errors.APITimeoutError: If no answer came in time (after the client's retries).
        errors.APIConnectionError: If no answer came at all (after the client's retries).

    Returns:
        Response[CallList | Error | ValidationError]
    """

    kwargs = _get_kwargs(
        limit=limit,
        offset=offset,
    )

    response, retries = await asend(client, kwargs, timeout)

    return _build_response(client=client, response=response, retries=retries)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
    timeout: float | httpx.Timeout | None | Unset = UNSET,
) -> CallList | Error | ValidationError | None:
    """List calls

     Returns one page of the calls of the key's account, newest first (`created_at`
    descending, then `id` descending). Deleted calls are never listed, and neither is a
    call of another account. `total` is the exact number of the account's listable calls,
    not only this page: a page holds `min(limit, max(0, total - offset))` calls, and
    consecutive pages tile the listing with no gap and no overlap.

    Args:
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.
        timeout (float | httpx.Timeout | None | Unset): replaces the client's time-out for this call
            (None waits forever).

    Raises:
        errors.APIStatusError: For a status of 400 or more, when Client.raise_on_error_status is True.
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.APIResponseValidationError: If a success status comes with a body that is not the documented JSON.
        errors.APITimeoutError: If no answer came in time (after the client's retries).
        errors.APIConnectionError: If no answer came at all (after the client's retries).

    Returns:
        CallList | Error | ValidationError
    """

    response = await asyncio_detailed(
        client=client,
        limit=limit,
        offset=offset,
        timeout=timeout,
    )
    if client.raise_on_error_status:
        errors.raise_for_status(response)
    return response.parsed


def _page(response: Response[CallList | Error | ValidationError]) -> CallList:
    errors.raise_for_status(response)
    if not isinstance(response.parsed, CallList):
        raise errors.UnexpectedStatus(
            response.status_code, response.content, request=response.request
        )
    return response.parsed


def sync_all(
    *,
    client: AuthenticatedClient,
    limit: int = 100,
    timeout: float | httpx.Timeout | None | Unset = UNSET,
) -> Iterator[CallSummary]:
    """Every CallSummary of the listing, page after page of `limit` (2 to 100), each once.

    Calls that arrive or are deleted meanwhile do not make it skip or repeat one (api.PageWalk).
    An error status raises its errors.APIStatusError; no answer raises errors.APIConnectionError
    or errors.APITimeoutError (all after the client's retries). `timeout` replaces the client's
    for each page's request.
    """
    walk: PageWalk[CallSummary] = PageWalk(limit)
    while not walk.done:
        page = _page(
            sync_detailed(
                client=client, limit=walk.limit, offset=walk.offset, timeout=timeout
            )
        )
        yield from walk.take(page.calls, page.total)


async def asyncio_all(
    *,
    client: AuthenticatedClient,
    limit: int = 100,
    timeout: float | httpx.Timeout | None | Unset = UNSET,
) -> AsyncIterator[CallSummary]:
    """`sync_all` for the client's httpx.AsyncClient: `async for item in asyncio_all(...)`."""
    walk: PageWalk[CallSummary] = PageWalk(limit)
    while not walk.done:
        page = _page(
            await asyncio_detailed(
                client=client, limit=walk.limit, offset=walk.offset, timeout=timeout
            )
        )
        for item in walk.take(page.calls, page.total):
            yield item
