"""The generated client, against canned responses: what a caller sees for each answer.

Bodies come from the spec's own examples, so the client is checked against the document it was
generated from. The client builds its own httpx.Client (auth header, timeout) around an
httpx.MockTransport passed through `httpx_args`; nothing leaves the process.
"""

from __future__ import annotations

import copy
import datetime
import json
import math
import re
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any

import httpx
import pytest
from thinnestai_calls_client import AuthenticatedClient, errors
from thinnestai_calls_client.api.calls import get_call, list_calls
from thinnestai_calls_client.client import DEFAULT_TIMEOUT
from thinnestai_calls_client.models import (
    Analysis,
    Call,
    CallList,
    CallStatus,
    CallType,
    Error,
    ListedCallStatus,
    MessageRole,
    Sentiment,
    ValidationError,
)

from scripts.codegen import GENERATED

BASE_URL = "https://api.thinnest.ai"
TOKEN = "test-key-not-a-secret"
UTC = datetime.UTC
Handler = Callable[[httpx.Request], httpx.Response]
Spec = dict[str, Any]


class FakeServer:
    """Answers every request with the same canned response and keeps what it was sent."""

    def __init__(
        self,
        status: int,
        body: object = None,
        *,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.status, self.body, self.content, self.headers = status, body, content, headers
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.content is not None:
            return httpx.Response(self.status, content=self.content, headers=self.headers)
        return httpx.Response(self.status, json=self.body, headers=self.headers)


def client_for(handler: Handler, **options: Any) -> AuthenticatedClient:
    """A client as a user builds it, whose requests go to `handler` instead of the network.

    Retries are off unless `options` turn them on: these tests look at what one answer gives
    (tests/test_client_runtime.py covers the retries)."""
    return AuthenticatedClient(
        base_url=BASE_URL,
        token=TOKEN,
        httpx_args={"transport": httpx.MockTransport(handler)},
        **{"max_retries": 0, **options},
    )


def component_example(spec: Spec, name: str) -> dict[str, Any]:
    value: dict[str, Any] = copy.deepcopy(spec["components"]["examples"][name]["value"])
    return value


def response_example(spec: Spec, response: str) -> dict[str, Any]:
    """The first example body of one of components/responses."""
    examples = spec["components"]["responses"][response]["content"]["application/json"]["examples"]
    value: dict[str, Any] = copy.deepcopy(next(iter(examples.values()))["value"])
    return value


def list_page_example(spec: Spec) -> dict[str, Any]:
    media = spec["paths"]["/v2/calls"]["get"]["responses"]["200"]["content"]["application/json"]
    value: dict[str, Any] = copy.deepcopy(media["examples"]["page"]["value"])
    return value


def fetch_call(server: FakeServer, **options: Any) -> Any:
    """get_call.sync_detailed(77) against `server`; the Response, typed loosely for tests."""
    with client_for(server, **options) as client:
        return get_call.sync_detailed(77, client=client)


# 200: typed models, null cases, exact round trip


def test_ended_call_is_parsed_into_typed_models(spec: Spec) -> None:
    response = fetch_call(FakeServer(200, component_example(spec, "EndedWebCall")))

    call = response.parsed
    assert response.status_code == HTTPStatus.OK
    assert isinstance(call, Call)
    assert call.id == 77
    assert call.type_ is CallType.WEB and call.call_direction is CallType.WEB
    assert call.status is CallStatus.ENDED
    assert call.started_at == datetime.datetime(2026, 3, 25, 10, 20, 57, tzinfo=UTC)
    assert call.duration_seconds == 99.1
    assert call.transcript[1].role is MessageRole.USER
    assert call.transcript[1].timestamp == "5.2"
    assert call.cost.breakdown.telephony == 0.0
    assert isinstance(call.analysis, Analysis)
    assert call.analysis.sentiment is Sentiment.POSITIVE
    assert call.analysis.score.score == 85
    assert call.phone_number is None and call.caller_phone is None


def test_active_call_has_its_null_cases(spec: Spec) -> None:
    call = fetch_call(FakeServer(200, component_example(spec, "ActivePhoneCall"))).parsed

    assert isinstance(call, Call)
    assert call.status is CallStatus.ACTIVE
    assert isinstance(call.started_at, datetime.datetime)
    assert (call.ended_at, call.duration_seconds, call.ended_reason) == (None, None, None)
    assert (call.recording_url, call.recording_duration, call.analysis) == (None, None, None)
    assert call.phone_number == "+918045678901"


def test_pending_call_has_its_null_cases(spec: Spec) -> None:
    call = fetch_call(FakeServer(200, component_example(spec, "PendingPhoneCall"))).parsed

    assert isinstance(call, Call)
    assert call.status is CallStatus.PENDING
    assert (call.started_at, call.ended_at, call.latency_ms) == (None, None, None)
    assert call.transcript == []
    assert call.caller_phone is None


def with_undocumented_properties(body: dict[str, Any]) -> dict[str, Any]:
    """`body` with properties the spec does not name, at the top and in nested objects."""
    body = copy.deepcopy(body)
    body["region"] = "asia-south1"
    for nested in (body.get("cost"), body.get("analysis"), *body.get("transcript", [])):
        if isinstance(nested, dict):
            nested["x_trace"] = {"id": 1, "tags": ["a"]}
    for summary in body.get("calls", []):
        summary["x_trace"] = None
    return body


ROUND_TRIP_EXAMPLES = ["EndedWebCall", "ActivePhoneCall", "PendingPhoneCall", "listCalls page"]


@pytest.mark.parametrize("name", ROUND_TRIP_EXAMPLES)
@pytest.mark.parametrize("extra", [False, True], ids=["as-published", "with-extra-properties"])
def test_round_trip_gives_back_the_same_document(spec: Spec, name: str, extra: bool) -> None:
    """from_dict then to_dict is the identity on JSON values: the contract suite relies on it."""
    model: type[Call] | type[CallList]
    if name == "listCalls page":
        body, model = list_page_example(spec), CallList
    else:
        body, model = component_example(spec, name), Call
    if extra:
        body = with_undocumented_properties(body)

    again = json.loads(json.dumps(model.from_dict(body).to_dict()))

    assert again == body


def test_a_fractional_date_time_keeps_its_instant(spec: Spec) -> None:
    body = component_example(spec, "EndedWebCall")
    body.update(ended_at="2026-03-25T10:22:36.123456Z", updated_at="2026-03-25T10:22:38.5Z")

    again = Call.from_dict(body).to_dict()

    assert again["ended_at"] == "2026-03-25T10:22:36.123456Z"  # six digits: exact
    assert again["updated_at"] == "2026-03-25T10:22:38.500000Z"  # same instant, six digits


def test_an_undocumented_property_is_kept_not_an_error(spec: Spec) -> None:
    body = with_undocumented_properties(component_example(spec, "EndedWebCall"))

    call = fetch_call(FakeServer(200, body)).parsed

    assert isinstance(call, Call)
    assert call["region"] == "asia-south1"
    assert call.additional_keys == ["region"]
    assert call.cost.additional_properties == {"x_trace": {"id": 1, "tags": ["a"]}}


def test_an_unknown_enum_value_is_kept_and_reserialised(spec: Spec) -> None:
    body = component_example(spec, "EndedWebCall")
    body.update(status="archived", type="sip", call_direction="sip")
    body["transcript"][0]["role"] = "system"
    body["analysis"]["sentiment"] = "mixed"

    call = fetch_call(FakeServer(200, body)).parsed

    assert isinstance(call, Call)
    assert isinstance(call.status, CallStatus)
    assert call.status == "archived" and call.status.value == "archived"
    assert call.status not in list(CallStatus)
    assert repr(call.status) == "<CallStatus.UNKNOWN: 'archived'>"
    assert call.type_ == "sip" and call.transcript[0].role == "system"
    assert call.to_dict() == body
    assert json.loads(json.dumps(call.to_dict()))["status"] == "archived"


def test_a_known_enum_value_is_still_the_member() -> None:
    assert CallStatus("ended") is CallStatus.ENDED
    with pytest.raises(ValueError, match="is not a valid CallStatus"):
        CallStatus(3)  # type: ignore[arg-type]  # only strings can be unknown values


# Documented errors


ERRORS = [  # status, components/responses entry, model, headers the caller must see
    (401, "Unauthorized", Error, {"WWW-Authenticate": "Bearer"}),
    (403, "Forbidden", Error, {}),
    (404, "NotFound", Error, {}),
    (422, "ValidationFailed", ValidationError, {}),
    (429, "RateLimited", Error, {"Retry-After": "30"}),
]


@pytest.mark.parametrize(("status", "response_name", "model", "headers"), ERRORS)
def test_a_documented_error_is_parsed_into_its_model(
    spec: Spec, status: int, response_name: str, model: type[Any], headers: dict[str, str]
) -> None:
    body = response_example(spec, response_name)
    rate_limit = {"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "0"}

    response = fetch_call(FakeServer(status, body, headers={**headers, **rate_limit}))

    assert response.status_code == status
    assert isinstance(response.parsed, model)
    assert response.parsed.to_dict() == body
    for name, value in {**headers, **rate_limit}.items():
        assert response.headers[name] == value


def test_a_validation_error_lists_each_invalid_input(spec: Spec) -> None:
    body = response_example(spec, "ValidationFailed")

    error = fetch_call(FakeServer(422, body)).parsed

    assert isinstance(error, ValidationError)
    assert [(item.loc, item.type_) for item in error.detail] == [
        (["path", "call_id"], "int_parsing")
    ]


# Answers the spec does not describe


def test_a_non_json_error_body_is_reported_not_raised() -> None:
    html = b"<html><body><h1>502 Bad Gateway</h1></body></html>"

    response = fetch_call(FakeServer(502, content=html, headers={"Content-Type": "text/html"}))

    assert response.status_code == HTTPStatus.BAD_GATEWAY
    assert response.content == html
    assert response.parsed is None


def test_a_documented_error_status_with_a_foreign_body_is_reported_not_raised() -> None:
    """A gateway's own 429 page, or an error JSON of another shape, on a documented status."""
    for content in (b"Too Many Requests", b'{"message": "slow down"}', b""):
        response = fetch_call(FakeServer(429, content=content, headers={"Retry-After": "5"}))

        assert (response.status_code, response.parsed) == (429, None)
        assert response.content == content
        assert response.headers["Retry-After"] == "5"


def test_a_status_outside_http_status_is_kept_as_an_int() -> None:
    response = fetch_call(FakeServer(520, content=b"origin error"))

    assert response.status_code == 520
    assert not isinstance(response.status_code, HTTPStatus)
    assert (response.content, response.parsed) == (b"origin error", None)


def test_raise_on_unexpected_status_still_raises_for_an_undocumented_status() -> None:
    with pytest.raises(errors.UnexpectedStatus) as raised:
        fetch_call(FakeServer(520, content=b"origin error"), raise_on_unexpected_status=True)

    assert (raised.value.status_code, raised.value.content) == (520, b"origin error")


def test_a_success_body_that_is_not_json_still_raises() -> None:
    """A 200 the client cannot read is a broken contract, not a result to hide."""
    with pytest.raises(errors.APIResponseValidationError, match="Expecting value") as raised:
        fetch_call(FakeServer(200, content=b"<html>maintenance</html>"))

    assert isinstance(raised.value, ValueError)  # what it raised before the error tree
    assert (raised.value.status_code, raised.value.content) == (200, b"<html>maintenance</html>")


# Transport: timeouts, auth, query parameters


def test_a_timeout_is_raised_as_api_timeout_error_with_httpx_error_chained() -> None:
    def stalled(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("no answer within the read timeout", request=request)

    with client_for(stalled) as client, pytest.raises(errors.APITimeoutError) as raised:
        get_call.sync_detailed(77, client=client)

    assert isinstance(raised.value.__cause__, httpx.ReadTimeout)
    assert raised.value.request is not None and raised.value.request.url.path == "/v2/calls/77"


def test_the_default_timeout_is_finite_and_sent_with_each_request(spec: Spec) -> None:
    server = FakeServer(200, component_example(spec, "EndedWebCall"))

    fetch_call(server)

    sent = server.requests[0].extensions["timeout"]
    assert sent == {"connect": 10.0, "read": 10.0, "write": 10.0, "pool": 10.0}
    assert httpx.Timeout(10.0) == DEFAULT_TIMEOUT
    built = AuthenticatedClient(base_url=BASE_URL, token=TOKEN).get_httpx_client()
    limits = built.timeout.as_dict().values()
    assert all(seconds is not None and math.isfinite(seconds) for seconds in limits)


def test_a_timeout_given_by_the_caller_wins(spec: Spec) -> None:
    server = FakeServer(200, component_example(spec, "EndedWebCall"))

    fetch_call(server, timeout=httpx.Timeout(30.0, connect=2.0))

    assert server.requests[0].extensions["timeout"]["connect"] == 2.0
    assert server.requests[0].extensions["timeout"]["read"] == 30.0


def test_get_call_sends_a_bearer_token_to_the_call_path(spec: Spec) -> None:
    server = FakeServer(200, component_example(spec, "EndedWebCall"))

    fetch_call(server)

    (request,) = server.requests
    assert request.method == "GET"
    assert str(request.url) == f"{BASE_URL}/v2/calls/77"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"


def test_list_calls_sends_limit_and_offset_and_parses_the_page(spec: Spec) -> None:
    server = FakeServer(200, list_page_example(spec))

    with client_for(server) as client:
        response = list_calls.sync_detailed(client=client, limit=2, offset=40)

    (request,) = server.requests
    assert request.url.path == "/v2/calls"
    assert dict(request.url.params) == {"limit": "2", "offset": "40"}
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    page = response.parsed
    assert isinstance(page, CallList)
    assert page.total == 2
    pending, ended = page.calls
    assert pending.status is ListedCallStatus.PENDING and pending.started_at is None
    assert ended.status is ListedCallStatus.ENDED and ended.cost.total_inr == 6.8


def test_list_calls_sends_the_documented_defaults(spec: Spec) -> None:
    server = FakeServer(200, list_page_example(spec))

    with client_for(server) as client:
        list_calls.sync(client=client)

    assert dict(server.requests[0].url.params) == {"limit": "50", "offset": "0"}


def test_list_calls_parses_its_documented_errors(spec: Spec) -> None:
    server = FakeServer(401, response_example(spec, "Unauthorized"))

    with client_for(server) as client:
        error = list_calls.sync(client=client)

    assert isinstance(error, Error)
    assert error.detail == "Invalid or missing API key"


# The generated README's examples are real code


def test_the_readme_examples_run(
    spec: Spec, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Runs every python block of generated/README.md, in order, against a fake API."""
    answers = {
        "/v2/calls/77": component_example(spec, "EndedWebCall"),
        "/v2/calls": list_page_example(spec),
    }
    seen: list[httpx.Request] = []

    def fake_api(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path not in answers:
            return httpx.Response(404, json=response_example(spec, "NotFound"), request=request)
        return httpx.Response(200, json=answers[request.url.path], request=request)

    async def fake_api_async(request: httpx.Request) -> httpx.Response:
        return fake_api(request)

    def handle(_: object, request: httpx.Request) -> httpx.Response:
        return fake_api(request)

    async def handle_async(_: object, request: httpx.Request) -> httpx.Response:
        return await fake_api_async(request)

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", handle)
    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", handle_async)
    monkeypatch.setenv("THINNESTAI_API_KEY", TOKEN)
    readme = (GENERATED / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    assert len(blocks) >= 4, "the README lost its usage examples"

    namespace: dict[str, Any] = {"__name__": "readme"}
    for block in blocks:
        exec(compile(block, "generated/README.md", "exec"), namespace)

    printed = capsys.readouterr().out
    assert "call 77 ended: 99.1 s" in printed
    assert "Customer asked about billing. Agent resolved the issue." in printed
    assert "2 of 2 calls" in printed
    assert "Priya Support Agent 2026-03-25T10:20:57+00:00" in printed  # the async block
    ended = [call["id"] for call in answers["/v2/calls"]["calls"] if call["status"] == "ended"]
    for shown in (
        "retries by default: 2",
        "200 after 0 retries",
        f"ended calls: {ended}",
        "found call 77",
        "no call 78",
        "2 calls listed",
        "fetched Call",  # the error tree's example: no error
        "quick call: 200 after 0 retries",  # with_options
        "answer 200",  # the on_response hook
    ):
        assert shown in printed
    assert {request.url.path for request in seen} == {"/v2/calls/77", "/v2/calls/78", "/v2/calls"}
    assert all(r.headers["Authorization"] == f"Bearer {TOKEN}" for r in seen)
    assert sum(r.headers.get("X-Request-Id") == "r-1" for r in seen) == 1  # with_options(headers=)
