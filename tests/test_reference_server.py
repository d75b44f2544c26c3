"""The reference server answers getCall and listCalls exactly per contract.md, and each fault
in its catalogue breaks the clause it names (and only the faulty server does).

Fast: requests go through Starlette's TestClient, in process; the serve command is run as a
subprocess for its exit codes.
"""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from starlette.testclient import TestClient

from contract_tests.checks import invariants
from contract_tests.checks.clauses import CLAUSES
from contract_tests.reference_server import DEMO, FAULTS, QUIRKS, UnknownNameError, create_app
from contract_tests.spec import load_spec
from scripts.codegen import SPEC

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SPEC_URI = "urn:thinnestai:calls-api"
DOCUMENTED = {"getCall": {200, 401, 403, 404, 422, 429}, "listCalls": {200, 401, 422, 429}}
INT64_MAX = 2**63 - 1


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


A = bearer(DEMO.api_key)
B = bearer(DEMO.other_api_key)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app()) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def validators(spec: dict[str, Any]) -> dict[str, Draft202012Validator]:
    registry: Registry[Any] = Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(spec))
    return {
        name: Draft202012Validator(
            {"$ref": f"{SPEC_URI}#/components/schemas/{name}"},
            registry=registry,
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )
        for name in ("Call", "CallList", "Error", "ValidationError")
    }


def assert_error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert isinstance(body["detail"], str) and body["status"] == status
    return dict(body)


def assert_validation_error(response: httpx.Response, location: list[str]) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["status"] == 422
    assert [item["loc"] for item in body["detail"]] == [location]
    item = body["detail"][0]
    assert isinstance(item["msg"], str) and item["msg"] and re.fullmatch(r"[a-z_]+", item["type"])


# ---- getCall ---------------------------------------------------------------------------------


def test_published_call_77_is_served_exactly_as_published(
    client: TestClient, spec: dict[str, Any]
) -> None:
    response = client.get("/v2/calls/77", headers=A)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == spec["components"]["examples"]["EndedWebCall"]["value"]


def test_every_call_of_the_account_is_readable_and_matches_the_call_schema(
    client: TestClient, validators: dict[str, Draft202012Validator]
) -> None:
    for call_id in DEMO.call_ids:
        response = client.get(f"/v2/calls/{call_id}", headers=A)
        assert response.status_code == 200, call_id
        body = response.json()
        assert body["id"] == call_id
        assert not list(validators["Call"].iter_errors(body)), call_id


