"""Each quirk of the reference server does what its catalogue entry says, at the HTTP level,
and stays within the contract: under each quirk alone, and all of them at once, every record
and list page is valid against the spec's schemas and keeps every invariant of contract.md.

In process through Starlette's TestClient, except what only a socket shows (chunked transfer,
a closed connection, SO_REUSEADDR), which goes over loopback.
"""

from __future__ import annotations

import gzip
import json
import re
import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from starlette.testclient import TestClient
from test_reference_server_records import validator

from contract_tests.checks.invariants import (
    RECORD_INVARIANTS,
    list_page_consistent,
    listed_call_matches_record,
)
from contract_tests.checks.states import UNFINISHED
from contract_tests.reference_server import DEMO, QUIRKS, EmbeddedServer, create_app
from contract_tests.reference_server.embedded import bind_loopback
from contract_tests.reference_server.quirks import FRACTIONS
from contract_tests.spec import call_data_in

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

A = {"Authorization": f"Bearer {DEMO.api_key}"}
EVERY_QUIRK = tuple(quirk.name for quirk in QUIRKS)
PAGES = ((100, 0), (7, 3), (5, 50))  # (limit, offset)
RETRY_PAUSE = 0.05  # seconds between tries of a request answered 429
RETRIES = 25
SAMPLE = frozenset((*DEMO.call_ids[::2], DEMO.published_call_id))


@pytest.fixture(scope="module")
def validators(spec: dict[str, Any]) -> dict[str, Draft202012Validator]:
    names = ("Call", "CallList", "Error", "ValidationError")
    return {name: validator(spec, name) for name in names}


@pytest.fixture(scope="module")
def clean() -> Iterator[TestClient]:
    with TestClient(create_app()) as client:
        yield client


def quirky(*quirks: str) -> TestClient:
    return TestClient(create_app(quirks=quirks))


def fetch(client: TestClient, path: str, **params: int) -> httpx.Response:
    """The answer to a keyed GET, tried again while it is a 429 (the rate-limit quirks)."""
    for attempt in range(RETRIES):
        response: httpx.Response = client.get(path, headers=A, params=params)
        if response.status_code != 429:
            return response
        time.sleep(RETRY_PAUSE if attempt else 0)  # `rate-limited` lets the next one through
    raise AssertionError(f"GET {path} still 429 after {RETRIES} tries")


def body_of(response: httpx.Response) -> dict[str, Any]:
    loaded = json.loads(response.content)
    assert isinstance(loaded, dict)
    return loaded


def broken_invariants(record: dict[str, Any]) -> list[str]:
    broken = []
    for invariant in RECORD_INVARIANTS:
        try:
            invariant(record)
        except AssertionError as error:
            broken.append(f"call {record.get('id')}: {error}")
    return broken


def moved_on(listed: str, fetched: str) -> bool:
    """Invariant 10: on a live server an unfinished call may have moved on between the listing
    and the fetch by id (either may come first)."""
    return listed != fetched and (listed in UNFINISHED or fetched in UNFINISHED)


# ---- every quirk stays within the contract -------------------------------------------------


@pytest.mark.parametrize(
    "quirks", [(name,) for name in EVERY_QUIRK] + [EVERY_QUIRK], ids=[*EVERY_QUIRK, "all"]
)
def test_records_and_pages_keep_the_contract(
    quirks: tuple[str, ...], validators: dict[str, Draft202012Validator]
) -> None:
    """Every call keeps the invariants and orders the pages; the schema (slow to check) is
    checked on every other call for one quirk alone, on every call for all at once."""
    everything = len(quirks) > 1
    problems: list[str] = []
    records: dict[int, dict[str, Any]] = {}
    with quirky(*quirks) as client:
        for call_id in DEMO.call_ids:
            if call_id == DEMO.long_transcript_call_id and not everything:
                continue
            response = fetch(client, f"/v2/calls/{call_id}")
            assert response.status_code == 200, (call_id, response.status_code)
            record = body_of(response)
            if everything or call_id in SAMPLE:
                problems += [e.message for e in validators["Call"].iter_errors(record)][:3]
            problems += broken_invariants(record)
            records[call_id] = record
        for limit, offset in PAGES:
            response = fetch(client, "/v2/calls", limit=limit, offset=offset)
            page = body_of(response)
            problems += [e.message for e in validators["CallList"].iter_errors(page)][:3]
            for summary in page["calls"]:  # calls that arrived since (live-data) order it too
                if summary["id"] not in records:
                    arrived = body_of(fetch(client, f"/v2/calls/{summary['id']}"))
                    problems += broken_invariants(arrived)
                    records[summary["id"]] = arrived
            created = {call_id: record["created_at"] for call_id, record in records.items()}
            try:
                list_page_consistent(page, limit, offset, created)
                for summary in page["calls"]:
                    fetched = records[summary["id"]]
                    if not moved_on(summary["status"], fetched["status"]):
                        listed_call_matches_record(summary, fetched)
            except AssertionError as error:
                problems.append(f"page limit={limit} offset={offset}: {error}")
    assert problems == []


