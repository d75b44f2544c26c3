"""The judgements: contract.md's invariants, their Schemathesis checks, client conformance."""
