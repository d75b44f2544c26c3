"""Which faults and quirks are proven where (shared by the in-process proofs and whole runs)."""

from __future__ import annotations

from contract_tests.reference_server import FAULTS, QUIRKS

# Checks that judge a case by how Schemathesis generated it: only a whole run proves them.
JUDGE_GENERATED_CASES = ("negative_data_rejection", "positive_data_acceptance", "ignored_auth")
# Every third request a 429 with Retry-After: 1: a run would wait minutes; the bounded runs of
# tests/test_safety_rate.py and tests/test_client_runtime.py prove it.
WAITING_QUIRKS = ("rate-limited",)

PROVEN_IN_PROCESS = [f for f in FAULTS if f.detected_by not in JUDGE_GENERATED_CASES]
PROVEN_BY_WHOLE_RUNS = [f for f in FAULTS if f.detected_by in JUDGE_GENERATED_CASES]
QUICK_QUIRKS = [quirk.name for quirk in QUIRKS if quirk.name not in WAITING_QUIRKS]