def test_quirks_compose_in_any_order() -> None:
    forward, backward = quirky(*EVERY_QUIRK), quirky(*EVERY_QUIRK[::-1])
    with forward, backward:
        first = fetch(forward, f"/v2/calls/{DEMO.published_call_id}")
        second = fetch(backward, f"/v2/calls/{DEMO.published_call_id}")
    assert first.content == second.content
    assert first.headers["content-encoding"] == "gzip"
    assert first.headers["content-type"] == "application/json; charset=utf-8"


def test_the_catalogue_is_complete_and_described() -> None:
    wanted = {
        "extra-field",
        "new-ended-reason",
        "rate-limited",
        "fractional-seconds",
        "number-forms",
        "key-order",
        "extra-headers",
        "charset",
        "gzip",
        "connection-close",
        "chunked",
        "error-extras",
        "slow",
        "json-formatting",
        "bearer-challenge",
        "rate-limit-window",
        "live-data",
        "analysis-pending",
    }
    assert wanted <= set(EVERY_QUIRK)
    assert len(EVERY_QUIRK) == len(set(EVERY_QUIRK))
    for quirk in QUIRKS:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", quirk.name) and quirk.description


# ---- what each quirk does ------------------------------------------------------------------


def test_fractional_seconds_vary_per_call_and_keep_the_instants(clean: TestClient) -> None:
    seen: set[str] = set()
    with quirky("fractional-seconds") as client:
        for call_id in DEMO.call_ids[:40]:
            raw = fetch(client, f"/v2/calls/{call_id}").content
            plain = body_of(fetch(clean, f"/v2/calls/{call_id}"))
            for stamp in re.findall(rb'"created_at":"([^"]+)"', raw):
                fraction = re.search(rb"(\.\d+)Z$", stamp)
                assert fraction, stamp
                seen.add(fraction.group(1).decode())
                assert stamp.decode().startswith(plain["created_at"][:-1])
    assert seen == set(FRACTIONS)
    assert ".123" in seen  # JavaScript's toISOString


def test_number_forms_are_other_texts_of_the_same_values(clean: TestClient) -> None:
    texts = b""
    with quirky("number-forms") as client:
        for call_id in DEMO.call_ids[:40]:
            response = fetch(client, f"/v2/calls/{call_id}")
            assert body_of(response) == body_of(fetch(clean, f"/v2/calls/{call_id}"))
            texts += response.content
        page = fetch(client, "/v2/calls", limit=5).content
    assert re.search(rb":\d+e-0\d[,}]", texts), "a tiny float in exponent form, e.g. 3e-04"
    assert re.search(rb":\d+\.\d*[1-9]0[,}]", texts), "a trailing zero, e.g. 6.80"
    assert re.search(rb'"latency_ms":\d+\.0[,}]', texts), "an integer field as N.0"
    assert re.search(rb'"interruptions":\d+\.0[,}]', texts)
    assert re.search(rb'"score":\d+\.0[,}]', texts)
    assert re.search(rb'"recording_duration":\d+\.0[,}]', texts)
    assert re.search(rb'"duration_seconds":\d+[,}]', texts), "a whole number field as 1800"
    assert re.search(rb'"id":\d+[,}]', texts) and not re.search(rb'"id":\d+\.', texts)
    assert re.search(rb'"total":\d+[,}]', page)


