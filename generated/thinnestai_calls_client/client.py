import ssl
from collections.abc import Callable, Mapping
from typing import Any, Self

import httpx
from attrs import define, evolve, field, frozen, validators

from .types import UNSET, Unset

# A stalled connection or server must fail the call, not hang the caller forever.
DEFAULT_TIMEOUT = httpx.Timeout(10.0)
# A GET is retried twice at most on 429, 502, 503, 504 and no answer (see api/__init__.py).
DEFAULT_MAX_RETRIES = 2


@frozen
class RetryEvent:
    """What an `on_retry` hook is given: a retry is about to wait, then send `request` again.

    Attributes:
        request: the httpx.Request to send again (its headers hold the key: do not log them).
        attempt: the number of this retry, 1 for the first.
        wait: the seconds the client waits before it (Retry-After or the back-off).
        response: the answer that is retried (a 429, 502, 503 or 504), or None when there was none.
        error: httpx's error when there was no answer (a time-out, a refused connection), else None.
    """

    request: httpx.Request
    attempt: int
    wait: float
    response: httpx.Response | None = None
    error: httpx.HTTPError | None = None


# A hook may return an awaitable: the asyncio functions await it; the sync ones refuse it.
RequestHook = Callable[[httpx.Request], object]
ResponseHook = Callable[[httpx.Response], object]
RetryHook = Callable[[RetryEvent], object]


@define
class _Connections:
    """The httpx clients, built on first use; a client and its with_options copies share them."""

    client: httpx.Client | None = None
    async_client: httpx.AsyncClient | None = None


