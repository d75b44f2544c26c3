"""The Schemathesis schema of a run: the spec plus the run plan turned into Schemathesis config."""

from __future__ import annotations

import dataclasses
from typing import Any

import schemathesis

from contract_tests.run.plan import RunPlan
from contract_tests.spec import SPEC_PATH
from contract_tests.suite.transport import RunSchema, RunTransport

# Read-only API: checks about creating, deleting or other methods do not apply, and
# object_level_authorization needs identities we replace with invariant 11's foreign ids.
NOT_APPLICABLE = (
    "unsupported_method",
    "allow_header_conformance",
    "use_after_free",
    "ensure_resource_availability",
    "object_level_authorization",
)
# A rate-limited request is not a verdict on the input: waited out, then judged.
POSITIVE_OK = ["2xx", "401", "403", "404", "429"]
NEGATIVE_OK = ["400", "401", "403", "404", "422", "429"]


def schemathesis_config(plan: RunPlan, key: str) -> dict[str, Any]:
    config: dict[str, Any] = {
        "seed": plan.seed,
        "base-url": plan.base_url,
        "request-timeout": plan.timeout,
        "max-redirects": 0,  # never follow a redirect: the key must not travel to another host
        "auth": {"openapi": {"bearerAuth": {"bearer": key}}},
        "generation": {
            "mode": "all",
            "max-examples": plan.max_examples,
            "database": "none",  # nothing on disk; a run is replayed from its seed
            # A failure is recorded and the run goes on: shrinking it would only spend requests.
            "no-shrink": True,
        },
        "phases": {
            # Coverage probes other methods (DELETE, PUT, POST...) by default: never here.
            "coverage": {"unexpected-methods": []},
            "stateful": {"max-steps": plan.stateful_max_steps},
        },
        "checks": {
            **{name: {"enabled": False} for name in NOT_APPLICABLE},
            "positive_data_acceptance": {"expected-statuses": POSITIVE_OK},
            "negative_data_rejection": {"expected-statuses": NEGATIVE_OK},
            "response_schema_conformance": {"validate-formats": True},
        },
    }
    if plan.rate_limit:
        config["rate-limit"] = plan.rate_limit
    return config


def load_schema(plan: RunPlan, transport: RunTransport) -> RunSchema:
    """The spec loaded by Schemathesis with the plan's config, sending through `transport`."""
    config = schemathesis.Config.from_dict(schemathesis_config(plan, transport.key))
    loaded = schemathesis.openapi.from_path(SPEC_PATH, config=config)
    fields = {f.name: getattr(loaded, f.name) for f in dataclasses.fields(loaded) if f.init}
    return RunSchema(**fields, run_transport=transport)