def test_key_order_shuffles_every_object_and_keeps_the_values(clean: TestClient) -> None:
    path = f"/v2/calls/{DEMO.published_call_id}"
    with quirky("key-order") as client:
        shuffled = json.loads(fetch(client, path).content, object_pairs_hook=list)
        page = json.loads(fetch(client, "/v2/calls", limit=3).content, object_pairs_hook=list)
    plain = json.loads(fetch(clean, path).content, object_pairs_hook=list)
    assert [key for key, _ in shuffled] != [key for key, _ in plain]
    assert sorted(key for key, _ in shuffled) == sorted(key for key, _ in plain)
    cost, plain_cost = dict(shuffled)["cost"], dict(plain)["cost"]
    assert [key for key, _ in cost] != [key for key, _ in plain_cost]  # nested objects too
    assert [key for key, _ in page] == ["total", "calls"]
    assert body_of(fetch(clean, path)) == json.loads(json.dumps(_as_dicts(shuffled)))


def _as_dicts(pairs: Any) -> Any:
    if isinstance(pairs, list) and all(isinstance(item, tuple) for item in pairs) and pairs:
        return {key: _as_dicts(value) for key, value in pairs}
    if isinstance(pairs, list):
        return [_as_dicts(item) for item in pairs]
    return pairs


def test_json_formatting_pretty_prints_with_ascii_escapes(clean: TestClient) -> None:
    path = f"/v2/calls/{DEMO.published_call_id}"  # its transcript is in Hindi
    with quirky("json-formatting") as client:
        raw = fetch(client, path).content
        error = client.get("/v2/calls/abc", headers=A).content
    assert raw.startswith(b'{\n  "id": 77,\n')
    assert raw.isascii() and re.search(rb"\\u09[0-7][0-9a-f]", raw)  # Devanagari, escaped
    assert body_of(fetch(clean, path)) == json.loads(raw)
    assert error.startswith(b'{\n  "detail": [\n')


def test_extra_headers_are_added_and_the_etag_only_on_200s() -> None:
    with quirky("extra-headers") as client:
        found = fetch(client, "/v2/calls/77")
        missing = client.get("/v2/calls/999999", headers=A)
        again = fetch(client, "/v2/calls/77")
    for response in (found, missing):
        for name in ("x-request-id", "via", "strict-transport-security"):
            assert response.headers.get(name), name
        assert response.headers["cache-control"] == "no-store"
        assert "Accept-Encoding" in response.headers["vary"]
    assert found.headers["x-request-id"] != again.headers["x-request-id"]
    assert found.headers["etag"] == again.headers["etag"] and found.headers["etag"].startswith("W/")
    assert "etag" not in missing.headers


def test_charset_is_named_on_every_json_response() -> None:
    with quirky("charset") as client:
        answers = [client.get(path, headers=A) for path in ("/v2/calls/77", "/v2/calls/x")]
        answers += [client.get("/v2/calls"), client.get("/v2/calls?limit=0", headers=A)]
    assert {r.headers["content-type"] for r in answers} == {"application/json; charset=utf-8"}
    assert {r.status_code for r in answers} == {200, 401, 422}


def test_gzip_compresses_when_the_client_accepts_it(clean: TestClient) -> None:
    path = f"/v2/calls/{DEMO.published_call_id}"
    with quirky("gzip") as client:
        with client.stream(
            "GET", path, headers={**A, "Accept-Encoding": "gzip, deflate"}
        ) as zipped:
            raw = b"".join(zipped.iter_raw())
            headers = zipped.headers
        identity = client.get(path, headers={**A, "Accept-Encoding": "identity"})
    assert headers["content-encoding"] == "gzip" and "Accept-Encoding" in headers["vary"]
    assert raw[:2] == b"\x1f\x8b" and int(headers["content-length"]) == len(raw)
    assert gzip.decompress(raw) == fetch(clean, path).content
    assert "content-encoding" not in identity.headers
    assert identity.content == fetch(clean, path).content


def test_error_extras_add_problem_fields_and_keep_detail(
    validators: dict[str, Draft202012Validator],
) -> None:
    with quirky("error-extras") as client:
        missing = client.get("/v2/calls/999999", headers=A)
        foreign = client.get(f"/v2/calls/{DEMO.foreign_call_ids[0]}", headers=A)
        invalid = client.get("/v2/calls", headers=A, params={"limit": 101})
        anonymous = client.get("/v2/calls/77")
    not_found = body_of(missing)
    assert not_found["type"] == "https://api.thinnest.ai/errors/not-found"
    assert not_found["detail"] == "Call not found" and "status" not in not_found
    assert not_found["title"] and not_found["request_id"] and not_found["instance"]
    forbidden = body_of(foreign)
    assert foreign.status_code == 403 and forbidden["status"] == 403
    assert call_data_in(forbidden) == []  # nothing in it looks like the call's data
    item = body_of(invalid)["detail"][0]
    assert item["input"] == "101" and item["ctx"] == {"le": 100} and item["url"].startswith("https")
    assert {"loc", "msg", "type"} <= set(item)
    assert body_of(anonymous)["type"].endswith("/unauthorized")
    for response, schema in ((missing, "Error"), (foreign, "Error"), (anonymous, "Error")):
        assert validators[schema].is_valid(body_of(response))
    assert validators["ValidationError"].is_valid(body_of(invalid))


