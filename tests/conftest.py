"""Fixtures shared by the kit's tests."""

from __future__ import annotations

from typing import Any

import pytest
import thinnestai_calls_client.api as client_runtime
import yaml

from scripts.codegen import SPEC


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    """openapi/calls.yaml as plain data, read once per run. Do not mutate: deep-copy first."""
    loaded = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict), f"{SPEC} is not a YAML mapping"
    return loaded


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The seconds the generated client would have slept, in order; it does not sleep."""
    recorded: list[float] = []

    async def record_async(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(client_runtime, "_sleep", recorded.append)
    monkeypatch.setattr(client_runtime, "_async_sleep", record_async)
    return recorded
