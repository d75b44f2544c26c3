from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.call_list import CallList
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
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CallList | Error | ValidationError]:
    parsed: CallList | Error | ValidationError | None
    try:
        parsed = _parse_response(client=client, response=response)
    except (ValueError, KeyError, TypeError):
        # Proxies and gateways answer errors with HTML or their own JSON: report the status and
        # raw content rather than crash. A success body that cannot be parsed still raises.
        if not response.is_error:
            raise
        parsed = None
    return Response(
        status_code=status_code_of(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=parsed,
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
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

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CallList | Error | ValidationError]
    """

    kwargs = _get_kwargs(
        limit=limit,
        offset=offset,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
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

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CallList | Error | ValidationError
    """

    return sync_detailed(
        client=client,
        limit=limit,
        offset=offset,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
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

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CallList | Error | ValidationError]
    """

    kwargs = _get_kwargs(
        limit=limit,
        offset=offset,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
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

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CallList | Error | ValidationError
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            offset=offset,
        )
    ).parsed