def test_slow_delays_every_25th_answer_only() -> None:
    times, timings = [], []
    with quirky("slow") as client:
        for _ in range(50):
            started = time.perf_counter()
            response = client.get("/v2/calls/77", headers=A)
            times.append(time.perf_counter() - started)
            timings.append(response.headers.get("server-timing"))
    slow = [index + 1 for index, seconds in enumerate(times) if seconds >= 0.3]
    assert slow == [25, 50]
    assert [index + 1 for index, timing in enumerate(timings) if timing] == [25, 50]


def test_bearer_challenge_names_realm_and_error_per_rfc_6750() -> None:
    with quirky("bearer-challenge") as client:
        bad_key = client.get("/v2/calls/77", headers={"Authorization": "Bearer nope"})
        no_key = client.get("/v2/calls")
        ok = client.get("/v2/calls/77", headers=A)
    challenge = bad_key.headers["www-authenticate"]
    assert challenge.startswith('Bearer realm="thinnest.ai", error="invalid_token"')
    assert "error_description=" in challenge
    assert no_key.headers["www-authenticate"] == 'Bearer realm="thinnest.ai"'
    assert "www-authenticate" not in ok.headers


def test_rate_limit_window_allows_30_per_second() -> None:
    with quirky("rate-limit-window") as client:
        answers = [client.get("/v2/calls/77", headers=A) for _ in range(70)]
    refused = [response for response in answers if response.status_code == 429]
    assert refused and all(response.headers["retry-after"] == "1" for response in refused)
    for response in answers:
        assert response.headers["x-ratelimit-limit"] == "30"
        assert response.headers["x-ratelimit-remaining"].isdigit()
    assert sum(response.status_code == 200 for response in answers) >= 30


def test_analysis_pending_leaves_some_finished_calls_unanalysed(clean: TestClient) -> None:
    pending = []
    with quirky("analysis-pending") as client:
        for call_id in DEMO.call_ids[:40]:
            before = body_of(fetch(clean, f"/v2/calls/{call_id}"))
            after = body_of(fetch(client, f"/v2/calls/{call_id}"))
            if before["analysis"] is not None and after["analysis"] is None:
                assert after["status"] in ("ended", "error")
                pending.append(call_id)
            else:
                assert after == before
    assert len(pending) >= 3


def test_timestamp_forms_write_the_same_seconds_differently(clean: TestClient) -> None:
    path = f"/v2/calls/{DEMO.long_transcript_call_id}"
    with quirky("timestamp-forms") as client:
        stamps = [message["timestamp"] for message in body_of(fetch(client, path))["transcript"]]
    plain = [message["timestamp"] for message in body_of(fetch(clean, path))["transcript"]]
    assert [float(stamp) for stamp in stamps] == [float(stamp) for stamp in plain]
    assert any("." not in stamp for stamp in stamps)
    assert any(re.fullmatch(r"\d+\.\d0", stamp) for stamp in stamps)


def test_nested_extra_fields_sit_inside_nested_objects() -> None:
    with quirky("nested-extra-fields") as client:
        record = body_of(fetch(client, f"/v2/calls/{DEMO.published_call_id}"))
        summary = body_of(fetch(client, "/v2/calls", limit=1))["calls"][0]
    assert record["cost"]["currency"] == summary["cost"]["currency"] == "USD"
    assert record["transcript"][0]["confidence"] and record["model"]["temperature"]


def test_float_noise_writes_unrounded_totals_that_still_add_up(clean: TestClient) -> None:
    with quirky("float-noise") as client:
        noisy = [body_of(fetch(client, f"/v2/calls/{call_id}")) for call_id in SAMPLE]
    long_floats = [
        record["cost"]["total_usd"]
        for record in noisy
        if len(repr(record["cost"]["total_usd"])) > 12
    ]
    assert len(long_floats) >= 5  # e.g. 3.4509999999999996
    for record in noisy:
        plain = body_of(fetch(clean, f"/v2/calls/{record['id']}"))
        assert abs(record["cost"]["total_usd"] - plain["cost"]["total_usd"]) < 1e-3


