"""The embedded reference server: a real Calls API on loopback, with a catalogue of faults.

Public surface:
- `EmbeddedServer(quirks=(), rate_limit=None, port=0, faults=())`: context manager,
  `.base_url`.
- `DEMO`: the demo keys and call ids (`DemoSetup`).
- `create_app(faults=(), quirks=(), rate_limit=None)`: the ASGI app itself.
- `FAULTS`, `QUIRKS` (and `FAULTS_BY_NAME`, `QUIRKS_BY_NAME`): the catalogues (faults.py
  assembles the fault catalogue from one module per clause area, `*_faults.py`).
"""

from contract_tests.reference_server.app import UnknownNameError, create_app
from contract_tests.reference_server.changes import Fault
from contract_tests.reference_server.demo import DEMO, DemoSetup
from contract_tests.reference_server.embedded import EmbeddedServer
from contract_tests.reference_server.faults import FAULTS, FAULTS_BY_NAME
from contract_tests.reference_server.quirks import QUIRKS, QUIRKS_BY_NAME, Quirk

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
