"""The breaking-change rules: oasdiff 1.28's rule ids, their levels, and why each matters.

Levels are oasdiff's defaults, except where this project deviates on purpose; every deviation
says why in `deviation`, and the output shows it:
- security changes are ERR, whatever oasdiff's default: who may call the API is our concern;
- an operationId removed or renamed is ERR: the generated client names its functions after it;
- the version policy (info.version is semver, a break needs a major bump) is enforced: ERR.
Rules oasdiff does not have carry `oasdiff_level=None`; each is there because it is clearly
right for this API, and the output marks it "not in oasdiff".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Level(IntEnum):
    """How bad a change is for an existing client; ordered so that ERR > WARN > INFO."""

    INFO = 0
    WARN = 1
    ERR = 2


@dataclass(frozen=True)
class Rule:
    """One kind of change: its id, level here, oasdiff's level (None: not an oasdiff rule)."""

    id: str
    level: Level
    oasdiff_level: Level | None
    why: str
    deviation: str = ""  # why the level differs from oasdiff's, or why the rule exists at all

    @property
    def in_oasdiff(self) -> bool:
        return self.oasdiff_level is not None

    @property
    def raised(self) -> bool:
        return self.oasdiff_level is not None and self.level != self.oasdiff_level

    @property
    def provenance(self) -> str:
        """'' for an oasdiff rule at oasdiff's level; otherwise what differs, for the output."""
        if self.oasdiff_level is None:
            return "not in oasdiff"
        return f"oasdiff: {self.oasdiff_level.name}" if self.raised else ""


ERR, WARN, INFO = Level.ERR, Level.WARN, Level.INFO
SECURITY = "raised: who may call the API is our concern"
CLIENT_NAMES = "raised: the generated client names its functions after the operationId"
VERSION_POLICY = "raised: info.version is semver and the version policy is enforced"


def _rule(rule_id: str, level: Level, why: str) -> Rule:
    """An oasdiff rule at oasdiff's own level."""
    return Rule(rule_id, level, level, why)


def _raised(rule_id: str, level: Level, oasdiff_level: Level, why: str, deviation: str) -> Rule:
    return Rule(rule_id, level, oasdiff_level, why, deviation)


def _ours(rule_id: str, level: Level, why: str, reason: str) -> Rule:
    """A rule oasdiff does not have; `reason` says why it is clearly right here."""
    return Rule(rule_id, level, None, why, reason)