# ---- live data -----------------------------------------------------------------------------


def test_live_data_new_calls_head_the_listing_and_calls_move_on(
    validators: dict[str, Draft202012Validator],
) -> None:
    with quirky("live-data") as client:
        first = body_of(client.get("/v2/calls", headers=A, params={"limit": 100}))  # request 1
        statuses = {summary["id"]: summary["status"] for summary in first["calls"]}
        active = [i for i in reversed(list(statuses)) if statuses[i] == "active"]
        pending = [i for i in reversed(list(statuses)) if statuses[i] == "pending"]
        for _ in range(68):  # requests 2..69: arrivals at 10, 20, ..., transitions at 7, 14...
            client.get(f"/v2/calls/{DEMO.published_call_id}", headers=A)
        later = body_of(client.get("/v2/calls", headers=A, params={"limit": 100}))  # request 70
        ended = body_of(client.get(f"/v2/calls/{active[0]}", headers=A))
        connected = body_of(client.get(f"/v2/calls/{pending[0]}", headers=A))
        second_page = body_of(client.get("/v2/calls", headers=A, params={"limit": 7, "offset": 7}))
        newest = [body_of(client.get(f"/v2/calls/{i}", headers=A)) for i in range(97, 104)]
        old_head = body_of(client.get(f"/v2/calls/{first['calls'][0]['id']}", headers=A))

    assert later["total"] == first["total"] + 7  # one arrival per 10 requests
    new_ids = [summary["id"] for summary in later["calls"][:7]]
    assert new_ids == list(range(103, 96, -1)) and max(DEMO.call_ids + DEMO.other_call_ids) == 96
    assert [summary["id"] for summary in later["calls"][7:]] == list(statuses)[: 100 - 7]
    assert second_page["calls"][0]["id"] == first["calls"][0]["id"]  # pages shifted by 7+
    assert len({record["type"] for record in newest}) >= 2
    assert {record["status"] for record in newest} <= {"active", "pending", "ended"}
    assert ended["status"] == "ended" and ended["ended_at"] and ended["ended_reason"]
    assert connected["status"] in ("active", "ended") and connected["started_at"]
    for record in [ended, connected, *newest]:
        assert validators["Call"].is_valid(record), record["id"]
        assert broken_invariants(record) == []
    created = [old_head["created_at"], *(record["created_at"] for record in newest)]
    assert created == sorted(set(created))  # each arrival is later than every call before it


# ---- what only a socket shows --------------------------------------------------------------


def test_chunked_bodies_have_no_content_length(clean: TestClient) -> None:
    path = f"/v2/calls/{DEMO.published_call_id}"
    with EmbeddedServer(quirks=["chunked"]) as server:
        response = httpx.get(server.base_url + path, headers=A)
    assert response.headers.get("transfer-encoding") == "chunked"
    assert "content-length" not in response.headers
    assert response.content == fetch(clean, path).content


def test_connection_close_closes_the_connection() -> None:
    request = (
        f"GET /v2/calls/77 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {A['Authorization']}"
        "\r\nConnection: keep-alive\r\n\r\n"
    ).encode()
    with EmbeddedServer(quirks=["connection-close"]) as server:
        host, port = server.base_url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=5) as connection:
            connection.sendall(request)
            answer = b""
            while chunk := connection.recv(65536):  # b"" once the server has closed it
                answer += chunk
    head = answer.split(b"\r\n\r\n", 1)[0].lower()
    assert head.startswith(b"http/1.1 200") and b"connection: close" in head


def test_a_port_freed_a_moment_ago_can_be_bound_again() -> None:
    """The server closes its end first at shutdown, which leaves that connection in TIME_WAIT
    on the server's port: without SO_REUSEADDR no socket could bind the port for a minute."""
    # The server stops first (closing the kept-alive connection), then the client closes.
    with httpx.Client() as client, EmbeddedServer() as server:
        port = int(server.base_url.rsplit(":", 1)[1])
        assert client.get(server.base_url + "/v2/calls/77", headers=A).status_code == 200
    time.sleep(0.1)
    with socket.socket() as plain, pytest.raises(OSError):
        plain.bind(("127.0.0.1", port))  # the port is indeed in TIME_WAIT
    again = bind_loopback(port)
    again.close()
