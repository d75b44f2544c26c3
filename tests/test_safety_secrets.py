"""No secret leaks: a run against a server that echoes the key back writes it nowhere.

The dangerous case is not the request (Schemathesis filters the Authorization header) but the
response: failure messages quote response bodies and headers, and those messages end up on
screen, in summary.md, summary.html, junit.xml and evidence.har (the failing exchanges
themselves). The server below echoes the raw Authorization header in bodies and headers while
breaking several checks, so every one of those paths carries it.
"""

from __future__ import annotations

import base64
import json
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from safety_servers import PROJECT_ROOT, AsgiServer, ContractRun, run_contract
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

# One worker for the whole module (--dist loadgroup): its module-scoped run is made once,
# not once on each worker.
pytestmark = [pytest.mark.timeout(120), pytest.mark.xdist_group("safety_secrets")]

# Project folders a run may write to, besides the report folder (compared before and after).
# What a report may write of an Authorization header: a scheme and filter marks (a near-miss's
# mark names its probe, suite/redaction.py), never a value.
CREDENTIAL_FORM = r"((Bearer|Basic|Token) )?\[Filtered(:\w+)?\]( \[Filtered(:\w+)?\])*"
IGNORED_PROJECT_PARTS = {".git", ".venv", ".nox", ".mypy_cache", ".ruff_cache", "node_modules"}


def echoed_credentials(request: Request) -> str:
    """Every Authorization header and the query string: where the near-miss probes put keys."""
    return " ".join([*request.headers.getlist("authorization"), str(request.query_params)]).strip()


def echoing_app() -> Starlette:
    """Breaks schema, status, content-type and header checks, quoting the key each time."""

    async def list_calls(request: Request) -> Response:
        echoed = echoed_credentials(request)
        body = {"calls": [{"id": 1, "agent_name": echoed}], "total": echoed}
        return JSONResponse(body, headers={"X-Debug-Authorization": echoed})

    async def get_call(request: Request) -> Response:
        echoed = echoed_credentials(request)
        call_id = request.path_params["call_id"]
        if call_id.endswith(("0", "2", "4")):
            return JSONResponse({"id": echoed, "status": "ended", "transcript": echoed})
        # Some servers echo credentials encoded too, e.g. as a Basic pair or inside a token.
        encoded = base64.b64encode(echoed.encode()).decode()
        if call_id.endswith(("1", "3")):
            text = f"no call {call_id} for {echoed} (token {encoded})"
            return PlainTextResponse(text, status_code=500, headers={"X-Echo": encoded})
        detail = {"detail": f"Call not found for key {echoed}", "status": 404, "echo": echoed}
        return JSONResponse(detail, status_code=404, headers={"X-Echo": echoed})

    return Starlette(
        routes=[
            Route("/v2/calls", list_calls),
            Route("/v2/calls/{call_id}", get_call),
        ]
    )


def secret_forms(key: str) -> dict[str, bytes]:
    """The key as it could appear on disk or screen, and the near-misses the suite sends with
    it (secrets too): any 16 characters of the key in a row, in any letter case (prefixes,
    truncations, suffixed and split keys all contain such a run), and base64 of the usual
    wrappings of the key, its other cases and its truncations."""
    forms: dict[str, bytes] = {}
    for case_name, text in (("key", key), ("upper", key.upper()), ("swapcase", key.swapcase())):
        for start in range(len(text) - 15):
            forms[f"{case_name}[{start}:{start + 16}]"] = text[start : start + 16].encode()
    for name, secret in (("key", key), ("swapcase", key.swapcase()), ("cut", key[:-1])):
        for wrap, text in (
            ("", secret),
            ("bearer", f"Bearer {secret}"),
            ("basic", f":{secret}"),
            ("basic user", f"{secret}:"),
        ):
            for encoder in (base64.b64encode, base64.urlsafe_b64encode):
                encoded = encoder(text.encode())
                label = f"{encoder.__name__}({wrap} {name})"
                forms[label] = encoded
                # Inside a longer base64 stream the text may start at any offset: the middle.
                forms[f"{label} inner"] = encoded[4:-4]
    return forms


def leaks_in(data: bytes, forms: dict[str, bytes]) -> list[str]:
    return [name for name, form in forms.items() if form in data]