@define
class Client:
    """A class for keeping track of data related to the API

    The following are accepted as keyword arguments and will be used to construct httpx Clients internally:

        ``base_url``: The base URL for the API, all requests are made to a relative path to this URL

        ``cookies``: A dictionary of cookies to be sent with every request

        ``headers``: A dictionary of headers to be sent with every request

        ``timeout``: The maximum amount of a time a request can take. API functions will raise
        httpx.TimeoutException if this is exceeded. Defaults to ``DEFAULT_TIMEOUT``, 10 seconds for
        each of connect, read, write and pool; ``None`` waits forever.

        ``verify_ssl``: Whether or not to verify the SSL certificate of the API server. This should be True in production,
        but can be set to False for testing purposes.

        ``follow_redirects``: Whether or not to follow redirects. Default value is False.

        ``httpx_args``: A dictionary of additional arguments to be passed to the ``httpx.Client`` and ``httpx.AsyncClient`` constructor.


    Attributes:
        raise_on_unexpected_status: Whether or not to raise an errors.UnexpectedStatus if the API returns a
            status code that was not documented in the source OpenAPI document. Can also be provided as a keyword
            argument to the constructor.
        max_retries: How many times a GET may be sent again after a 429 (once Retry-After has passed, 30 s at
            most), a 502, 503 or 504, a time-out or a connection error (with exponential back-off and jitter); 0
            turns retries off. `Response.retries` says how many were made.
        raise_on_error_status: Whether `sync` and `asyncio` raise an errors.APIStatusError
            (AuthenticationError, NotFoundError, RateLimitError, ...) for a status of 400 or more instead of
            returning the parsed error body. The `*_detailed` functions never raise for a status.
        on_request: Functions called with each httpx.Request just before it is sent, retries included.
        on_response: Functions called with each httpx.Response (body read), a retried one included.
        on_retry: Functions called with a RetryEvent (request, attempt, wait, response or error) before each
            retry waits. Hooks may be async functions when the client is used with the asyncio functions; an
            exception a hook raises stops the call and reaches the caller as it is.
    """

    raise_on_unexpected_status: bool = field(default=False, kw_only=True)
    max_retries: int = field(
        default=DEFAULT_MAX_RETRIES, kw_only=True, validator=validators.ge(0)
    )
    raise_on_error_status: bool = field(default=False, kw_only=True)
    on_request: list[RequestHook] = field(factory=list, kw_only=True)
    on_response: list[ResponseHook] = field(factory=list, kw_only=True)
    on_retry: list[RetryHook] = field(factory=list, kw_only=True)
    _base_url: str = field(alias="base_url")
    _cookies: dict[str, str] = field(factory=dict, kw_only=True, alias="cookies")
    _headers: dict[str, str] = field(factory=dict, kw_only=True, alias="headers")
    _timeout: httpx.Timeout | None = field(
        default=DEFAULT_TIMEOUT, kw_only=True, alias="timeout"
    )
    _verify_ssl: str | bool | ssl.SSLContext = field(
        default=True, kw_only=True, alias="verify_ssl"
    )
    _follow_redirects: bool = field(
        default=False, kw_only=True, alias="follow_redirects"
    )
    _httpx_args: dict[str, Any] = field(factory=dict, kw_only=True, alias="httpx_args")
    _connections: _Connections = field(factory=_Connections, init=False)
    # Set by with_options and sent with each request of the copy: UNSET is the httpx client's own.
    _call_timeout: httpx.Timeout | None | Unset = field(default=UNSET, init=False)
    _call_headers: dict[str, str] = field(factory=dict, init=False)

    def with_headers(self, headers: dict[str, str]) -> "Client":
        """Get a new client matching this one with additional headers"""
        if self._connections.client is not None:
            self._connections.client.headers.update(headers)
        if self._connections.async_client is not None:
            self._connections.async_client.headers.update(headers)
        return evolve(self, headers={**self._headers, **headers})

    def with_cookies(self, cookies: dict[str, str]) -> "Client":
        """Get a new client matching this one with additional cookies"""
        if self._connections.client is not None:
            self._connections.client.cookies.update(cookies)
        if self._connections.async_client is not None:
            self._connections.async_client.cookies.update(cookies)
        return evolve(self, cookies={**self._cookies, **cookies})

    def with_timeout(self, timeout: httpx.Timeout) -> "Client":
        """Get a new client matching this one with a new timeout configuration"""
        if self._connections.client is not None:
            self._connections.client.timeout = timeout
        if self._connections.async_client is not None:
            self._connections.async_client.timeout = timeout
        return evolve(self, timeout=timeout)

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None | Unset = UNSET,
        max_retries: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> "Client":
        """A light copy of this client for some calls: another time-out (seconds or an
        httpx.Timeout; None waits forever), retry budget, or headers added to each request.

        The copy shares this client's connection pool and hooks, so it costs no new connection:
        `get_call.sync(77, client=client.with_options(timeout=2.0, max_retries=0))`. Closing
        either (leaving its `with` block) closes the pool of both.
        """
        copy = evolve(
            self, max_retries=self.max_retries if max_retries is None else max_retries
        )
        copy._connections = self._connections
        copy._call_timeout = (
            self._call_timeout if isinstance(timeout, Unset) else as_timeout(timeout)
        )
        copy._call_headers = {**self._call_headers, **(headers or {})}
        return copy

    def request_options(self) -> dict[str, Any]:
        """What with_options set, as httpx `build_request` arguments (api/__init__.py sends them)."""
        options: dict[str, Any] = {}
        if not isinstance(self._call_timeout, Unset):
            options["timeout"] = self._call_timeout
        if self._call_headers:
            options["headers"] = self._call_headers
        return options

    def set_httpx_client(self, client: httpx.Client) -> Self:
        """Manually set the underlying httpx.Client

        **NOTE**: This will override any other settings on the client, including cookies, headers, and timeout.
        """
        self._connections.client = client
        return self

    def get_httpx_client(self) -> httpx.Client:
        """Get the underlying httpx.Client, constructing a new one if not previously set"""
        if self._connections.client is None:
            self._connections.client = httpx.Client(
                base_url=self._base_url,
                cookies=self._cookies,
                headers=self._headers,
                timeout=self._timeout,
                verify=self._verify_ssl,
                follow_redirects=self._follow_redirects,
                **self._httpx_args,
            )
        return self._connections.client

    def __enter__(self) -> Self:
        """Enter a context manager for self.client—you cannot enter twice (see httpx docs)"""
        self.get_httpx_client().__enter__()
        return self

    def __exit__(self, *args: Any, **kwargs: Any) -> None:
        """Exit a context manager for internal httpx.Client (see httpx docs)"""
        self.get_httpx_client().__exit__(*args, **kwargs)

    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> Self:
        """Manually set the underlying httpx.AsyncClient

        **NOTE**: This will override any other settings on the client, including cookies, headers, and timeout.
        """
        self._connections.async_client = async_client
        return self

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """Get the underlying httpx.AsyncClient, constructing a new one if not previously set"""
        if self._connections.async_client is None:
            self._connections.async_client = httpx.AsyncClient(
                base_url=self._base_url,
                cookies=self._cookies,
                headers=self._headers,
                timeout=self._timeout,
                verify=self._verify_ssl,
                follow_redirects=self._follow_redirects,
                **self._httpx_args,
            )
        return self._connections.async_client

    async def __aenter__(self) -> Self:
        """Enter a context manager for underlying httpx.AsyncClient—you cannot enter twice (see httpx docs)"""
        await self.get_async_httpx_client().__aenter__()
        return self

    async def __aexit__(self, *args: Any, **kwargs: Any) -> None:
        """Exit a context manager for underlying httpx.AsyncClient (see httpx docs)"""
        await self.get_async_httpx_client().__aexit__(*args, **kwargs)


