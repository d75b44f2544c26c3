"""The embedded reference server: a real Calls API on loopback, with a catalogue of faults.

Public surface:
- `EmbeddedServer(quirks=(), rate_limit=None, port=0, faults=())`: context manager,
  `.base_url`.
- `DEMO`: the demo keys and call ids (`DemoSetup`).
- `create_app(faults=(), quirks=(), rate_limit=None)`: the ASGI app itself.
- `FAULTS`, `QUIRKS` (and `FAULTS_BY_NAME`, `QUIRKS_BY_NAME`): the catalogues (faults.py
  assembles the fault catalogue from one module per clause area, `*_faults.py`).

Each name is imported when first used (PEP 562): a contract run reads the demo key before it
starts the suite's process, and importing Starlette and the catalogues first delayed that
start by ~0.1 s.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from contract_tests.reference_server.app import UnknownNameError, create_app
    from contract_tests.reference_server.changes import Fault
    from contract_tests.reference_server.demo import DEMO, DemoSetup
    from contract_tests.reference_server.embedded import EmbeddedServer
    from contract_tests.reference_server.faults import FAULTS, FAULTS_BY_NAME
    from contract_tests.reference_server.quirks import QUIRKS, QUIRKS_BY_NAME, Quirk

_MODULE_OF = {
    "DEMO": "demo",
    "DemoSetup": "demo",
    "EmbeddedServer": "embedded",
    "FAULTS": "faults",
    "FAULTS_BY_NAME": "faults",
    "Fault": "changes",
    "QUIRKS": "quirks",
    "QUIRKS_BY_NAME": "quirks",
    "Quirk": "quirks",
    "UnknownNameError": "app",
    "create_app": "app",
}

__all__ = [
    "DEMO",
    "FAULTS",
    "FAULTS_BY_NAME",
    "QUIRKS",
    "QUIRKS_BY_NAME",
    "DemoSetup",
    "EmbeddedServer",
    "Fault",
    "Quirk",
    "UnknownNameError",
    "create_app",
]


def __getattr__(name: str) -> Any:
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_MODULE_OF[name]}"), name)
    globals()[name] = value  # once: later lookups do not come here
    return value