def test_deleted_calls_are_retrievable_by_id(client: TestClient) -> None:
    assert DEMO.deleted_call_ids
    for call_id in DEMO.deleted_call_ids:
        response = client.get(f"/v2/calls/{call_id}", headers=A)
        assert response.status_code == 200
        assert response.json()["status"] == "deleted"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": ""},
        {"Authorization": "Bearer"},
        {"Authorization": f"Token {DEMO.api_key}"},
        {"Authorization": f"Bearer {DEMO.api_key} extra"},
        {"Authorization": DEMO.api_key},
        bearer(DEMO.unknown_api_key),
        bearer(DEMO.expired_api_key),
    ],
    ids=[
        "missing",
        "empty",
        "no-key",
        "other-scheme",
        "two-words",
        "no-scheme",
        "unknown",
        "expired",
    ],
)
@pytest.mark.parametrize("path", ["/v2/calls/77", "/v2/calls"])
def test_a_missing_malformed_unknown_or_expired_key_is_401_with_www_authenticate(
    client: TestClient, headers: dict[str, str], path: str
) -> None:
    response = client.get(path, headers=headers)
    assert_error(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_the_expired_key_says_so(client: TestClient) -> None:
    assert "expired" in client.get("/v2/calls", headers=bearer(DEMO.expired_api_key)).text


def test_auth_is_checked_before_validation(client: TestClient) -> None:
    assert_error(client.get("/v2/calls/abc"), 401)
    assert_error(client.get("/v2/calls?limit=0"), 401)


def test_calls_of_the_other_account_are_403_both_ways(client: TestClient) -> None:
    for call_id in DEMO.foreign_call_ids:
        body = assert_error(client.get(f"/v2/calls/{call_id}", headers=A), 403)
        assert body["detail"] == "Not authorized to access this call"
    for call_id in DEMO.call_ids:
        assert_error(client.get(f"/v2/calls/{call_id}", headers=B), 403)
    for call_id in DEMO.other_call_ids:
        assert client.get(f"/v2/calls/{call_id}", headers=B).status_code == 200


@pytest.mark.parametrize("call_id", DEMO.unknown_call_ids)
def test_an_id_that_names_no_call_is_404(client: TestClient, call_id: int) -> None:
    body = assert_error(client.get(f"/v2/calls/{call_id}", headers=A), 404)
    assert body["detail"] == "Call not found"


@pytest.mark.parametrize(
    "raw",
    ["abc", "0", "-1", "1.5", str(2**63), "", "1e3", "+5", "0x10", "٣", " 7", "7%20", "9" * 5000],
)
def test_a_call_id_that_is_not_an_integer_in_range_is_422(client: TestClient, raw: str) -> None:
    assert_validation_error(client.get(f"/v2/calls/{raw}", headers=A), ["path", "call_id"])


# ---- listCalls -------------------------------------------------------------------------------


def list_page(client: TestClient, headers: Mapping[str, str], **query: Any) -> dict[str, Any]:
    response = client.get("/v2/calls", headers=headers, params=query)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return dict(response.json())


def test_the_default_page_is_the_newest_50_listable_calls(
    client: TestClient, validators: dict[str, Draft202012Validator]
) -> None:
    page = list_page(client, A)
    assert not list(validators["CallList"].iter_errors(page))
    assert [call["id"] for call in page["calls"]] == list(DEMO.listed_call_ids[:50])
    assert page["total"] == len(DEMO.listed_call_ids) > 50


def test_pages_follow_created_at_then_id_descending(client: TestClient) -> None:
    created = {
        call_id: client.get(f"/v2/calls/{call_id}", headers=A).json()["created_at"]
        for call_id in DEMO.listed_call_ids
    }
    ids = [call["id"] for call in list_page(client, A, limit=100)["calls"]]
    keys = [(created[call_id], call_id) for call_id in ids]
    assert keys == sorted(keys, reverse=True)
    assert len(set(created.values())) < len(created), "the data should have a created_at tie"
    assert ids != sorted(ids, reverse=True), "the data should order differently by id alone"


def test_limit_and_offset_walk_the_whole_list_once(client: TestClient) -> None:
    walked: list[int] = []
    for offset in range(0, 200, 7):
        page = list_page(client, A, limit=7, offset=offset)
        assert len(page["calls"]) <= 7 and page["total"] == len(DEMO.listed_call_ids)
        walked += [call["id"] for call in page["calls"]]
    assert walked == list(DEMO.listed_call_ids)


def test_deleted_calls_are_never_listed(client: TestClient) -> None:
    listed = {call["id"] for call in list_page(client, A, limit=100)["calls"]}
    assert not listed & set(DEMO.deleted_call_ids)
    assert listed == set(DEMO.listed_call_ids)


def test_each_account_lists_only_its_own_calls(client: TestClient) -> None:
    listed_b = {call["id"] for call in list_page(client, B, limit=100)["calls"]}
    assert listed_b and listed_b <= set(DEMO.other_call_ids)
    assert not listed_b & set(DEMO.call_ids)


def test_summaries_equal_the_records(client: TestClient) -> None:
    for summary in list_page(client, A, limit=100)["calls"]:
        record = client.get(f"/v2/calls/{summary['id']}", headers=A).json()
        invariants.listed_call_matches_record(summary, record)
        assert set(summary) == set(load_spec()["components"]["schemas"]["CallSummary"]["required"])


@pytest.mark.parametrize(
    ("query", "expected_count"),
    [
        ({"limit": 1}, 1),
        ({"limit": 100}, None),
        ({"offset": INT64_MAX}, 0),
        ({"offset": 0, "limit": 50}, 50),
        ({"limit": 5, "unknown": "x", "page": "2"}, 5),
    ],
)
def test_valid_list_queries_are_200(
    client: TestClient, query: dict[str, Any], expected_count: int | None
) -> None:
    page = list_page(client, A, **query)
    count = len(DEMO.listed_call_ids) if expected_count is None else expected_count
    assert len(page["calls"]) == count and page["total"] == len(DEMO.listed_call_ids)


@pytest.mark.parametrize(
    ("query", "location"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=-1", "limit"),
        ("limit=abc", "limit"),
        ("limit=", "limit"),
        ("limit=1.5", "limit"),
        ("offset=-1", "offset"),
        ("offset=x", "offset"),
        (f"offset={2**63}", "offset"),
        ("offset=" + "9" * 5000, "offset"),
    ],
)
def test_a_bad_list_query_is_422(client: TestClient, query: str, location: str) -> None:
    response = client.get(f"/v2/calls?{query}", headers=A)
    assert_validation_error(response, ["query", location])


def test_all_bad_list_parameters_are_reported_together(client: TestClient) -> None:
    body = client.get("/v2/calls?limit=0&offset=-1", headers=A).json()
    assert [item["loc"] for item in body["detail"]] == [["query", "limit"], ["query", "offset"]]


# ---- other paths and methods, rate limits ----------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/v2", "/v2/calls/77/transcript", "/v1/calls/77"])
def test_other_paths_are_a_json_404(client: TestClient, path: str) -> None:
    assert_error(client.get(path, headers=A), 404)


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("path", ["/v2/calls", "/v2/calls/77"])
def test_other_methods_are_405_with_allow(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, path, headers=A)
    assert_error(response, 405)
    assert "GET" in response.headers["allow"]


def test_no_rate_limit_headers_unless_configured(client: TestClient) -> None:
    assert not any(name.startswith("x-ratelimit") for name in client.get("/v2/calls").headers)


def test_a_configured_rate_limit_answers_429_with_retry_after() -> None:
    with TestClient(create_app(rate_limit="2/s")) as limited:
        responses = [limited.get("/v2/calls/77", headers=A) for _ in range(8)]
    refused = [response for response in responses if response.status_code == 429]
    assert refused, "8 requests at 2/s should meet the limit"
    for response in refused:
        assert_error(response, 429)
        assert int(response.headers["retry-after"]) >= 1
    for response in responses:
        assert response.status_code in (200, 429)
        limit = response.headers["x-ratelimit-limit"]
        remaining, reset = (
            response.headers["x-ratelimit-remaining"],
            response.headers["x-ratelimit-reset"],
        )
        assert limit == "2" and remaining.isdigit() and int(reset) > 1_700_000_000


def test_unknown_fault_or_quirk_names_are_refused() -> None:
    with pytest.raises(UnknownNameError):
        create_app(faults=["no-such-fault"])
    with pytest.raises(UnknownNameError):
        create_app(quirks=["no-such-quirk"])


# ---- the fault catalogue ---------------------------------------------------------------------
# That each fault trips the check it names, and no quirk trips any, is proven with the real
# checks by tests/test_fault_proofs.py (and whole runs in tests/test_contract_suite.py).


@dataclass
class Observed:
    """What a small fixed set of requests got back: enough to show every fault."""

    records: dict[int, httpx.Response] = field(default_factory=dict)  # getCall with key A
    foreign: list[httpx.Response] = field(default_factory=list)  # getCall, other account's
    odd: list[tuple[str, httpx.Response]] = field(default_factory=list)  # (operation, response)
    anonymous: list[httpx.Response] = field(default_factory=list)  # no key at all
    pages: list[tuple[int, int, httpx.Response]] = field(default_factory=list)  # limit, offset
    out_of_range: list[httpx.Response] = field(default_factory=list)  # limit 0 and 101
    boundaries: list[httpx.Response] = field(default_factory=list)  # limit 1 and 100

    def everything(self) -> list[tuple[str, httpx.Response]]:
        get = [*self.records.values(), *self.foreign]
        listed = [response for _, _, response in self.pages]
        listed += [*self.out_of_range, *self.boundaries]
        return [
            *(("getCall", response) for response in get),
            *(("listCalls", response) for response in listed),
            *self.odd,
        ]


def observe(faults: tuple[str, ...] = (), quirks: tuple[str, ...] = ()) -> Observed:
    seen = Observed()
    with TestClient(create_app(faults=faults, quirks=quirks), raise_server_exceptions=False) as tc:
        for call_id in DEMO.call_ids:
            seen.records[call_id] = tc.get(f"/v2/calls/{call_id}", headers=A)
        seen.foreign = [
            tc.get(f"/v2/calls/{call_id}", headers=A) for call_id in DEMO.foreign_call_ids[:3]
        ]
        for raw in (*map(str, DEMO.unknown_call_ids), "abc", "0", "1.5", ""):
            seen.odd.append(("getCall", tc.get(f"/v2/calls/{raw}", headers=A)))
        seen.odd.append(("getCall", tc.get("/v2/calls/77", headers=bearer("nope"))))
        seen.anonymous = [tc.get("/v2/calls/77"), tc.get("/v2/calls")]
        seen.odd += [("getCall", seen.anonymous[0]), ("listCalls", seen.anonymous[1])]
        for limit, offset in ((50, 0), (7, 3), (100, 0), (2, 10)):
            response = tc.get("/v2/calls", headers=A, params={"limit": limit, "offset": offset})
            seen.pages.append((limit, offset, response))
        seen.pages.append((50, 0, tc.get("/v2/calls", headers=A)))  # the documented defaults
        seen.out_of_range = [tc.get("/v2/calls", headers=A, params={"limit": n}) for n in (0, 101)]
        seen.boundaries = [tc.get("/v2/calls", headers=A, params={"limit": n}) for n in (1, 100)]
    return seen


@pytest.fixture(scope="module")
def clean() -> Observed:
    return observe()


def test_every_fault_names_a_known_check_and_a_clause() -> None:
    names = [fault.name for fault in FAULTS]
    assert len(names) == len(set(names)) >= 31
    for fault in FAULTS:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", fault.name)
        assert fault.detected_by in CLAUSES, fault.name  # a check the suite runs
        assert fault.description and fault.clause


@pytest.mark.parametrize("quirk", QUIRKS, ids=lambda quirk: quirk.name)
def test_each_quirk_changes_the_responses(quirk: Any, clean: Observed) -> None:
    """(That no quirk trips a check is proven with the real checks: tests/test_fault_proofs.py.)"""
    seen = observe(quirks=(quirk.name,))
    changed = [
        (before.status_code, before.content, dict(before.headers))
        != (after.status_code, after.content, dict(after.headers))
        for (_, before), (_, after) in zip(clean.everything(), seen.everything(), strict=True)
    ]
    assert any(changed)


def test_the_rate_limited_quirk_refuses_every_third_request() -> None:
    with TestClient(create_app(quirks=["rate-limited"])) as tc:
        statuses = [tc.get("/v2/calls/77", headers=A) for _ in range(9)]
    assert [response.status_code for response in statuses] == [200, 200, 429] * 3
    for response in statuses:
        assert {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"} <= set(
            response.headers
        )
    assert all(r.headers["retry-after"] == "1" for r in statuses if r.status_code == 429)


# ---- the serve command -----------------------------------------------------------------------


def serve(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scripts.serve", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=SPEC.parent.parent,
        check=False,
    )


def test_list_faults_lists_both_catalogues() -> None:
    result = serve("--list-faults")
    assert result.returncode == 0
    for fault in FAULTS:
        assert fault.name in result.stdout and fault.description in result.stdout
    for quirk in QUIRKS:
        assert quirk.name in result.stdout and quirk.description in result.stdout
    for fault in FAULTS:
        assert fault.detected_by in result.stdout


def test_help_explains_the_options() -> None:
    result = serve("--help")
    assert result.returncode == 0
    for option in ("--port", "--fault", "--quirk", "--list-faults", "--rate-limit"):
        assert option in result.stdout


def test_an_unknown_fault_is_one_line_and_exit_2() -> None:
    result = serve("--fault", "no-such-fault")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "no-such-fault" in result.stderr
    assert result.stdout == ""


def test_a_busy_port_is_one_line_and_exit_2() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = serve("--port", str(port))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and str(port) in result.stderr


def test_the_published_example_in_the_data_file_is_the_spec_example(spec: dict[str, Any]) -> None:
    from contract_tests.reference_server.data import PUBLISHED_CALLS

    published = json.loads(PUBLISHED_CALLS.read_text(encoding="utf-8"))
    examples = spec["components"]["examples"]
    expected = [
        examples[name]["value"] for name in ("EndedWebCall", "PendingPhoneCall", "ActivePhoneCall")
    ]
    assert published == expected


def test_serve_prints_its_url_and_keys_and_stops_on_ctrl_c() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "scripts.serve", "--fault", "cost-mismatch"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=SPEC.parent.parent,
    )
    try:
        assert process.stdout is not None
        banner: list[str] = []
        while len(banner) < 12 and banner[-1:] != ["Ctrl-C stops it.\n"]:
            banner.append(process.stdout.readline())
        url = re.search(r"http://127\.0\.0\.1:\d+", banner[0])
        assert url, banner
        response = httpx.get(f"{url.group(0)}/v2/calls/77", headers=A, timeout=10)
        assert response.status_code == 200
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(5)
    assert process.returncode == 0
    printed = "".join(banner)
    assert DEMO.api_key in printed and DEMO.other_api_key in printed and "cost-mismatch" in printed
    assert "Ctrl-C" in banner[-1]