_RULES = [
    # Paths and operations: removal, the deprecation lifecycle, identifiers.
    _rule("api-path-removed-without-deprecation", ERR, "clients calling the operation get 404"),
    _rule("api-path-removed-with-deprecation", INFO, "the operation was deprecated first"),
    _rule("api-path-removed-before-sunset", ERR, "removed before the announced sunset date"),
    _rule("api-path-sunset-parse", ERR, "the sunset date cannot be read"),
    _rule("api-removed-without-deprecation", ERR, "clients calling the operation fail"),
    _rule("api-removed-with-deprecation", INFO, "the operation was deprecated first"),
    _rule("api-removed-before-sunset", ERR, "removed before the announced sunset date"),
    _rule("endpoint-added", INFO, "a new operation; existing clients are unaffected"),
    _rule("endpoint-deprecated", INFO, "clients should move off the operation"),
    _rule("endpoint-deprecated-with-sunset", INFO, "clients must move off it by the sunset date"),
    _rule("endpoint-reactivated", INFO, "the operation is no longer deprecated"),
    _raised(
        "api-operation-id-removed", ERR, INFO, "client code calling it by name breaks", CLIENT_NAMES
    ),
    _rule("api-operation-id-added", INFO, "the operation can now be named"),
    _rule("api-schema-removed", INFO, "code generated from the component loses a type"),
    # Security (oasdiff: INFO for all of these).
    _raised("api-global-security-removed", ERR, INFO, "a security requirement changed", SECURITY),
    _raised("api-global-security-added", ERR, INFO, "a security requirement changed", SECURITY),
    _raised("api-global-security-scope-added", ERR, INFO, "keys may lack the scope", SECURITY),
    _raised("api-global-security-scope-removed", ERR, INFO, "a requirement changed", SECURITY),
    _raised("api-security-removed", ERR, INFO, "a security requirement changed", SECURITY),
    _raised("api-security-added", ERR, INFO, "a security requirement changed", SECURITY),
    _raised("api-security-scope-added", ERR, INFO, "clients' keys may lack the scope", SECURITY),
    _raised("api-security-scope-removed", ERR, INFO, "a security requirement changed", SECURITY),
    _raised("api-security-component-removed", ERR, INFO, "credentials nobody checks", SECURITY),
    _rule("api-security-component-added", INFO, "a new scheme; nothing uses it yet"),
    _raised("api-security-component-type-changed", ERR, INFO, "wrong credentials", SECURITY),
    _ours(
        "api-security-component-scheme-changed",
        ERR,
        "clients send credentials the wrong way",
        "oasdiff compares only a scheme's type; bearer -> basic or a moved API key breaks "
        "every client's credentials just the same",
    ),
    # Request parameters.
    _rule("new-required-request-parameter", ERR, "existing requests lack it and are rejected"),
    _rule("new-optional-request-parameter", INFO, "existing requests stay valid"),
    _rule("request-parameter-removed", WARN, "clients still send it; the server may reject it"),
    _rule("request-parameter-removed-with-deprecation", INFO, "it was deprecated first"),
    _rule("request-parameter-deprecated", INFO, "clients should stop sending it"),
    _rule("request-parameter-reactivated", INFO, "the parameter is no longer deprecated"),
    _rule("request-parameter-became-required", ERR, "requests without it are now rejected"),
    _rule("request-parameter-became-optional", INFO, "existing requests stay valid"),
    _rule("request-parameter-type-changed", ERR, "values clients send no longer fit"),
    _rule("request-parameter-type-generalized", INFO, "every value that fitted still fits"),
    _rule("request-parameter-became-nullable", INFO, "every value that fitted still fits"),
    _rule("request-parameter-became-not-nullable", ERR, "clients sending null are rejected"),
    _rule("request-parameter-max-decreased", ERR, "values near the old maximum are rejected"),
    _rule("request-parameter-max-increased", INFO, "more values are accepted"),
    _rule("request-parameter-max-set", WARN, "values above the new maximum are rejected"),
    _rule("request-parameter-min-increased", ERR, "values near the old minimum are rejected"),
    _rule("request-parameter-min-decreased", INFO, "more values are accepted"),
    _rule("request-parameter-min-set", WARN, "values below the new minimum are rejected"),
    _rule("request-parameter-max-length-decreased", ERR, "longer values are rejected"),
    _rule("request-parameter-max-length-set", WARN, "long values are now rejected"),
    _rule("request-parameter-max-length-increased", INFO, "longer values are accepted"),
    _rule("request-parameter-min-length-increased", ERR, "shorter values are rejected"),
    _rule("request-parameter-min-length-decreased", INFO, "shorter values are accepted"),
    _rule("request-parameter-max-items-decreased", ERR, "longer lists are rejected"),
    _rule("request-parameter-max-items-increased", INFO, "longer lists are accepted"),
    _rule("request-parameter-min-items-increased", ERR, "shorter lists are rejected"),
    _rule("request-parameter-min-items-decreased", INFO, "shorter lists are accepted"),
    _rule("request-parameter-min-items-set", WARN, "short lists are now rejected"),
    _rule("request-parameter-pattern-added", ERR, "values that fitted may be rejected"),
    _rule("request-parameter-pattern-changed", WARN, "values that fitted may be rejected"),
    _rule("request-parameter-pattern-removed", INFO, "more values are accepted"),
    _rule("request-parameter-enum-value-removed", ERR, "clients sending it are rejected"),
    _rule("request-parameter-enum-value-added", INFO, "more values are accepted"),
    _rule("request-parameter-default-value-changed", ERR, "requests without it behave otherwise"),
    # Responses: statuses, media types, headers.
    _rule("response-success-status-removed", ERR, "clients expecting that status break"),
    _rule("response-success-status-added", INFO, "a new success status to handle"),
    _rule("response-non-success-status-removed", INFO, "an error status is no longer sent"),
    _rule("response-non-success-status-added", INFO, "a new error status is documented"),
    _rule("response-media-type-removed", ERR, "clients parsing that media type break"),
    _rule("response-media-type-added", INFO, "another representation is offered"),
    _rule("response-media-type-name-changed", INFO, "the media type's parameters changed"),
    _rule("response-media-type-name-generalized", ERR, "clients may get bodies they cannot read"),
    _rule("response-media-type-name-specialized", INFO, "bodies are a subtype of what was sent"),
    _rule("required-response-header-removed", ERR, "clients reading the header get nothing"),
    _rule("optional-response-header-removed", WARN, "clients reading the header get nothing"),
    _rule("response-header-became-optional", ERR, "clients relying on the header may miss it"),
    _rule("response-header-added", INFO, "a new header; clients ignore it"),
    _rule("response-header-type-changed", ERR, "clients parsing the header break"),
    _rule("response-header-type-generalized", ERR, "the header may carry values clients reject"),
    _rule("response-header-type-specialized", INFO, "every value sent still parses"),
    _rule("response-header-type-compatible", INFO, "a header is text: old readers still read it"),
    _rule("response-header-became-nullable", ERR, "clients not expecting null break"),
    _rule("response-header-became-not-nullable", INFO, "null is no longer sent"),
    *(
        _ours(
            f"response-header-pattern-{action}",
            INFO,
            f"the header's documented shape {action}",
            "oasdiff 1.28 compares a header's type and format but not its pattern; kept at "
            "INFO, like oasdiff's response-property-pattern rules",
        )
        for action in ("added", "changed", "removed")
    ),
    # Response bodies and their properties.
    _rule("response-required-property-removed", ERR, "clients reading the field break"),
    _rule("response-optional-property-removed", WARN, "clients reading the field get nothing"),
    _rule("response-required-property-added", INFO, "a new field; clients ignore it"),
    _rule("response-optional-property-added", INFO, "a new field; clients ignore it"),
    _rule("response-property-became-optional", ERR, "clients expecting the field may miss it"),
    _rule("response-property-became-required", INFO, "the field is now always sent"),
    _rule("response-property-became-nullable", ERR, "clients not expecting null break"),
    _rule("response-body-became-nullable", ERR, "clients not expecting null break"),
    _rule("response-property-became-not-nullable", INFO, "null is no longer sent"),
    _rule("response-body-became-not-nullable", INFO, "null is no longer sent"),
    _rule("response-property-type-changed", ERR, "clients decoding the old type break"),
    _rule("response-body-type-changed", ERR, "clients decoding the old type break"),
    _rule("response-property-type-generalized", ERR, "values clients cannot decode may come"),
    _rule("response-body-type-generalized", ERR, "values clients cannot decode may come"),
    _rule("response-property-type-specialized", INFO, "every value sent still decodes"),
    _rule("response-body-type-specialized", INFO, "every value sent still decodes"),
    _rule("response-property-type-compatible", INFO, "the media type is not strongly typed"),
    _rule("response-body-type-compatible", INFO, "the media type is not strongly typed"),
    _rule("response-property-list-of-types-widened", ERR, "clients may get a type they lack"),
    _rule("response-property-list-of-types-narrowed", INFO, "fewer types are sent"),
    _rule("response-body-list-of-types-widened", ERR, "clients may get a type they lack"),
    _rule("response-body-list-of-types-narrowed", INFO, "fewer types are sent"),
    _rule("response-property-enum-value-added", WARN, "strict clients may crash on the value"),
    _rule("response-property-enum-value-removed", INFO, "a value is no longer sent"),
    _rule("response-property-max-length-increased", ERR, "longer values than clients expect"),
    _rule("response-property-max-length-unset", ERR, "values of any length may come"),
    _rule("response-property-max-increased", ERR, "larger values than clients expect"),
    _rule("response-property-min-decreased", ERR, "smaller values than clients expect"),
    _rule("response-property-min-length-decreased", ERR, "shorter values than clients expect"),
    _rule("response-property-min-items-decreased", ERR, "shorter lists than clients expect"),
    _rule("response-property-min-items-unset", ERR, "lists of any length may come"),
    _rule("response-property-pattern-added", INFO, "values are more constrained"),
    _rule("response-property-pattern-changed", INFO, "the values' shape changed"),
    _rule("response-property-pattern-removed", INFO, "values are less constrained"),
    _rule("response-property-one-of-added", ERR, "a new shape clients cannot decode"),
    _rule("response-property-one-of-removed", INFO, "a shape is no longer sent"),
    _rule("response-body-one-of-added", ERR, "a new shape clients cannot decode"),
    _rule("response-body-one-of-removed", INFO, "a shape is no longer sent"),
    _rule("response-property-any-of-added", INFO, "another shape may be combined"),
    _rule("response-property-any-of-removed", INFO, "a shape is no longer sent"),
    _rule("response-body-any-of-added", INFO, "another shape may be combined"),
    _rule("response-body-any-of-removed", INFO, "a shape is no longer sent"),
    _rule("response-property-all-of-added", INFO, "the value combines another schema"),
    _rule("response-property-all-of-removed", INFO, "the value combines one schema fewer"),
    _rule("response-body-all-of-added", INFO, "the body combines another schema"),
    _rule("response-body-all-of-removed", INFO, "the body combines one schema fewer"),
    # The version policy (oasdiff: INFO, and only when a change is breaking).
    _raised(
        "api-version-not-bumped", ERR, INFO, "a breaking change kept the version", VERSION_POLICY
    ),
    _raised(
        "api-version-decreased", ERR, INFO, "a breaking change lowered the version", VERSION_POLICY
    ),
    _raised(
        "api-major-version-not-bumped",
        ERR,
        INFO,
        "a breaking change needs a major bump",
        VERSION_POLICY,
    ),
    _ours(
        "api-minor-version-not-bumped",
        ERR,
        "a client-visible change needs at least a minor bump",
        "the version policy: oasdiff judges the version only when a change is breaking",
    ),
    _ours(
        "api-version-bumped-without-change",
        WARN,
        "no client-visible change needs more than a patch bump",
        "the version policy: a minor or major bump announces changes that are not there",
    ),
    _ours(
        "api-version-not-semver",
        ERR,
        "the version policy cannot be checked",
        "the version policy: info.version must be MAJOR.MINOR.PATCH (oasdiff skips the check)",
    ),
    # The accepted-breaks file.
    _ours(
        "accepted-break-stale",
        WARN,
        "an accepted finding no longer occurs; remove the entry",
        "openapi/accepted-breaks.yaml must list only findings that still occur",
    ),
]

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}