@define
class AuthenticatedClient:
    """A Client which has been authenticated for use on secured endpoints

    The following are accepted as keyword arguments and will be used to construct httpx Clients internally:

        ``base_url``: The base URL for the API, all requests are made to a relative path to this URL

        ``cookies``: A dictionary of cookies to be sent with every request

        ``headers``: A dictionary of headers to be sent with every request

        ``timeout``: The maximum amount of a time a request can take. API functions will raise
        httpx.TimeoutException if this is exceeded. Defaults to ``DEFAULT_TIMEOUT``, 10 seconds for
        each of connect, read, write and pool; ``None`` waits forever.

        ``verify_ssl``: Whether or not to verify the SSL certificate of the API server. This should be True in production,
        but can be set to False for testing purposes.

        ``follow_redirects``: Whether or not to follow redirects. Default value is False.

        ``httpx_args``: A dictionary of additional arguments to be passed to the ``httpx.Client`` and ``httpx.AsyncClient`` constructor.


    Attributes:
        raise_on_unexpected_status: Whether or not to raise an errors.UnexpectedStatus if the API returns a
            status code that was not documented in the source OpenAPI document. Can also be provided as a keyword
            argument to the constructor.
        max_retries: How many times a GET may be sent again after a 429 (once Retry-After has passed, 30 s at
            most), a 502, 503 or 504, a time-out or a connection error (with exponential back-off and jitter); 0
            turns retries off. `Response.retries` says how many were made.
        raise_on_error_status: Whether `sync` and `asyncio` raise an errors.APIStatusError
            (AuthenticationError, NotFoundError, RateLimitError, ...) for a status of 400 or more instead of
            returning the parsed error body. The `*_detailed` functions never raise for a status.
        on_request: Functions called with each httpx.Request just before it is sent, retries included.
        on_response: Functions called with each httpx.Response (body read), a retried one included.
        on_retry: Functions called with a RetryEvent (request, attempt, wait, response or error) before each
            retry waits. Hooks may be async functions when the client is used with the asyncio functions; an
            exception a hook raises stops the call and reaches the caller as it is.
        token: The token to use for authentication
        prefix: The prefix to use for the Authorization header
        auth_header_name: The name of the Authorization header
    """

    raise_on_unexpected_status: bool = field(default=False, kw_only=True)
    max_retries: int = field(
        default=DEFAULT_MAX_RETRIES, kw_only=True, validator=validators.ge(0)
    )
    raise_on_error_status: bool = field(default=False, kw_only=True)
    on_request: list[RequestHook] = field(factory=list, kw_only=True)
    on_response: list[ResponseHook] = field(factory=list, kw_only=True)
    on_retry: list[RetryHook] = field(factory=list, kw_only=True)
    _base_url: str = field(alias="base_url")
    _cookies: dict[str, str] = field(factory=dict, kw_only=True, alias="cookies")
    _headers: dict[str, str] = field(factory=dict, kw_only=True, alias="headers")
    _timeout: httpx.Timeout | None = field(
        default=DEFAULT_TIMEOUT, kw_only=True, alias="timeout"
    )
    _verify_ssl: str | bool | ssl.SSLContext = field(
        default=True, kw_only=True, alias="verify_ssl"
    )
    _follow_redirects: bool = field(
        default=False, kw_only=True, alias="follow_redirects"
    )
    _httpx_args: dict[str, Any] = field(factory=dict, kw_only=True, alias="httpx_args")
    _connections: _Connections = field(factory=_Connections, init=False)
    # Set by with_options and sent with each request of the copy: UNSET is the httpx client's own.
    _call_timeout: httpx.Timeout | None | Unset = field(default=UNSET, init=False)
    _call_headers: dict[str, str] = field(factory=dict, init=False)

    token: str
    prefix: str = "Bearer"
    auth_header_name: str = "Authorization"

    def with_headers(self, headers: dict[str, str]) -> "AuthenticatedClient":
        """Get a new client matching this one with additional headers"""
        if self._connections.client is not None:
            self._connections.client.headers.update(headers)
        if self._connections.async_client is not None:
            self._connections.async_client.headers.update(headers)
        return evolve(self, headers={**self._headers, **headers})

    def with_cookies(self, cookies: dict[str, str]) -> "AuthenticatedClient":
        """Get a new client matching this one with additional cookies"""
        if self._connections.client is not None:
            self._connections.client.cookies.update(cookies)
        if self._connections.async_client is not None:
            self._connections.async_client.cookies.update(cookies)
        return evolve(self, cookies={**self._cookies, **cookies})

    def with_timeout(self, timeout: httpx.Timeout) -> "AuthenticatedClient":
        """Get a new client matching this one with a new timeout configuration"""
        if self._connections.client is not None:
            self._connections.client.timeout = timeout
        if self._connections.async_client is not None:
            self._connections.async_client.timeout = timeout
        return evolve(self, timeout=timeout)

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None | Unset = UNSET,
        max_retries: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> "AuthenticatedClient":
        """A light copy of this client for some calls: another time-out (seconds or an
        httpx.Timeout; None waits forever), retry budget, or headers added to each request.

        The copy shares this client's connection pool and hooks, so it costs no new connection:
        `get_call.sync(77, client=client.with_options(timeout=2.0, max_retries=0))`. Closing
        either (leaving its `with` block) closes the pool of both.
        """
        copy = evolve(
            self, max_retries=self.max_retries if max_retries is None else max_retries
        )
        copy._connections = self._connections
        copy._call_timeout = (
            self._call_timeout if isinstance(timeout, Unset) else as_timeout(timeout)
        )
        copy._call_headers = {**self._call_headers, **(headers or {})}
        return copy

    def request_options(self) -> dict[str, Any]:
        """What with_options set, as httpx `build_request` arguments (api/__init__.py sends them)."""
        options: dict[str, Any] = {}
        if not isinstance(self._call_timeout, Unset):
            options["timeout"] = self._call_timeout
        if self._call_headers:
            options["headers"] = self._call_headers
        return options

    def set_httpx_client(self, client: httpx.Client) -> Self:
        """Manually set the underlying httpx.Client

        **NOTE**: This will override any other settings on the client, including cookies, headers, and timeout.
        """
        self._connections.client = client
        return self

    def get_httpx_client(self) -> httpx.Client:
        """Get the underlying httpx.Client, constructing a new one if not previously set"""
        if self._connections.client is None:
            self._headers[self.auth_header_name] = (
                f"{self.prefix} {self.token}" if self.prefix else self.token
            )
            self._connections.client = httpx.Client(
                base_url=self._base_url,
                cookies=self._cookies,
                headers=self._headers,
                timeout=self._timeout,
                verify=self._verify_ssl,
                follow_redirects=self._follow_redirects,
                **self._httpx_args,
            )
        return self._connections.client

    def __enter__(self) -> Self:
        """Enter a context manager for self.client—you cannot enter twice (see httpx docs)"""
        self.get_httpx_client().__enter__()
        return self

    def __exit__(self, *args: Any, **kwargs: Any) -> None:
        """Exit a context manager for internal httpx.Client (see httpx docs)"""
        self.get_httpx_client().__exit__(*args, **kwargs)

    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> Self:
        """Manually set the underlying httpx.AsyncClient

        **NOTE**: This will override any other settings on the client, including cookies, headers, and timeout.
        """
        self._connections.async_client = async_client
        return self

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """Get the underlying httpx.AsyncClient, constructing a new one if not previously set"""
        if self._connections.async_client is None:
            self._headers[self.auth_header_name] = (
                f"{self.prefix} {self.token}" if self.prefix else self.token
            )
            self._connections.async_client = httpx.AsyncClient(
                base_url=self._base_url,
                cookies=self._cookies,
                headers=self._headers,
                timeout=self._timeout,
                verify=self._verify_ssl,
                follow_redirects=self._follow_redirects,
                **self._httpx_args,
            )
        return self._connections.async_client

    async def __aenter__(self) -> Self:
        """Enter a context manager for underlying httpx.AsyncClient—you cannot enter twice (see httpx docs)"""
        await self.get_async_httpx_client().__aenter__()
        return self

    async def __aexit__(self, *args: Any, **kwargs: Any) -> None:
        """Exit a context manager for underlying httpx.AsyncClient (see httpx docs)"""
        await self.get_async_httpx_client().__aexit__(*args, **kwargs)


def as_timeout(timeout: float | httpx.Timeout | None) -> httpx.Timeout | None:
    """An httpx.Timeout from seconds (for each of connect, read, write and pool), or as given."""
    return (
        timeout
        if timeout is None or isinstance(timeout, httpx.Timeout)
        else httpx.Timeout(timeout)
    )


__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "AuthenticatedClient",
    "Client",
    "RequestHook",
    "ResponseHook",
    "RetryEvent",
    "RetryHook",
    "as_timeout",
]
