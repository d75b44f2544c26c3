"""`nox -s proxy`: the generated client through the judging proxy gets the upstream's answers,
byte for byte, and the proxy reports the fault those answers carry."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
from thinnestai_calls_client import AuthenticatedClient
from thinnestai_calls_client.api.calls import get_call, list_calls

from contract_tests.reference_server import DEMO, EmbeddedServer
from contract_tests.reference_server.embedded import LoopbackServer
from contract_tests.traffic.judge import TrafficJudge
from contract_tests.traffic.proxy import JudgeThread, JudgingProxy

REPO = Path(__file__).resolve().parent.parent


def walk(base_url: str) -> tuple[list[bytes], list[bytes]]:
    """Every page sync_all fetched (raw bodies, in order) and every listed call's body."""
    pages: list[bytes] = []

    def keep(response: httpx.Response) -> None:
        if response.url.path == "/v2/calls":
            response.read()
            pages.append(response.content)

    with AuthenticatedClient(
        base_url=base_url, token=DEMO.api_key, httpx_args={"event_hooks": {"response": [keep]}}
    ) as client:
        items = list(list_calls.sync_all(client=client, limit=10))
        bodies = [get_call.sync_detailed(item.id, client=client).content for item in items]
    return pages, bodies


def test_sync_all_through_the_proxy_gets_direct_answers_and_the_fault_is_reported() -> None:
    with EmbeddedServer(faults=("summary-mismatch",)) as server:
        judge = TrafficJudge(foreign_ids=frozenset(DEMO.foreign_call_ids), phase="proxied")
        judged = JudgeThread(judge)
        with LoopbackServer(JudgingProxy(server.base_url, judged)) as proxy:
            through = walk(proxy.base_url)
        judged.close()
        direct = walk(server.base_url)
    assert through == direct
    assert len(through[1]) == len(DEMO.listed_call_ids)
    results = judge.results
    assert results.failures["listed_calls_match_records"] > 0
    assert results.passes["pages_tile_the_listing"] > 0  # the walk's pages overlap by one
    assert results.total_requests == len(through[0]) + len(through[1])


def test_the_proxy_command_writes_its_reports_on_sigterm(tmp_path: Path) -> None:
    with EmbeddedServer(faults=("cost-mismatch",)) as server:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        env.pop("THINNESTAI_API_KEY", None)
        command = [sys.executable, "-m", "scripts.proxy", "--upstream", server.base_url]
        command += ["--port", "0", "--report-dir", str(tmp_path)]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env, cwd=REPO)
        try:
            assert process.stdout is not None
            first = process.stdout.readline()
            assert first.startswith("proxy: http://127.0.0.1:"), first
            base_url = first.split()[1]
            headers = {"Authorization": f"Bearer {DEMO.api_key}"}
            answer = httpx.get(f"{base_url}/v2/calls/{DEMO.published_call_id}", headers=headers)
            direct = httpx.get(
                f"{server.base_url}/v2/calls/{DEMO.published_call_id}", headers=headers
            )
            assert answer.content == direct.content and answer.status_code == 200
            process.send_signal(signal.SIGTERM)
            output = process.communicate(timeout=30)[0]
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 1, output
    assert "cost_adds_up" in (tmp_path / "summary.md").read_text()
    assert (tmp_path / "evidence.har").exists() and (tmp_path / "junit.xml").exists()
    for path in tmp_path.iterdir():
        assert DEMO.api_key not in path.read_text(encoding="utf-8")
    assert DEMO.api_key not in output
