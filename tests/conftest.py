"""Fixtures shared by the kit's tests."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from scripts.codegen import SPEC


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    """openapi/calls.yaml as plain data, read once per run. Do not mutate: deep-copy first."""
    loaded = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict), f"{SPEC} is not a YAML mapping"
    return loaded
