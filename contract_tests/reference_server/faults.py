"""The catalogue of named faults (the allowed variations, "quirks", are in quirks.py).

A fault breaks exactly one clause of contract.md, and names the contract-suite check that
must catch it (`detected_by`): the suite run against each fault proves that check fires.

Each entry is data plus one small transform over a stage of `Behaviour`. Faults apply to
every record (or every response, or every invalid input) they can, so a run of a few hundred
requests meets them. They are written by clause area, one module each; this module only
assembles the catalogue:

    record_faults       the call record: its schema, invariants 1-9
    access_faults       who may read what: 401 without a key, 403 for another account's call
    response_faults     the form of a response: status code, media type, documented headers
    input_faults        the edges of call_id, limit and offset
    listing_faults      invariant 10: a page alone, and the pages together
    credential_faults   keys that are almost right
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from contract_tests.reference_server.access_faults import ACCESS_FAULTS
from contract_tests.reference_server.changes import Fault
from contract_tests.reference_server.credential_faults import CREDENTIAL_FAULTS
from contract_tests.reference_server.input_faults import INPUT_FAULTS
from contract_tests.reference_server.listing_faults import LISTING_FAULTS
from contract_tests.reference_server.record_faults import RECORD_FAULTS
from contract_tests.reference_server.response_faults import RESPONSE_FAULTS

FAULTS: tuple[Fault, ...] = (
    *RECORD_FAULTS,
    *ACCESS_FAULTS,
    *RESPONSE_FAULTS,
    *INPUT_FAULTS,
    *LISTING_FAULTS,
    *CREDENTIAL_FAULTS,
)

FAULTS_BY_NAME: Mapping[str, Fault] = MappingProxyType({fault.name: fault for fault in FAULTS})
