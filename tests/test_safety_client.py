"""The generated client under hostile answers: typed errors or the raw response, never a crash
of another kind (generated/README.md, "Errors").

- A body valid for the schema, with extras the spec does not name, always parses.
- Any JSON at all given to `Call.from_dict` parses or raises KeyError, TypeError or ValueError.
- Through `get_call.sync_detailed`: an error status never raises, whatever its body; a 2xx
  body that cannot be parsed raises one of those three (by design: the server broke the
  contract: errors.APIResponseValidationError, a ValueError); no answer raises an
  `errors.APIConnectionError` (a ThinnestAIError), httpx's error chained.
"""

from __future__ import annotations

import contextlib
import copy
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from thinnestai_calls_client import AuthenticatedClient, errors
from thinnestai_calls_client.api.calls import get_call
from thinnestai_calls_client.models import Call

PARSE_ERRORS = (KeyError, TypeError, ValueError)
ERROR_STATUSES = [401, 403, 404, 422, 429, 500, 502, 503, 520]
CALL_EXAMPLES = ("EndedWebCall", "ActivePhoneCall", "PendingPhoneCall")
OPEN_STRINGS = ("ended_reason", "agent_name")
CLOSED_ENUMS = ("type", "status", "call_direction")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
PROFILE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def examples(spec: dict[str, Any]) -> list[dict[str, Any]]:
    found = spec["components"]["examples"]
    return [copy.deepcopy(found[name]["value"]) for name in CALL_EXAMPLES]


@st.composite
def tolerated_changes(draw: st.DrawFn, example: dict[str, Any]) -> dict[str, Any]:
    """A valid record plus what the spec allows a newer server to send: unknown properties,
    unknown enum values, any open string."""
    body = copy.deepcopy(example)
    extras = draw(st.dictionaries(st.text(min_size=1, max_size=12), json_values, max_size=3))
    body.update({key: value for key, value in extras.items() if key not in body})
    for name in draw(st.lists(st.sampled_from(CLOSED_ENUMS + OPEN_STRINGS), unique=True)):
        body[name] = draw(st.text(min_size=1, max_size=12))
    return body


def test_valid_bodies_with_newer_server_additions_parse(examples: list[dict[str, Any]]) -> None:
    @PROFILE
    @given(st.sampled_from(examples).flatmap(tolerated_changes))
    def parses(body: dict[str, Any]) -> None:
        call = Call.from_dict(body)
        assert call.id == body["id"]

    parses()


@PROFILE
@given(json_values)
def test_any_json_parses_or_raises_a_documented_error(body: Any) -> None:
    with contextlib.suppress(*PARSE_ERRORS):
        Call.from_dict(body)


def client_answering(status: int, content: bytes) -> AuthenticatedClient:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=content, headers={"Content-Type": "application/json"})

    return client_with(answer)


def client_with(answer: Callable[[httpx.Request], httpx.Response]) -> AuthenticatedClient:
    """A client without retries: each example is one answer (tests/test_client_runtime.py
    covers the retries)."""
    transport = httpx.MockTransport(answer)
    return AuthenticatedClient(
        base_url="https://api.thinnest.ai",
        token="tai_test",
        httpx_args={"transport": transport},
        max_retries=0,
    )


raw_bodies = st.binary(max_size=200) | json_values.map(lambda value: json.dumps(value).encode())


@PROFILE
@given(status=st.sampled_from(ERROR_STATUSES), content=raw_bodies)
def test_an_error_status_never_raises(status: int, content: bytes) -> None:
    response = get_call.sync_detailed(77, client=client_answering(status, content))
    assert response.status_code == status
    assert response.content == content


@PROFILE
@given(content=raw_bodies)
def test_an_unreadable_2xx_raises_a_documented_error(content: bytes) -> None:
    with contextlib.suppress(*PARSE_ERRORS):
        get_call.sync_detailed(77, client=client_answering(200, content))


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError("refused"), httpx.ReadTimeout("silent"), httpx.RemoteProtocolError("cut")],
)
def test_no_answer_raises_the_clients_connection_error(failure: httpx.HTTPError) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        raise failure

    with pytest.raises(errors.APIConnectionError) as raised:
        get_call.sync_detailed(77, client=client_with(answer))
    assert raised.value.__cause__ is failure