def files_under(folder: Path) -> Iterator[Path]:
    for root, dirs, names in os.walk(folder):
        dirs[:] = [name for name in dirs if name not in IGNORED_PROJECT_PARTS]
        for name in names:
            yield Path(root, name)


def snapshot(folder: Path) -> dict[Path, tuple[float, int]]:
    found: dict[Path, tuple[float, int]] = {}
    for path in files_under(folder):
        try:
            stat = path.stat()
        except OSError:
            continue  # gone between the listing and the stat: a concurrent test's temp file
        found[path] = (stat.st_mtime, stat.st_size)
    return found


def written_during(before: dict[Path, tuple[float, int]], folder: Path) -> list[Path]:
    after = snapshot(folder)
    return [path for path, mark in after.items() if before.get(path) != mark]


@pytest.fixture(scope="module")
def canary() -> str:
    return f"tai_canary_{uuid.uuid4().hex}"


@pytest.fixture(scope="module")
def leaky_run(
    canary: str, tmp_path_factory: pytest.TempPathFactory
) -> tuple[ContractRun, list[Path]]:
    """One run against the echoing server; with every file it wrote or changed."""
    scratch = tmp_path_factory.mktemp("secrets")
    before = snapshot(PROJECT_ROOT)
    with AsgiServer(echoing_app()) as server:
        # A local server: no need for the 10/s a --base-url run is capped at by default.
        options = ("--max-examples", "5", "--seed", "1", "--rate-limit", "1000/s")
        run = run_contract(server.base_url, canary, scratch, *options)
    written = list(files_under(scratch)) + written_during(before, PROJECT_ROOT)
    return run, written


def test_the_echoing_server_is_reported_as_violating(
    leaky_run: tuple[ContractRun, list[Path]],
) -> None:
    run, _ = leaky_run
    assert run.exit_code == 1, run.output
    assert "response_schema_conformance" in run.stdout


def test_the_key_is_in_nothing_the_run_printed(
    leaky_run: tuple[ContractRun, list[Path]], canary: str
) -> None:
    run, _ = leaky_run
    assert leaks_in(run.output.encode(), secret_forms(canary)) == []


def test_the_reports_exist_and_were_scanned(leaky_run: tuple[ContractRun, list[Path]]) -> None:
    run, written = leaky_run
    for name in ("junit.xml", "summary.md", "summary.html", "evidence.har"):
        assert run.report_dir / name in written, name


def test_the_evidence_keeps_the_echoed_bodies_with_the_key_filtered(
    leaky_run: tuple[ContractRun, list[Path]],
) -> None:
    """The HAR and the HTML quote what the server echoed (so the scan above means something),
    and the Authorization header is never written but as its scheme and [Filtered]."""
    run, _ = leaky_run
    har = json.loads((run.report_dir / "evidence.har").read_text(encoding="utf-8"))
    entries = har["log"]["entries"]
    texts = [entry["response"]["content"]["text"] for entry in entries]
    assert any("[Filtered]" in text for text in texts)
    sent = [h for entry in entries for h in entry["request"]["headers"]]
    written = {h["value"] for h in sent if h["name"].lower() == "authorization"}
    assert written and all(re.fullmatch(CREDENTIAL_FORM, value) for value in written), written
    page = (run.report_dir / "summary.html").read_text(encoding="utf-8")
    assert "[Filtered]" in page and "evidence.har entry 1" in page


def test_the_key_is_in_no_file_the_run_wrote(
    leaky_run: tuple[ContractRun, list[Path]], canary: str
) -> None:
    _, written = leaky_run
    forms = secret_forms(canary)
    leaked = {
        str(path): found
        for path in written
        if path.is_file() and (found := leaks_in(path.read_bytes(), forms))
    }
    assert leaked == {}


def test_the_failure_messages_still_show_the_body_with_the_key_filtered(
    leaky_run: tuple[ContractRun, list[Path]],
) -> None:
    """Redaction replaces the key, not the evidence: the body is still quoted."""
    run, _ = leaky_run
    summary = (run.report_dir / "summary.md").read_text(encoding="utf-8")
    assert "[Filtered]" in summary
